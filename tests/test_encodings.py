"""Legacy Vietnamese encodings: tables, round trips and detection by content."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.encodings import (
    TCVN3_TABLE,
    VIETNAMESE_LETTERS,
    UndecodableError,
    decode_tcvn3,
    decode_text,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    vietnamese_score,
)

PARAGRAPH = (
    "KẾ HOẠCH\n"
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ; Nghị định số "
    "04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ trong hoạt động của cơ quan "
    "hành chính nhà nước và đơn vị sự nghiệp công lập, Ủy ban nhân dân tỉnh Tây Ninh ban hành Kế "
    "hoạch triển khai thực hiện năm 2022 như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Nâng cao nhận thức, trách nhiệm của cấp ủy, người đứng đầu cơ quan, đơn vị trong việc "
    "nghiêm túc thực hiện quy chế dân chủ ở cơ sở; bảo đảm quyền của cán bộ, công chức, viên chức."
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- tables -------------------------------------------------------------------------------------

def test_vietnamese_alphabet_is_complete():
    letters = set(VIETNAMESE_LETTERS)
    assert len(letters) == len(VIETNAMESE_LETTERS) == 2 * (67 + 22)  # vowel forms + consonants
    assert all(nfc(ch) == ch for ch in letters)


def test_tcvn3_table_holds_every_vietnamese_letter_once():
    letters = [ch for ch in TCVN3_TABLE.values() if not unicodedata.combining(ch)]
    assert len(letters) == len(set(letters)) == 134
    non_ascii = {ch for ch in VIETNAMESE_LETTERS if not ch.isascii()}
    assert non_ascii == set(letters)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) is not installed")
def test_tcvn3_table_agrees_with_glibc():
    """glibc ships TCVN 5712:1993 as TCVN5712-1; decode each byte on its own line and compare."""
    codes = [b for b in range(1, 256) if b != 0x0A]
    data = b"\n".join(bytes([b]) for b in codes)
    done = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if done.returncode != 0:
        pytest.skip("this iconv has no TCVN5712-1")
    theirs = done.stdout.decode("utf-8").split("\n")
    ours = decode_tcvn3(data).split("\n")
    assert len(theirs) == len(ours) == len(codes)
    mismatches = [(hex(b), o, t) for b, o, t in zip(codes, ours, theirs, strict=True) if o != t]
    assert mismatches == []


@pytest.mark.parametrize(
    ("encoded", "text"),
    [
        ("B¶o Th¾ng", "Bảo Thắng"),  # Lào Cai place names as converters print them
        ("kÕ ho¹ch", "kế hoạch"),
        ("NghÞ ®Þnh", "Nghị định"),
        ("cña vµ n¨m", "của và năm"),
        ("\u00a7¶ng", "Đảng"),
    ],
)
def test_tcvn3_known_words(encoded, text):
    assert decode_tcvn3(encoded.encode("latin-1")) == text


@pytest.mark.parametrize(
    ("encoded", "text"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("cuûa", "của"),
        ("Thöïc hieän", "Thực hiện"),
        ("Ñaûng", "Đảng"),
        ("KEÁ HOAÏCH", "KẾ HOẠCH"),
        ("ngöôøi", "người"),
        ("Chæ thò", "Chỉ thị"),
        ("KEá", "KẾ"),  # a small diacritic byte after a capital (Caps Lock typing)
    ],
)
def test_vni_known_words(encoded, text):
    assert decode_vni(encoded.encode("latin-1")) == text


def test_whole_alphabet_round_trips():
    alphabet = "".join(VIETNAMESE_LETTERS)
    assert decode_tcvn3(encode_tcvn3(alphabet)) == alphabet
    assert decode_vni(encode_vni(alphabet)) == alphabet
    assert nfc(encode_cp1258(alphabet).decode("cp1258")) == alphabet


def test_encoders_accept_decomposed_input():
    decomposed = unicodedata.normalize("NFD", PARAGRAPH)
    assert decode_tcvn3(encode_tcvn3(decomposed)) == PARAGRAPH
    assert decode_vni(encode_vni(decomposed)) == PARAGRAPH


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni, encode_cp1258])
def test_encoders_refuse_characters_they_cannot_write(encode):
    with pytest.raises(ValueError, match="ж"):
        encode("Kế hoạch ж")


# Hypothesis: every Vietnamese letter, small and capital, with tone and quality marks, plus
# digits and punctuation. Both TCVN3 (with the VN1 codes for toned capitals) and VNI can write
# all of them, so nothing is filtered out; Windows-1258 is checked after NFC.
_TEXT = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + " 0123456789.,;:/-()\n"), max_size=200)


@given(_TEXT)
def test_tcvn3_round_trip(text):
    assert decode_tcvn3(encode_tcvn3(text)) == text


@given(_TEXT)
def test_vni_round_trip(text):
    assert decode_vni(encode_vni(text)) == text


@given(_TEXT)
def test_cp1258_round_trip(text):
    assert nfc(encode_cp1258(text).decode("cp1258")) == text


# --- syllables and scoring -------------------------------------------------------------------

@pytest.mark.parametrize(
    "word",
    ["của", "và", "ngày", "năm", "thực", "hiện", "Nghị", "định", "KẾ", "HOẠCH", "người", "được", "quốc", "giếng",
     "khuyến", "nguyễn", "thuở", "xẻng", "gì", "quyền", "Đảng", "trường", "ĐỒNG", "hoạ", "họa"],
)
def test_valid_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    # mis-decodings of the words above, mixed case, two tones, impossible rhymes and tones
    ["kÕ", "ho¹ch", "cuûa", "cuịa", "thửùc", "cơng", "tốt́", "vỔ", "đưnh", "mátch", "thiệ", "café"],
)
def test_invalid_syllables(word):
    assert not is_vietnamese_syllable(word)


def test_score_prefers_the_right_decoding():
    for encode, decode in ((encode_tcvn3, decode_vni), (encode_vni, decode_tcvn3)):
        data = encode(PARAGRAPH)
        right = vietnamese_score(PARAGRAPH)
        wrong = vietnamese_score(decode(data))
        assert right[0] > wrong[0] and right[1] == 1.0 and wrong[1] < 0.5


# --- detection -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PARAGRAPH.encode("utf-8"), "utf-8"),
        (PARAGRAPH.encode("utf-8-sig"), "utf-8"),
        (PARAGRAPH.encode("utf-16"), "utf-16"),
        (PARAGRAPH.encode("utf-16-le"), "utf-16"),
        (PARAGRAPH.encode("utf-16-be"), "utf-16"),
        (encode_cp1258(PARAGRAPH), "cp1258"),
        (encode_tcvn3(PARAGRAPH), "tcvn3"),
        (encode_vni(PARAGRAPH), "vni"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be", "cp1258", "tcvn3", "vni"],
)
def test_detects_encoding(data, encoding):
    decoded = decode_text(data)
    assert decoded.encoding == encoding
    assert nfc(decoded.text) == PARAGRAPH


@pytest.mark.parametrize(
    "line", ["Kế hoạch số 12/KH-UBND", "Nghị định", "của Thủ tướng", "ngày 9 tháng 1 năm 2015"]
)
@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni, encode_cp1258], ids=["tcvn3", "vni", "cp1258"])
def test_detects_short_lines(line, encode):
    assert nfc(decode_text(encode(line)).text) == line


def test_tcvn3_headings_in_vntimeh_fonts_come_back_in_capitals():
    # .VnTimeH headings store toned capitals as small-letter codes: "KÕ HO¹CH" is "KẾ HOẠCH".
    heading = "KÕ HO¹CH TRIÓN KHAI THùC HIÖN\n".encode("latin-1")
    decoded = decode_text(heading + encode_tcvn3(PARAGRAPH))
    assert decoded.encoding == "tcvn3"
    assert nfc(decoded.text) == "KẾ HOẠCH TRIỂN KHAI THỰC HIỆN\n" + PARAGRAPH


def test_restoring_capitals_keeps_offsets():
    """The cleaner maps offsets back to this text: upper-casing must not change its length."""
    assert all(len(ch.upper()) == 1 for ch in decode_tcvn3(bytes(range(256))))


SEEDS = sorted((Path(__file__).resolve().parents[1] / "examples" / "corpus").glob("*.txt"))


@pytest.mark.skipif(not SEEDS, reason="examples/corpus holds no seed plans")
@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni, encode_cp1258], ids=["tcvn3", "vni", "cp1258"])
def test_detects_every_three_lines_of_the_seed_plans(encode):
    """Real text in small pieces: every three non-ASCII lines of the seed plans, re-encoded."""
    lines = [
        line
        for path in SEEDS
        for line in nfc(path.read_text("utf-8")).split("\n")
        if line.strip() and not line.isascii()
    ]
    pieces = ["\n".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
    encodable = []
    for piece in pieces:
        try:
            encodable.append((piece, encode(piece)))
        except ValueError:  # typographic quotes and dashes TCVN3 has no code for
            continue
    assert len(encodable) > 150
    wrong = [piece for piece, data in encodable if nfc(decode_text(data).text) != piece]
    assert wrong == []


def test_vni_keeps_windows_1252_punctuation():
    text = "“Kế hoạch” – năm 2022… «Ủy ban»"
    assert decode_vni(encode_vni(text)) == text


def test_invalid_utf8_names_the_offset():
    with pytest.raises(UndecodableError, match=r"invalid UTF-8 at byte offset 14 \(0xFC\)"):
        decode_text(b"Hello world gr\xfc\xdfe aus M\xfcnchen")


@pytest.mark.parametrize("data", [b"abc\x00def", bytes(range(1, 32)) * 10])
def test_binary_is_refused(data):
    with pytest.raises(UndecodableError, match="binary content"):
        decode_text(data)


def test_detection_is_linear_on_large_legacy_text():
    from linear import assert_linear

    unit = encode_tcvn3(PARAGRAPH + "\n")
    assert decode_text(unit * 20_000).encoding == "tcvn3"  # ~10 MB
    assert_linear(lambda k: decode_text(unit * 1_000 * k))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_text_takes_any_bytes(data):
    try:
        decoded = decode_text(data)
    except UndecodableError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(decoded.text, str)
