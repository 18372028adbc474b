"""The `tdkt` spider: walks the site only — menu, lists, pagination, links. Parsing lives in scraper.pages.

    scrapy crawl tdkt -a site=http://127.0.0.1:8000/ -a db=data/tdkt.sqlite [-a mode=full|incremental]

Incremental (the default once the archive holds data) walks each list only until a page shows no item
unknown to the archive and fetches only unseen items; full walks everything and revisits every known
item with its HTTP validators, so edits get new versions and removals get flagged.

The spider holds no database: what the archive knows comes from the crawl plan and everything it finds
goes out as items, both through the crawl session (scraper/session.py). Every request goes to the
address this run crawls: links to the site's other addresses are asked for there, never elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.defaults import DEFAULT_DB, DEFAULT_SITE, MAX_FILE_BYTES, MAX_LIST_PAGES, SITE_HOST_NAMES
from archive.filetypes import is_image_type, original_filename
from archive.plan import CrawlPlan
from scraper import site_profile as profile
from scraper.items import AttachmentItem, CategoryItem, CrawlErrorItem, ImageItem, PageStatusItem
from scraper.pages.detail import DetailPage
from scraper.pages.listing import ItemLink, ListingPage, MenuEntry
from scraper.pages.template import SiteTemplate
from scraper.session import CrawlArguments, CrawlSession, session_of
from scraper.urls import canonicalize, category_slug, host_of, path_segments, slug_of

_HTML_TYPES = (b"text/html", b"application/xhtml")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TdktSpider(scrapy.Spider):
    name = "tdkt"

    def __init__(
        self,
        site: str = DEFAULT_SITE,
        mode: str | None = None,
        db: str | None = None,
        site_moved: bool | str = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not urlsplit(site).path:
            site += "/"
        self.site = canonicalize(site)
        host = host_of(self.site)
        # Redirects off the site are dropped (and recorded) by Scrapy's offsite middleware; the site's
        # other host name is the site.
        self.allowed_domains = list(SITE_HOST_NAMES) if host in SITE_HOST_NAMES else [host]
        # `scrapy crawl tdkt -a site_moved=1` passes a string
        moved = site_moved if isinstance(site_moved, bool) else site_moved.lower() in ("1", "true", "yes")
        self.arguments = CrawlArguments(self.site, Path(db) if db else DEFAULT_DB, mode, moved)
        self.categories: dict[str, MenuEntry] = {}
        self.scheduled: set[str] = set()  # item keys requested this run (one request per item)
        self.files_scheduled: set[tuple[str, str]] = set()  # (page key, file URL)
        self.list_seen: dict[str, set[str]] = {}  # per list walk: item keys already shown
        self.list_pages: dict[str, set[str]] = {}  # per list walk: page URLs visited
        self.max_list_pages = MAX_LIST_PAGES
        self.max_file_bytes = MAX_FILE_BYTES
        self._session: CrawlSession | None = None
        # The site's furniture, learned from every page this run fetches (scraper.pages.template).
        self.template = SiteTemplate()
        # Detail pages fetched before the template has seen enough of the site; parsed once it has.
        self.deferred: list[tuple[DetailPage, Response, str, str, str, bool, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TdktSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if not kwargs.get("db") and settings.get("TDKT_DB"):
            spider.arguments = CrawlArguments(
                spider.site, Path(settings["TDKT_DB"]), spider.arguments.mode, spider.arguments.site_moved
            )
        spider.max_list_pages = settings.getint("TDKT_MAX_LIST_PAGES", MAX_LIST_PAGES)
        spider.max_file_bytes = settings.getint("TDKT_MAX_FILE_BYTES", MAX_FILE_BYTES)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    @property
    def session(self) -> CrawlSession:
        """The crawl session: the archive, the run and the plan (scraper/session.py)."""
        # Looked up once: every link of every list page asks it.
        if self._session is None:
            self._session = session_of(self.crawler)
        return self._session

    @property
    def plan(self) -> CrawlPlan:
        return self.session.plan

    @property
    def mode(self) -> str:
        return self.plan.mode

    def _idle(self, spider: scrapy.Spider) -> None:
        """Every page is fetched: parse the detail pages still waiting for the template, then close."""
        if not self.deferred:
            return
        self.template.force_mature()
        # A data: request is answered in-process (no network, no WARC record) and runs the callback
        # that yields the waiting pages' items through the pipelines.
        self.crawler.engine.crawl(
            Request("data:,", callback=self.parse_deferred, dont_filter=True, meta={"allow_offsite": True})
        )
        raise DontCloseSpider

    # ---- start --------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.session.refusal is not None:
            return
        # What the last run learned of the site's furniture (an incremental run fetches few pages); the
        # session stores what this run learns with the run.
        self.template = SiteTemplate.from_stored(*self.session.stored_template())
        self.session.template = self.template
        yield Request(
            self.site, callback=self.parse_home, errback=self.on_home_error, priority=100, dont_filter=True
        )

    def on_home_error(self, failure: Failure) -> None:
        """No home page, no crawl: the session says why in one line and stops."""
        if failure.check(HttpError):
            reason = f"it answered HTTP {failure.value.response.status}"
        elif failure.check(DownloadConnectionRefusedError):
            reason = "connection refused: nothing listens there"
        elif failure.check(CannotResolveHostError):
            reason = "its host name does not resolve"
        elif failure.check(DownloadTimeoutError):
            reason = "no answer in time"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "the request was dropped"
        else:
            reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
        self.session.home_failed(self.site, reason)

    def parse_home(self, response: Response) -> Iterator[Any]:
        if response.status >= 400:
            self.session.home_failed(self.site, f"HTTP {response.status}")
        if not self._is_html(response):
            self.session.home_failed(self.site, "its home page is not HTML")
        page = ListingPage(response, self.site)
        self.template.learn_listing(page.segmented, page.teasers())
        item_links = page.item_links()
        see_all, box_links = page.notice_box()
        self.session.admit_home(response.url, [x.url for x in (*item_links, *box_links)])
        entries = page.menu()
        if see_all is not None and see_all.slug not in {
            e.slug for e in entries if e.kind not in profile.STATIC_KINDS
        }:
            entries.append(see_all)
        for entry in entries:
            if entry.kind in profile.STATIC_KINDS:
                slug = self._static_slug(entry.url)
                self.categories.setdefault(slug, entry)
                yield CategoryItem(
                    slug=slug, name=entry.label, parent=entry.group, url=entry.url, kind=entry.kind
                )
            else:
                self.categories.setdefault(entry.slug, entry)
                yield CategoryItem(
                    slug=entry.slug, name=entry.label, parent=entry.group, url=entry.url, kind=entry.kind
                )
        for entry in entries:
            if entry.kind in profile.STATIC_KINDS:
                yield from self._item_request(entry.url, static_entry=entry)
            else:
                yield self._list_request(entry.url, entry)
        for link in box_links:
            yield from self._item_request(link.url, link=link, fallback_kind="notice")
        for link in item_links:
            yield from self._item_request(link.url, link=link)
        if self.mode == "full":
            # Other links of the home page (login, old redirects, feeds) are checked once per full run,
            # so dead links and redirect loops in the site's own navigation show up in crawl_errors.
            listed = {canonicalize(e.url) for e in entries}
            for link in page.other_links():
                url = self.session.here(link)
                key = self.session.key(url)
                if (
                    key is not None
                    and key not in self.scheduled
                    and url not in listed
                    and self.session.is_here(url)
                ):
                    self.scheduled.add(key)
                    yield Request(url, callback=self.parse_other, errback=self.on_error, priority=-20)
            # Items no list links any more: revisiting them is how removals are found — at this run's
            # address, whatever address they were archived from.
            for key in sorted(self.plan.known):
                yield from self._item_request(self.session.address_of(key), priority=-10)
        # Downloads a previous run did not finish (killed, or the file was not answering).
        for page_url, file_url in self.plan.pending_files:
            yield from self._file_request(file_url, page_url)
        for page_url, image_url in self.plan.pending_images:
            yield from self._image_request(image_url, page_url)

    def parse_other(self, response: Response) -> Iterator[Any]:
        if response.status in (404, 410):
            yield CrawlErrorItem(canonicalize(response.url), response.status, "dead link: page not found")

    @staticmethod
    def _static_slug(url: str) -> str:
        segments = path_segments(url)
        return slug_of(segments[-1]) if segments else "gioi-thieu"

    # ---- lists --------------------------------------------------------------------------------------
    def _list_request(self, url: str, entry: MenuEntry) -> Request:
        key = entry.slug
        self.list_pages.setdefault(key, set()).add(url)
        return Request(
            url,
            callback=self.parse_list,
            errback=self.on_error,
            cb_kwargs={"list_key": key},
            priority=20,
            # The spider keeps its own visited sets; Scrapy's filter would also drop the second hop of a
            # redirect back to the same URL (a flaky server's "302 to itself").
            dont_filter=True,
        )

    def parse_list(self, response: Response, list_key: str) -> Iterator[Any]:
        if response.status in (404, 410):
            yield CrawlErrorItem(response.url, response.status, "list page not found")
            return
        if not self._is_html(response):
            return
        page = ListingPage(response, self.site)
        self.template.learn_listing(page.segmented, page.teasers())
        links = page.item_links()
        own = [x for x in links if category_slug(x.url) == list_key]
        walk = own or links
        for link in links:
            yield from self._item_request(link.url, link=link, priority=5 if link in own else 0)
        entry = self.categories.get(list_key)
        nxt = page.next_page()
        if nxt is not None:
            nxt = self.session.here(nxt)
        visited = self.list_pages.setdefault(list_key, set())
        go_on = self.walk_on(list_key, [self.session.key(x.url) for x in walk])
        if go_on and nxt and nxt not in visited and len(visited) < self.max_list_pages and entry is not None:
            yield self._list_request(nxt, entry)

    def walk_on(self, list_key: str, shown: list[str | None]) -> bool:
        """Whether a list walk goes on to the next page after one showing the items `shown` (keys).

        A page with nothing new this walk (for an incremental run: nothing unknown to the archive)
        ends it. Lists run newest first, so an incremental walk also ends on a page whose last entry
        is known: everything after it is older, hence known too.
        """
        seen = self.list_seen.setdefault(list_key, set())
        fresh = [k for k in shown if k is not None and k not in seen]
        seen.update(fresh)
        if self.mode == "incremental":
            last_is_known = bool(shown) and self.plan.is_known(shown[-1])
            return any(not self.plan.is_known(k) for k in fresh) and not last_is_known
        return bool(fresh)

    # ---- items --------------------------------------------------------------------------------------
    def _item_request(
        self,
        url: str,
        *,
        link: ItemLink | None = None,
        static_entry: MenuEntry | None = None,
        fallback_kind: str | None = None,
        priority: int = 0,
    ) -> Iterator[Request]:
        url = self.session.here(url)
        key = self.session.key(url)
        if key is None or key in self.scheduled or not self.session.is_here(url):
            return
        if self.plan.skips(key):
            return
        self.scheduled.add(key)
        headers: dict[str, str] = {}
        etag, last_modified = self.plan.validators.get(key, (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        yield Request(
            url,
            callback=self.parse_detail,
            errback=self.on_error,
            headers=headers or None,
            priority=priority,
            dont_filter=True,  # see _list_request
            meta={
                "static": static_entry is not None,
                "box_date": link.date_text if link is not None else None,
                "fallback_kind": fallback_kind,
                "conditional": bool(headers),
            },
        )

    def _kind_and_category(self, url: str, meta: dict[str, Any]) -> tuple[str, str] | None:
        if meta.get("static"):
            slug = self._static_slug(url)
            entry = self.categories.get(slug)
            return (entry.kind if entry else "about"), slug
        slug = category_slug(url) or ""
        entry = self.categories.get(slug)
        if entry is not None:
            return entry.kind, slug
        # A revisited static page (no list links it; its slug is its own last segment).
        own = self.categories.get(self._static_slug(url))
        if own is not None and own.kind in profile.STATIC_KINDS and canonicalize(own.url) == url:
            return own.kind, self._static_slug(url)
        if meta.get("fallback_kind"):
            return meta["fallback_kind"], slug
        return None

    def parse_detail(self, response: Response) -> Iterator[Any]:
        url = canonicalize(response.request.url if response.request else response.url)
        if response.status == 304:
            yield PageStatusItem(url, 304)
            return
        if response.status in (404, 410):
            if self.plan.is_known(self.session.key(url)):
                yield PageStatusItem(url, response.status)
            else:
                yield CrawlErrorItem(url, response.status, "dead link: page not found")
            return
        if not self._is_html(response):
            yield CrawlErrorItem(url, response.status, "item page is not HTML")
            return
        static = bool(response.meta.get("static"))
        where = self._kind_and_category(url, response.meta)
        if where is None:
            yield CrawlErrorItem(url, response.status, "item of a category the menu does not list")
            return
        kind, category = where
        fetched_at = _now()
        try:
            page = DetailPage(response, self.template)
            page.learn(kind)
        except Exception as exc:  # a page that cannot be parsed is recorded, never silently lost
            yield CrawlErrorItem(url, response.status, f"parse error: {type(exc).__name__}: {exc}")
            return
        if not self.template.mature:
            self.deferred.append((page, response, url, kind, category, static, fetched_at))
            return
        yield from self.parse_deferred()
        yield from self._page_items(page, response, url, kind, category, static, fetched_at)

    def parse_deferred(self, response: Response | None = None) -> Iterator[Any]:
        """The detail pages that waited for the template, in the order they arrived."""
        waiting, self.deferred = self.deferred, []
        for args in waiting:
            yield from self._page_items(*args)

    def _page_items(
        self,
        page: DetailPage,
        response: Response,
        url: str,
        kind: str,
        category: str,
        static: bool,
        fetched_at: str,
    ) -> Iterator[Any]:
        try:
            item = page.to_item(category=category, kind=kind, url=url, static=static)
        except Exception as exc:  # a page that cannot be parsed is recorded, never silently lost
            yield CrawlErrorItem(url, response.status, f"parse error: {type(exc).__name__}: {exc}")
            return
        box_date = response.meta.get("box_date")
        if not item.published_raw and box_date:
            # The notices box prints ASP.NET US timestamps ("2/18/2025 2:03:59 PM"): month first.
            item.published_raw, item.published_order = box_date, "MDY"
        item.http_status = response.status
        item.http_etag = _header(response, b"ETag")
        item.http_last_modified = _header(response, b"Last-Modified")
        item.fetched_at = fetched_at
        yield item
        for file_url, _label in item.attachment_urls:
            yield from self._file_request(file_url, url)
        for image_url in item.images:
            yield from self._image_request(image_url, url)

    # ---- files and images ---------------------------------------------------------------------------
    def _download(self, url: str, page_url: str, callback: Any, priority: int) -> Iterator[Request]:
        url, page_url = self.session.here(url), self.session.here(page_url)
        key = (self.session.key(page_url) or page_url, url)
        if key in self.files_scheduled or not self.session.is_here(url):
            return
        self.files_scheduled.add(key)
        yield Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=priority,
            dont_filter=True,  # the same file attached to two pages is one download per page row
            meta={"page_url": page_url, "download_maxsize": self.max_file_bytes, "is_file": True},
        )

    def _file_request(self, file_url: str, page_url: str) -> Iterator[Request]:
        yield from self._download(file_url, page_url, self.parse_file, priority=-5)

    def _image_request(self, image_url: str, page_url: str) -> Iterator[Request]:
        yield from self._download(image_url, page_url, self.parse_image, priority=-6)

    def parse_file(self, response: Response) -> Iterator[Any]:
        file_url = canonicalize(response.request.url if response.request else response.url)
        if response.status != 200:
            yield CrawlErrorItem(file_url, response.status, "file not downloadable")
            return
        disposition = _header(response, b"Content-Disposition")
        yield AttachmentItem(
            page_url=response.meta["page_url"],
            url=file_url,
            filename=original_filename(disposition, file_url),
            content_type=_content_type(response),
            body=response.body,
            fetched_at=_now(),
        )

    def parse_image(self, response: Response) -> Iterator[Any]:
        image_url = canonicalize(response.request.url if response.request else response.url)
        if response.status != 200:
            yield CrawlErrorItem(image_url, response.status, "image not downloadable")
            return
        content_type = _content_type(response)
        if not is_image_type(content_type):
            yield CrawlErrorItem(image_url, response.status, f"not an image: {content_type or 'no type'}")
            return
        yield ImageItem(
            page_url=response.meta["page_url"],
            url=image_url,
            content_type=content_type,
            body=response.body,
            fetched_at=_now(),
        )

    # ---- errors -------------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request: Request | None = getattr(failure, "request", None)
        url = canonicalize(request.url) if request is not None else "?"
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            message = str(failure.value)
            if "robots.txt" in message:
                return  # the site asked us not to: not an error
            reason = "redirected off the site" if "offsite" in message.lower() else message
            yield CrawlErrorItem(url, None, reason)
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            yield CrawlErrorItem(url, status, f"HTTP {status} after retries")
        elif failure.check(DownloadCancelledError):
            limit = request.meta.get("download_maxsize") if request is not None else None
            yield CrawlErrorItem(url, None, f"file larger than the limit ({limit} bytes): skipped")
        else:
            yield CrawlErrorItem(url, None, f"{type(failure.value).__name__}: {failure.getErrorMessage()}")

    @staticmethod
    def _is_html(response: Response) -> bool:
        ctype = (response.headers.get(b"Content-Type") or b"").lower()
        return isinstance(response, TextResponse) or any(t in ctype for t in _HTML_TYPES) or not ctype


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _content_type(response: Response) -> str | None:
    return (_header(response, b"Content-Type") or "").split(";")[0].strip() or None
