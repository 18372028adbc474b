"""Post-OCR repair of Vietnamese text, and the mark on lines read with low confidence.

Tesseract's Vietnamese model makes a handful of known errors; each repair here undoes one of them
and touches nothing else:

- tone marks as separate combining characters, stacked in the wrong order, or on the wrong letter of
  the syllable (NFC, then the marks of a syllable moved onto its vowel);
- a list entry's number with its full stop read as a comma or a colon, or doubled ("7..Chi cục");
- Ð (Icelandic eth, U+00D0) for Đ, a stray space inside a document number ("1234/QĐ- UBND"), "QD"
  for "QĐ", a letter of its type doubled or marked ("QĐĐ", "ÑĐ"), and letters for digits where only
  digits can stand ("Điều L", "ngày O5", "l234/QĐ");
- two words run together when the space between them was lost ("tặngBằng", "Quyếtđịnh");
- a tone mark read wrong in the name of a public body ("Chỉ cục" for "Chi cục"): a phrase of
  `archive.normalize.bodies` the line matches in all but its tone marks (`repair_tones`).

A word the engine was unsure of, or that is no Vietnamese syllable at all, makes its line doubtful;
`mark_low_confidence` puts LOW_CONFIDENCE_MARK before such a line in the stored text, so that any
parse of the text can skip it (`confident_lines`) instead of taking a misread name for a real one.
The mark is a character no document uses (U+2047 DOUBLE QUESTION MARK) followed by a space; FTS5
treats it as a separator, so the rest of the line stays searchable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from archive.normalize.bodies import BODY_NAME_PHRASES, DECISION_PHRASES, DISTRICTS
from archive.normalize.numbers import DOCUMENT_TYPES
from archive.normalize.surnames import SURNAMES
from archive.normalize.text import drop_marks, nfc

LOW_CONFIDENCE_MARK = "\u2047"
_MARK_PREFIX = LOW_CONFIDENCE_MARK + " "

# Word confidences (0–100) below which a word, and so its line, is doubtful. Tesseract gives a word it
# read right 85–96; a misread tone mark or a letter for a digit drops it to 40–75.
WORD_CONFIDENCE_FLOOR = 60.0
LINE_CONFIDENCE_FLOOR = 75.0

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_SHAPED_VOWELS = set("ăâêôơ")  # the vowel of its syllable, which bears the tone, wherever it stands

# A Vietnamese syllable, tone marks removed: onset, vowel cluster, final consonant or glide.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:[aăâeêioôơuưy]{1,3})"
    r"(?:ch|ng|nh|[cmnpt])?",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]+")


def _base(word: str) -> str:
    """The word without tone marks but with its vowel shapes (ă, â, ê, ô, ơ, ư) and đ."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))


def tone_count(word: str) -> int:
    return sum(ch in _TONES for ch in unicodedata.normalize("NFD", word))


# No syllable doubles a vowel letter ("Thuụy" is "Thụy" with a stray u); "oo" only in loanwords (xoong).
_DOUBLED_VOWEL = re.compile(r"([aăâeêiơôuưy])\1", re.IGNORECASE)


def is_syllable(word: str) -> bool:
    """Whether a run of letters can be one Vietnamese syllable (at most one tone mark)."""
    base = _base(word)
    return tone_count(word) <= 1 and _SYLLABLE.fullmatch(base) is not None and not _DOUBLED_VOWEL.search(base)


def tone_on_its_vowel(word: str) -> bool:
    """Whether a syllable's tone mark, if any, sits where Vietnamese puts it as far as the shapes tell:
    on the shaped vowel (ă, â, ê, ô, ơ) when its vowels hold one ("Nguyễn", "thuyền"; never "Ngũyên").
    Where none is shaped, old and new spellings place it differently ("hóa", "hoá"): not judged."""
    letters: list[str] = []  # each letter with its shape marks (breve, circumflex, horn), no tone
    toned = None
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            toned = len(letters) - 1
        elif unicodedata.combining(ch) and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    if toned is None or toned < 0:
        return True
    shapes = [unicodedata.normalize("NFC", letter).casefold() for letter in letters]
    shaped = [letter for letter in shapes if letter in _SHAPED_VOWELS]
    return len(shaped) != 1 or shapes[toned] == shaped[0]


def plausible_word(word: str) -> bool:
    """A Vietnamese syllable, an abbreviation in capitals (UBND, TĐKT, QĐ) or a word with no letters."""
    letters = "".join(_LETTERS.findall(word))
    if not letters:
        return True
    if tone_count(letters) > 1:
        return False
    if not all(tone_on_its_vowel(part) for part in _LETTERS.findall(word)):
        return False
    if letters.isupper() and len(letters) <= 8:
        return True
    parts = _LETTERS.findall(word)
    return all(is_syllable(part) or (part.isupper() and len(part) <= 8) for part in parts)


# -- tone marks ------------------------------------------------------------------------------------


def _place_tones(word: str) -> str:
    """A tone mark the engine put on a consonant moved onto the syllable's vowel: "nhần" stays, "ǹhân" →
    "nhần". A word with more than one tone is left as read (and is doubtful: `plausible_word`)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    if len(tones) != 1:
        return word
    letters = [ch for ch in decomposed if ch not in _TONES]
    # Where the tone sat: after which base letter.
    index = -1
    for ch in decomposed:
        if ch in _TONES:
            break
        if unicodedata.category(ch) != "Mn":
            index += 1
    bases = [i for i, ch in enumerate(letters) if unicodedata.category(ch) != "Mn"]
    if 0 <= index < len(bases) and letters[bases[index]] in _VOWELS:
        return word
    vowel_positions = [
        k for k, i in enumerate(bases) if letters[i] in _VOWELS or _base(letters[i]) in _VOWELS
    ]
    if not vowel_positions:
        return word
    target = bases[vowel_positions[0]]
    # After the target's own shape marks (circumflex, breve, horn), then the tone.
    end = target + 1
    while end < len(letters) and unicodedata.category(letters[end]) == "Mn":
        end += 1
    rebuilt = [*letters[:end], tones[0], *letters[end:]]
    return unicodedata.normalize("NFC", "".join(rebuilt))


# -- lost spaces -----------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-zà-ỹđ])(?=[A-ZÀ-ỸĐ][a-zà-ỹđ])")


def _split_glued(token: str) -> str:
    """Two syllables read as one token ("tặngBằng", "Quyếtđịnh") split where both halves are syllables."""
    core = token.strip(".,;:()\"'“”")
    if len(core) < 4 or not core.isalpha() or is_syllable(core) or core.isupper():
        return token
    for cut in _CAMEL.finditer(core):
        head, tail = core[: cut.start()], core[cut.start() :]
        if is_syllable(head) and (is_syllable(tail) or plausible_word(tail)):
            return token.replace(core, f"{head} {tail}", 1)
    if tone_count(core) >= 2:
        for at in range(2, len(core) - 1):
            head, tail = core[:at], core[at:]
            if tone_count(head) == 1 and is_syllable(head) and is_syllable(tail):
                return token.replace(core, f"{head} {tail}", 1)
    return token


# -- digits, numbers, articles ---------------------------------------------------------------------

_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "L": "1",
        "!": "1",
        "S": "5",
        "B": "8",
        "Q": "0",
        "Z": "2",
        "z": "2",
    }
)
_ARTICLE = re.compile(r"\b(Điều|Điểu|Điêu|Điều|Diều|Dieu)\s*([lLI|!iï1-9]\d?)(\s*[.:])", re.IGNORECASE)
# A date's words and numbers, with the dust read between them, glued to the number ("ngày:05"), let
# through; a comma before a spaced number is text ("trong năm, 15 tập thể").
_DATE_WORD = re.compile(r"\b(ngày|tháng|năm)(?:\s+|[.,:;'`-]+(?=\d))([0-9OolIQ|]{1,4})\b", re.IGNORECASE)
_DUST_BEFORE_DATE_WORD = re.compile(r"(?<=\d)[.,:;'`-]+\s*(?=(?:tháng|năm)\b)", re.IGNORECASE)
# "năm" before a year, "tháng" between a day and a month, read with a wrong tone or letter.
_YEAR_WORD = re.compile(r"\b(tháng\s+\d{1,2}\s+)n[ăằắẳẵặ]m\b(?=\s+\d{4}\b)", re.IGNORECASE)
_MONTH_WORD = re.compile(
    r"\b(ngày\s+\d{1,2}\s+)(?:[tT]h|[hH])[aàáảãạăằắẳẵặâầấẩẫậ]ng\b(?=\s+\d{1,2}\b)", re.IGNORECASE
)
# The comma between a place and its date ("Thái Bình, ngày 15 tháng 11") read as a semicolon or a stop.
_PLACE_DATE_STOP = re.compile(r"(?<=[^\W\d_])[;.](?=\s+ngày\s+\d)")
_TRAILING_DUST = re.compile(r"(?<=\w)_+(?=\s|$)")
# Dust read as a full stop between two abbreviations in capitals ("Công ty TNHH.MTV …"); an
# abbreviation that takes a stop is of two letters ("TP.", "TX.") and stays.
_STOP_BETWEEN_CAPITALS = re.compile(r"(?<=[A-ZĐ]{3})\.(?=[A-ZĐ]{3})")
# "huyện" before a district's name read with its first letter wrong ("nuyện Hưng Hà"): no other
# word of one letter and "uyện" stands there.
_DISTRICT_WORD = re.compile(
    r"(?<!\w)[^\W\d_h](uyện|UYỆN)(?=\s+(?:" + "|".join(re.escape(d) for d in DISTRICTS) + r")\b)",
    re.IGNORECASE,
)
# "$" for the S of a word ("$ố: 12/QĐ-UBND"): no document writes a dollar sign before a letter.
_DOLLAR_FOR_S = re.compile(r"(?<!\S)\$(?=[^\W\d_])")
_NUMBER_DATE = re.compile(r"\b([0-9OolI]{1,2})\s*/\s*([0-9OolI]{1,2})\s*/\s*([0-9OolI]{4})\b")
_DOC_NUMBER = re.compile(
    r"(?<![\w/])([0-9OolI|]{0,4}\d[0-9OolI|]{0,4})\s*/\s*(?:((?:19|20)\d{2})\s*/\s*)?"
    r"([^\W\d_]{1,6})\s*-\s*([A-ZĐÐ][A-ZĐÐa-zđð0-9]{0,12})"
)
_TYPE_BY_FOLD = {
    drop_marks(unicodedata.normalize("NFD", code)).replace("đ", "d").replace("Đ", "D").upper(): code
    for code in DOCUMENT_TYPES
}


def _digits(raw: str) -> str:
    return raw.translate(_DIGIT_LOOKALIKES)


def _fix_article(m: re.Match[str]) -> str:
    return f"Điều {_digits(m[2])}{m[3].strip()}"


def _fix_date_word(m: re.Match[str]) -> str:
    value = m[2]
    if not any(ch.isdigit() for ch in value):
        return m[0]
    return f"{m[1]} {_digits(value)}"


def _fix_doc_number(m: re.Match[str]) -> str:
    number = _digits(m[1])
    year = f"{m[2]}/" if m[2] else ""
    code = nfc(m[3])
    folded = drop_marks(unicodedata.normalize("NFD", code)).replace("đ", "d").replace("Đ", "D").upper()
    # A letter read twice ("QĐĐ") or with a stray mark ("ÑĐ"): the document type it folds back to.
    single = re.sub(r"(.)\1", r"\1", folded)
    code = _TYPE_BY_FOLD.get(folded) or _TYPE_BY_FOLD.get(single) or code
    return f"{number}/{year}{code}-{nfc(m[4])}"


# A list entry's number ("7. Chi cục …") with its full stop read as a comma, a colon or doubled.
_ENTRY_NUMBER = re.compile(r"^(\d{1,3})(?:,|:|\.\.|\s[.,:])\s*(?=[A-ZĐÀ-Ỹ])")

# Dust next to a word is read as a full stop, an apostrophe or a tick; text has none of these before a
# word, and no full stop before a word in lower case.
_LEADING_DUST = re.compile(r"^[.,:;'`´_~^*]+(?=\w)")
_DOT_BEFORE_LOWER = re.compile(r"(?<=[^\W\d_]{2})[.'`](\s+)(?=[a-zà-ỹđ])")
_DOT_INSIDE = re.compile(r"(?<=[^\W\d_]{2})[.'`](?=[a-zà-ỹđ]{2})")
_ZERO_LIKE = str.maketrans({"O": "0", "o": "0", "Ô": "0", "ô": "0", "Ơ": "0", "ơ": "0", "Ó": "0", "ó": "0"})
_DIGITS_WITH_O = re.compile(r"(?<!\w)(\d+[OoÔôƠơÓó]+\d*|[OoÔôƠơÓó]+\d+)(?!\w)")


def repair_line(line: str) -> str:
    """One OCR'd line with the engine's known errors undone (see the module's docstring)."""
    line = nfc(line)
    words = [_split_glued(_place_tones(_LEADING_DUST.sub("", word) or word)) for word in line.split()]
    line = " ".join(words)
    line = _DOT_BEFORE_LOWER.sub(r"\1", line)
    line = _DOT_INSIDE.sub(" ", line)
    line = _DIGITS_WITH_O.sub(lambda m: m[1].translate(_ZERO_LIKE), line)
    line = _DOC_NUMBER.sub(_fix_doc_number, line)
    line = _ARTICLE.sub(_fix_article, line)
    line = _TRAILING_DUST.sub("", line)
    line = _DOLLAR_FOR_S.sub("S", line)
    line = _DISTRICT_WORD.sub(lambda m: ("H" if m[0][0].isupper() else "h") + m[1], line)
    line = _STOP_BETWEEN_CAPITALS.sub(" ", line)
    line = _PLACE_DATE_STOP.sub(",", line)
    line = _DUST_BEFORE_DATE_WORD.sub(" ", line)
    line = _MONTH_WORD.sub(r"\1tháng", line)
    line = _YEAR_WORD.sub(r"\1năm", line)
    line = _DATE_WORD.sub(_fix_date_word, line)
    line = _NUMBER_DATE.sub(lambda m: f"{_digits(m[1])}/{_digits(m[2])}/{_digits(m[3])}", line)
    line = _ENTRY_NUMBER.sub(r"\1. ", line)
    return repair_surname(repair_tones(line))


_EDGE_PUNCTUATION = "\"“”'‘’()[],.;:!?"


def _phrases_by_first_syllable() -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (*BODY_NAME_PHRASES, *DECISION_PHRASES):
        words = tuple(nfc(phrase).split())
        found.setdefault(_base(words[0]).casefold(), []).append(words)
    for choices in found.values():
        choices.sort(key=len, reverse=True)
    return found


_BODY_PHRASES = _phrases_by_first_syllable()


def _in_case_of(word: str, like: str) -> str:
    """`word` written in the case `like` was read in (capitals, a capital first, or small letters)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word[:1].lower() + word[1:]


def repair_tones(line: str) -> str:
    """A run of words that reads as a public body's phrase (`BODY_NAME_PHRASES`) in all but its tone
    marks given the phrase's tones, each word keeping the case it was read in; anything else is left
    as read."""
    tokens = line.split(" ")
    cores = [token.strip(_EDGE_PUNCTUATION) for token in tokens]
    keys = [_base(core).casefold() for core in cores]
    at = 0
    while at < len(tokens):
        step = 1
        for phrase in _BODY_PHRASES.get(keys[at], []) if cores[at] else []:
            span = len(phrase)
            if [_base(w).casefold() for w in phrase] != keys[at : at + span]:
                continue
            for k, word in enumerate(phrase):
                core = cores[at + k]
                if core.casefold() != word.casefold():
                    tokens[at + k] = tokens[at + k].replace(core, _in_case_of(word, core), 1)
            step = span
            break
        at += step
    return " ".join(tokens)


def _surnames_by_base() -> dict[str, str]:
    """Each surname by its letters without tone marks, where no other surname shares them."""
    found: dict[str, list[str]] = {}
    for surname in SURNAMES:
        found.setdefault(_base(nfc(surname)), []).append(nfc(surname))
    return {base: names[0] for base, names in found.items() if len(names) == 1}


_SURNAME_BY_BASE = _surnames_by_base()
# A person's name where a list entry or a name cell starts ("1. Bà Đăng Thị Thu Hạnh, …"): a word,
# then a middle name most Vietnamese names carry, then one or two more names; in title case (a name
# in capitals is left as read). "Trường" and "Vụ" head bodies' names ("Trường Văn hóa …") and are
# never read for "Trương" or "Vũ".
_PERSON_AT_START = re.compile(
    r"^((?:\d{1,3}\.\s+)?(?:(?:Ông|Bà|Đồng chí|Đ/c)\s+)?)([^\W\d_]+)(?=\s+(?:Thị|Văn|Đức|Thanh|Xuân|Hữu|Minh|"
    r"Quang|Ngọc|Thu|Trọng|Công|Thế|Duy|Hồng|Kim|Mạnh|Anh)(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){1,2}(?:[,;]|\s+-|$))"
)
_NOT_SURNAMES = {"trường", "vụ"}


def repair_surname(line: str) -> str:
    """A person's family name read with a wrong tone ("Đăng" for "Đặng", "Định" for "Đinh") given its
    tones, where the word read is no surname and one surname only has its letters."""

    def fix(m: re.Match[str]) -> str:
        word = m[2]
        folded = word.casefold()
        if folded in SURNAMES or folded in _NOT_SURNAMES or not word[:1].isupper() or word.isupper():
            return m[0]
        surname = _SURNAME_BY_BASE.get(_base(folded))
        return m[0] if surname is None else m[1] + surname[:1].upper() + surname[1:]

    return _PERSON_AT_START.sub(fix, line, count=1)


_NUMBERED_LINE = re.compile(r"^(?:⁇ )?(\d{1,3})\.\s")
_BARE_NUMBER = re.compile(r"^((?:⁇ )?)(\d{1,3})\s+(?=[A-ZĐÀ-Ỹ])")
# A list entry's text with no number: a capital first, ending as an entry does ("…;", "…./.").
_UNNUMBERED_ENTRY = re.compile(r"^[A-ZĐÀ-Ỹ].*(?:;|\./\.)$")


def restore_entry_stops(lines: list[str]) -> list[str]:
    """A list entry whose number lost its full stop ("4 UBND xã …" between "3. Công an …" and "5. …")
    given it back: the engine drops a small stop beside a digit. Only a number that continues the
    numbered line just above it, or runs on to the one just below it, is an entry's; a line that starts
    with any other number is left as read."""

    def number(line: str) -> int | None:
        found = _NUMBERED_LINE.match(line)
        return int(found[1]) if found else None

    out = list(lines)
    for at, line in enumerate(lines):
        bare = _BARE_NUMBER.match(line)
        if bare is None:
            continue
        value = int(bare[2])
        above = number(out[at - 1]) if at > 0 else None
        below = number(lines[at + 1]) if at + 1 < len(lines) else None
        if value - 1 == above or value + 1 == below:
            out[at] = f"{bare[1]}{bare[2]}. {line[bare.end() :]}"
    _number_lost_entries(out, number)
    return out


def _number_lost_entries(lines: list[str], number: Callable[[str], int | None]) -> None:
    """Entries whose numbers were lost as dust (`archive.extract.ocr` drops a dust word standing
    for one) numbered in place: a run of entry lines (a capital first, "…;" or "…./." last) between
    entries n and m, as many as the numbers missing between them, or under a heading (a line in
    capitals or ending with ":") before entry m, as many as m - 1."""
    at = 0
    while at < len(lines):
        end = at
        while end < len(lines) and _UNNUMBERED_ENTRY.match(lines[end]):
            end += 1
        if end == at or end == len(lines):
            at = end + 1
            continue
        below = number(lines[end])
        above = number(lines[at - 1]) if at > 0 else None
        opens = at == 0 or lines[at - 1].endswith(":") or lines[at - 1].isupper()
        first = above + 1 if above is not None else 1 if opens else None
        if below is not None and first is not None and below - first == end - at:
            for k in range(at, end):
                lines[k] = f"{first + k - at}. {lines[k]}"
        at = end + 1


# -- confidence ------------------------------------------------------------------------------------


def doubtful(words: Iterable[tuple[str, float]]) -> bool:
    """Whether a line of (word, confidence) pairs is too unsure to be taken as read."""
    scored = [
        (text, conf) for text, conf in words if _LETTERS.search(text) or any(ch.isdigit() for ch in text)
    ]
    if not scored:
        return False
    if any(conf < WORD_CONFIDENCE_FLOOR or not plausible_word(text) for text, conf in scored):
        return True
    return sum(conf for _, conf in scored) / len(scored) < LINE_CONFIDENCE_FLOOR


def mark_low_confidence(line: str) -> str:
    return line if line.startswith(_MARK_PREFIX) else _MARK_PREFIX + line


def is_low_confidence(line: str) -> bool:
    return line.lstrip().startswith(LOW_CONFIDENCE_MARK)


def confident_lines(text: str | None) -> list[str]:
    """The lines of a stored text without those OCR marked as read with low confidence."""
    return [line for line in (text or "").splitlines() if not is_low_confidence(line)]


def unmarked(line: str) -> str:
    """A line without its low-confidence mark (for display or search)."""
    return line[len(_MARK_PREFIX) :] if line.startswith(_MARK_PREFIX) else line
