"""Text normalisation: what every scraped string goes through, and the folded keys derived from it.

Stored text is NFC with whitespace collapsed (reference §5.1). Folded keys are derived, never stored
in place of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from archive.normalize.surnames import FREQUENT_SURNAMES

# U+00D0/U+00F0 (Icelandic eth) look like Đ/đ and turn up in documents ("QÐ-UBND").
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D", "\u00d0": "D", "\u00f0": "d"})
_SPACES = re.compile(r"\s+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "hòa" (old style) vs "hoà" (new style) differ after NFC; move the tone to the new-style vowel (§5.2).
_OLD_TONE_PLACEMENT = re.compile(r"(?<![qQ])([oOuU])([" + _TONES + r"])([aAeEyY])(?!\w)")
_NEW_STYLE_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


class _NonspacingMarks(dict[int, int | None]):
    """A `str.translate` table deleting every nonspacing mark (category Mn), filled as characters turn
    up: after the first pages every lookup stays in C, where a per-character generator does not."""

    def __missing__(self, codepoint: int) -> int | None:
        mapped = None if unicodedata.category(chr(codepoint)) == "Mn" else codepoint
        self[codepoint] = mapped
        return mapped


_DROP_MARKS = _NonspacingMarks()


def drop_marks(decomposed: str) -> str:
    """An NFD string without its combining tone and vowel marks ("hòa" in NFD → "hoa")."""
    return decomposed.translate(_DROP_MARKS)


def nfc(text: str) -> str:
    # Most scraped text is already NFC and has no look-alike Ð: check before paying for the work.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u00d0" in text or "\u00f0" in text:
        text = text.translate(_LOOKALIKES)
    return text


def clean_text(text: str | None) -> str | None:
    """NFC, look-alike Ð mapped to Đ, non-breaking and repeated whitespace collapsed, ends stripped."""
    if text is None:
        return None
    return _SPACES.sub(" ", nfc(text).replace("\u00a0", " ").replace("\u200b", "")).strip()


def clean_multiline(text: str | None) -> str | None:
    """Like clean_text, but keeps paragraph breaks (one blank line between paragraphs)."""
    if text is None:
        return None
    lines = (clean_text(line) for line in nfc(text).splitlines())
    paragraphs = [line for line in lines if line]
    return "\n\n".join(paragraphs)


# What fold_for_search replaces: đ and Đ, and the Icelandic eth (Ð, ð) that legacy encodings decode
# them to. One character for one, so the folded copy's words lie where the original's do.
SEARCH_FOLDS = (("đ", "d"), ("Đ", "D"), ("\u00d0", "D"), ("\u00f0", "d"))


def fold_for_search(text: str | None) -> str:
    """The copy an FTS5 unicode61 (remove_diacritics 2) index needs besides the original: đ→d.

    The tokenizer strips tone marks itself but never maps đ to d, so "thi dua" can only find
    "thi đua" through this folded copy.
    """
    # str.replace runs in C; translate() with a mapping looks every character up in a dict.
    out = text or ""
    for char, folded in SEARCH_FOLDS:
        out = out.replace(char, folded)
    return out


def fold_for_search_sql(expression: str) -> str:
    """fold_for_search as an SQL expression over `expression` (NULL stays NULL), for the search index's
    view and triggers (archive/db.py), which SQLite runs without this package's functions."""
    for char, folded in SEARCH_FOLDS:
        expression = f"replace({expression}, '{char}', '{folded}')"
    return expression


def to_new_tone_style(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)

    def swap(m: re.Match[str]) -> str:
        if (m[1].lower(), m[3].lower()) in _NEW_STYLE_PAIRS:
            return m[1] + m[3] + m[2]
        return m[0]

    return unicodedata.normalize("NFC", _OLD_TONE_PLACEMENT.sub(swap, decomposed))


def fold_key(text: str | None) -> str:
    """A key equal across spellings: case, tone marks, đ, hòa/hoà, punctuation and spacing folded.

    "Nguyễn Văn Trường", "NGUYEN VAN TRUONG" and "Nguyễn  Văn Trường" (NFD) share one key.
    """
    if not text:
        return ""
    return _fold_key(text)


# Labels, menu entries and a site's repeated lines are folded on every page: fold each once.
@lru_cache(maxsize=65536)
def _fold_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().translate(_D_FOLD))
    bare = re.sub(r"[^\w]+", " ", drop_marks(decomposed))
    return _SPACES.sub(" ", bare).strip()


# --- text copied from PDFs and OCR: syllables run together ----------------------------------------
# A Vietnamese syllable is (initial consonant)(one to three vowels)(final consonant), with at most one
# tone mark. Copying from a PDF or reading a scan loses the space between syllables ("Tổng cụcchính
# trị", "TẶNGCỜ"); a run of letters that is no syllable but splits into valid ones gets its spaces back.
_INITIAL = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)"
_NUCLEI = [
    "oai",
    "oao",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "uya",
    "uyê",
    "uyu",
    "ươi",
    "ươu",
    "iêu",
    "yêu",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "oo",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "uy",
    "ưa",
    "ưi",
    "ươ",
    "ưu",
    "yê",
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "y",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
]
_SYLLABLE = re.compile(rf"{_INITIAL}?(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|c|m|n|p|t)?")
_LETTER_RUN = re.compile(r"[^\W\d_]{4,}")
_INITIAL_RX = re.compile(f"{_INITIAL}?")
# Frequent syllables of decisions, plans and award news: where a run splits two ways ("banhành",
# "cánhân"), the split into these wins.
_COMMON_SYLLABLES = frozenset(
    [
        "ban",
        "hành",
        "cá",
        "nhân",
        "tập",
        "thể",
        "quyết",
        "định",
        "chủ",
        "tịch",
        "ủy",
        "nhân",
        "dân",
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "thành",
        "phố",
        "thị",
        "trấn",
        "bằng",
        "khen",
        "huân",
        "chương",
        "huy",
        "giấy",
        "cờ",
        "thi",
        "đua",
        "thưởng",
        "lao",
        "động",
        "hạng",
        "nhất",
        "nhì",
        "ba",
        "độc",
        "lập",
        "chiến",
        "công",
        "sĩ",
        "cán",
        "bộ",
        "công",
        "chức",
        "viên",
        "giáo",
        "dục",
        "đào",
        "tạo",
        "trường",
        "học",
        "sinh",
        "trung",
        "tiểu",
        "mầm",
        "non",
        "phòng",
        "sở",
        "ngành",
        "nội",
        "vụ",
        "tư",
        "pháp",
        "tài",
        "chính",
        "y",
        "tế",
        "văn",
        "hóa",
        "thể",
        "thao",
        "du",
        "lịch",
        "nông",
        "nghiệp",
        "phát",
        "triển",
        "thôn",
        "kế",
        "hoạch",
        "đầu",
        "xây",
        "dựng",
        "giao",
        "vận",
        "khoa",
        "kỹ",
        "thuật",
        "môi",
        "tài",
        "nguyên",
        "công",
        "an",
        "quân",
        "sự",
        "bộ",
        "chỉ",
        "huy",
        "đội",
        "đoàn",
        "niên",
        "hội",
        "phụ",
        "nữ",
        "cựu",
        "binh",
        "liên",
        "mặt",
        "trận",
        "tổ",
        "quốc",
        "việt",
        "nam",
        "đảng",
        "chính",
        "phủ",
        "thủ",
        "tướng",
        "nước",
        "quốc",
        "trưởng",
        "phó",
        "giám",
        "đốc",
        "hiệu",
        "điều",
        "hành",
        "xuất",
        "sắc",
        "tiên",
        "tiến",
        "thành",
        "tích",
        "năm",
        "ngày",
        "tháng",
        "số",
        "về",
        "việc",
        "tặng",
        "truy",
        "phong",
        "trao",
        "cho",
        "của",
        "các",
        "những",
        "và",
        "đã",
        "được",
        "có",
        "trong",
        "ngoài",
        "trên",
        "dưới",
        "với",
        "từ",
        "đến",
        "tại",
        "theo",
        "căn",
        "cứ",
        "luật",
        "nghị",
        "thông",
        "tư",
        "chỉ",
        "thị",
        "hướng",
        "dẫn",
        "báo",
        "cáo",
        "tờ",
        "trình",
        "công",
        "văn",
        "quy",
        "chế",
        "định",
        "điều",
        "khoản",
        "hiệu",
        "lực",
        "kể",
        "ký",
        "nơi",
        "nhận",
        "lưu",
        "như",
        "danh",
        "sách",
        "kèm",
        "mục",
        "đích",
        "yêu",
        "cầu",
        "nội",
        "dung",
        "tổ",
        "chức",
        "thực",
        "hiện",
        "giai",
        "đoạn",
        "kỳ",
        "nhiệm",
        "vì",
        "sự",
        "nghiệp",
        "xã",
        "hội",
        "chủ",
        "nghĩa",
        "bảo",
        "vệ",
        "an",
        "ninh",
        "trật",
        "tự",
        "an",
        "toàn",
        "người",
        "dân",
        "vùng",
        "cơ",
        "sở",
        "hợp",
        "tác",
        "doanh",
        "nghiệp",
        "công",
        "ty",
        "cổ",
        "phần",
        "trách",
        "nhiệm",
        "hữu",
        "hạn",
        "tổng",
        "cục",
        "chi",
        "nhánh",
        "bệnh",
        "viện",
        "trạm",
        "trung",
        "tâm",
        "viện",
        "kiểm",
        "sát",
        "tòa",
        "án",
        "hòa",
        "bình",
        "an",
        "nam",
        "bắc",
        "đông",
        "tây",
        "thái",
        "hưng",
        "yên",
        "hải",
        "dương",
        "ninh",
        "định",
        "long",
        "giang",
        "sơn",
        "hà",
        "lâm",
        "đồng",
        *FREQUENT_SURNAMES,
        "văn",
        "thị",
        "minh",
        "đức",
        "hữu",
        "quang",
        "xuân",
        "thanh",
        "mạnh",
        "trọng",
        "thu",
        "hồng",
        "ngọc",
        "hùng",
        "dũng",
        "tuấn",
        "thắng",
    ]
)
_TONE_MARKS = set(_TONES)


def _bare_lower(word: str) -> str:
    """Lower case without tone marks, vowel letters kept: "Tướng" → "tương"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    return unicodedata.normalize("NFC", kept)


def _tone_count(word: str) -> int:
    return sum(ch in _TONE_MARKS for ch in unicodedata.normalize("NFD", word))


def is_syllable(word: str) -> bool:
    """Whether a word is shaped like one Vietnamese syllable ("nghiêng", "ủy"; not "cụcchính")."""
    return _tone_count(word) <= 1 and _SYLLABLE.fullmatch(_bare_lower(word)) is not None


def _segment(word: str) -> list[str] | None:
    """The split of a letter run into syllables, preferring common syllables of official texts
    ("ban|hành", not "ba|nhành"), then syllables that start with a consonant
    (a vowel-initial one is rarer: "ban|hành" rather than "banh|ành"), then fewer syllables, then
    longer initial consonants ("cá|nhân" rather than "cán|hân")."""
    best: list[str] | None = None
    best_score: tuple[int, int, int, int] | None = None

    def walk(rest: str, parts: list[str]) -> None:
        nonlocal best, best_score
        if not rest:
            score = (
                sum(1 for p in parts if p.lower() in _COMMON_SYLLABLES),
                -sum(1 for p in parts[1:] if _bare_lower(p)[0] in "aăâeêioôơuưy"),
                -len(parts),
                # "cá|nhân" rather than "cán|hân": a syllable more often starts with "nh" than ends in "n".
                sum(len(_INITIAL_RX.match(_bare_lower(p))[0]) for p in parts[1:]),  # type: ignore[index]
            )
            if best_score is None or score > best_score:
                best, best_score = list(parts), score
            return
        if len(parts) >= 6:
            return
        for size in range(min(7, len(rest)), 0, -1):
            head = rest[:size]
            if is_syllable(head):
                walk(rest[size:], [*parts, head])

    walk(word, [])
    return best if best and len(best) > 1 else None


def respace_syllables(text: str | None) -> str:
    """Spaces put back between syllables that PDF copying or OCR ran together.

    Only runs holding a Vietnamese letter are touched (never "UBND", "Covid", "online"), and only when
    the run is no syllable itself but splits wholly into syllables: "cụcchính" → "cục chính",
    "ỦYBAN" → "ỦY BAN", "NguyễnVăn" → "Nguyễn Văn".
    """
    if not text:
        return text or ""

    def fix(m: re.Match[str]) -> str:
        word = m[0]
        if word.isascii() or is_syllable(word):
            return word
        parts = _segment(word)
        return " ".join(parts) if parts else word

    return _LETTER_RUN.sub(fix, text)
