"""Detail page classes on saved pages of every kind (replica themes and hand-written markups).

One test per field, parametrised over every saved case in tests/files/pages/<kind>/; a case's id is
"<kind>/<case>". Home and list pages have their own modules.
"""

from __future__ import annotations

import pytest

from scraper.items import PageItem
from scraper.testing import PageCase, page_cases, parsed_item
from scraper.urls import canonicalize

KINDS = (
    "about",
    "award_decision",
    "consultation",
    "guidance",
    "legal_text",
    "movement",
    "news",
    "notice",
    "qa",
    "video",
)
# (kind, case) pairs: the page class is told the kind the menu gave, as the spider does.
CASES = [pytest.param(kind, case, id=f"{kind}/{case.name}") for kind in KINDS for case in page_cases(kind)]
METADATA_CASES = [p for p in CASES if "metadata" in p.values[1].expected]


def item(kind: str, case: PageCase) -> PageItem:
    # "Giới thiệu" pages are static: the menu URL itself is the item.
    return parsed_item(case, kind=kind, static=kind == "about")


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_title(kind: str, case: PageCase) -> None:
    assert item(kind, case).title == case.expected["title"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_published_at(kind: str, case: PageCase) -> None:
    assert item(kind, case).published_at == case.expected["published_at"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_section(kind: str, case: PageCase) -> None:
    assert item(kind, case).section == case.expected["section"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_summary(kind: str, case: PageCase) -> None:
    assert item(kind, case).summary == case.expected["summary"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_source(kind: str, case: PageCase) -> None:
    assert item(kind, case).source == case.expected["source"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_site_id(kind: str, case: PageCase) -> None:
    assert item(kind, case).site_id == case.expected["site_id"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_attachments(kind: str, case: PageCase) -> None:
    assert sorted(url for url, _ in item(kind, case).attachment_urls) == sorted(
        canonicalize(url) for url in case.expected["attachments"]
    )


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_body_holds_the_article_text(kind: str, case: PageCase) -> None:
    body = item(kind, case).body_text or ""
    assert [text for text in case.expected["body_contains"] if text not in body] == []


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_body_html_is_sanitised(kind: str, case: PageCase) -> None:
    html = (item(kind, case).body_html or "").lower()
    assert [x for x in ("<script", "onerror", "javascript:") if x in html] == []


@pytest.mark.parametrize(("kind", "case"), METADATA_CASES)
def test_metadata_labels(kind: str, case: PageCase) -> None:
    metadata = item(kind, case).metadata
    assert {k: metadata.get(k) for k in case.expected["metadata"]} == case.expected["metadata"]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_source_is_the_same_whether_the_date_was_read_first(kind: str, case: PageCase) -> None:
    from scraper.pages.detail import DetailPage

    alone = DetailPage(case.response()).source()
    page = DetailPage(case.response())
    page.published_raw()
    assert page.source() == alone
