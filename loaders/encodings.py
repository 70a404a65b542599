"""Legacy Vietnamese byte encodings: tables, encoders and detection by content.

Vietnamese documents older than Unicode (and many still circulating) were typed in one of
three 8-bit encodings, and nothing in the file says which:

* **TCVN3** ("ABC", the ``.VnTime`` fonts): one byte per letter, TCVN 5712:1993.
* **VNI** (``VNI-Times``, a vendor encoding of VNI Software): a base letter followed by a
  diacritic byte ("của" is ``cuûa``).
* **Windows-1258**: precomposed base letters plus combining tone-mark bytes; Python has it
  built in as ``cp1258``.

`decode_text` tries UTF-8 and UTF-16 first, then scores each legacy decoding by how
Vietnamese it looks (share of words that are well-formed Vietnamese syllables, common
words such as "của", "và", "ngày") and keeps the best one. It never looks at a file name.

>>> decode_tcvn3(encode_tcvn3("Thực hiện kế hoạch"))
'Thực hiện kế hoạch'
>>> encode_vni("của")
b'cu\\xfba'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# ---------------------------------------------------------------------------------------------
# TCVN3: TCVN 5712:1993. Bytes 0x00-0x7F are ASCII. Table VN3 (the ABC / .VnTime fonts) holds
# every small letter and the capitals without tone marks; .VnTime documents write capitals with
# tone marks as small-letter codes in the .VnTimeH ("H" = upper-case) fonts, so those bytes
# decode as small letters. Table VN1 of the same standard adds the capitals with tone marks in
# positions VN3 leaves unused (0x80-0x9F, a few in 0xAF-0xFF and in C0) and combining tone marks
# at 0xB0-0xB4; we decode the full VN1 superset. Cross-checked against glibc's TCVN5712-1.
# ---------------------------------------------------------------------------------------------
TCVN3_TABLE: dict[int, str] = {
    # VN3: capitals without tone marks, then small letters
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
    # VN1 only: capitals with tone marks
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
    # VN1 only: combining grave, hook above, tilde, acute, dot below
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
}

# ---------------------------------------------------------------------------------------------
# VNI (VNI-Windows, as in the VNI-Times fonts): a vendor encoding by VNI Software. Bytes follow
# Windows-1252 except that some Latin-1 letters stand for Vietnamese letters on their own, and
# others are diacritic bytes that follow their base letter: "ấ" is "a" + 0xE1, "Ấ" is "A" + 0xC1.
# Capitals take the upper-case diacritic byte. i/I with a tone mark are single bytes.
# ---------------------------------------------------------------------------------------------
VNI_LETTERS: dict[int, str] = {
    0xD1: "Đ", 0xF1: "đ", 0xD4: "Ơ", 0xF4: "ơ", 0xD6: "Ư", 0xF6: "ư",
    0xCC: "Ì", 0xEC: "ì", 0xCD: "Í", 0xED: "í", 0xC6: "Ỉ", 0xE6: "ỉ",
    0xD3: "Ĩ", 0xF3: "ĩ", 0xD2: "Ị", 0xF2: "ị", 0xCE: "Ỵ", 0xEE: "ỵ",
}

# Diacritic bytes (small-letter byte, capital byte) → combining marks they add to the base.
VNI_MARKS: dict[tuple[int, int], str] = {
    (0xF9, 0xD9): "\u0301",  # acute (sắc)
    (0xF8, 0xD8): "\u0300",  # grave (huyền)
    (0xFB, 0xDB): "\u0309",  # hook above (hỏi)
    (0xF5, 0xD5): "\u0303",  # tilde (ngã)
    (0xEF, 0xCF): "\u0323",  # dot below (nặng)
    (0xE2, 0xC2): "\u0302",  # circumflex
    (0xE1, 0xC1): "\u0302\u0301",
    (0xE0, 0xC0): "\u0302\u0300",
    (0xE5, 0xC5): "\u0302\u0309",
    (0xE3, 0xC3): "\u0302\u0303",
    (0xE4, 0xC4): "\u0302\u0323",
    (0xEA, 0xCA): "\u0306",  # breve
    (0xE9, 0xC9): "\u0306\u0301",
    (0xE8, 0xC8): "\u0306\u0300",
    (0xFA, 0xDA): "\u0306\u0309",
    (0xFC, 0xDC): "\u0306\u0303",
    (0xEB, 0xCB): "\u0306\u0323",
}

# Which bases take which marks: tone marks go on any vowel except i (a single byte, above);
# the circumflex on a, e, o; the breve on a only.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VNI_BASES = {"a": "\u0302\u0306", "e": "\u0302", "o": "\u0302", "u": "", "y": "", "ơ": "", "ư": ""}

_VIET_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE_LETTERS = _VIET_LOWER + _VIET_LOWER.upper()
"""Every letter of the Vietnamese alphabet, small and capital (NFC)."""


@cache
def _vni_tables() -> tuple[dict[str, str], dict[str, bytes]]:
    """(two-byte sequence → letter, letter → bytes), built from the tables above."""
    pairs: dict[str, str] = {}
    for base, qualities in _VNI_BASES.items():
        for (small, capital), marks in VNI_MARKS.items():
            quality = marks.rstrip(_TONES)
            if quality and quality not in qualities:
                continue
            for b, byte in ((base, small), (base.upper(), capital)):
                letter = unicodedata.normalize("NFC", b + marks)
                lead = b if b.isascii() else bytes([_vni_byte(b)]).decode("latin-1")
                pairs[lead + chr(byte)] = letter
    encode: dict[str, bytes] = {v: k.encode("latin-1") for k, v in pairs.items()}
    encode.update({letter: bytes([byte]) for byte, letter in VNI_LETTERS.items()})
    return pairs, encode


def _vni_byte(letter: str) -> int:
    return next(b for b, s in VNI_LETTERS.items() if s == letter)


@cache
def _tcvn3_decoding_table() -> str:
    chars = [chr(i) for i in range(256)]
    for byte, letter in TCVN3_TABLE.items():
        chars[byte] = letter
    return "".join(chars)


@cache
def _tcvn3_encoding_table() -> dict[str, int]:
    return {letter: byte for byte, letter in TCVN3_TABLE.items() if not unicodedata.combining(letter)}


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (TCVN 5712:1993, VN3 with the VN1 capitals) bytes to text. Never fails."""
    return codecs.charmap_decode(data, "strict", _tcvn3_decoding_table())[0]


def encode_tcvn3(text: str) -> bytes:
    """Encode text as TCVN3; capitals with tone marks use their TCVN 5712:1993 VN1 codes.

    Raises:
        ValueError: a character has no TCVN3 code (anything outside ASCII and Vietnamese).
    """
    table = _tcvn3_encoding_table()
    out = bytearray()
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch in table:
            out.append(table[ch])
        elif ch < "\x80" and ord(ch) not in TCVN3_TABLE:
            out.append(ord(ch))
        else:
            raise ValueError(f"character {ch!r} at {i} has no TCVN3 code")
    return bytes(out)


_VNI_TOKEN = re.compile(
    "[AEOUYaeouyÔÖôö][\xc0-\xc5\xc8-\xcb\xcf\xd5\xd8-\xdc\xe0-\xe5\xe8-\xeb\xef\xf5\xf8-\xfc]"
    "|[\xc6\xcc-\xce\xd1-\xd4\xd6\xe6\xec-\xee\xf1-\xf4\xf6]"
)


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to text. Never fails; unknown bytes follow Windows-1252.

    A diacritic byte of either case attaches to the base before it (documents typed with
    Caps Lock mix them); the letter takes the base's case.
    """
    pairs, _ = _vni_tables()
    text = data.decode("cp1252", errors="replace")  # 5 bytes cp1252 leaves undefined become U+FFFD

    def join(m: re.Match[str]) -> str:
        s = m.group()
        if len(s) == 1:
            return VNI_LETTERS[ord(s)]
        found = pairs.get(s)
        if found is None:  # diacritic of the other case than the base
            found = pairs.get(s[0] + (s[1].lower() if s[0].islower() else s[1].upper()))
        if found is None:  # a base that takes no such diacritic: read both bytes on their own
            return join_single(s[0]) + s[1]
        return found

    def join_single(ch: str) -> str:
        return VNI_LETTERS.get(ord(ch), ch)

    return _VNI_TOKEN.sub(join, text)


def _cp1252_punctuation(ch: str) -> int | None:
    """Windows-1252 byte of a sign below 0xC0 (“ ” – … « °): VNI fonts keep those."""
    try:
        byte = ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None
    return byte if byte < 0xC0 else None


def encode_vni(text: str) -> bytes:
    """Encode text as VNI-Windows (every Vietnamese letter has a VNI form).

    Windows-1252 punctuation below 0xC0 (“ ” – … «) passes through as VNI fonts keep it.

    Raises:
        ValueError: a character has no VNI form (a Latin-1 letter VNI reuses, or non-Latin).
    """
    _, table = _vni_tables()
    out = bytearray()
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch in table:
            out += table[ch]
        elif ch < "\x80":
            out.append(ord(ch))
        elif (byte := _cp1252_punctuation(ch)) is not None:
            out.append(byte)
        else:
            raise ValueError(f"character {ch!r} at {i} has no VNI form")
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Encode text as Windows-1258 the way Windows does: precomposed where the code page has
    the letter, else base letter + combining tone mark ("ấ" → "â" + acute).

    Raises:
        ValueError: a character has no Windows-1258 form.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in _TONES)
        marks = "".join(c for c in decomposed if c in _TONES)
        try:
            out += unicodedata.normalize("NFC", base).encode("cp1258") + marks.encode("cp1258")
        except UnicodeEncodeError:
            raise ValueError(f"character {ch!r} has no Windows-1258 form") from None
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Scoring: how Vietnamese does a decoding look?
# ---------------------------------------------------------------------------------------------
_INITIALS = ("", *"b c ch d đ g gh gi h k kh l m n ng ngh nh p ph q qu r s t th tr v x".split())
_NUCLEI = frozenset(
    "a ă â e ê i y o ô ơ u ư oa oă oe uâ uê uơ uy oo iê yê uyê uô ươ ia ua ưa".split()
)
_FINALS = ("", *"c ch m n ng nh p t i y o u".split())
_STOP_FINAL = ("c", "ch", "p", "t")
_TOKEN_SPLIT = re.compile(r"[\s!-/:-@\[-`{-~\u2013\u2014\u2018-\u201f\u2026\u00a0]+")
_COMMON = frozenset(
    "của và ngày năm thực hiện các được trong người về với theo quyết định nghị chỉ thị kế "
    "hoạch tỉnh huyện xã ủy ban nhân dân số đã có cho này những một để là không công tác "
    "việc đến tại từ đồng chí sở thủ tướng chính phủ nước quốc hội đảng bộ cấp trên như sau "
    "dưới phải đối tổ chức triển khai cơ quan đơn vị nhiệm vụ xây dựng phát kinh tế văn bản luật "
    "điều khoản giao báo cáo kết quả tình hình thông tư chương trình nội dung lưu nơi nhận".split()
)
SAMPLE_CHARS = 200_000
"""Detection looks at this many characters from the start of the file."""


def is_vietnamese_syllable(word: str) -> bool:
    """True when `word` is a well-formed Vietnamese syllable (any case, NFC or not).

    >>> is_vietnamese_syllable("Nghị"), is_vietnamese_syllable("kÕ"), is_vietnamese_syllable("cuịa")
    (True, False, False)
    """
    word = unicodedata.normalize("NFC", word)
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    word = word.lower()
    if not all(ch in _VIET_LOWER for ch in word):
        return False
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    final = _split_syllable(bare)
    if final is None:
        return False
    # Syllables ending in a stop take only the sắc or nặng tone.
    return not (final in _STOP_FINAL and tones and tones[0] not in "\u0301\u0323")


def _split_syllable(bare: str) -> str | None:
    """The final of a toneless syllable split as initial + nucleus + final, None if it does not split."""
    for initial in _INITIALS:
        if not bare.startswith(initial):
            continue
        for final in _FINALS:
            nucleus = bare[len(initial) : len(bare) - len(final)]
            if bare.endswith(final) and nucleus in _NUCLEI and _rhyme_ok(nucleus, final):
                return final
    return None


def _rhyme_ok(nucleus: str, final: str) -> bool:
    """A few rules of Vietnamese rhymes that separate real words from mis-decodings."""
    if final in ("ch", "nh") and nucleus not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False
    if final in ("ng", "c") and nucleus in ("ê", "i", "y", "ơ", "uy", "uê"):
        return False
    return not (not final and nucleus in ("ă", "â", "oă", "uâ", "ươ", "uô", "iê", "yê", "uyê"))


def _is_abbreviation(token: str) -> bool:
    """Capitals whose only non-ASCII letter is Đ ("NĐ", "HĐND", "TVĐU"): neutral evidence."""
    return token.isupper() and all("A" <= ch <= "Z" or ch == "Đ" for ch in token)


def vietnamese_score(text: str) -> tuple[int, float]:
    """Score a decoding: (points, share of non-ASCII words that are Vietnamese syllables).

    Only words with a non-ASCII character count: ASCII words read the same in every encoding.
    A valid syllable earns 1 point, a common word 3 more; a non-ASCII word that is not
    Vietnamese loses 2.
    """
    good = bad = points = 0
    for token in _TOKEN_SPLIT.split(unicodedata.normalize("NFC", text)):
        if not token or token.isascii() or _is_abbreviation(token):
            continue
        if is_vietnamese_syllable(token):
            good += 1
            points += 4 if token.lower() in _COMMON else 1
        else:
            bad += 1
            points -= 2
    share = good / (good + bad) if good + bad else 0.0
    return points, share


# ---------------------------------------------------------------------------------------------
# Bytes → text
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, the encoding it was read as, and anything worth a warning."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


class UndecodableError(ValueError):
    """Bytes are not text in any encoding we know; the message is one line for the user."""


_WORD = re.compile(r"[^\W\d_]+")


def restore_capitals(text: str) -> str:
    """Upper-case toned letters that came out small in words typed in capitals.

    TCVN3 (VN3) has no capitals with tone marks: .VnTime documents set headings in the
    .VnTimeH fonts, which draw the small-letter codes as capitals, so "KẾ HOẠCH" is stored as
    "KÕ HO¹CH" and decodes to "Kế HOạCH". A word with capitals, no small ASCII letter and not
    in title case is a heading word; on a line without small ASCII letters, one such word makes
    the whole line a heading ("Kế" alone could be either).

    >>> restore_capitals("Kế HOạCH\\nSố: 12/KH-UBND\\nỦy ban ủY BAN; Kế hoạch và Nhà nước")
    'KẾ HOẠCH\\nSố: 12/KH-UBND\\nỦy ban ỦY BAN; Kế hoạch và Nhà nước'
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.isascii() or line.islower():
            continue
        fixed = _WORD.sub(_upper_heading_word, line)
        if fixed != line and not any("a" <= ch <= "z" for ch in line):
            fixed = line.upper()  # a heading: "Kế" beside "HOạCH" is "KẾ" too
        lines[i] = fixed
    return "\n".join(lines)


def _upper_heading_word(m: re.Match[str]) -> str:
    word = m.group()
    if any("a" <= ch <= "z" for ch in word) or word.istitle() or not any(ch.isupper() for ch in word):
        return word  # "Kế" may be either; only the line can tell
    return word.upper()


def _decode_tcvn3_document(data: bytes) -> str:
    return restore_capitals(decode_tcvn3(data))


_LEGACY = {
    "cp1258": lambda b: b.decode("cp1258", "replace"),
    "tcvn3": _decode_tcvn3_document,
    "vni": decode_vni,
}
# Control bytes that betray binary content; not the whitespace ones, and not those TCVN3's
# table VN1 uses for capitals with tone marks.
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x0b\x1a\x1b" and b not in TCVN3_TABLE)
_CONTROL += b"\x7f"


def decode_text(data: bytes) -> Decoded:
    """Decode the bytes of a text file, detecting the encoding from the content.

    Order: BOMs (UTF-8, UTF-16), UTF-16 without BOM by its NUL-byte pattern, strict UTF-8,
    then the legacy encodings (TCVN3, VNI, Windows-1258) by `vietnamese_score`.

    Raises:
        UndecodableError: binary content, or bytes that are neither UTF-8 nor legacy Vietnamese.

    >>> decode_text("Kế hoạch".encode("utf-16-le")).encoding
    'utf-16'
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _strict(data, utf16, "utf-16")
    if b"\0" in data:
        raise UndecodableError(
            "not a text file: binary content (NUL bytes) — convert it to .txt, .docx or .pdf"
        )
    sample = data[:SAMPLE_CHARS]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > 0.05 * len(sample):
        raise UndecodableError(
            f"not a text file: binary content ({controls} control bytes in the first {len(sample)}) "
            "— convert it to .txt, .docx or .pdf"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    best = _best_legacy(sample)
    if best is None:
        offset = utf8_error.start
        raise UndecodableError(
            f"invalid UTF-8 at byte offset {offset} (0x{data[offset]:02X}) and not TCVN3, VNI or "
            "Windows-1258 Vietnamese either — re-save the file as UTF-8"
        )
    text = _LEGACY[best](data)
    label = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "cp1258": "Windows-1258"}[best]
    return Decoded(text, best, (f"read as {label}, a legacy Vietnamese encoding detected from the content",))


def _strict(data: bytes, codec: str, name: str) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        raise UndecodableError(
            f"invalid {name.upper()} at byte offset {e.start} — re-save the file as UTF-8"
        ) from None
    sample = text[:SAMPLE_CHARS]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f\v")
    if odd > 0.05 * len(sample):
        raise UndecodableError(
            f"not a text file: binary content ({odd} control or unassigned characters as {name.upper()}) "
            "— convert it to .txt, .docx or .pdf"
        )
    return Decoded(text, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit on one side only of most code units."""
    sample = data[: SAMPLE_CHARS & ~1]
    if len(sample) < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    n = len(odd)
    even_nul, odd_nul = even.count(0) / n, odd.count(0) / n
    if odd_nul >= 0.3 and even_nul <= 0.02:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul <= 0.02:
        return "utf-16-be"
    return None


def _best_legacy(sample: bytes) -> str | None:
    scored = []
    # On a tie, prefer the earlier: Windows-1258 and VNI agree on many single letters ("ý",
    # "à"), and a real VNI text soon breaks the tie with base + diacritic pairs.
    for rank, (name, decode) in enumerate(_LEGACY.items()):
        points, share = vietnamese_score(decode(sample))
        scored.append((points, share, -rank, name))
    points, share, _, name = max(scored)
    return name if points > 0 and share >= 0.6 else None
