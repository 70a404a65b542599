"""The extraction's fast paths give what the plain versions they replaced give (property tests)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.clean import _nfc_with_map_reference, nfc_with_map

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
# marks of every range the cleaner knows, characters that compose with what precedes them (Hangul
# jamo, Kannada, kana voicing), ones NFC always changes (Å sign, U+0340), marks of other classes
ODD = ("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\u0340\u0344\u0345\u1dc0\u1dff\u20d0\u20e3"
       "\u1ab0\ufe20\u1100\u1161\u11a8\uac00\u0cc6\u0cd5\u304b\u3099\u212b\u0591\u05b0\u0e48")
ALPHABET = VIET + VIET.upper() + "0123456789 /-.,;:\n" + ODD


def _same(text: str) -> None:
    got, omap = nfc_with_map(text)
    want, ref = _nfc_with_map_reference(text)
    assert got == want
    assert omap.pieces == ref.pieces


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300), st.sampled_from(["", "a" * 2000, "ạ" * 1999 + " ",
                                                                  "e\u0301" * 1000]))
def test_nfc_with_map_is_the_reference(text: str, prefix: str) -> None:
    _same(text)
    _same(prefix + text)
    _same(unicodedata.normalize("NFD", text))
    _same(unicodedata.normalize("NFC", prefix + text))


VERB_PIECES = ["bãi bỏ", "Bãi bỏ", "BÃI BỎ", "thay thế", "Thay thế", "THAY THẾ", "hết hiệu lực", "Hết hiệu lực",
               "chấm dứt hiệu lực", "Chấm dứt hiệu lực", "sửa đổi", "Sửa đổi", "SỬA ĐỔI", ", bổ sung", " và ",
               "hiệu lực", "có hiệu lực", " ", "x", "\n", "Nghị định số 04/2015/NĐ-CP"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VERB_PIECES), max_size=30).map("".join))
def test_verbs_are_finditer(text: str) -> None:
    from loaders.supersessions import _VERB, _verbs

    assert [(m.span(), m.groupdict()) for m in _verbs(text)] == [
        (m.span(), m.groupdict()) for m in _VERB.finditer(text)
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["và", "hoặc", ",", " ", "\n", "\t", "a", "Luật", "v", "à", "\u00a0"]),
                max_size=12).map("".join))
def test_trailing_conjunction_prefilter(title: str) -> None:
    from loaders.references import _TRAILING_CONJ, _TRAILING_CONJ_ENDS

    if not (title.endswith(_TRAILING_CONJ_ENDS) or title[-1:].isspace()):
        assert _TRAILING_CONJ.sub("", title) == title


NAMED_PIECES = ["Luật", "luật", "LUẬT", "Bộ luật", "Bộ Luật", "BỘ LUẬT", "Pháp lệnh", "PHÁP LỆNH", "Hiến pháp",
                "HIẾN PHÁP", "pháp luật", " ", "  ", "\n", "Đất đai", "Bộ", "x", "uật", "năm 2013", ","]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAMED_PIECES), max_size=30).map("".join))
def test_named_matches_are_finditer(text: str) -> None:
    from loaders.references import _named_matches, _rx

    assert [(m.span(), m.group("type")) for m in _named_matches(text)] == [
        (m.span(), m.group("type")) for m in _rx()["named"].finditer(text)
    ]


# The symbol pattern as it was written before its repeats were made possessive.
_OLD_CODE = r"[A-ZĐ][A-Za-zĐđ0-9]{0,15}(?!\w)"
_OLD_SLASH = r"[ \t]?/\s{0,4}"
_OLD_DASH = r"[ \t]?[-–‐]\s{0,4}"
OLD_SYMBOL = (
    rf"\d\d{{0,4}}[a-zđ]?(?:"
    rf"{_OLD_SLASH}(?:(?:19|20)\d{{2}}{_OLD_SLASH})?{_OLD_CODE}(?:(?:{_OLD_DASH}|{_OLD_SLASH}){_OLD_CODE})*"
    rf"|{_OLD_DASH}{_OLD_CODE}(?:{_OLD_SLASH}{_OLD_CODE}(?:{_OLD_DASH}{_OLD_CODE})*)?"
    r")"
)
SYMBOL_PIECES = ["1", "23", "2019", "20", "123456", "/", " /", "-", " - ", "–", "‐", " ", "\t", "\n", "  ", "a", "đ",
                 "QĐ", "CT", "TTg", "NĐ", "CP", "q", "x", "Đ", "ABCDEFGHIJKLMNOPQ", "_", ".", "é"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(SYMBOL_PIECES), max_size=25).map("".join))
def test_possessive_symbol_pattern_finds_the_same(text: str) -> None:
    import re

    from loaders.references import _rx

    assert [m.span() for m in _rx()["symbol"].finditer(text)] == [
        m.span() for m in re.compile(OLD_SYMBOL).finditer(text)
    ]


DEADLINE_PIECES = ["trước", "chậm nhất", "hạn chót", "không muộn hơn", "hoàn thành trong", " ", "  ", "\n", "ngày ",
                   "**", "20/10/2021", "31/12/2024", "15 tháng 3 năm 2022", "32/13/2020", "x", "trước trước"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DEADLINE_PIECES), max_size=25).map("".join))
def test_deadlines_are_the_whole_text_pass(text: str) -> None:
    from loaders.header import _DEADLINE_WORDS, _deadline_rx, _deadlines
    from loaders.references import _iso

    words = tuple(w for w in _DEADLINE_WORDS if w in text)
    want = sorted({d for m in _deadline_rx(words).finditer(text) if (d := _iso(m))}) if words else []
    assert _deadlines(text) == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["- ", "Như trên", "  ", "\t", " ", "\u00a0", "Sở Nội vụ", ";", "\n", "+ ", "•"]),
                max_size=30).map("".join))
def test_recipients_first_column(body: str) -> None:
    import re

    from kg.model import Identity
    from loaders.header import _recipients

    text = "Nơi nhận:\n" + body
    ident = Identity()
    _recipients(text, ident)
    want = []
    for line in body.split("\n"):
        col = re.split(r"\s{2,}|\t", line.strip())[0].strip() if line.strip() else ""
        if col.startswith(("-", "–", "+", "•")):
            item = col.lstrip("-–+• ").rstrip(" ;.,")
            if item:
                want.append(item)
    assert ident.recipients == want


URL_PIECES = ["http://", "https://", "HTTP://", "hTtPs://", "www.", "WWW.", "wWw.", "Www.", "ww.", "://", "x.gov.vn",
              "/a?b=c", " ", "\n", "”", "<", "tphcm", "w", "h", "s", ".", "Nghị định số 04/2015/NĐ-CP"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=25).map("".join))
def test_blank_urls_is_the_sub(text: str) -> None:
    from loaders.clean import _URL, _blank_urls, _spaces

    assert _blank_urls(text) == _URL.sub(_spaces, text)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET + "\n\n\n", max_size=60), st.integers(min_value=1, max_value=8))
def test_is_nfc_by_blocks(text: str, block: int) -> None:
    from loaders.clean import _is_nfc

    assert _is_nfc(text, block) == unicodedata.is_normalized("NFC", text)


@given(st.text(alphabet="ab \n\t\r\f\u2028", max_size=40))
def test_blank_keeps_newlines_only(s: str) -> None:
    from loaders.clean import _NOT_NEWLINE, _blank

    assert _blank(s) == _NOT_NEWLINE.sub(" ", s)


@given(st.text(alphabet="aAbẬỏ ", max_size=40), st.text(alphabet="aAbẬỏ", min_size=1, max_size=4), st.data())
def test_find_all_is_the_find_loop(text: str, needle: str, data: st.DataObject) -> None:
    from loaders.scan import find_all

    want = []
    i = text.find(needle)
    while i >= 0:
        want.append(i)
        i = text.find(needle, i + 1)
    probe = data.draw(st.none() | st.integers(min_value=0, max_value=len(needle) - 1))
    assert find_all(text, needle, probe) == want


PLACE_PIECES = ["Tây Ninh", "TÂY NINH", "Hà Nội", ", ", ",", " ", "  ", "\n", "ngày ", "ngày", "20/10/2021",
                "20 tháng 10 năm 2021", "… tháng … năm 2024", "UBND TỈNH", "Số: 12/KH-UBND", ";", ":", "A" * 30, "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLACE_PIECES), max_size=20).map("".join))
def test_place_date_is_the_search(top: str) -> None:
    from loaders.header import _place_date, _rx

    got, want = _place_date(top), _rx("place_date").search(top)
    assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))


@given(st.text(alphabet="ab\n", max_size=40), st.integers(min_value=0, max_value=45),
       st.integers(min_value=1, max_value=9))
def test_last_lines(text: str, end: int, n: int) -> None:
    from loaders.header import _last_lines

    assert _last_lines(text, end, n) == text[:end].split("\n")[-n:]


@given(st.text(alphabet="NƠI HẬ ab", max_size=40), st.sampled_from([("NƠI NHẬN", 1), ("ƠI", 0), ("NƠ", 1), ("N", 0)]))
def test_rfind_is_str_rfind(text: str, needle_probe: tuple[str, int]) -> None:
    from loaders.scan import rfind

    needle, probe = needle_probe
    assert rfind(text, needle, probe) == text.rfind(needle)


BEFORE_PIECES = ["ngày 20/10/2021", "Ngày 3 tháng 4 năm 2020", ", ", " ", "\n", "UBND tỉnh", " đã ", "có", "ban hành",
                 "gửi", "ký", "x", ";", "Sở Nội vụ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(BEFORE_PIECES), max_size=14).map("".join), st.integers(min_value=0, max_value=5))
def test_sender_verb_prefilter(before: str, lo: int) -> None:
    from loaders.references import _ends_with_sender_verb, _rx

    text = before + "Công văn số 12/UBND-NC"
    end = len(before)
    lo = min(lo, end)
    m = _rx()["date_before"].search(text, lo, end)
    if not _ends_with_sender_verb(text, lo, end):
        assert m is None


SEPARATED_PIECES = [*SYMBOL_PIECES, "12345", "999999", "26/11/2021", "2021/NĐ-CP", "٣", "１２", "/CT", "-TW", "b", "z"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(SEPARATED_PIECES), max_size=25).map("".join))
def test_symbol_matches_are_finditer(text: str) -> None:
    from loaders.references import _rx, _symbol_matches

    assert [m.span() for m in _symbol_matches(text)] == [m.span() for m in _rx()["symbol"].finditer(text)]
