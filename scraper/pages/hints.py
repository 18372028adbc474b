"""The site profile's CSS hints, compiled once and tried in order of preference."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement


@lru_cache(maxsize=64)
def _selectors(css: tuple[str, ...]) -> tuple[CSSSelector, ...]:
    return tuple(CSSSelector(x) for x in css)


def select(root: HtmlElement, css: tuple[str, ...]) -> Iterator[HtmlElement]:
    """Elements matching the hints, hint by hint in order of preference.

    Lazy: callers stop at the first good match, and every hint is one walk of the whole tree.
    """
    for sel in _selectors(css):
        yield from sel(root)
