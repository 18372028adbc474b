"""The item's title: a title hint, og:title, the first heading that is neither furniture nor the site's
name, or the document title without the site's name."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

from archive.normalize.text import clean_text, fold_key
from scraper import site_profile as profile
from scraper.pages.base import text_of
from scraper.pages.hints import select

_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{3,}$")
_SEPARATOR = re.compile(r"\s+[|–—-]\s+")


def is_site_name(text: str) -> bool:
    key = fold_key(text)
    return any(h in key for h in profile.SITE_NAME_HINTS) and len(key) < 80


def strip_site_name(text: str | None) -> str | None:
    text = clean_text(text)
    if not text:
        return None
    m = _SITE_SUFFIX.search(text)
    if m and is_site_name(m[0].strip(" |–—-")):
        text = text[: m.start()].strip()
    return text


def title_of_document(text: str | None, shown: Callable[[str], bool] | None = None) -> str | None:
    """The <title> without the site's name. A site name may hold a dash itself ("Ban Thi đua - Khen
    thưởng tỉnh …") and so may a title: the longest part before a separator that the page also shows
    as a line of its own, followed by the site's name, is the title; else the last separator decides."""
    text = clean_text(text)
    if not text:
        return None
    if shown is not None:
        for m in reversed(list(_SEPARATOR.finditer(text))):
            head, rest = text[: m.start()].strip(), text[m.end() :].strip()
            if head and is_site_name(rest) and shown(head):
                return head
    return strip_site_name(text)


def meta_content(doc: HtmlElement, name: str) -> str | None:
    for el in doc.iter("meta"):
        if (el.get("property") or el.get("name") or el.get("itemprop") or "").lower() == name.lower():
            value = clean_text(el.get("content"))
            if value:
                return value
    return None


def find_title(
    doc: HtmlElement,
    *,
    is_furniture: Callable[[HtmlElement], bool],
    is_noise_heading: Callable[[str], bool],
    shown: Callable[[str], bool] | None = None,
) -> str | None:
    """`shown`: whether the page shows a text as a line of its own (to cut the site's name off <title>)."""
    for el in select(doc, profile.HINT_TITLE):
        if not is_furniture(el):
            t = text_of(el)
            if t:
                return t
    og = meta_content(doc, "og:title")
    if og:
        return strip_site_name(og)
    for tag in ("h1", "h2", "h3"):
        for el in doc.iter(tag):
            t = text_of(el)
            if t and not is_furniture(el) and not is_noise_heading(t) and not is_site_name(t):
                return t
    title = doc.find(".//title")
    return title_of_document(title.text_content(), shown) if title is not None else None
