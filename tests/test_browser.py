"""A person's visit, in Debian's headless Chromium driven by Playwright, against a real Datasette.

Home page → search "thi dua" → narrow to award decisions → open one; a chart and a feed link too.
Screenshots land in the test's tmp dir (printed on failure) for a human to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.publish import database_name, running_datasette
from tests.test_publish import ITEMS, build_archive, current_items, expected_search

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
        yield base_url, database_name(db_path)


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
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
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


def test_search_without_diacritics_and_open_an_award_decision(
    served: tuple[str, str], page: object, tmp_path: Path
) -> None:
    base_url, db = served
    page.goto(base_url + "/")  # type: ignore[attr-defined]
    assert "Thi đua - Khen thưởng" in page.title() or "Thi đua - Khen thưởng" in page.content()  # type: ignore[attr-defined]
    shot(page, tmp_path, "1-home")

    page.goto(f"{base_url}/{db}/pages")  # type: ignore[attr-defined]
    page.fill('input[name="_search"]', "thi dua")  # type: ignore[attr-defined]
    page.press('input[name="_search"]', "Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**_search=thi+dua**")  # type: ignore[attr-defined]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Cụm thi đua Đồng bằng sông Hồng" in body  # found through the đ→d copy
    assert "trồng dừa" not in body  # "thi dua" needs both words
    shot(page, tmp_path, "2-search-thi-dua")

    page.click('.facet-info[data-column="kind"] a:text-is("award_decision")')  # type: ignore[attr-defined]
    page.wait_for_url("**kind=award_decision**")  # type: ignore[attr-defined]
    found = expected_search("thi dua", current_items())
    decisions = [i for i in ITEMS if i.kind == "award_decision" and i.url in found]
    rows = page.locator("table.rows-and-columns > tbody > tr")  # type: ignore[attr-defined]
    assert rows.count() == len(decisions)
    shot(page, tmp_path, "3-award-decisions")

    rows.first.locator("td.type-pk a").click()
    page.wait_for_url(f"{base_url}/{db}/pages/*")  # type: ignore[attr-defined]
    text = page.inner_text("body")  # type: ignore[attr-defined]
    shown = next(i for i in decisions if i.title in text)
    # body_html is rendered: its recipients table is a real table, not escaped markup.
    cells = page.locator("td.col-body_html table td")  # type: ignore[attr-defined]
    names = {r.name for a in shown.awards for r in a.recipients}
    assert names <= set(cells.all_inner_texts())
    assert "<table>" not in text
    shot(page, tmp_path, "4-award-decision")


def test_chart_of_awards_per_year(served: tuple[str, str], page: object, tmp_path: Path) -> None:
    base_url, db = served
    page.goto(f"{base_url}/{db}/awards_by_year_and_type")  # type: ignore[attr-defined]
    chart_url = page.locator("a", has_text="Biểu đồ / Chart").evaluate("a => a.href")  # type: ignore[attr-defined]
    page.goto("about:blank")  # type: ignore[attr-defined]
    page.goto(chart_url)  # type: ignore[attr-defined]
    page.wait_for_selector(".vega-embed canvas.marks", timeout=30_000)  # type: ignore[attr-defined]
    legend = page.locator("#graphForm select").all_inner_texts()  # type: ignore[attr-defined]
    assert legend, "no charting options"
    shot(page, tmp_path, "5-chart-awards-per-year")


def test_feed_link_serves_atom(served: tuple[str, str], page: object) -> None:
    base_url, db = served
    page.goto(f"{base_url}/{db}/feed")  # type: ignore[attr-defined]
    with page.expect_response(lambda r: ".atom" in r.url) as response_info:  # type: ignore[attr-defined]
        page.evaluate("url => fetch(url)", f"{base_url}/{db}/feed.atom?kind=notice")  # type: ignore[attr-defined]
    response = response_info.value
    assert response.status == 200 and "<feed" in response.text()
