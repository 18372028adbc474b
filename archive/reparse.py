"""`tdkt reparse`: rebuild every page's parsed fields from its stored capture, with today's parser.

The archive keeps every HTTP exchange in WARC; those captures are the ground truth, and parsers improve
for years. A re-parse reads the newest response captured for every page, learns the site's template
from all the captured home, list and detail pages (the whole site at once, which no crawl in progress
has), parses each page again and stores it through the same store as a crawl: a page whose parsed
fields changed gets a new version (in a run of mode "reparse"), an unchanged page stays as it is, and
the derived tables of changed pages are derived again. Nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.store import ArchiveStore

_HTML = ("text/html", "application/xhtml")


@dataclass
class ReparseStats:
    pages: int = 0  # pages of the archive
    changed: int = 0
    unchanged: int = 0
    without_capture: int = 0  # no response in WARC (crawled with --no-warc, or a 304 only)
    errors: int = 0
    run_id: int | None = None


@dataclass
class Capture:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    warc_date: str

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")

    @property
    def is_html(self) -> bool:
        return self.status == 200 and any(t in self.content_type.lower() for t in _HTML)


def read_capture(path: Path, offset: int, url: str, warc_date: str) -> Capture | None:
    """The response record at `offset` of a WARC file: status, headers and the decoded payload."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or record.http_headers is None:
                return None
            status = int(record.http_headers.get_statuscode() or 0)
            body = record.content_stream().read()
            return Capture(url, status, list(record.http_headers.headers), body, warc_date)
    return None


def _captures(store: ArchiveStore, warc_dir: Path) -> Iterator[Capture]:
    """The newest HTML response of every URL, under its address at the site's canonical origin (a
    capture made from another address of the site is read as the site's)."""
    for url, (filename, offset, warc_date, _captured_at) in store.latest_responses().items():
        path = warc_dir / filename
        if path.is_file():
            capture = read_capture(path, offset, url, warc_date)
            if capture is not None and capture.is_html:
                yield capture


def reparse_archive(
    store: ArchiveStore,
    *,
    warc_dir: Path | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> ReparseStats:
    """Re-parse every page from its newest capture; returns what changed. The caller holds the lock."""
    from scrapy.http import HtmlResponse, Request

    from scraper.pages.detail import DetailPage
    from scraper.pages.listing import ListingPage
    from scraper.pages.template import SiteTemplate
    from scraper.pipelines import NormalizePipeline

    warc_dir = warc_dir or store.root / "warc"
    site = store.site.canonical_origin + "/" if store.site is not None else ""
    pages = {p["url"]: p for p in store.pages_to_reparse()}
    stats = ReparseStats(pages=len(pages))

    def response(capture: Capture, url: str) -> HtmlResponse:
        headers = {"Content-Type": capture.content_type} if capture.content_type else {}
        return HtmlResponse(url=url, body=capture.body, headers=headers, request=Request(url))

    # Pass 1: the template, from every captured page of the site (listing pages first, as a crawl).
    template = SiteTemplate()
    details: dict[str, str] = {}  # page url → the capture's WARC date
    for capture in _captures(store, warc_dir):
        url = capture.url
        page = pages.get(url)
        if page is None:
            listing = ListingPage(response(capture, url), site)
            template.learn_listing(listing.segmented, listing.teasers())
        else:
            DetailPage(response(capture, url), template).learn(page["kind"])
            details[url] = capture.warc_date
    template.force_mature()
    stats.without_capture = len(pages) - len(details)

    # Pass 2: every page again, judged by the whole site's template, stored like a crawl's.
    run_id = store.start_run(site, "reparse")
    stats.run_id = run_id
    normalize = NormalizePipeline()
    for capture in _captures(store, warc_dir):
        url = capture.url
        if url not in details:
            continue
        warc_date, page = details[url], pages[url]
        try:
            item = _reparsed_item(DetailPage(response(capture, url), template), page, url)
        except Exception as exc:  # one page that cannot be parsed is recorded, never silently lost
            store.record_error(run_id, url, capture.status, f"reparse failed: {type(exc).__name__}: {exc}")
            stats.errors += 1
            continue
        item.fetched_at = _iso_warc_date(warc_date)
        item = normalize.process_item(item)
        if item.published_raw == page["published_raw"] and not item.published_at:
            item.published_at = page["published_at"]  # read by the crawl from a list box (see below)
        _, outcome = store.save_page(item, run_id)
        if outcome == "changed":
            stats.changed += 1
        else:
            stats.unchanged += 1
        if on_progress:
            on_progress(url)
    store.save_template(run_id, template.summary(), template.rows())
    store.finish_run(run_id, "done_with_errors" if stats.errors else "done", 0)
    return stats


def _reparsed_item(detail: Any, page: dict[str, Any], url: str) -> Any:
    # A page without an id in its URL keeps none (static pages and the like).
    static = page["site_id"] is None
    item = detail.to_item(category=page["category"], kind=page["kind"], url=url, static=static)
    if not item.published_raw and page["published_raw"]:
        # The crawl read this page's date from a list box (the notices box's US timestamps): the page
        # itself shows none, and the date stays the one the crawl read.
        item.published_raw = page["published_raw"]
    item.http_etag = page["http_etag"]
    item.http_last_modified = page["http_last_modified"]
    return item


def _iso_warc_date(warc_date: str) -> str:
    """WARC-Date ("2026-12-03T10:00:00Z") as the archive writes times ("…+00:00")."""
    return warc_date.replace("Z", "+00:00")
