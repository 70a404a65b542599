"""Named SPARQL queries (``queries/*.rq``): load, read their header, run them with bound parameters.

Each file opens with a comment header::

    # title: Stale citations
    # answers: Which units still cite superseded instruments …
    #   (continuation lines are indented)
    # params:
    #   asOf: xsd:date, optional; judge every citation as of this date
    #   root: IRI, required; the instrument to start from

Parameters are bound, never formatted into the text: each value becomes one N-Triples term (an IRI,
an ``xsd:date``, an integer or a plain string, escaped per RDF 1.1 N-Triples) and goes into a
``VALUES`` block at the start of the query's outer ``WHERE`` group (`kg.store.bind`, which refuses
anything that is not a single term). The same text runs on the embedded store and on a SPARQL
server, so both backends give the same answers. (pyoxigraph's ``substitutions=`` was tried and not
used: with pyoxigraph 0.5 it does not constrain ``FILTER``s of the group, so an optional parameter
tested with ``BOUND`` would silently match everything.)

User queries (`kg query FILE.rq`, `kg sparql`) go through `check_read_only` first.

>>> q = load("lineage-up")
>>> q.title, [p.name for p in q.params]
('Lineage up', ['root'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import QueryError
from kg.store import Store

XSD = "http://www.w3.org/2001/XMLSchema#"
KINDS = ("IRI", "xsd:date", "xsd:integer", "string")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<kind>[\w:]+)\s*,\s*(?P<need>required|optional)"
                    r"\s*(?:;\s*(?P<doc>.*))?$")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: str = "string"
    required: bool = False
    doc: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query with what its header says about it."""

    name: str
    text: str
    title: str = ""
    answers: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def names() -> list[str]:
    """Names of the shipped queries (file names without ``.rq``), sorted."""
    return sorted(p.name[:-3] for p in resources.files("queries").iterdir() if p.name.endswith(".rq"))


def parse(text: str, name: str = "<query>") -> NamedQuery:
    """Read the comment header of a query text (missing header fields stay empty).

    >>> q = parse("# title: T\\n# answers: a\\n#   b\\n# params:\\n#   x: IRI, required; the thing\\nSELECT * {}")
    >>> q.title, q.answers, q.params
    ('T', 'a b', (Param(name='x', kind='IRI', required=True, doc='the thing'),))
    """
    fields_: dict[str, list[str]] = {}
    params: list[Param] = []
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped[1:]
        m = re.match(r"^ (\w+):\s*(.*)$", body)
        if m and not body.startswith("  "):
            current = m.group(1)
            if m.group(2) and m.group(2) != "none":
                fields_.setdefault(current, []).append(m.group(2).strip())
            continue
        if current == "params":
            pm = _PARAM.match(body.strip())
            if pm is None:
                raise QueryError(f"{name}: parameter line {body.strip()!r} is not 'name: kind, required|optional; doc'")
            if pm.group("kind") not in KINDS:
                raise QueryError(f"{name}: parameter {pm.group('name')} has kind {pm.group('kind')!r}; "
                                 f"use one of {', '.join(KINDS)}")
            params.append(Param(pm.group("name"), pm.group("kind"), pm.group("need") == "required",
                                (pm.group("doc") or "").strip()))
        elif current:
            fields_.setdefault(current, []).append(body.strip())
    return NamedQuery(name=name, text=text, title=" ".join(fields_.get("title", [])),
                      answers=" ".join(fields_.get("answers", [])), params=tuple(params))


def load(name: str) -> NamedQuery:
    """A shipped query by name, or a user's ``.rq`` file by path."""
    if name.endswith(".rq") or "/" in name or "\\" in name:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(f"cannot read the query file ({e})", path=name) from e
        return parse(text, name)
    if name not in names():
        raise QueryError(f"no named query {name!r}; the named queries are: {', '.join(names())}")
    text = (resources.files("queries") / f"{name}.rq").read_text(encoding="utf-8")
    return parse(text, name)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def term(value: str, kind: str) -> str:
    """A parameter value as one N-Triples term of the declared kind; QueryError says what is wrong.

    >>> term("2025-01-31", "xsd:date")
    '"2025-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> term('a "b"', "string")
    '"a \\\\"b\\\\""'
    """
    if kind == "IRI":
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$", value):
            raise QueryError(f"{value!r} is not an IRI (like https://kg.vn-plans.org/eli/vn/ct-ttg/2021/33)")
        return f"<{value}>"
    if kind == "xsd:date":
        if not _DATE.match(value):
            raise QueryError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
        return f'"{value}"^^<{XSD}date>'
    if kind == "xsd:integer":
        if not re.match(r"^[+-]?\d+$", value):
            raise QueryError(f"{value!r} is not an integer")
        return f'"{int(value)}"^^<{XSD}integer>'
    return f'"{_escape(value)}"'


def guess_kind(value: str) -> str:
    """Kind of a value for a parameter the query's header does not declare."""
    if re.match(r"^https?://\S+$", value):
        return "IRI"
    if _DATE.match(value):
        return "xsd:date"
    return "string"


def body(text: str) -> str:
    """The query without its comment lines (so no header text can be mistaken for query syntax)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def bindings(query: NamedQuery, params: dict[str, str | None]) -> dict[str, str]:
    """Check `params` against the header and turn them into N-Triples terms."""
    out: dict[str, str] = {}
    for p in query.params:
        if p.required and not params.get(p.name):
            raise QueryError(f"query {query.name} needs --param {p.name}=… ({p.kind}: {p.doc})")
    for key, value in params.items():
        if value is None or value == "":
            continue
        if not re.match(r"^[A-Za-z_]\w*$", key):
            raise QueryError(f"parameter name {key!r} is not a SPARQL variable name")
        declared = query.param(key)
        if declared is None and query.params:
            raise QueryError(f"query {query.name} has no parameter {key!r}; it takes: "
                             f"{', '.join(p.name for p in query.params)}")
        out[key] = term(value, declared.kind if declared else guess_kind(value))
    return out


def run(store: Store, query: NamedQuery | str, params: dict[str, str | None] | None = None) -> list[dict[str, str]]:
    """Rows of a named query (or a loaded one) with `params` bound; each row maps variable → value.

    Three shipped queries, asked for by name, are answered by the library path that gives the same
    rows sooner (held to the SPARQL's rows by tests/test_cascade.py and test_cascade_index.py):
    `lineage-up` and `lineage-down` by `kg.cascade.lineage_rows` (a walk level by level, from the
    cascade index where the store keeps one: a central directive's cascade at 100k plans in ~0.15 s
    instead of 3.8 s), `cited-by` from the index's labels where there is one."""
    q = load(query) if isinstance(query, str) else query
    bound = bindings(q, params or {})  # checked first, whoever answers
    if isinstance(query, str):
        rows = _answered(store, query, params or {})
        if rows is not None:
            return rows
    return store.select(body(q.text), bound or None)


def _answered(store: Store, name: str, params: dict[str, str | None]) -> list[dict[str, str]] | None:
    if name in ("lineage-up", "lineage-down") and params.get("root"):
        from kg.cascade import lineage_rows

        return lineage_rows(store, params["root"], name.removeprefix("lineage-"))  # type: ignore[arg-type]
    if name == "cited-by" and params.get("target"):
        from kg import cascade_index

        db = cascade_index.reader(store)
        if db is not None:
            return cascade_index.cited_by(store, db, params["target"])  # type: ignore[arg-type]
    return None


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_FORMS = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def check_read_only(text: str) -> str:
    """Refuse anything but SELECT, ASK, CONSTRUCT or DESCRIBE; name the position of a syntax error.

    Returns the query form (``SELECT``…). Parsed by Oxigraph's own SPARQL parser against an empty
    in-memory store, so nothing is read or written.

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    kg.errors.QueryError: this is a SPARQL update; only SELECT, ASK, CONSTRUCT and DESCRIBE queries are run
    """
    import pyoxigraph as ox

    if _SERVICE.search(body(text)):
        raise QueryError("SERVICE (a federated query to another endpoint) is not run; query this graph only")
    try:
        ox.Store().query(text)  # an empty in-memory store: parsing is all that happens
    except SyntaxError as query_error:
        if _is_update(text):
            raise QueryError("this is a SPARQL update; only SELECT, ASK, CONSTRUCT and DESCRIBE queries are run"
                             ) from None
        raise QueryError(f"malformed SPARQL: {' '.join(str(query_error).split())}") from None
    m = _FORMS.search(body(text))
    return m.group(1).upper() if m else "SELECT"


def _is_update(text: str) -> bool:
    """Whether rdflib's SPARQL 1.1 Update grammar accepts `text` (parsed only, never executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # pyparsing's ParseException and friends: not an update
        return False
    return True


def run_user(store: Store, text: str) -> tuple[str, list[dict[str, str]] | bool | str]:
    """Run a user's read-only query: (form, rows | ASK answer | N-Triples of CONSTRUCT/DESCRIBE)."""
    form = check_read_only(text)
    if form == "SELECT":
        return form, store.select(text)
    inner = getattr(store, "_store", None)  # EmbeddedStore: ASK/CONSTRUCT go to pyoxigraph directly
    if inner is not None:
        import pyoxigraph as ox

        try:
            result = inner.query(text, use_default_graph_as_union=True)
            if form == "ASK":
                return form, bool(result)
            return form, (ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        except OSError as e:
            raise QueryError(f"query failed: {e}") from e
    if form == "ASK":
        return form, bool(json.loads(_http(store, text, "application/sparql-results+json")).get("boolean"))
    return form, _http(store, text, "application/n-triples").decode("utf-8")


def _http(store: Store, text: str, accept: str) -> bytes:
    """POST a query to an `HttpStore` (kg.store only exposes SELECT for servers)."""
    import urllib.parse

    data = urllib.parse.urlencode({"query": text}).encode("utf-8")
    return store._request(store.query_url, data, {  # type: ignore[attr-defined]
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, "POST")
