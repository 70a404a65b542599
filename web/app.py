"""The web app behind `kg serve`: pages for legal staff and a SPARQL 1.1 endpoint, on one store.

Starlette with Jinja2 templates (autoescaping on: every text from a document is escaped), no
script on the app's own pages, CSS served from ``web/static``: works offline, no build step.
Every response carries a Content-Security-Policy (``default-src 'self'``; the map page, which is
`kg map`'s self-contained page with inline scripts, gets one listing those scripts' hashes).
Vietnamese by default; ``?lang=en`` switches to English and a cookie keeps the choice.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kg.errors import KGError, RefError
from kg.i18n import t
from kg.refs import resolve
from web import views
from web.sparql import WorkerPool, negotiate
from web.storeview import StoreView, fingerprint

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
       "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")
LIMIT = 500  # rows of a list shown on a page (citers, a unit's documents); the CSV downloads have them all
PAGE = 200  # rows of the stale report per page (the CSV has them all)
UPLOAD_SUFFIXES = (".txt", ".docx", ".pdf", ".doc", ".md", ".html", ".htm")


@dataclass
class Settings:
    """`kg serve`'s options."""

    store: str = "kg-store"
    lang: str = "vi"
    max_upload: int = 10 * 1024 * 1024  # bytes
    sparql_timeout: float = 30.0  # seconds
    sparql_max_rows: int = 100_000
    sparql_workers: int = 2
    uploads: str = "kg-uploads"  # drafts the user asked to ingest are kept here (their text is re-read)
    max_nodes: int = 1500
    base: Path = field(default_factory=Path.cwd)  # relative source paths are read from here
    warm: float = 0.0  # seconds between checks for a changed store, whose costly pages are then
    # computed in the background before anyone asks (0: only when asked; `kg serve` uses 5)

    @property
    def upload_mb(self) -> float:
        return round(self.max_upload / 1024 / 1024, 1)


class Cache:
    """Results that cost a full pass over the store (figures, the stale list, the map's graph),
    kept until the store changes."""

    def __init__(self, max_items: int | None = None) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._items: dict[Any, Any] = {}
        self._max = max_items  # then the oldest entries go first

    def get(self, version: tuple, key: Any, make: Any) -> Any:
        with self._lock:
            if version != self._version:
                self._version, self._items = version, {}
            if key in self._items:
                return self._items[key]
        value = make()
        with self._lock:
            if version == self._version:
                self._items[key] = value
                while self._max is not None and len(self._items) > self._max:
                    del self._items[next(iter(self._items))]
        return value

    def peek(self, version: tuple, key: Any) -> Any | None:
        """What is kept for `key` at `version`, or None (nothing is computed)."""
        with self._lock:
            return self._items.get(key) if version == self._version else None


def script_hashes(page: str) -> list[str]:
    """CSP sources for each inline ``<script>`` (not JSON data blocks) of a page."""
    out = []
    for m in re.finditer(r"<script(\s[^>]*)?>(.*?)</script>", page, re.S | re.I):
        if m.group(1) and ("src=" in m.group(1) or "application/json" in m.group(1)):
            continue
        digest = base64.b64encode(hashlib.sha256(m.group(2).encode("utf-8")).digest()).decode()
        out.append(f"'sha256-{digest}'")
    return out


class Headers(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Any) -> Response:
        lang = request.query_params.get("lang")
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if lang in ("vi", "en"):
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
        return response


def create_app(settings: Settings | None = None) -> Starlette:
    s = settings or Settings()
    view = StoreView(s.store)
    pool = WorkerPool(s.sparql_workers, s.sparql_timeout)
    cache = Cache()
    kept = Cache(max_items=32)  # the data of the last instrument and unit pages and maps drawn (seconds
    # each at 100k documents for an instrument most of the corpus cites, or a unit every province has),
    # until the store changes
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    templates = Jinja2Templates(env=env)

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang") or request.cookies.get("lang") or s.lang
        return lang if lang in ("vi", "en") else "vi"

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)

        def url(path: str, **params: Any) -> str:
            clean = {k: v for k, v in params.items() if v not in (None, "", False)}
            return path + ("?" + urlencode(clean) if clean else "")

        def other_lang() -> str:
            params = dict(request.query_params)
            params["lang"] = "en" if lang == "vi" else "vi"
            return request.url.path + "?" + urlencode(params)

        base = {"lang": lang, "_": lambda key: t(key, lang), "url": url, "other_lang": other_lang(),
                "file_name": views.file_name, "store": s.store, "known_on": known_on(), "request": request,
                "limit": LIMIT}
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def known_on() -> str:
        """The date of the store's last change: what the pages know is as of then."""
        if view.remote:
            return ""
        newest = max((mtime_ns for _name, _size, mtime_ns in fingerprint(s.store)), default=0) / 1e9
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(newest)) if newest else ""

    def version() -> tuple:
        return ("remote", int(time.time() // 60)) if view.remote else view.version()

    def all_stale(store: Any) -> list[dict[str, str]]:
        """The whole stale report with provinces and kinds (`views.annotate_stale`), computed once per
        store version: the home page, the stale report (any filter, any page, the CSV) and the unit
        pages read it (at 100k documents it takes tens of seconds)."""
        from kg.stale import stale_citations

        return cache.get(version(), "stale", lambda: views.annotate_stale(store, stale_citations(store)))

    def symbols(store: Any) -> dict[str, list[dict[str, str]]]:
        """`kg.refs.symbol_index`, kept per store version: a search for a bare number ("30c") would
        otherwise scan every symbol triple (1.7M at 100k documents)."""
        from kg.refs import symbol_index

        return cache.get(version(), "symbols", lambda: symbol_index(store))

    def map_graph(store: Any) -> Any:
        """The whole graph the map draws from (`viz.graph.read_graph`), kept per store version."""
        from viz.graph import read_graph

        return cache.get(version(), "map-graph", lambda: read_graph(store))

    def figures_and_stale(store: Any) -> tuple[dict[str, int], list[dict[str, str]]]:
        from kg.stale import stats

        def make() -> tuple[dict[str, int], list[dict[str, str]]]:
            stale = all_stale(store)
            return stats(store, stale), stale
        return cache.get(version(), "home", make)

    # ------------------------------------------------------------ pages

    def home(request: Request) -> Response:
        counts, stale = view.call(figures_and_stale)
        return render(request, "home.html", counts=counts, latest=views.latest_stale(stale))

    def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        if not q:
            return RedirectResponse("/", 303)
        result = view.call(lambda store: views.search(store, q, symbols(store)))
        if result.only is not None:
            return RedirectResponse("/instrument?" + urlencode({"iri": result.only.iri}), 303)
        return render(request, "search.html", result=result, q=q)

    def instrument(request: Request) -> Response:
        iri = request.query_params.get("iri", "").strip()
        ref = request.query_params.get("ref", "").strip()
        if not iri and not ref:
            raise HTTPException(404)

        def load(store: Any) -> tuple[Any, Any]:
            found = resolve(store, iri) if iri else []
            if not found and ref:
                found = resolve(store, ref)
            if len(found) != 1:
                return found, None
            return found, kept.get(version(), ("instrument", found[0]), lambda: views.instrument(store, found[0]))
        found, data = view.call(load)
        if data is None:
            if not found:
                raise HTTPException(404, t("web_no_instrument", lang_of(request)).format(ref=iri or ref))
            return render(request, "search.html", result=views.SearchResult(ref or iri, found), q=ref or iri)
        segments, problem = [], ""
        if data["paths"]:
            segments, problem = views.linked_text(data["paths"][0], s.base)
        return render(request, "instrument.html", c=data, segments=segments, text_problem=problem)

    def cited_by_csv(request: Request) -> Response:
        """Every document citing an instrument, as `kg cited-by --format csv` writes them."""
        from kg import queries
        from kg.commands.cited_by import SCRIPT_COLUMNS
        from kg.tables import render as render_rows

        iri = request.query_params.get("iri", "").strip()
        rows = view.call(lambda store: queries.run(store, "cited-by", {"target": iri})) if iri else []
        return Response(render_rows(rows, SCRIPT_COLUMNS, "csv") + "\n", media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="cited-by.csv"'})

    def unit(request: Request) -> Response:
        name = request.query_params.get("name", "").strip()
        if not name:
            raise HTTPException(404)
        data = view.call(lambda store: kept.get(version(), ("unit", name),
                                                 lambda: views.unit(store, name, every=all_stale(store))))
        if not data["documents"] and not data["profile"]:
            raise HTTPException(404, t("web_no_unit", lang_of(request)).format(unit=name))
        return render(request, "unit.html", u=data)

    def stale(request: Request) -> Response:
        p = request.query_params
        filters = {k: p.get(k, "").strip() for k in ("unit", "province", "kind", "certainty")}
        rows, choices = view.call(lambda store: views.stale_report(store, **filters, every=all_stale(store)))
        if p.get("format") == "csv":  # kept like the pages: every row is 54 MB at 100k documents
            csv = kept.get(version(), ("stale.csv", tuple(sorted(filters.items()))), lambda: views.stale_csv(rows))
            return Response(csv, media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="stale-citations.csv"'})
        page = max(1, int(p.get("page", "1")) if p.get("page", "1").isdigit() else 1)
        start = (page - 1) * PAGE
        shown = rows[start:start + PAGE]
        query = {k: v for k, v in filters.items() if v}
        pages = {"page": page, "first": start + 1, "last": start + len(shown), "total": len(rows),
                 "prev": "/stale?" + urlencode({**query, "page": page - 1}) if page > 1 else "",
                 "next": "/stale?" + urlencode({**query, "page": page + 1}) if start + PAGE < len(rows) else ""}
        return render(request, "stale.html", rows=shown, pages=pages, choices=choices, filters=filters,
                      csv_url="/stale?" + urlencode({**query, "format": "csv"}))

    def map_options(request: Request) -> dict[str, Any]:
        p = request.query_params
        return {"focus": p.get("focus", "").strip() or None, "unit": p.get("unit", "").strip() or None,
                "stale_only": p.get("stale") in ("1", "on", "true")}

    def map_wrapper(request: Request) -> Response:
        o = map_options(request)
        src = "/map/view?" + urlencode({"focus": o["focus"] or "", "unit": o["unit"] or "",
                                        "stale": "1" if o["stale_only"] else "", "lang": lang_of(request)})
        return render(request, "map.html", o=o, src=src)

    def map_view(request: Request) -> Response:
        o, lang = map_options(request), lang_of(request)

        def make(store: Any) -> str:
            # a focus or a unit is read alone from the store (viz.focus) unless the whole graph is kept
            full = cache.peek(version(), "map-graph") if o["focus"] or o["unit"] else map_graph(store)
            return kept.get(version(), ("map", lang, tuple(sorted(o.items()))),
                             lambda: views.map_page(store, full, lang=lang, max_nodes=s.max_nodes, **o))
        try:
            page = view.call(make)
        except RefError as e:
            raise HTTPException(404, str(e)) from e
        csp = ("default-src 'none'; script-src " + " ".join(script_hashes(page)) + "; style-src 'unsafe-inline'; "
               "img-src data:; font-src data:; connect-src 'none'; frame-ancestors 'self'; base-uri 'none'; "
               "form-action 'none'; object-src 'none'")
        return HTMLResponse(page, headers={"Content-Security-Policy": csp})

    async def check(request: Request) -> Response:
        lang = lang_of(request)
        if request.method == "GET":
            return render(request, "check.html", report=None, error="")
        size = int(request.headers.get("content-length") or 0)
        if size > s.max_upload + 64 * 1024:
            return render(request, "check.html", 413, report=None,
                          error=t("web_too_big", lang).format(mb=s.upload_mb))
        async with request.form(max_files=1, max_fields=10, max_part_size=s.max_upload + 1) as form:
            upload = form.get("draft")
            as_of = str(form.get("as_of") or "").strip() or None
            keep = form.get("ingest") == "1"
            if upload is None or isinstance(upload, str) or not upload.filename:
                return render(request, "check.html", 400, report=None, error=t("web_no_file", lang))
            name = re.sub(r"[^\w.\-]+", "_", Path(upload.filename).name)[-100:] or "draft.txt"
            if not name.lower().endswith(UPLOAD_SUFFIXES):
                return render(request, "check.html", 400, report=None, error=t("web_bad_suffix", lang).format(
                    name=upload.filename, suffixes=", ".join(UPLOAD_SUFFIXES)))
            data = await upload.read(s.max_upload + 1)
        if len(data) > s.max_upload:
            return render(request, "check.html", 413, report=None,
                          error=t("web_too_big", lang).format(mb=s.upload_mb))
        if as_of and not re.match(r"^\d{4}-\d{2}-\d{2}$", as_of):
            return render(request, "check.html", 400, report=None, error=t("web_bad_date", lang).format(date=as_of))
        try:
            result = await run_in_threadpool(check_draft, name, data, as_of, lang, keep)
        except (KGError, OSError) as e:
            return render(request, "check.html", 422, report=None,
                          error=t("web_unreadable", lang).format(name=upload.filename, cause=e))
        return render(request, "check.html", **result)

    def check_draft(name: str, data: bytes, as_of: str | None, lang: str, keep: bool) -> dict[str, Any]:
        """Check the upload in a private temporary folder (deleted afterwards); copy it to
        ``uploads`` and ingest it only when the user asked."""
        from kg.check import check_document
        from loaders import extract_file

        with tempfile.TemporaryDirectory(prefix="kg-draft-") as tmp:  # created 0700
            path = Path(tmp) / name
            path.write_bytes(data)
            doc = extract_file(path)
            report = view.call(lambda store: check_document(doc, store, as_of, lang))
        doc_lines = [unicodedata.normalize("NFC", line) for line in doc.text.splitlines()] or [""]
        by_line: dict[int, list[Any]] = {}
        for f in report.findings:
            by_line.setdefault(f.line, []).append(f)
        ingested = ingest_upload(name, data) if keep else None
        return {"report": report, "lines": doc_lines, "by_line": by_line, "draft_name": name, "ingested": ingested,
                "error": ""}

    def ingest_upload(name: str, data: bytes) -> str:
        from kg.errors import StoreError
        from kg.ingest import ingest
        from kg.store import open_store

        folder = Path(s.uploads)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{hashlib.sha256(data).hexdigest()[:12]}_{name}"
        target.write_bytes(data)
        try:
            store = open_store(s.store)
        except StoreError as e:
            return f"error: {e}"
        try:
            summary = ingest([str(target)], store)
        finally:
            store.close()
        view.invalidate()
        return f"{target} ({summary.added + summary.replaced + summary.unchanged})"

    # ------------------------------------------------------------ SPARQL

    async def sparql(request: Request) -> Response:
        from kg import queries

        lang = lang_of(request)
        params = request.query_params
        text, ctype = params.get("query"), request.headers.get("content-type", "").split(";")[0].strip()
        default_graphs = params.getlist("default-graph-uri")
        named_graphs = params.getlist("named-graph-uri")
        if request.method == "POST":
            if ctype == "application/sparql-update":
                return sparql_error(403, t("web_read_only", lang))
            if ctype == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.form()
                if "update" in form:
                    return sparql_error(403, t("web_read_only", lang))
                text = str(form.get("query") or "")
                default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
                named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
            else:
                return sparql_error(415, f"POST a query as application/sparql-query or as a form; got {ctype!r}")
        elif "update" in params:
            return sparql_error(403, t("web_read_only", lang))
        wants_html = "text/html" in request.headers.get("accept", "") and not params.get("format")
        if not text:
            if wants_html or (request.method == "GET" and not request.headers.get("accept")):
                return render(request, "sparql.html", examples=examples(), text=examples()[0][2], table=None,
                              error="")
            return sparql_error(400, "no query: send ?query=… (SPARQL 1.1 Protocol)")
        try:
            form_name = queries.check_read_only(text)
        except KGError as e:
            if wants_html:
                return render(request, "sparql.html", 400, examples=examples(), text=text, table=None, error=str(e))
            return sparql_error(400, str(e))
        fmt = negotiate(form_name, request.headers.get("accept"), params.get("format"))
        if fmt is None:
            return sparql_error(406, f"no acceptable format for a {form_name} result; accept one of "
                                     "application/sparql-results+json, …+xml, text/csv, text/tab-separated-values "
                                     "(SELECT, ASK) or text/turtle, application/n-triples (CONSTRUCT, DESCRIBE)")
        html_page = fmt == "html"
        if html_page:
            fmt = "turtle" if form_name in ("CONSTRUCT", "DESCRIBE") else "json"
        job = {"location": s.store, "remote": view.remote, "version": () if view.remote else view.version(),
               "query": text, "form": form_name, "format": fmt, "max_rows": s.sparql_max_rows,
               "default_graphs": default_graphs, "named_graphs": named_graphs}
        outcome = await run_in_threadpool(pool.run, job)
        if html_page:
            table = sparql_table(outcome.body, form_name) if outcome.status == 200 else None
            return render(request, "sparql.html", outcome.status if outcome.status != 200 else 200,
                          examples=examples(), text=text, table=table, error=outcome.message)
        headers = {"Retry-After": "5"} if outcome.status == 503 else {}
        return Response(outcome.body, status_code=outcome.status, media_type=outcome.media, headers=headers)

    def sparql_error(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    def sparql_table(body: bytes, form_name: str) -> dict[str, Any]:
        import json

        if form_name in ("CONSTRUCT", "DESCRIBE"):
            return {"graph": body.decode("utf-8")}
        data = json.loads(body)
        if "boolean" in data:
            return {"boolean": data["boolean"]}
        head = data["head"]["vars"]
        return {"vars": head, "rows": [[row.get(v, {}).get("value", "") for v in head]
                                       for row in data["results"]["bindings"]]}

    def examples() -> list[tuple[str, str, str]]:
        from kg import queries

        return [(n, queries.load(n).title, queries.load(n).text) for n in queries.names()]

    # ------------------------------------------------------------ errors

    async def not_found(request: Request, exc: Exception) -> Response:
        detail = getattr(exc, "detail", "") if getattr(exc, "status_code", 404) == 404 else ""
        code = getattr(exc, "status_code", 404)
        if code != 404:
            return render(request, "error.html", code, code=code, message=str(getattr(exc, "detail", "")))
        return render(request, "error.html", 404, code=404,
                      message=detail if detail and detail != "Not Found" else "")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error on %s", request.url.path, exc_info=exc)
        message = str(exc) if isinstance(exc, KGError) else ""
        return render(request, "error.html", 500, code=500, message=message)

    routes = [
        Route("/", home), Route("/search", search), Route("/instrument", instrument),
        Route("/instrument/cited-by.csv", cited_by_csv), Route("/unit", unit),
        Route("/stale", stale), Route("/map", map_wrapper), Route("/map/view", map_view),
        Route("/check", check, methods=["GET", "POST"]), Route("/sparql", sparql, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    def warm_pages() -> None:
        """What the first visitor after a store change would wait for: the home page's figures and
        stale list (shared by the stale report, its CSV and the unit pages), the symbol index for
        search, the map's graph (at 100k documents: tens of seconds each, then milliseconds)."""
        view.call(figures_and_stale)
        view.call(symbols)
        view.call(map_graph)

    warmer = Warmer(warm_pages, version, s.warm) if s.warm > 0 else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(pool.warm)  # the first query is not slower than the others
        if warmer is not None:
            warmer.start()
        try:
            yield
        finally:
            if warmer is not None:
                warmer.stop()
            pool.close()

    app = Starlette(routes=routes, middleware=[Middleware(Headers)], lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, 404: not_found, 500: server_error,
                                        Exception: server_error})
    app.state.settings, app.state.view, app.state.pool, app.state.cache = s, view, pool, cache
    app.state.warmer = warmer
    return app


class Warmer:
    """Runs `work` in a background thread whenever `version()` changes (checked every `interval`
    seconds, and once at start), so that pages kept per store version are ready before they are
    asked for. A failure is logged and tried again at the next change."""

    def __init__(self, work: Any, version: Any, interval: float) -> None:
        self.work, self.version, self.interval = work, version, interval
        self.stopping = threading.Event()
        self.done: tuple | None = None  # the last version warmed
        self.thread = threading.Thread(target=self._run, name="kg-warmer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=self.interval + 1)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                v = self.version()
                if v != self.done:
                    self.work()
                    self.done = v
            except Exception:  # a store being rewritten under us, a server away: next time
                log.warning("warming the pages failed; trying again at the next store change", exc_info=True)
            self.stopping.wait(self.interval)


def check_store(location: str) -> None:
    """Raise KGError unless `location` is a SPARQL server URL or an embedded store folder."""
    from kg.errors import StoreError

    if location.startswith(("http://", "https://")):
        return
    if not (Path(location) / "CURRENT").is_file():
        raise StoreError("no store here; run `kg ingest --store … FILES` first", path=location)


__all__ = ["Settings", "check_store", "create_app"]
