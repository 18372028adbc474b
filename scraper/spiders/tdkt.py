"""The `tdkt` spider: walks the site only — menu, lists, pagination, links. Parsing lives in scraper.pages.

    scrapy crawl tdkt -a site=http://127.0.0.1:8000/ -a db=data/tdkt.sqlite [-a mode=full|incremental]

Incremental (the default once the archive holds data) walks each list only until a page shows no URL
unknown to the archive and fetches only unseen items; full walks everything and revisits every known
item with its HTTP validators, so edits get new versions and removals get flagged.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy import text as sa_text
from twisted.python.failure import Failure

from archive.store import ArchiveStore
from scraper import site_profile as profile
from scraper.items import AttachmentItem, CategoryItem, CrawlErrorItem, PageStatusItem
from scraper.pages.detail import DetailPage
from scraper.pages.listing import ItemLink, ListingPage, MenuEntry
from scraper.pages.template import SiteTemplate
from scraper.urls import canonicalize, category_slug, path_segments, same_site, slug_of

_HTML_TYPES = (b"text/html", b"application/xhtml")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def safe_filename(disposition: str | None, url: str) -> str | None:
    """The file's original name, from Content-Disposition or the URL; directories never survive."""
    name: str | None = None
    if disposition:
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_filename()
    if not name:
        parts = urlsplit(url)
        name = unquote(parts.path.rsplit("/", 1)[-1])
        m = re.search(r"(?:^|&)(?:file|filename|name)=([^&]+)", parts.query, re.I)
        if m and "." in unquote(m[1]):
            name = unquote(m[1])
    if not name:
        return None
    # "..\..\x.pdf" or "/etc/passwd": the name is metadata, and only its last component is kept.
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = name.strip().lstrip(".")
    return name or None


class TdktSpider(scrapy.Spider):
    name = "tdkt"

    def __init__(
        self,
        site: str = profile.DEFAULT_SITE,
        mode: str | None = None,
        db: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not urlsplit(site).path:
            site += "/"
        self.site = canonicalize(site)
        # Redirects off the site are dropped (and recorded) by Scrapy's offsite middleware.
        self.allowed_domains = [urlsplit(self.site).hostname or ""]
        self.requested_mode = mode
        self.db_path = db
        self.mode = "full"
        self.store: ArchiveStore | None = None
        self.run_id: int | None = None
        self.run_summary: dict[str, Any] | None = None
        self.known: set[str] = set()
        self.dead: set[str] = set()
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.categories: dict[str, MenuEntry] = {}
        self.scheduled: set[str] = set()  # item URLs requested this run (one request per item)
        self.files_scheduled: set[str] = set()
        self.list_seen: dict[str, set[str]] = {}  # per list walk: item URLs already shown
        self.list_pages: dict[str, set[str]] = {}  # per list walk: page URLs visited
        self.max_list_pages = 500
        self.max_file_bytes = 50 * 1024 * 1024
        # The site's furniture, learned from every page this run fetches (scraper.pages.template).
        self.template = SiteTemplate()
        # Detail pages fetched before the template has seen enough of the site; parsed once it has.
        self.deferred: list[tuple[DetailPage, Response, str, str, str, bool, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TdktSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.db_path = spider.db_path or settings.get("TDKT_DB")
        spider.max_list_pages = settings.getint("TDKT_MAX_LIST_PAGES", 500)
        spider.max_file_bytes = settings.getint("TDKT_MAX_FILE_BYTES", 50 * 1024 * 1024)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    # ---- run lifecycle ------------------------------------------------------------------------------
    def _open_store(self) -> ArchiveStore:
        if self.store is None:
            self.store = ArchiveStore(self.db_path or "data/tdkt.sqlite")
            has_data = self.store.has_data()
            if self.requested_mode in ("full", "incremental"):
                self.mode = self.requested_mode if has_data else "full"
            else:
                self.mode = "incremental" if has_data else "full"
            self.known = self.store.known_page_urls()
            # What the last run learned of the site's furniture: an incremental run fetches few pages.
            self.template = SiteTemplate.from_stored(*self.store.latest_template())
            if self.mode == "full":
                self.validators = self.store.page_validators()
            else:
                # Dead links answer 404 on every visit; an incremental run does not ask again (--full does).
                self.dead = self._dead_links(self.store)
        return self.store

    @staticmethod
    def _dead_links(store: ArchiveStore) -> set[str]:
        with store.engine.connect() as conn:
            result = conn.execute(
                sa_text(
                    "SELECT DISTINCT url FROM crawl_errors WHERE status IN (404, 410) AND url NOT IN "
                    "(SELECT url FROM pages)"
                )
            )
            return {row[0] for row in result}

    def _opened(self, spider: scrapy.Spider) -> None:
        store = self._open_store()
        self.run_id = store.start_run(self.site, self.mode)

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

    def _closed(self, spider: scrapy.Spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        self.store.save_template(self.run_id, self.template.summary(), self.template.rows())
        stats = self.crawler.stats
        requests = int(stats.get_value("downloader/request_count", 0) or 0) if stats else 0
        status = {"finished": "done", "shutdown": "interrupted"}.get(reason, "failed")
        self.run_summary = self.store.finish_run(self.run_id, status, requests)

    # ---- start --------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        self._open_store()
        yield Request(
            self.site, callback=self.parse_home, errback=self.on_error, priority=100, dont_filter=True
        )

    def parse_home(self, response: Response) -> Iterator[Any]:
        if not self._is_html(response):
            yield CrawlErrorItem(response.url, response.status, "home page is not HTML")
            return
        page = ListingPage(response, self.site)
        self.template.learn_listing(page.segmented, page.teasers())
        entries = page.menu()
        see_all, box_links = page.notice_box()
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
        for link in page.item_links():
            yield from self._item_request(link.url, link=link)
        if self.mode == "full":
            # Other links of the home page (login, old redirects, feeds) are checked once per full run,
            # so dead links and redirect loops in the site's own navigation show up in crawl_errors.
            listed = {canonicalize(e.url) for e in entries}
            for url in page.other_links():
                if url not in self.scheduled and url not in listed:
                    self.scheduled.add(url)
                    yield Request(url, callback=self.parse_other, errback=self.on_error, priority=-20)
            # Items no list links any more: revisiting them is how removals are found.
            for url in sorted(self.known):
                yield from self._item_request(url, priority=-10)
        assert self.store is not None
        for page_url, file_url in self.store.pending_attachments():
            yield from self._file_request(file_url, page_url)

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
        seen = self.list_seen.setdefault(list_key, set())
        fresh = [x for x in walk if x.url not in seen]
        seen.update(x.url for x in walk)
        for link in links:
            yield from self._item_request(link.url, link=link, priority=5 if link in own else 0)
        entry = self.categories.get(list_key)
        # A page with nothing new (for an incremental run: nothing unknown to the archive) ends the walk.
        # Lists run newest first, so an incremental walk also ends on a page whose last entry is known:
        # everything after it is older, hence known too.
        if self.mode == "incremental":
            go_on = any(x.url not in self.known for x in fresh) and walk[-1].url not in self.known
        else:
            go_on = bool(fresh)
        nxt = page.next_page()
        visited = self.list_pages.setdefault(list_key, set())
        if go_on and nxt and nxt not in visited and len(visited) < self.max_list_pages and entry is not None:
            yield self._list_request(nxt, entry)

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
        url = canonicalize(url)
        if url in self.scheduled or not same_site(url, self.site):
            return
        if self.mode == "incremental" and (url in self.known or url in self.dead):
            return
        self.scheduled.add(url)
        headers: dict[str, str] = {}
        etag, last_modified = self.validators.get(url, (None, None))
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
            if url in self.known:
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

    # ---- files --------------------------------------------------------------------------------------
    def _file_request(self, file_url: str, page_url: str) -> Iterator[Request]:
        key = f"{page_url} {file_url}"
        if key in self.files_scheduled or not same_site(file_url, self.site):
            return
        self.files_scheduled.add(key)
        yield Request(
            file_url,
            callback=self.parse_file,
            errback=self.on_error,
            priority=-5,
            dont_filter=True,  # the same file attached to two pages is one download per page row
            meta={"page_url": page_url, "download_maxsize": self.max_file_bytes, "is_file": True},
        )

    def parse_file(self, response: Response) -> Iterator[Any]:
        file_url = canonicalize(response.request.url if response.request else response.url)
        if response.status != 200:
            yield CrawlErrorItem(file_url, response.status, "file not downloadable")
            return
        disposition = _header(response, b"Content-Disposition")
        yield AttachmentItem(
            page_url=response.meta["page_url"],
            url=file_url,
            filename=safe_filename(disposition, file_url),
            content_type=(_header(response, b"Content-Type") or "").split(";")[0].strip() or None,
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
