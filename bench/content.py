"""Body quality on every replica theme: ours (the learned template) against trafilatura alone.

The pages are the replica's own, rendered in process (no server, no crawl): the home page and every
list's first page are read first, as the spider does, then every detail page; the template judges
once it has seen them all (as at the end of a crawl). Ground truth is the replica's: every paragraph
and body-table row of each item. Per theme:

- recall: the truth's lines found in the body; precision: the body's lines that are the item's own
  (its paragraphs, table rows, summary and source line); exact pages: all of one and nothing else;
- trafilatura 2.3 (`extract`, its defaults, tables kept) on the same pages, judged the same way, as
  the issue asks: a library's choice measured, not taken on trust;
- ms per detail page: our whole page object (every field of the item), and trafilatura's extract.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import HtmlResponse, Request

from archive.normalize.text import clean_text
from bench.common import Stat

THEME_ITEMS = 300  # items per theme: every kind of page, about 20 s per theme


def _line(text: str, markdown: bool = False) -> str | None:
    """One line as the truth writes it; trafilatura's Markdown table rows ("| a | b |") as ours. Only
    trafilatura's: our own row whose first cells are empty ("| | | Chiến sĩ thi đua") keeps its bars."""
    stripped = text.strip()
    if markdown and stripped.startswith("|"):
        if not stripped.strip("|- "):
            return None  # the "|---|---|" rule under a header row
        stripped = stripped.strip("|")
    return clean_text(stripped)


@dataclass
class Judged:
    wanted: int = 0
    found: int = 0
    lines: int = 0
    own: int = 0
    pages: int = 0
    exact: int = 0

    def add(self, body: str | None, truth: list[str], allowed: set[str], markdown: bool = False) -> None:
        lines = [line for line in (_line(x, markdown) for x in (body or "").split("\n")) if line]
        present = set(lines)
        found = sum(1 for line in truth if line in present)
        own = sum(1 for line in lines if line in allowed)
        self.wanted += len(truth)
        self.found += found
        self.lines += len(lines)
        self.own += own
        self.pages += 1
        self.exact += found == len(truth) and own == len(lines)

    def row(self) -> str:
        recall = self.found / self.wanted if self.wanted else 1.0
        precision = self.own / self.lines if self.lines else 1.0
        return f"{recall:.3f} | {precision:.3f} | {self.exact:,} of {self.pages:,}"


@dataclass
class ThemeResult:
    theme: str
    ours: Judged = field(default_factory=Judged)
    trafilatura: Judged = field(default_factory=Judged)
    ours_ms: list[float] = field(default_factory=list)
    trafilatura_ms: list[float] = field(default_factory=list)
    ours_by_kind: dict[str, Judged] = field(default_factory=dict)


def _response(site: Any, path: str, base: str) -> HtmlResponse:
    answer = site.respond(path)
    url = base.rstrip("/") + path
    headers = {"Content-Type": answer.header("Content-Type") or "text/html; charset=utf-8"}
    return HtmlResponse(url=url, body=answer.body, headers=headers, request=Request(url))


def _truth_lines(item: dict[str, Any]) -> tuple[list[str], set[str]]:
    wanted = [clean_text(p) or "" for p in item["paragraphs"]]
    wanted += [clean_text(" | ".join(row)) or "" for table in item["body_tables"] for row in table]
    allowed = set(wanted) | {clean_text(item["summary"] or "") or "", f"Theo: {item['source']}"}
    return wanted, allowed


def run_theme(theme: str, items: int = THEME_ITEMS) -> ThemeResult:
    import trafilatura

    from replica.site import build_site
    from scraper.pages.detail import DetailPage
    from scraper.pages.listing import ListingPage
    from scraper.pages.template import SiteTemplate

    base = "http://127.0.0.1:8000/"
    site = build_site(items=items, theme=theme)
    truth = site.ground_truth()
    template = SiteTemplate()
    listings = ["/"] + [c.list_url for c in site.model.categories if not c.static]
    for path in listings:
        page = ListingPage(_response(site, path, base), base)
        template.learn_listing(page.segmented, page.teasers())
    pages = []
    for item in truth["items"]:
        response = _response(site, item["url"], base)
        page = DetailPage(response, template)
        page.learn(item["kind"])
        pages.append((item, response))
    template.force_mature()
    result = ThemeResult(theme)
    for item, response in pages:
        wanted, allowed = _truth_lines(item)
        started = time.perf_counter()
        page = DetailPage(response, template)  # the template is learned; this page is read as at the end
        page.to_item(category=item.get("category") or "", kind=item["kind"], url=response.url)
        result.ours_ms.append((time.perf_counter() - started) * 1000)
        result.ours.add(page.body_text(), wanted, allowed)
        result.ours_by_kind.setdefault(item["kind"], Judged()).add(page.body_text(), wanted, allowed)
        started = time.perf_counter()
        extracted = trafilatura.extract(response.text, include_tables=True, favor_precision=False)
        result.trafilatura_ms.append((time.perf_counter() - started) * 1000)
        # trafilatura writes a table row's cells with " | " too, and keeps the title as the first line.
        result.trafilatura.add(extracted, wanted, allowed | {clean_text(item["title"]) or ""}, markdown=True)
    return result


def run(themes: tuple[str, ...] | None = None, items: int = THEME_ITEMS) -> list[ThemeResult]:
    from replica.render import THEMES

    return [run_theme(theme, items) for theme in (themes or THEMES)]


def report(results: list[ThemeResult]) -> list[str]:
    lines = [
        __doc__.split("\n\n", 1)[1].strip(),
        "",
        "| theme | pages | extractor | recall | precision | exact pages | ms per page |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.theme} | {r.ours.pages:,} | ours | {r.ours.row()} | {Stat(r.ours_ms).fmt(1)} |")
        lines.append(
            f"| {r.theme} | {r.ours.pages:,} | trafilatura | {r.trafilatura.row()} | "
            f"{Stat(r.trafilatura_ms).fmt(1)} |"
        )
    kinds = sorted({kind for r in results for kind in r.ours_by_kind})
    lines += [
        "",
        "Ours, pages whose body is exactly the article, per kind of page:",
        "",
        "| theme | " + " | ".join(kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for r in results:
        cells = []
        for kind in kinds:
            judged = r.ours_by_kind.get(kind)
            cells.append(f"{judged.exact} of {judged.pages}" if judged else "–")
        lines.append(f"| {r.theme} | " + " | ".join(cells) + " |")
    return lines
