"""Legacy Vietnamese text repaired (UTF-8 read as cp1252, TCVN3, VNI) and text tidied (NFC, spaces).

Old Vietnamese documents were typed in 8-bit fonts (TCVN3 "ABC", VNI-Windows) whose bytes read as
cp1252 gibberish, and web servers send UTF-8 under a cp1252 label; `legacy_decoder` tells which, if any.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from archive.normalize.text import nfc

_SPACES = re.compile(r"[ \t\u00a0\u200b\u2009\u202f]+")
_VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
# Non-ASCII characters real Vietnamese text uses besides its letters.
_NEUTRAL = set("“”‘’–—…•°№€§±×÷·\u00a0\u200b\ufeff«»")
# TCVN3 (VN3/ABC) bytes 0x80–0xFF, generated from glibc iconv TCVN5712-1; 0xB0–0xB4 are combining tones.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ\u00a0ĂÂÊÔƠƯĐăâêôơưđẶ\u0300\u0309\u0303\u0301\u0323"
    "àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
# VNI-Windows: a base letter followed by a tone/shape byte, read as cp1252.
_VNI_VOWEL_MARKS = {
    "a": {
        "ø": "à",
        "ù": "á",
        "û": "ả",
        "õ": "ã",
        "ï": "ạ",
        "â": "â",
        "à": "ầ",
        "á": "ấ",
        "å": "ẩ",
        "ã": "ẫ",
        "ä": "ậ",
        "ê": "ă",
        "è": "ằ",
        "é": "ắ",
        "ú": "ẳ",
        "ü": "ẵ",
        "ë": "ặ",
    },
    "e": {
        "ø": "è",
        "ù": "é",
        "û": "ẻ",
        "õ": "ẽ",
        "ï": "ẹ",
        "â": "ê",
        "à": "ề",
        "á": "ế",
        "å": "ể",
        "ã": "ễ",
        "ä": "ệ",
    },
    "o": {
        "ø": "ò",
        "ù": "ó",
        "û": "ỏ",
        "õ": "õ",
        "ï": "ọ",
        "â": "ô",
        "à": "ồ",
        "á": "ố",
        "å": "ổ",
        "ã": "ỗ",
        "ä": "ộ",
    },
    "ô": {"ø": "ờ", "ù": "ớ", "û": "ở", "õ": "ỡ", "ï": "ợ"},
    "u": {"ø": "ù", "ù": "ú", "û": "ủ", "õ": "ũ", "ï": "ụ"},
    "ö": {"ø": "ừ", "ù": "ứ", "û": "ử", "õ": "ữ", "ï": "ự"},
    "y": {"ø": "ỳ", "ù": "ý", "û": "ỷ", "õ": "ỹ"},
}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ò": "ị", "ó": "ĩ", "æ": "ỉ", "î": "ỵ"}


def _build_vni_table() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs: dict[str, str] = {}
    for base, marks in _VNI_VOWEL_MARKS.items():
        for mark, letter in marks.items():
            pairs[base + mark] = letter
            pairs[base.upper() + mark.upper()] = letter.upper()
    for code, letter in _VNI_SINGLE.items():
        pairs[code] = letter
        pairs[code.upper()] = letter.upper()
    pattern = re.compile("|".join(re.escape(key) for key in sorted(pairs, key=len, reverse=True)))
    return pattern, pairs


_VNI_PATTERN, _VNI_PAIRS = _build_vni_table()


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+")


def _foreign_count(text: str) -> int:
    """How un-Vietnamese a text looks: foreign non-ASCII characters plus words with two tone marks.

    A wrong legacy decoding yields Vietnamese letters too, but scattered: "caực" carries two tones,
    which no Vietnamese syllable does.
    """
    foreign = sum(
        1
        for ch in text
        if ord(ch) > 0x7F
        and ch not in _VIETNAMESE_LETTERS
        and ch not in _NEUTRAL
        and not ch.isspace()
        and unicodedata.category(ch) != "Mn"
    )
    double_toned = sum(
        1
        for word in _WORD.findall(text)
        if sum(ch in _TONE_MARKS for ch in unicodedata.normalize("NFD", word)) > 1
    )
    return foreign + double_toned


def _as_bytes(text: str) -> bytes:
    """The bytes a text was decoded from when it was read as cp1252 (or Latin-1 for cp1252's holes)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))
    return bytes(out)


def _undo_utf8_mojibake(text: str) -> str | None:
    try:
        return _as_bytes(text).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _decode_tcvn3(text: str) -> str | None:
    try:
        raw = _as_bytes(text)
    except UnicodeEncodeError:
        return None
    return "".join(chr(b) if b < 0x80 else _TCVN3_HIGH[b - 0x80] for b in raw)


def _decode_vni(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: _VNI_PAIRS[m[0]], text)


def legacy_decoder(text: str) -> Callable[[str], str | None] | None:
    """The repair a text needs (mojibake, TCVN3 or VNI), or None for sound text.

    The candidate with the fewest characters foreign to Vietnamese wins, and only when the original has
    a noticeable share of them: correct Vietnamese text is never touched.
    """
    foreign = _foreign_count(text)
    letters = sum(1 for ch in text if ch.isalpha())
    if foreign < 3 or foreign < 0.02 * letters:
        return None
    best: Callable[[str], str | None] | None = None
    best_foreign = foreign
    for decoder in (_undo_utf8_mojibake, _decode_tcvn3, _decode_vni):
        candidate = decoder(text)
        if candidate is None:
            continue
        candidate_foreign = _foreign_count(unicodedata.normalize("NFC", candidate))
        if candidate_foreign * 4 < best_foreign:
            best, best_foreign = decoder, candidate_foreign
    return best


def repair_legacy_text(text: str, decoder: Callable[[str], str | None] | None = None) -> str:
    """Text with a legacy encoding undone (the decoder detected on it unless one is given), NFC."""
    decoder = decoder or legacy_decoder(text)
    repaired = decoder(text) if decoder else None
    return unicodedata.normalize("NFC", repaired if repaired is not None else text)


def tidy_text(text: str) -> str:
    """NFC, spaces collapsed per line, at most one blank line in a row."""
    lines = [_SPACES.sub(" ", line).strip() for line in nfc(text).replace("\r\n", "\n").split("\n")]
    tidied: list[str] = []
    for line in lines:
        if line or (tidied and tidied[-1]):
            tidied.append(line)
    return "\n".join(tidied).strip()


def tidy_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", nfc(str(value)).replace("\n", " ")).strip()
