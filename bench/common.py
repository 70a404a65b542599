"""Shared pieces of the benchmarks: machine facts, medians, and writing docs/benchmarks.md.

Each benchmark section owns one block of docs/benchmarks.md between markers
`<!-- section:NAME -->` and `<!-- /section:NAME -->`; running one section rewrites only its block,
so sections measured at different times stay side by side.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import time
import unicodedata
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Produced by `make bench` (`python -m bench.run`); do not edit by hand. Each figure is the median
of several runs on the machine described in its section.
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()}"


_YARDSTICK = re.compile(r"\d+/\d{4}/[A-ZĐ]")  # one case-sensitive pattern led by a digit, as the scanner's


def yardstick(runs: int = 7) -> dict[str, float]:
    """How fast this machine runs the two primitives the extractor is built on, in MB/s of the seeds'
    text (best of `runs`): one regex pass (`_YARDSTICK`'s findall) and NFC of the text in its
    decomposed form (NFD). Figures taken on different machines of the same kind differ by up to 2×
    (seen here: the regex pass at 75 and 135 MB/s); with this beside them they can be compared."""
    text = "".join(p.read_text("utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))) * 10
    nbytes, nfd = len(text.encode("utf-8")), unicodedata.normalize("NFD", text)

    def best(fn: Callable[[], object]) -> float:
        fastest = float("inf")
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            fastest = min(fastest, time.perf_counter() - t0)
        return nbytes / 1e6 / fastest

    return {"regex_mb_s": round(best(lambda: _YARDSTICK.findall(text)), 1),
            "nfc_mb_s": round(best(lambda: unicodedata.normalize("NFC", nfd)), 1)}


def yardstick_text(y: dict[str, float] | None) -> str:
    """'yardstick: regex pass 75 MB/s, NFC 33 MB/s' (see `yardstick`), or '' for a record without one."""
    return f"yardstick: regex pass {y['regex_mb_s']:.0f} MB/s, NFC {y['nfc_mb_s']:.0f} MB/s" if y else ""


def versions(*packages: str) -> str:
    out = []
    for p in packages:
        try:
            out.append(f"{p} {metadata.version(p)}")
        except metadata.PackageNotFoundError:
            out.append(f"{p} (not installed)")
    return ", ".join(out)


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def median_seconds(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def write_section(name: str, markdown: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text("utf-8") if DOC.exists() else HEADER
    block = f"<!-- section:{name} -->\n{markdown.strip()}\n<!-- /section:{name} -->"
    pattern = re.compile(rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text, "utf-8")


def env_sizes(default: list[int]) -> list[int]:
    """KG_BENCH_SIZES="1000 10000 100000" (`make bench SIZES="…"`, `python -m bench.run`), else `default`."""
    text = os.environ.get("KG_BENCH_SIZES", "")
    return [int(x) for x in text.replace(",", " ").split()] or default


def env_store_dir() -> Path | None:
    """KG_BENCH_STORE_DIR: where `make bench STORE_DIR=…` (`python -m bench.run`) keeps and reuses
    the stores of the query, map and web sections."""
    return Path(os.environ["KG_BENCH_STORE_DIR"]) if os.environ.get("KG_BENCH_STORE_DIR") else None


def load_results(path: Path) -> dict:
    """The figures a benchmark keeps per size (bench/results/NAME.json), or none yet."""
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def save_results(path: Path, results: dict) -> None:
    """Keep the figures per size, so that one size measured again leaves the others' in the section."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", "utf-8")
