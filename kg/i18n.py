"""User-facing words in Vietnamese (default) and English. Code and identifiers stay English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "document": {"vi": "Văn bản", "en": "Document"},
    "type": {"vi": "Loại", "en": "Kind"},
    "symbol": {"vi": "Số/ký hiệu", "en": "Number/symbol"},
    "date": {"vi": "Ngày", "en": "Date"},
    "year": {"vi": "Năm", "en": "Year"},
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "jurisdiction": {"vi": "Địa bàn", "en": "Jurisdiction"},
    "signer": {"vi": "Người ký", "en": "Signer"},
    "not_before": {"vi": "Không sớm hơn", "en": "Not before"},
    "implements": {"vi": "Thực hiện", "en": "Implements"},
    "references": {"vi": "Văn bản được dẫn", "en": "Instruments cited"},
    "mentions": {"vi": "lần", "en": "mentions"},
    "supersessions": {"vi": "Thay thế / bãi bỏ", "en": "Replaces / repeals"},
    "warnings": {"vi": "Lưu ý", "en": "Warnings"},
    "unknown": {"vi": "(không rõ)", "en": "(unknown)"},
    "none": {"vi": "(không có)", "en": "(none)"},
}


def t(key: str, lang: str = "vi") -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["vi"]
