"""Readable reports for people: fixed-width text that fits an 80-column terminal."""

from __future__ import annotations

import shutil
import textwrap

from kg.i18n import t
from kg.model import Document


def _width() -> int:
    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


def _cut(s: str | None, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_document_table(doc: Document, lang: str = "vi") -> str:
    """One document: identity block, implements, then one line per cited instrument."""
    w = _width()
    ident = doc.identity
    unknown = t("unknown", lang)
    lines = [f"== {doc.source}", ""]
    rows = [
        ("type", ident.type),
        ("symbol", ident.symbol),
        ("date", ident.date or (str(ident.year) if ident.year else None)),
        ("issuer", ident.issuer),
        ("jurisdiction", ident.jurisdiction.label if ident.jurisdiction else None),
        ("signer", ", ".join(x for x in (ident.signer, ident.signer_position) if x) or None),
        ("not_before", ident.not_before),
    ]
    label_w = max(len(t(k, lang)) for k, _ in rows) + 2
    for key, value in rows:
        lines.append(f"  {t(key, lang):<{label_w}}{value or unknown}")
    impl = [doc._key_to_symbol(k) for k in doc.implements]
    lines.append(f"  {t('implements', lang):<{label_w}}{', '.join(impl) or t('none', lang)}")
    lines.append("")
    lines.append(f"  {t('references', lang)} ({len(doc.refs)}):")
    sym_w = min(26, max([len(r.symbol or r.name or "") for r in doc.refs] + [10]) + 1)
    for r in doc.refs:
        sym = r.symbol or r.name or r.surface
        kind = _cut(r.type, 14)
        date = r.date or (str(r.year) if r.year else "")
        rest = w - (4 + 15 + sym_w + 11 + 6)
        issuer = _cut(r.issuer, max(10, rest))
        lines.append(f"    {kind:<15}{_cut(sym, sym_w - 1):<{sym_w}}{date:<11}{len(r.mentions):>2}× {issuer}")
    if doc.supersessions:
        lines.append("")
        lines.append(f"  {t('supersessions', lang)}:")
        for s in doc.supersessions:
            lines.append(f"    {s.relation}: {s.symbol or s.name}" + (f" ({s.effective})" if s.effective else ""))
    if doc.warnings:
        lines.append("")
        lines.append(f"  {t('warnings', lang)}:")
        for msg in doc.warnings:
            lines.extend(textwrap.wrap(msg, w - 6, initial_indent="    - ", subsequent_indent="      "))
    lines.append("")
    return "\n".join(lines)
