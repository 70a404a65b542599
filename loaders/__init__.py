"""loaders: files → text → Document. Never imports rdflib.

Public API:
    extract_file(path) -> Document
    extract_text(text, source=...) -> Document
"""

from loaders.extract import extract_file, extract_text

__all__ = ["extract_file", "extract_text"]
