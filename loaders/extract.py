"""Read a file or text and extract its Document: the whole loaders pipeline in one call."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kg.model import Document
from loaders.clean import clean_text
from loaders.header import find_layout, own_number_span, preamble_clauses, read_identity
from loaders.references import find_mentions
from loaders.resolve import resolve_mentions
from loaders.supersessions import find_supersessions


def extract_text(text: str, source: str = "<text>", *, fmt: str = "txt", encoding: str | None = None,
                 sha256: str | None = None) -> Document:
    """Extract a Document from decoded text.

    >>> d = extract_text("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ, "
    ...                  "Sở Nội vụ xây dựng Kế hoạch như sau:")
    >>> d.implements, d.identity.issuer
    (['33/CT-TTg@2021'], 'Sở Nội vụ')
    """
    cleaned = clean_text(text)
    ctext = cleaned.text
    layout = find_layout(ctext)
    own = own_number_span(ctext, layout)
    mentions = find_mentions(ctext, (own,) if own else ())
    layout = find_layout(ctext, [(m.start, m.title_end) for m in mentions if m.title_end is not None])
    dated = [m.date for m in mentions if m.date]
    identity, warnings = read_identity(ctext, layout, dated)
    as_of = identity.year or (int(identity.not_before[:4]) if identity.not_before else None)
    refs, keys = resolve_mentions(mentions, cleaned, text, home=identity.jurisdiction, as_of_year=as_of)

    implements: list[str] = []
    clauses = preamble_clauses(ctext, layout)
    if clauses:  # most mentions lie outside the preamble's few clauses: no generator per mention
        for i, rm in enumerate(mentions):
            if rm.nested_in is None and keys[i] not in implements:
                start = rm.start
                for s, e in clauses:
                    if s <= start < e:
                        implements.append(keys[i])
                        break
    own_key = None
    if identity.symbol:
        own_key = next((k for k in implements if k.split("@")[0] == identity.symbol), None)
    implements = [k for k in implements if k != own_key]
    supersessions = find_supersessions(ctext, cleaned, mentions, identity.date)
    for r in refs:
        if r.symbol is None and r.named and r.name:
            warnings.append(f"named reference not in the law table: {r.type} {r.name}")
    return Document(
        source=source,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text=text,
        identity=identity,
        implements=implements,
        refs=refs,
        supersessions=supersessions,
        warnings=warnings,
        format=fmt,
        encoding=encoding,
    )


def extract_file(path: str | os.PathLike[str], **read_options) -> Document:
    """Read `path` (any supported format) and extract its Document. Raises ReadError/ParseError."""
    from loaders.read import read_file

    p = Path(path)
    result = read_file(p, **read_options)  # names the bytes it parsed: no second read to hash them
    return extract_text(result.text, str(p), fmt=result.format, encoding=result.encoding, sha256=result.sha256)
