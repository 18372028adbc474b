"""Text normalisation: what every scraped string goes through, and the folded keys derived from it.

Stored text is NFC with whitespace collapsed (reference §5.1). Folded keys are derived, never stored
in place of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


def fold_for_search(text: str | None) -> str:
    """The copy an FTS5 unicode61 (remove_diacritics 2) index needs besides the original: đ→d.

    The tokenizer strips tone marks itself but never maps đ to d, so "thi dua" can only find
    "thi đua" through this folded copy.
    """
    # str.replace runs in C; translate() with a mapping looks every character up in a dict.
    return (text or "").replace("đ", "d").replace("Đ", "D").replace("\u00d0", "D").replace("\u00f0", "d")


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
