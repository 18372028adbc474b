"""Saved pages as Scrapy responses, for the page-class tests (city-scrapers' `file_response`).

A saved page `tests/files/pages/<kind>/<case>.html` has a sidecar `<case>.json` holding the URL it was
served at, its Content-Type, where it came from and the expected fields. A sidecar may name its page
with "file" (relative to the sidecar) to reuse a page of a hand-written test site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request

PAGES = Path(__file__).resolve().parent.parent / "tests" / "files" / "pages"


def saved_response(
    path: Path, url: str, content_type: str | None = "text/html; charset=utf-8"
) -> HtmlResponse:
    """The bytes of a saved page wrapped in a response for `url`, with the headers the server sent."""
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url=url, body=path.read_bytes(), headers=headers, request=Request(url))


@dataclass(frozen=True)
class PageCase:
    name: str
    page: Path
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return str(self.expected["url"])

    def response(self) -> HtmlResponse:
        return saved_response(
            self.page, self.url, self.expected.get("content_type", "text/html; charset=utf-8")
        )


def page_cases(kind: str) -> list[PageCase]:
    """Every saved case of one page kind, sorted by name."""
    cases = []
    for sidecar in sorted((PAGES / kind).glob("*.json")):
        expected = json.loads(sidecar.read_text(encoding="utf-8"))
        page = (sidecar.parent / expected["file"]) if "file" in expected else sidecar.with_suffix(".html")
        cases.append(PageCase(sidecar.stem, page.resolve(), expected))
    return cases


_PARSED: dict[Path, Any] = {}


def parsed_item(case: PageCase, *, category: str = "test", kind: str = "news", static: bool = False) -> Any:
    """The case's page parsed and normalised as the pipeline would (sanitised HTML, ISO date); cached."""
    from scraper.pages.detail import DetailPage
    from scraper.pipelines import NormalizePipeline

    if case.page not in _PARSED:
        item = DetailPage(case.response()).to_item(category=category, kind=kind, url=case.url, static=static)
        _PARSED[case.page] = NormalizePipeline().process_item(item)
    return _PARSED[case.page]
