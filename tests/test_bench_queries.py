"""`bench.queries`: which commit each size's figures were measured at, as the section says it."""

from __future__ import annotations

from bench.queries import _measured_at


def _case(label: str, commit: str | None = None) -> dict:
    return {"group": "command", "label": label, "times": [0.1], **({"commit": commit} if commit else {})}


def test_cases_measured_again_name_their_own_commit() -> None:
    result = {"commit": "bbb", "oxigraph": [_case("a", "aaa"), _case("b", "aaa"), _case("c (kept)", "bbb")],
              "rdflib": [_case("a", "aaa")]}
    assert _measured_at("1000000", result) == "1,000,000 at aaa (c (kept) at bbb)"


def test_one_commit_or_untagged_cases_keep_the_size_and_its_earlier_commit() -> None:
    assert _measured_at("1000", {"commit": "aaa", "oxigraph": [_case("a", "aaa")]}) == "1,000 at aaa"
    untagged = {"commit": "bbb", "earlier": "aaa", "oxigraph": [_case("a"), _case("b", "bbb")]}
    assert _measured_at("1000", untagged) == "1,000 at bbb (the cases not measured again at aaa)"
