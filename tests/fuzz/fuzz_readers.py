"""Coverage-guided fuzzing of the readers and the parser with atheris (libFuzzer). Not run by pytest.

    pip install atheris      # a wheel for CPython 3.11 on x86-64 Linux
    python tests/fuzz/fuzz_readers.py -max_total_time=600 -rss_limit_mb=4096 [corpus-folder]

The first input byte picks a suffix (.txt .md .docx .pdf .html .htm .doc .rtf, none); the rest is
the file. `read_bytes` must return text or raise `ReadError`, and `extract_text` must take whatever
it returns (or any text) without an exception other than the project's own; anything else is a crash
that libFuzzer saves as ``crash-…`` for a regression test. External converters (antiword,
LibreOffice) are hidden, so OLE2 inputs end in the "install antiword" error instead of a subprocess.
"""

from __future__ import annotations

import contextlib
import sys
from unittest import mock

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc", ".rtf", "")


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["loaders", "kg"]):
        from kg.errors import KGError
        from loaders import extract_text
        from loaders import read as read_module

    def one_input(data: bytes) -> None:
        if not data:
            return
        suffix = SUFFIXES[data[0] % len(SUFFIXES)]
        try:
            result = read_module.read_bytes(data[1:], name=f"fuzz{suffix}")
        except KGError:
            return
        with contextlib.suppress(KGError):
            extract_text(result.text, f"fuzz{suffix}", fmt=result.format, encoding=result.encoding)

    with mock.patch.object(read_module.shutil, "which", return_value=None):
        atheris.Setup(sys.argv, one_input)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
