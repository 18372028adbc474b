"""List pages seen by ListingPage: item links by URL shape and the next page in any usual pager form.

Saved pages: replica lists (?page=N in the classic theme, /trang-N.html in the modern one, the endless
"Hỏi - Đáp" pager) and hand-written ones (Bootstrap `ul.pagination` with »; "Trang sau" in tables).
"""

from __future__ import annotations

import pytest

from scraper.pages.listing import ListingPage
from scraper.testing import PageCase, page_cases
from scraper.urls import category_slug, is_item_url

CASES = page_cases("list")
SITE = "http://tdkt.thaibinh.gov.vn/"


def page(case: PageCase) -> ListingPage:
    return ListingPage(case.response(), SITE)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_next_page(case: PageCase) -> None:
    assert page(case).next_page() == case.expected["next_page"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_item_links_are_items_without_tracking(case: PageCase) -> None:
    links = [link.url for link in page(case).item_links()]
    assert [u for u in links if not is_item_url(u, SITE) or "utm_" in u or "#" in u] == []
    assert len(links) == len(set(links))


@pytest.mark.parametrize("case", [c for c in CASES if not c.expected.get("past_end")], ids=lambda c: c.name)
def test_a_list_page_links_items_of_its_own_category(case: PageCase) -> None:
    own = [link for link in page(case).item_links() if category_slug(link.url) == case.expected["category"]]
    assert own


@pytest.mark.parametrize("case", [c for c in CASES if c.expected.get("past_end")], ids=lambda c: c.name)
def test_a_page_past_the_end_has_no_items_of_its_category(case: PageCase) -> None:
    # the spider stops there even though a "next" link is still offered
    assert [
        link for link in page(case).item_links() if category_slug(link.url) == case.expected["category"]
    ] == []
