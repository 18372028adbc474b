"""A person's visit, in Debian's headless Chromium driven by Playwright, against a real Datasette.

A researcher: home → search without diacritics → an award decision's item → its file downloaded from
the archive → the decision's recipients → one recipient's history. A journalist: movements launched
since 2020 and the feed the page advertises. Each page is checked to fit 1366×900 (nothing cut off at
the right, the element the reader came for in the first screen); a chart of Datasette's too.
Screenshots land in the test's tmp dir (printed on failure) for a human to look at.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from lxml import etree

from archive.normalize.text import fold_key
from archive.publish import database_name, running_datasette
from tests.test_publish import AN, ITEMS, build_archive, current_items, expected_search, file_body

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = "//127.0.0.1:"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db_path = tmp_path_factory.mktemp("browser") / "tdkt.sqlite"
    build_archive(db_path)
    with running_datasette(db_path) as base_url:
        yield base_url, str(db_path)


def served_db(served: tuple[str, str]) -> Path:
    return Path(served[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, tmp_path: Path) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", accept_downloads=True)  # type: ignore[attr-defined]
    # Only the server under test: a request anywhere else would mean a page that leaks out.
    errors: list[str] = []

    def only_loopback(route: Any) -> None:
        if LOOPBACK in route.request.url or route.request.url.startswith(("about:", "data:")):
            route.continue_()
        else:
            errors.append(f"request off the machine: {route.request.url}")
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def shot(page: object, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    assert path.stat().st_size > 10_000, f"{path} looks blank"
    keep = Path("/tmp/tdkt-browser-shots")
    keep.mkdir(exist_ok=True)
    shutil.copy(path, keep / path.name)
    return path


VIEWPORT = {"width": 1366, "height": 900}


def fits_the_screen(page: Any, *selectors: str) -> None:
    """Nothing runs off the right edge at 1366 px, and what the reader came for shows in the first screen."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"
    for selector in selectors:
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] < VIEWPORT["height"] and box["x"] + box["width"] <= VIEWPORT["width"], (
            page.url,
            selector,
            box,
        )


def item_ids(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("select url, id from pages"))


def test_a_researcher_goes_from_a_search_to_a_recipients_history(
    served: tuple[str, str], page: Any, tmp_path: Path
) -> None:
    """Search without diacritics → the decision's item → its file, downloaded from the archive (bytes equal
    the stored sha256) → the decision's recipients → one recipient's awards across spellings."""
    base_url, _db = served
    ids = item_ids(served_db(served))
    page.goto(base_url + "/")
    fits_the_screen(page, "input#q")
    shot(page, tmp_path, "1-home")

    query = "quyet dinh tang bang khen"
    page.fill("input#q", query)
    page.press("input#q", "Enter")
    page.wait_for_url("**/search?q=**")
    hits = page.locator("ol.hits li.hit h3 a")
    expected = {f"/item/{ids[url]}" for url in expected_search(query, current_items())}
    assert set(hits.evaluate_all("links => links.map(a => a.getAttribute('href'))")) == expected
    assert page.locator("ol.hits mark").count() >= len(expected)  # the words found are highlighted
    fits_the_screen(page, "input#q", "ol.hits li.hit")
    shot(page, tmp_path, "2-search")

    decision_item = ITEMS[6]
    page.locator("ol.hits li.hit h3 a", has_text=decision_item.title).click()
    page.wait_for_url(f"**/item/{ids[decision_item.url]}")
    fits_the_screen(page, "h1", "article .body")
    shot(page, tmp_path, "3-item")

    name, _type, size = decision_item.files[0]
    row = page.locator("li.file", has_text=name)
    with page.expect_download() as download_info:
        row.locator("a.download").click()
    downloaded = Path(download_info.value.path()).read_bytes()
    assert downloaded == file_body(name, size)
    assert hashlib.sha256(downloaded).hexdigest() == row.locator("code.sha").inner_text().strip()

    page.locator("section.award a").first.click()
    page.wait_for_url("**/decision/**")
    names = page.locator("section.recipients-table tbody tr td:nth-child(2)").all_inner_texts()
    assert [n.strip() for n in names] == [r.name for r in decision_item.awards[0].recipients]
    fits_the_screen(page, "section.recipients-table")
    shot(page, tmp_path, "4-decision")

    page.locator("section.recipients-table a", has_text=AN.name).click()
    page.wait_for_url("**/recipient?name=**")
    held = [
        (i, r) for i in ITEMS for a in i.awards for r in a.recipients if fold_key(r.name) == fold_key(AN.name)
    ]
    assert page.locator("ol.timeline li").count() == len(held) == 3
    fits_the_screen(page, "ol.timeline")
    shot(page, tmp_path, "5-recipient")


def test_a_journalist_lists_movements_since_2020_and_follows_the_feed(
    served: tuple[str, str], page: Any, tmp_path: Path
) -> None:
    base_url, _db = served
    page.goto(base_url + "/movements")
    page.fill("input#since", "2020")
    page.press("input#since", "Enter")
    page.wait_for_url("**since=2020**")
    with sqlite3.connect(served_db(served)) as conn:
        launches = conn.execute(
            "select count(*) from (select distinct launched_on, name_key, launched_by from movements "
            "where launched_on >= '2020')"
        ).fetchone()[0]
    assert launches and page.locator("table.launches tbody tr").count() == launches
    fits_the_screen(page, "table.launches")
    shot(page, tmp_path, "6-movements-since-2020")

    # The feed a reader's feed reader finds on the page (autodiscovery), valid Atom.
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').first.get_attribute("href")
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.body())
    assert (
        feed.tag == "{http://www.w3.org/2005/Atom}feed"
        and feed.find("{http://www.w3.org/2005/Atom}author") is not None
    )


def test_chart_of_awards_per_year(served: tuple[str, str], page: object, tmp_path: Path) -> None:
    base_url, db = served[0], database_name(served_db(served))
    page.goto(f"{base_url}/{db}/awards_by_year_and_type")  # type: ignore[attr-defined]
    chart_url = page.locator("a", has_text="Biểu đồ / Chart").evaluate("a => a.href")  # type: ignore[attr-defined]
    page.goto("about:blank")  # type: ignore[attr-defined]
    page.goto(chart_url)  # type: ignore[attr-defined]
    page.wait_for_selector(".vega-embed canvas.marks", timeout=30_000)  # type: ignore[attr-defined]
    legend = page.locator("#graphForm select").all_inner_texts()  # type: ignore[attr-defined]
    assert legend, "no charting options"
    shot(page, tmp_path, "5-chart-awards-per-year")
