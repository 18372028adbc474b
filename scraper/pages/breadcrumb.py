"""The breadcrumb trail ("Trang chủ » Tin tức » Tin tức - Sự kiện") and the section it names."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from archive.normalize.text import fold_key
from scraper import site_profile as profile
from scraper.pages.base import classid, text_of
from scraper.pages.hints import select

_SEPARATORS = ("»", ">", "/", "›", "|")


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _trail(el: HtmlElement) -> list[str]:
    items = [text_of(x) for x in el.iter("a", "li", "span") if len(x) == 0 or x.tag == "a"]
    items = [x for x in items if x and x not in _SEPARATORS]
    if not items:
        items = [x.strip() for x in re.split(r"[»>/›|]", text_of(el)) if x.strip()]
    return _dedupe(items)


def _is_menu_like(el: HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag in ("ul", "ol") for li in el.iter("li") for c in li)


def trail_line(text: str) -> list[str]:
    """A line of text that is a breadcrumb trail: "Trang chủ > Tin tức > Thông báo"."""
    if len(text) > 200:
        return []
    steps = [x.strip() for x in re.split(r"\s[»>/›|]\s", text) if x.strip()]
    if len(steps) >= 2 and fold_key(steps[0]) in profile.BREADCRUMB_ROOTS:
        return _dedupe(steps)
    return []


def breadcrumb(doc: HtmlElement) -> list[str]:
    for el in select(doc, profile.HINT_BREADCRUMB):
        trail = _trail(el)
        if trail:
            return trail
    for el in doc.iter():
        if isinstance(el.tag, str) and "breadcrumb" in classid(el):
            trail = _trail(el)
            if trail:
                return trail
    # A trail starting "Trang chủ" followed by separators or nested links.
    for el in doc.iter("ul", "ol", "div", "p", "nav"):
        if len(el.text_content()) > 250:
            continue
        items = [text_of(a) for a in el.iter("a", "li", "span")]
        items = [x for x in items if x and x not in _SEPARATORS]
        if (
            2 <= len(items) <= 6
            and fold_key(items[0]) in profile.BREADCRUMB_ROOTS
            and len(text_of(el)) < 200
            and not _is_menu_like(el)
        ):
            return _dedupe(items)
    return []


def section_of(trail: list[str], title: str | None) -> str | None:
    """The last breadcrumb step that is not the home page nor the item's own title."""
    steps = [x for x in trail if fold_key(x) not in profile.BREADCRUMB_ROOTS and x != title]
    return steps[-1] if steps else None
