"""`kg ingest`'s limits per file: --timeout / KG_TIMEOUT and --max-size / KG_MAX_SIZE, with --jobs
too (the workers apply them); a file over a limit is one error line and the batch goes on."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from reliability import bad_files as bad
from reliability.table import reliability  # noqa: F401  (the session fixture)

from kg.cli import main

SECTION = "Bad input: one `kg ingest` batch"
LIMIT = "2"  # seconds: a plan takes ~0.3 s, the slow file ~8 s
SLOW = f"took longer than {LIMIT} s to read and parse — raise --timeout (or KG_TIMEOUT), or split the file"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits")
    plans = bad.plans(2, seed=51)
    (folder / "nhỏ.txt").write_text(plans[0], encoding="utf-8")
    (folder / "chậm.txt").write_bytes(bad.big_text(plans[1], 60 * bad.MB))  # ~8 s to read and parse
    return folder


def ingest(folder, store, *options, env=None):
    return CliRunner().invoke(main, ["ingest", "--store", str(store), "--lang", "en", *options, str(folder)], env=env)


@pytest.mark.parametrize("how", [("--timeout", LIMIT), ("--timeout", LIMIT, "--jobs", "2"), "KG_TIMEOUT"])
def test_a_file_over_the_time_limit_is_one_line_and_the_batch_goes_on(batch, tmp_path, how, reliability):  # noqa: F811
    options = ("--max-size", "100MB") + (() if how == "KG_TIMEOUT" else how)
    env = {"KG_TIMEOUT": LIMIT} if how == "KG_TIMEOUT" else None
    start = time.perf_counter()
    result = ingest(batch, tmp_path / "kg-store", *options, env=env)
    seconds = time.perf_counter() - start
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: {batch / 'chậm.txt'}: {SLOW}\n"
    assert result.stdout.startswith("Documents: 1 added, 0 replaced, 0 unchanged, 1 failed; ")
    label = " ".join(how) if how != "KG_TIMEOUT" else f"KG_TIMEOUT={LIMIT}"
    reliability.row(SECTION, f"time limit ({label})", f"a 60 MB plan that takes ~8 s to read and parse, with a "
                    f"good plan, under a {LIMIT} s limit per file (--max-size 100MB)", f"error: chậm.txt: {SLOW}",
                    "the good plan added", seconds)


def test_a_limit_under_a_megabyte_is_written_in_kilobytes():
    from kg.errors import ReadError
    from loaders.read import read_bytes

    with pytest.raises(ReadError, match=r"^x\.txt: file is 2\.0 KB, over the 1\.5 KB limit — raise --max-size"):
        read_bytes(b"a" * 2048, name="x.txt", max_bytes=1536)


def test_size_limits_by_option_and_environment(batch, tmp_path, reliability):  # noqa: F811
    size = (batch / "nhỏ.txt").stat().st_size
    cause = f"file is {size / 1024:.1f} KB, over the 1 KB limit — raise --max-size (or KG_MAX_SIZE) or split the file"
    for options, env in ((("--max-size", "1KB"), None), ((), {"KG_MAX_SIZE": "1KB"})):
        result = ingest(batch / "nhỏ.txt", tmp_path / "kg-store", *options, env=env)
        assert result.exit_code == 1, result.output
        assert result.stderr == f"error: {batch / 'nhỏ.txt'}: {cause}\n"
    bad_value = ingest(batch, tmp_path / "kg-store", "--max-size", "nhiều")
    assert bad_value.exit_code == 2
    assert bad_value.output == "Error: --max-size: 'nhiều' is not a size; write e.g. 50MB, 512KB or 2GB\n"
    reliability.row(SECTION, "size limit (--max-size 1KB, KG_MAX_SIZE=1KB)", f"a {size // 1024} KB plan under a "
                    "1 KB limit; then --max-size nhiều", f"error: nhỏ.txt: {cause}; a malformed size is bad input "
                    "(exit 2): '--max-size: 'nhiều' is not a size; write e.g. 50MB, 512KB or 2GB'", "nothing added")
