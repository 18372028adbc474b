"""The notice detail page class on saved pages (replica, both themes, and hand-written markups).

One test per field, parametrised over every saved case in tests/files/pages/notice/.
"""

from __future__ import annotations

import pytest

from scraper.items import PageItem
from scraper.testing import PageCase, page_cases, parsed_item
from scraper.urls import canonicalize

CASES = page_cases("notice")
STATIC = False


def item(case: PageCase) -> PageItem:
    return parsed_item(case, kind="notice", static=STATIC)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_title(case: PageCase) -> None:
    assert item(case).title == case.expected["title"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_published_at(case: PageCase) -> None:
    assert item(case).published_at == case.expected["published_at"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_section(case: PageCase) -> None:
    assert item(case).section == case.expected["section"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_summary(case: PageCase) -> None:
    assert item(case).summary == case.expected["summary"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_source(case: PageCase) -> None:
    assert item(case).source == case.expected["source"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_site_id(case: PageCase) -> None:
    assert item(case).site_id == case.expected["site_id"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_attachments(case: PageCase) -> None:
    assert sorted(url for url, _ in item(case).attachment_urls) == sorted(
        canonicalize(url) for url in case.expected["attachments"]
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_body_holds_the_article_text(case: PageCase) -> None:
    body = item(case).body_text or ""
    assert [text for text in case.expected["body_contains"] if text not in body] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_body_html_is_sanitised(case: PageCase) -> None:
    html = (item(case).body_html or "").lower()
    assert [x for x in ("<script", "onerror", "javascript:") if x in html] == []


@pytest.mark.parametrize("case", [c for c in CASES if "metadata" in c.expected], ids=lambda c: c.name)
def test_metadata_labels(case: PageCase) -> None:
    metadata = item(case).metadata
    assert {k: metadata.get(k) for k in case.expected["metadata"]} == case.expected["metadata"]
