"""The home page seen by ListingPage: the menu becomes categories, the notices box gives timestamps.

Saved pages: the replica's home (both themes) and two hand-written sites (Bootstrap navbar, 2005 tables).
"""

from __future__ import annotations

import pytest

from scraper.pages.listing import ListingPage
from scraper.testing import PageCase, page_cases
from scraper.urls import path_segments, slug_of

CASES = page_cases("home")
SITE = "http://tdkt.thaibinh.gov.vn/"


def page(case: PageCase) -> ListingPage:
    return ListingPage(case.response(), SITE)


def slug(url: str, kind: str) -> str:
    # static pages are their own category: the last path segment
    return slug_of(path_segments(url)[-1]) if kind == "about" else slug_of(path_segments(url)[0])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_menu_leaves_are_the_categories(case: PageCase) -> None:
    got = {(slug(e.url, e.kind), e.label, e.group, e.kind) for e in page(case).menu()}
    want = {(c["slug"], c["name"], c["parent"], c["kind"]) for c in case.expected["categories"]}
    # The replica lists "Thông báo" in the menu; the hand-written sites only in a box (tested below).
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_menu_urls_are_list_or_static_pages(case: PageCase) -> None:
    got = {e.url.removeprefix(SITE.rstrip("/")) for e in page(case).menu()}
    assert got == {c["url"] for c in case.expected["categories"]}


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expected["notice_box"]["see_all"]], ids=lambda c: c.name
)
def test_notice_box_links_to_its_full_list(case: PageCase) -> None:
    see_all, _ = page(case).notice_box()
    assert see_all is not None and (see_all.url, see_all.kind) == (
        case.expected["notice_box"]["see_all"],
        "notice",
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_notice_box_entries_carry_their_us_timestamps(case: PageCase) -> None:
    _, entries = page(case).notice_box()
    box = case.expected["notice_box"]
    first = box.get("first_entry") or box["entries"][0]
    assert (entries[0].url, entries[0].date_text) == tuple(first)
    assert len(entries) == box.get("entries_count", len(box.get("entries", [])))
