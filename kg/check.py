"""Pre-issuance check of a draft: every problem in its references, with its line and the fix.

The draft is read by the extractor (`loaders.extract_file`), so any format it reads works. Each
reference is compared with the status registry (the shipped ``ontology/registry.csv``, always) and,
when a store is given, with the facts and canonical records of the graph:

- error: replaced or repealed on or before the draft's date;
- warning: expired by its own term, a successor that is not confirmed, a replacement whose date is
  unknown, a date/issuer/title that disagrees with the canonical record, a malformed symbol
  (``04/2015/NĐCP``, ``1847/QĐ -TTg``), an instrument dated after the draft;
- info: amended (still in force), or unknown to the registry and the graph.

Each finding names the source of the status it relies on. The draft's date is ``as_of``, else its
own date, else today.

>>> SEVERITIES
('error', 'warning', 'info')
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg import registry
from kg.model import Document, Reference
from kg.store import Store
from loaders.symbols import parse_symbol, symbol_key

SEVERITIES = ("error", "warning", "info")

TEXT = {  # finding kind → (vi, en) message; {fields} from the finding's details
    "replaced": ("bị thay thế bởi {object} từ {effective}", "replaced by {object} from {effective}"),
    "repealed": ("bị bãi bỏ bởi {object} từ {effective}", "repealed by {object} from {effective}"),
    "replaced_undated": ("bị thay thế bởi {object} (chưa rõ từ ngày nào)",
                         "replaced by {object} (from a date not known)"),
    "then": ("văn bản này đến lượt bị thay bởi {object} từ {effective}",
             "which was in turn superseded by {object} from {effective}"),
    "expired": ("hết thời hạn từ {effective}{successor}", "its term ended on {effective}{successor}"),
    "successor_unconfirmed": ("có thể đã được thay bằng {object} (từ {effective}; chưa xác nhận)",
                              "possibly superseded by {object} (from {effective}; unconfirmed)"),
    "amended": ("được sửa đổi bởi {object} từ {effective}", "amended by {object} from {effective}"),
    "date": ("ghi ngày {written}, hồ sơ chuẩn ghi {canonical}", "dated {written}; the record says {canonical}"),
    "issuer": ("ghi cơ quan ban hành \"{written}\", hồ sơ chuẩn ghi \"{canonical}\"",
               "issuer written \"{written}\"; the record says \"{canonical}\""),
    "title": ("trích yếu khác hồ sơ chuẩn: \"{canonical}\"", "title differs from the record: \"{canonical}\""),
    "malformed": ("số/ký hiệu viết sai dạng: \"{written}\"", "malformed symbol: \"{written}\""),
    "after_draft": ("ban hành ngày {written}, sau ngày của dự thảo ({draft})",
                    "dated {written}, after the draft ({draft})"),
    "unknown": ("không có trong sổ hiệu lực và đồ thị", "unknown to the registry and the graph"),
    "unknown_registry": ("không có trong sổ hiệu lực (chưa dùng đồ thị)", "not in the registry (no graph used)"),
}
FIX = {
    "cite": ("dẫn {object}{object_date} thay cho văn bản này", "cite {object}{object_date} instead"),
    "successor": ("; văn bản kế tiếp: {object}{object_date}", "; successor: {object}{object_date}"),
    "check_successor": ("kiểm tra và dẫn {object}{object_date} nếu phù hợp", "check and cite {object}{object_date} "
                        "if it applies"),
    "amended": ("dẫn kèm văn bản sửa đổi {object}", "cite it as amended by {object}"),
    "write": ("viết \"{canonical}\"", "write \"{canonical}\""),
    "symbol": ("viết \"{canonical}\"", "write \"{canonical}\""),
    "verify": ("kiểm tra lại số, ngày của văn bản được dẫn", "check the number and date of the cited instrument"),
    "none": ("kiểm tra văn bản còn hiệu lực", "check that it is in force"),
}


@dataclass
class Finding:
    line: int
    severity: str
    kind: str
    symbol: str
    written: str  # the text as written in the draft
    message: str
    fix: str
    basis: str  # where the status or record comes from
    start: int | None = None


@dataclass
class Report:
    source: str
    draft_date: str
    date_basis: str  # "as_of" | "draft" | "today"
    references: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 clean (info only), 1 when there is an error or a warning."""
        return 1 if any(f.severity in ("error", "warning") for f in self.findings) else 0

    def to_json(self) -> dict:
        return {"source": self.source, "draft_date": self.draft_date, "date_basis": self.date_basis,
                "references": self.references, "exit_code": self.exit_code,
                "findings": [asdict(f) for f in self.findings]}


@dataclass(frozen=True)
class _Fact:
    subject: str  # symbol_key of the subject
    subject_date: str
    relation: str
    object: str
    object_date: str
    effective: str
    confidence: str
    source: str
    origin: str


def _key(symbol: str) -> str:
    sym = parse_symbol(symbol)
    return symbol_key(sym.text if sym else symbol)


def _facts(store: Store | None) -> list[_Fact]:
    out = {}
    for f in registry.read_csv(registry.shipped_path()):
        if f.subject_symbol:
            fact = _Fact(_key(f.subject_symbol), f.subject_date, f.relation, f.object_symbol, f.object_date,
                         f.effective_date, f.confidence, f.source, "registry")
            out[fact] = None
    if store is not None:
        for r in registry.list_facts(store):
            if not r.get("subjectSymbol"):
                continue
            origin = registry.origin(r["g"])
            fact = _Fact(_key(r["subjectSymbol"]), r.get("subjectDate", ""), r["relation"], r.get("objectSymbol", ""),
                         r.get("objectDate", ""), r.get("effective", ""), r["confidence"], r["source"],
                         "registry" if origin == "shipped" else origin)
            out[fact] = None
    return list(out)


_WITH_SYMBOL = "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT DISTINCT ?symbol ?i WHERE { ?i kg:symbol ?symbol }"
# Then one value at a time for those few instruments (every citing graph repeats an instrument's
# symbol and year: one pattern with both would multiply the rows).
_RECORD = """
PREFIX kg: <https://kg.vn-plans.org/ns#>
SELECT ?i ?date ?issuer ?title ?dateBasis ?issuerBasis ?titleBasis WHERE {
  # ?i is bound (VALUES): one row each. `?i a kg:Instrument` as a pattern would give one row per
  # graph citing it (720 for 30c/NQ-CP in 10k documents), each with every canonical value looked up.
  FILTER EXISTS { ?i a kg:Instrument }
  OPTIONAL { ?i kg:canonicalDate ?date } OPTIONAL { ?i kg:canonicalIssuerName ?issuer }
  OPTIONAL { ?i kg:canonicalTitle ?title } OPTIONAL { ?i kg:dateBasis ?dateBasis }
  OPTIONAL { ?i kg:issuerBasis ?issuerBasis } OPTIONAL { ?i kg:titleBasis ?titleBasis }
}
"""
_YEARS = "PREFIX kg: <https://kg.vn-plans.org/ns#>\nSELECT ?i (SAMPLE(?y) AS ?year) WHERE { ?i kg:year ?y } GROUP BY ?i"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _year(ref: Reference) -> str:
    return ref.date[:4] if ref.date else (str(ref.year) if ref.year else "")


def _records_by_symbol(store: Store, symbols: list[str]) -> dict[str, list[dict[str, str]]]:
    """The graph's canonical records of every instrument stored under each symbol: three queries for
    the whole draft (a query per reference cost more in parsing than in reading)."""
    by_symbol: dict[str, list[str]] = {}
    wanted = sorted({s for s in symbols if s})
    if not wanted:
        return {}
    for r in store.select(_WITH_SYMBOL, {"symbol": [_lit(s) for s in wanted]}):
        by_symbol.setdefault(r["symbol"], []).append(r["i"])
    by_iri: dict[str, dict[str, str]] = {}
    iris = sorted({f"<{i}>" for found in by_symbol.values() for i in found})
    if iris:
        for query in (_RECORD, _YEARS):
            for r in store.select(query, {"i": iris}):
                by_iri.setdefault(r["i"], {}).update({k: v for k, v in r.items() if v})
    return {s: [by_iri[i] for i in found if i in by_iri] for s, found in by_symbol.items()}


def _records(store: Store, ref: Reference,
             known: dict[str, list[dict[str, str]]] | None = None) -> list[dict[str, str]]:
    """The graph's canonical records for the instrument `ref` means (same symbol, same year if known);
    `known` is `_records_by_symbol` of the draft's symbols, read once."""
    if known is None:
        known = _records_by_symbol(store, [ref.symbol or ""])
    year = _year(ref)
    return [r for r in known.get(ref.symbol or "", []) if not year or year in (r.get("year", ""), r.get("date", "")[:4])
            or not (r.get("year") or r.get("date"))]


def _vn_date(iso: str) -> str:
    """``2021-11-26`` → ``ngày 26/11/2021``, as Vietnamese documents write dates."""
    y, m, d = iso.split("-")
    return f"ngày {d}/{m}/{y}"


def _line(text: str, pos: int | None) -> int:
    return text.count("\n", 0, pos) + 1 if pos is not None else 0


def _same_issuer(a: str, b: str) -> bool:
    a, b = " ".join(a.lower().split()), " ".join(b.lower().split())
    return a in b or b in a


def _fold_title(title: str) -> str:
    t = unicodedata.normalize("NFC", " ".join(title.lower().split())).strip(" ;,.")
    for prefix in ("về việc ", "về ", "ban hành ", "quy định ", "v/v "):
        t = t.removeprefix(prefix)
    return t


_WRITTEN_SYMBOL = r"\s*[/\-–—‐][^,;()\n]*?(?=\s+(?:ngày|của|về|năm|do|được|ban|đã|và)\b|[,;()]|\s*$)"


def _written_symbol(surface: str, ref: Reference) -> str | None:
    """The symbol as the draft wrote it, when it is not the normalised one (line breaks ignored)."""
    flat = re.sub(r"-\s*\n\s*", "-", surface).replace("\n", "")
    if not ref.symbol or ref.symbol in flat or ref.named or ref.resolved_by:
        return None
    number = (ref.number or ref.symbol.split("/")[0].split("-")[0]).strip()
    m = re.search(re.escape(number) + _WRITTEN_SYMBOL, flat)
    written = m.group(0).strip() if m else None
    return written if written and written != ref.symbol else None


def _t(table: dict, key: str, lang: str, **values: str) -> str:
    vi, en = table[key]
    return (en if lang == "en" else vi).format(**values)


def _graph_basis(rule: str | None, lang: str) -> str:
    """Which rule chose the canonical value (kg.registry: registry > own document > most citations)."""
    words = {"registry": ("sổ hiệu lực", "the registry"), "source": ("chính văn bản", "its own text"),
             "mentions": ("đa số văn bản dẫn", "most citing documents")}.get(rule or "", ("?", "?"))
    return f"{'graph' if lang == 'en' else 'đồ thị'} ({words[1] if lang == 'en' else words[0]})"


def _basis(fact: _Fact, lang: str) -> str:
    origin = {"registry": ("sổ hiệu lực", "registry"), "user": ("thông tin người dùng", "user fact"),
              "import": ("tệp nhập", "imported facts")}.get(fact.origin, ("văn bản đã nạp", "ingested document"))
    return f"{origin[1] if lang == 'en' else origin[0]}: {fact.source} ({fact.confidence})"


def _current(fact: _Fact, facts: list[_Fact], draft: str) -> _Fact:
    """The last replacement in force on `draft` along a chain of replacements (at most 8 steps)."""
    for _ in range(8):
        key = _key(fact.object)
        nxt = next((f for f in facts if f.subject == key and f.relation in ("replaced_by", "repealed_by")
                    and f.object and f.effective and f.effective <= draft
                    and (not f.subject_date or not fact.object_date or f.subject_date == fact.object_date)), None)
        if nxt is None:
            return fact
        fact = nxt
    return fact


def _status(ref: Reference, facts: list[_Fact], draft: str, lang: str) -> list[tuple[str, str, str, str, str]]:
    """(severity, kind, message, fix, basis) for the status facts about `ref` as of `draft`."""
    key, date, year = _key(ref.symbol or ""), ref.date or "", _year(ref)
    mine = [f for f in facts if f.subject == key and (
        not f.subject_date or not year or (f.subject_date == date if date else f.subject_date[:4] == year))]
    successors = [f for f in mine if f.relation == "succeeded_by"]
    out = []
    for f in mine:
        obj_date = f" ({f.object_date})" if f.object_date else ""
        v = {"object": f.object, "effective": f.effective, "object_date": obj_date}
        due = not f.effective or f.effective <= draft
        if f.relation in ("replaced_by", "repealed_by") and due:
            kind = ("replaced" if f.relation == "replaced_by" else "repealed") if f.effective else "replaced_undated"
            severity = "error" if f.effective else "warning"
            message = _t(TEXT, kind, lang, **v)
            last = _current(f, facts, draft)
            if last is not f:  # 60/2013/NĐ-CP → 149/2018/NĐ-CP, itself repealed by 145/2020/NĐ-CP
                v = {"object": last.object, "object_date": f" ({last.object_date})" if last.object_date else "",
                     "effective": last.effective}
                message += "; " + _t(TEXT, "then", lang, symbol=f.object, **v)
            out.append((severity, kind, message, _t(FIX, "cite", lang, **v), _basis(f, lang)))
        elif f.relation == "expired" and f.effective and f.effective < draft:
            succ = successors[0] if successors else None
            sv = {"object": succ.object, "object_date": f" ({succ.object_date})" if succ.object_date else ""} \
                if succ else {}
            v["successor"] = _t(FIX, "successor", lang, **sv) if succ else ""
            fix = _t(FIX, "cite", lang, **sv) if succ else _t(FIX, "none", lang)
            out.append(("warning", "expired", _t(TEXT, "expired", lang, **v), fix, _basis(f, lang)))
        elif f.relation == "successor_unconfirmed" and due:
            v["effective"] = f.effective or "?"
            out.append(("warning" if f.confidence != "low" else "info", "successor_unconfirmed",
                        _t(TEXT, "successor_unconfirmed", lang, **v), _t(FIX, "check_successor", lang, **v),
                        _basis(f, lang)))
        elif f.relation == "amended_by" and f.effective and f.effective <= draft:
            out.append(("info", "amended", _t(TEXT, "amended", lang, **v), _t(FIX, "amended", lang, **v),
                        _basis(f, lang)))
    if any(s == "error" for s, *_ in out):  # an end of force says it all; its term and successor add nothing
        out = [o for o in out if o[0] == "error"]
    return out


def check_document(doc: Document, store: Store | None = None, as_of: str | None = None,
                   lang: str = "vi", today: str | None = None) -> Report:
    """Findings for an extracted draft (see the module docstring)."""
    draft, basis = (as_of, "as_of") if as_of else (doc.identity.date, "draft") if doc.identity.date else \
        (today or dt.date.today().isoformat(), "today")
    facts = _facts(store)
    known = {f.subject for f in facts} | {_key(f.object) for f in facts if f.object}
    report = Report(source=doc.source, draft_date=draft, date_basis=basis, references=len(doc.refs))
    records_of = _records_by_symbol(store, [ref.symbol or "" for ref in doc.refs]) if store is not None else {}
    for ref in doc.refs:
        if not ref.symbol:
            continue
        first = ref.mentions[0] if ref.mentions else None
        start = first.span.start if first else (ref.spans[0].start if ref.spans else None)
        written = first.surface if first else ref.surface

        def add(severity: str, kind: str, message: str, fix: str, basis_: str, pos: int | None = start,
                text: str = written, ref: Reference = ref) -> None:
            report.findings.append(Finding(_line(doc.text, pos), severity, kind, ref.symbol or "",
                                           " ".join(text.split()), message, fix, basis_, pos))

        for severity, kind, message, fix, basis_ in _status(ref, facts, draft, lang):
            add(severity, kind, message, fix, basis_)
        for m in ref.mentions or []:
            raw = doc.text[m.span.start:m.span.end] if 0 <= m.span.start < m.span.end <= len(doc.text) else ""
            bad = _written_symbol(raw if ref.number and ref.number in raw else m.surface, ref)
            if bad:
                add("warning", "malformed", _t(TEXT, "malformed", lang, written=bad),
                    _t(FIX, "symbol", lang, canonical=ref.symbol), "loaders.symbols", m.span.start, m.surface)
        if ref.date and ref.date > draft:
            add("warning", "after_draft", _t(TEXT, "after_draft", lang, written=ref.date, draft=draft),
                _t(FIX, "verify", lang), "draft" if lang == "en" else "dự thảo")
        records = _records(store, ref, records_of) if store is not None else []
        if len(records) == 1:
            record = records[0]
            for m in ref.mentions or []:
                if m.date and record.get("date") and m.date != record["date"]:
                    add("warning", "date", _t(TEXT, "date", lang, written=m.date, canonical=record["date"]),
                        _t(FIX, "write", lang, canonical=_vn_date(record["date"])),
                        _graph_basis(record.get("dateBasis"), lang), m.span.start, m.surface)
                if m.issuer and record.get("issuer") and not _same_issuer(m.issuer, record["issuer"]):
                    add("warning", "issuer", _t(TEXT, "issuer", lang, written=m.issuer, canonical=record["issuer"]),
                        _t(FIX, "write", lang, canonical=record["issuer"]),
                        _graph_basis(record.get("issuerBasis"), lang), m.span.start, m.surface)
            if ref.title and record.get("title"):
                a, b = _fold_title(ref.title), _fold_title(record["title"])
                if a not in b and b not in a and difflib.SequenceMatcher(None, a, b).ratio() < 0.6:
                    add("warning", "title", _t(TEXT, "title", lang, canonical=record["title"]),
                        _t(FIX, "write", lang, canonical=record["title"]),
                        _graph_basis(record.get("titleBasis"), lang))
        if _key(ref.symbol) not in known and not records:
            kind = "unknown" if store is not None else "unknown_registry"
            where = ("registry + graph", "sổ hiệu lực + đồ thị") if store is not None else ("registry", "sổ hiệu lực")
            add("info", kind, _t(TEXT, kind, lang), _t(FIX, "verify", lang), where[0] if lang == "en" else where[1])
    report.findings.sort(key=lambda f: (f.line, SEVERITIES.index(f.severity), f.kind))
    return report


def check_file(path: str | Path, store: Store | None = None, as_of: str | None = None, lang: str = "vi",
               today: str | None = None) -> Report:
    """Read the draft (any format the extractor reads; ReadError when it cannot) and check it."""
    from loaders import extract_file

    return check_document(extract_file(path), store, as_of, lang, today)


def render_text(report: Report, lang: str = "vi") -> list[str]:
    from kg.i18n import t

    lines = []
    for f in report.findings:
        lines.append(f"{report.source}:{f.line}: [{t(f.severity, lang)}] {f.symbol}: {f.message}")
        lines.append(f"    {f.written}")
        lines.append(f"    {t('fix', lang)}: {f.fix}")
        lines.append(f"    {t('basis', lang)}: {f.basis}")
    n = sum(1 for f in report.findings if f.severity != "info")
    if n:
        lines.append(t("check_found", lang).format(n=n, refs=report.references, date=report.draft_date))
    else:
        lines.append(t("check_clean", lang).format(n=report.references))
    return lines
