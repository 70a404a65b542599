"""Finding literals in long texts fast.

`str.find` of one character runs at memory speed (~0.3 µs over a 10 kB plan), of several
characters ~20× slower (~6 µs: it cannot skip far in Vietnamese text). A literal that contains a
character rare in plans ("Ậ" of "LUẬT", "ỏ" of "bãi bỏ") is therefore found through that
character: one fast scan, and a comparison where it occurs.
"""

from __future__ import annotations


def find_all(text: str, needle: str, probe: int | None = None) -> list[int]:
    """Every start of `needle` in `text`, overlapping, ascending: what the loop
    ``i = text.find(needle); while i >= 0: …; i = text.find(needle, i + 1)`` finds.

    With `probe`, `needle[probe]` (a character rare in the texts) is looked for first and the
    needle compared where it occurs; without, the loop above.

    >>> find_all("LUẬT, LUẬT", "LUẬT", 2), find_all("aaa", "aa")
    ([0, 6], [0, 1])
    """
    out: list[int] = []
    if probe is None:
        i = text.find(needle)
        while i >= 0:
            out.append(i)
            i = text.find(needle, i + 1)
        return out
    ch = needle[probe]
    j = text.find(ch, probe)
    startswith = text.startswith
    while j >= 0:
        if startswith(needle, j - probe):
            out.append(j - probe)
        j = text.find(ch, j + 1)
    return out


def rfind(text: str, needle: str, probe: int) -> int:
    """`text.rfind(needle)`, found through `needle[probe]` (a character rare in the texts).

    >>> rfind("NƠI NHẬN: x NƠI NHẬN", "NƠI NHẬN", 1), rfind("abc", "NƠI NHẬN", 1)
    (12, -1)
    """
    ch = needle[probe]
    j = text.rfind(ch)
    while j >= probe:
        if text.startswith(needle, j - probe):
            return j - probe
        j = text.rfind(ch, 0, j)
    return -1
