"""The line a page's publication date is shown on: a visible label or a weekday, then a date, little else.

Only the line is found here; `archive.normalize.dates` reads the date from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from archive.normalize.dates import MONTH_WORD_VALUE
from archive.normalize.text import clean_text
from scraper import site_profile as profile
from scraper.pages.base import soft_fold, text_of
from scraper.pages.blocks import HEADING, MEDIA, Block
from scraper.pages.tags import INLINE_LABEL_TAGS
from scraper.pages.template import BREAKING, Verdict

_DATE_NUM = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
_DATE_WORDS = r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
# The month in words, as WordPress's Vietnamese locale prints it: "12 Tháng Sáu, 2024", "Tháng Mười
# Hai 29, 2013" (folded: "12 thang sau, 2024").
_MONTH_WORD = r"(?:" + "|".join(w.replace(" ", r"\s+") for w in MONTH_WORD_VALUE) + r"|\d{1,2})"
_DATE_MONTH_WORD = (
    rf"\d{{1,2}}\s+thang\s+{_MONTH_WORD}\s*,?\s*\d{{4}}|thang\s+{_MONTH_WORD}\s+\d{{1,2}}\s*,\s*\d{{4}}"
)
DATE_ANY = re.compile(rf"(?:{_DATE_NUM}|{_DATE_WORDS}|{_DATE_MONTH_WORD}|\d{{4}}-\d{{2}}-\d{{2}})")
# Visible date labels come from the site profile, folded like the text they are matched against.
_LABELS_RE = "|".join(re.escape(x) for x in sorted(profile.DATE_LABELS, key=len, reverse=True))
_DATE_LABEL = re.compile(rf"^(?:{_LABELS_RE})\s*:?\s*(?:luc\s*)?(?=\S)")
_TIME_TAIL = re.compile(
    r"^[\s,|-]*(?:luc\s*)?\d{1,2}\s*(?::|h|gio)\s*\d{0,2}(?:\s*(?::|phut)\s*\d{1,2})?\s*(?:sang|trua|chieu|toi|dem|am|pm|sa|ch)?(?!\w)"
)
_WEEKDAY = re.compile(r"^(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)\b")
_MAX_LINE = 160
# How far below the title a byline with a bare date may sit (a summary or a tool bar may come first).
_BYLINE_BLOCKS = 3


def is_bare_date(line: str) -> bool:
    """Nothing but a date (and its time): "12 Tháng Sáu, 2024", "12/06/2024 lúc 9:15 chiều"."""
    folded = soft_fold(line)
    m = DATE_ANY.match(folded)
    if not m or len(line) > _MAX_LINE:
        return False
    rest = _TIME_TAIL.sub("", folded[m.end() :]).strip(" ,.-|)(")
    return not rest


def is_date_line(line: str) -> bool:
    """A label (or weekday) and a date, and little else: "Ngày 2/10/2020, UBND tỉnh…" is prose."""
    folded = soft_fold(line)
    if not (_DATE_LABEL.match(folded) or _WEEKDAY.match(folded)):
        return False
    m = DATE_ANY.search(folded)
    if len(line) > _MAX_LINE or not m:
        return False
    rest = _TIME_TAIL.sub("", folded[m.end() :]).strip(" ,.-|)(")
    if len(rest) > 12:
        return False
    if _DATE_LABEL.match(folded):
        after = _DATE_LABEL.sub("", folded, count=1)
        return bool(after[:1].isdigit() or _WEEKDAY.match(after) or after.startswith("ngay "))
    return bool(_WEEKDAY.match(folded))


def _inline_lines(block: Block) -> list[str]:
    """Lines of the inline elements inside a block: "<span>Thứ Hai, 13/06/2022</span> <span>Tác giả…"."""
    out = []
    for el in block.inlines:
        if isinstance(el.tag, str) and el.tag in INLINE_LABEL_TAGS:
            text = text_of(el)
            if text and len(text) <= _MAX_LINE:
                out.append(text)
    return out


def find_date_line(
    blocks: Sequence[Block], verdicts: Sequence[Verdict], title_heading: int | None = None
) -> tuple[str, int] | None:
    """(the date line, the block it is in), from the first block that is a date line outside the site's
    furniture. Every article's date line has the same shape, so the template calls it a repeated line:
    that does not make it furniture here.

    A date without a label or weekday ("12 Tháng Sáu, 2024 · Tác giả: BBT · 120 lượt xem", the byline
    of a blog-like CMS) is the article's only in the short line right below its title: elsewhere a bare
    date is a teaser's or the prose's."""
    byline_window = (
        set() if title_heading is None else set(range(title_heading + 1, title_heading + 1 + _BYLINE_BLOCKS))
    )
    for block, verdict in zip(blocks, verdicts, strict=True):
        if block.kind == MEDIA or verdict.furniture in BREAKING or len(block.text) > 400:
            continue
        if not any(c.isdigit() for c in block.text):
            continue
        if is_date_line(block.text):
            return block.text, block.index
        lines = _inline_lines(block)
        for line in lines:
            if is_date_line(line):
                return line, block.index
        if block.index in byline_window and len(block.text) <= _MAX_LINE and block.kind != HEADING:
            bare = next((x for x in [block.text, *lines] if is_bare_date(x)), None)
            if bare is not None:
                return bare, block.index
    return None


def time_element_date(doc: HtmlElement, furniture: set[HtmlElement]) -> str | None:
    """A `<time>` element's text or datetime attribute, outside the site's furniture."""
    for el in doc.iter("time"):
        if el in furniture:
            continue
        text = text_of(el)
        if text and DATE_ANY.search(soft_fold(text)):
            return text
        if el.get("datetime"):
            return clean_text(el.get("datetime"))
    return None
