"""The article and only the article, on every replica theme: body, summary, labels, files, images.

Each theme's archive is crawled by the real `tdkt crawl` (tests/conftest.py). The replica's ground truth
holds every paragraph of every item and the rows of the tables its body shows; the archived body must
hold all of them, and every other line of it must be the item's own summary or source line, never the
site's furniture (footer, menus, sidebar boxes, related lists, tools).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from archive.normalize.text import clean_text
from replica.render import (
    ABOUT_BOX,
    POLL,
    PORTAL_FOOTER,
    PORTAL_TODAY,
    PRESS_ABOUT,
    PRESS_COOKIE,
    PRESS_MARQUEE,
    SEED_FOOTER,
    WEEK_SCHEDULE,
)
from tests.conftest import THEME_ARCHIVES, CrawledArchive

pytestmark = pytest.mark.e2e

# Lines of the site's furniture that the harder themes print on every page.
# (The portal theme's footer quote and sidebar note are left out: some articles say them too.)
FURNITURE = {
    clean_text(x)
    for x in (
        *SEED_FOOTER,
        *ABOUT_BOX,
        *WEEK_SCHEDULE,
        *POLL,
        *PORTAL_FOOTER,
        PORTAL_TODAY,
        *PRESS_ABOUT,
        PRESS_COOKIE,
        PRESS_MARQUEE,
    )
}


@pytest.fixture(params=sorted(THEME_ARCHIVES))
def archive(request: pytest.FixtureRequest) -> CrawledArchive:
    return request.getfixturevalue(THEME_ARCHIVES[request.param])


def archived(archive: CrawledArchive) -> dict[str, Any]:
    base = archive.base_url.rstrip("/")
    return {r["url"].removeprefix(base): r for r in archive.rows("SELECT * FROM pages")}


def body_lines(row: Any) -> list[str]:
    return [line for line in (clean_text(x) for x in (row["body_text"] or "").split("\n\n")) if line]


def table_lines(item: dict[str, Any]) -> list[str]:
    return [clean_text(" | ".join(row)) or "" for table in item["body_tables"] for row in table]


def test_every_paragraph_and_table_row_is_in_the_body(archive: CrawledArchive) -> None:
    pages = archived(archive)
    missing = []
    for item in archive.ground_truth["items"]:
        lines = set(body_lines(pages[item["url"]]))
        wanted = [clean_text(p) for p in item["paragraphs"]] + table_lines(item)
        missing += [(item["kind"], item["url"], line) for line in wanted if line not in lines]
    assert missing == []


def test_the_body_holds_nothing_but_the_article(archive: CrawledArchive) -> None:
    pages = archived(archive)
    extra = []
    for item in archive.ground_truth["items"]:
        allowed = {clean_text(p) for p in item["paragraphs"]} | set(table_lines(item))
        allowed |= {clean_text(item["summary"]), f"Theo: {item['source']}"}
        lines = body_lines(pages[item["url"]])
        extra += [(item["kind"], item["url"], line) for line in lines if line not in allowed]
    assert extra == []


def test_no_body_holds_a_line_of_the_furniture(archive: CrawledArchive) -> None:
    found = [
        (url, line) for url, row in archived(archive).items() for line in body_lines(row) if line in FURNITURE
    ]
    assert found == []


@pytest.mark.parametrize("field", ["summary", "source"])
def test_article_field_equals_ground_truth(archive: CrawledArchive, field: str) -> None:
    pages = archived(archive)
    wrong = [
        (item["url"], pages[item["url"]][field], item[field])
        for item in archive.ground_truth["items"]
        if pages[item["url"]][field] != item[field]
    ]
    assert wrong == []


def test_images_are_the_articles_own(archive: CrawledArchive) -> None:
    base = archive.base_url.rstrip("/")
    pages = archived(archive)
    wrong = []
    for item in archive.ground_truth["items"]:
        got = json.loads(pages[item["url"]]["images"] or "[]")
        want = [base + path for path in item["images"]]
        if got != want:
            wrong.append((item["url"], got, want))
    assert wrong == []


def test_labelled_metadata_is_the_articles_own(archive: CrawledArchive) -> None:
    """Labels only from the article's own metadata block: the footer's address and e-mail, and a
    table's header row ("Chức vụ | Đơn vị"), are never label/value pairs."""
    pages = archived(archive)
    wrong = []
    for item in archive.ground_truth["items"]:
        got = json.loads(pages[item["url"]]["metadata_json"] or "{}")
        want = dict(item["labels"])
        if got != want:
            wrong.append((item["url"], got, want))
    assert wrong == []
