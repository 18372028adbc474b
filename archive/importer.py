"""`tdkt import`: rebuild the archive from web archives' captures, through the very `tdkt` spider.

Nothing here parses a page. The spider walks the site as it does live — home page, menu, lists, items,
files — and a Scrapy download handler answers each of its requests from the captures instead of the
network: the item's capture found by its key (archive.site.SiteIdentity.item_key, so one item captured
under either host name, over http or https, is one item with one sequence of captures), read from a
WARC/WACZ file or fetched raw from a CDX server's replay (`/<timestamp>id_/<url>`), politely. So every
table, version and provenance rule of a crawl holds by construction.

- Which captures: the latest good one of every item and file by default; with `all_captures` every
  distinct one, oldest first. A page's next capture is asked for when the spider goes idle (after the
  detail pages waiting for the site's template are parsed: the spider's own idle work comes first), so
  its versions are stored in time order. Captures nobody links any more (orphans) are asked for then too.
- Provenance: every version and file row names its capture (`captures.id`), dated by capture time;
  the run names its source; each capture read is kept in the archive's own WARC files.
- Resume: a capture is marked imported once what it said is stored; local copies are read before the
  remote archive is asked again; a CDX listing resumes at its last resume key. kill -9 is safe.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol

from scrapy import Request, signals
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.asyncio import run_in_thread

from archive import warcsource
from archive.captures import BODILESS_STATUSES, Capture, delivery_order
from archive.cdx import CdxServer, RawCapture
from archive.polite import ArchiveUnavailable
from archive.site import SiteIdentity, path_and_query
from archive.store import ArchiveStore
from archive.warc import WarcRecorder
from scraper.items import AttachmentItem, ImageItem, PageItem, PageStatusItem
from scraper.session import session_of
from scraper.site_profile import STATIC_KINDS
from scraper.urls import canonicalize, category_slug, is_file_url, is_item_url

# Items whose bytes come from one capture each, stamped with it and marked imported once stored.
_STAMPED = (PageItem, AttachmentItem, ImageItem)

CAPTURE_META = "tdkt_capture"  # request.meta: the capture that answered (id, captured_at)


class CaptureSource(Protocol):
    kind: str  # warc | wacz | cdx
    uri: str

    def list_into(self, store: ArchiveStore, *, start: str | None, end: str | None) -> int: ...

    def read(self, capture: Capture) -> RawCapture: ...


@dataclass
class WarcFileSource:
    """A WARC, WARC.gz or WACZ file: listed by one pass, read by offset."""

    path: Path
    kind: str = field(init=False)
    uri: str = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path).resolve()
        self.kind = warcsource.kind_of(self.path)
        self.uri = str(self.path)

    def list_into(self, store: ArchiveStore, *, start: str | None, end: str | None) -> int:
        return store.record_captures(self.kind, self.uri, warcsource.scan(self.path))

    def read(self, capture: Capture) -> RawCapture:
        return warcsource.read(capture.locator)


@dataclass
class CdxSource:
    """A CDX server (the Internet Archive's or pywb's) and the host names whose captures it lists."""

    server: CdxServer
    hosts: tuple[str, ...]
    kind: str = field(default="cdx", init=False)

    @property
    def uri(self) -> str:
        return self.server.endpoint

    def list_into(self, store: ArchiveStore, *, start: str | None, end: str | None) -> int:
        new = 0
        for host in self.hosts:
            query = f"{host} matchType=domain from={start or ''} to={end or ''}"
            resume_key, complete = store.listing_state(self.uri, query)
            if complete:
                continue  # listed by an import that was killed later: not asked again
            for page in self.server.list_pages(host, start=start, end=end, resume_key=resume_key):
                new += store.save_listing_page(
                    self.kind, self.uri, query, page.captures, page.resume_key, page.resume_key is None
                )
        return new

    def read(self, capture: Capture) -> RawCapture:
        return self.server.fetch(capture)


@dataclass
class ImportCounts:
    delivered: int = 0
    read_from_source: int = 0
    read_from_copy: int = 0
    not_captured: int = 0
    other_hosts: int = 0
    orphans: int = 0


class CaptureDeliveries:
    """Which capture answers the next request of each item, shared by the download handler, the spider
    middleware, the marking pipeline and the idle hook of one import."""

    def __init__(
        self,
        store: ArchiveStore,
        sources: list[CaptureSource],
        site: str,
        *,
        all_captures: bool,
        start: str | None = None,
        end: str | None = None,
    ) -> None:
        self.store = store
        self.site = site
        # The archive's site and the address the import reads it at: captures of either host name, over
        # http or https, at any port the site was archived from, name their items by this.
        archived = store.site
        self.identity = archived.with_alias(site) if archived is not None else SiteIdentity.first(site)
        self.sources = {s.uri: s for s in sources}
        self.warc_dir = store.root / "warc"
        self.counts = ImportCounts()
        self.run_id: int | None = None
        self.unavailable: str | None = None  # why the archive stopped answering, when it did
        self._source_kinds = "+".join(sorted({s.kind for s in sources}))
        self._source_uris = " ".join(s.uri for s in sources)
        self._lock = threading.Lock()
        self._recorder: WarcRecorder | None = None
        self._copies: dict[int, tuple[str, int]] = {}
        self._source_of: dict[int, str] = {}
        self._imported: set[int] = set()
        by_key: dict[str, list[Capture]] = {}
        self._url_of: dict[str, str] = {}
        for row in store.captures_of(self.sources):
            capture = Capture(
                url=row["url"],
                timestamp=row["timestamp"],
                status=row["status"],
                mime=row["mime"],
                digest=row["digest"] or None,
                locator=row["locator"],
                id=row["id"],
            )
            self._source_of[row["id"]] = row["source_uri"]
            if row["warc_filename"]:
                self._copies[row["id"]] = (row["warc_filename"], row["warc_offset"])
            if row["imported_at"]:
                self._imported.add(row["id"])
            key = self.identity.item_key(capture.url)
            if key is None:
                self.counts.other_hosts += 1
                continue
            by_key.setdefault(key, []).append(capture)
            self._url_of.setdefault(key, capture.url)
        self.sequences = {
            key: seq
            for key, captures in by_key.items()
            if (seq := delivery_order(captures, all_captures=all_captures, start=start, end=end))
        }
        self._delivered: dict[str, set[int]] = {}  # per key: capture ids handed out this run
        self._last_request: dict[str, Request] = {}
        # The capture that last answered each address: a detail page the spider parses later (once the
        # site's template is learnt) yields its item from another response, and is stamped by this.
        self.answered: dict[str, dict[str, Any]] = {}
        self._orphans_fed = False

    def start_run(self, run_id: int | None) -> None:
        """The spider's run is this import: say where it reads the site from."""
        with self._lock:
            if self.run_id is not None or run_id is None:
                return
            self.run_id = run_id
        self.store.set_run_source(run_id, self._source_kinds, self._source_uris)

    # -- choosing -----------------------------------------------------------------------------------

    def _pending(self, key: str) -> list[Capture]:
        return [c for c in self.sequences.get(key, []) if c.id not in self._imported]

    def next_capture(self, request: Request) -> Capture | None:
        """The first capture of the item not yet imported; its last one again once all are (a list page
        is walked on every import, and a page read again is stored as unchanged)."""
        key = self.identity.item_key(request.url)
        with self._lock:
            sequence = self.sequences.get(key or "")
            if key is None or not sequence:
                return None
            pending = self._pending(key)
            capture = pending[0] if pending else sequence[-1]
            if _is_redirect(capture) and self._redirected_from_itself(request, key):
                # A capture that sent the item to another of its own addresses (http → https, one host
                # name → the other): what the followed request wants is a capture with content.
                settled = [c for c in (pending or sequence) if not _is_redirect(c)] or [
                    c for c in sequence if not _is_redirect(c)
                ]
                if not settled:
                    return None
                capture = settled[0] if pending and settled[0] in pending else settled[-1]
            assert capture.id is not None
            self._delivered.setdefault(key, set()).add(capture.id)
            self._last_request[key] = request
            self.counts.delivered += 1
            return capture

    def _redirected_from_itself(self, request: Request, key: str) -> bool:
        return any(self.identity.item_key(u) == key for u in request.meta.get("redirect_urls", ()))

    def mark_imported(self, capture_id: int | None) -> None:
        if capture_id is None:
            return
        with self._lock:
            if capture_id in self._imported:
                return
            self._imported.add(capture_id)
        self.store.mark_capture_imported(capture_id, self.run_id)

    # -- reading ------------------------------------------------------------------------------------

    def read(self, capture: Capture) -> RawCapture:
        """The capture's answer: from the archive's own copy when it has one, else from its source (and
        then copied). Dead links and server errors are not fetched: their status is all the spider needs."""
        assert capture.id is not None
        if capture.status in BODILESS_STATUSES:
            reason = _reason(capture.status)
            return RawCapture(
                capture.status or 0, reason, [("Content-Type", capture.mime or "text/html")], b""
            )
        copy = self._copies.get(capture.id)
        if copy is not None and (self.warc_dir / copy[0]).is_file():
            self.counts.read_from_copy += 1
            return warcsource.read(f"{self.warc_dir / copy[0]}#{copy[1]}")
        source = self.sources[self._source_of[capture.id]]
        raw = source.read(capture)
        self.counts.read_from_source += 1
        if capture.status is not None and raw.status != capture.status:
            raise IgnoreRequest(
                f"the web archive did not replay its capture {capture.timestamp} of {capture.url}: "
                f"HTTP {raw.status} instead of {capture.status}"
            )
        with self._lock:
            if self._recorder is None:
                self._recorder = WarcRecorder(self.store, self.run_id, self.warc_dir)
            filename, offset = self._recorder.record_capture(
                url=capture.url,
                warc_date=capture.captured_at.replace("+00:00", "Z"),
                status=raw.status,
                reason=raw.reason,
                response_headers=raw.headers,
                body=raw.body,
                source_uri=capture.locator,
            )
            self._copies[capture.id] = (filename, offset)
        self.store.set_capture_copy(capture.id, filename, offset)
        return raw

    def close(self) -> None:
        with self._lock:
            if self._recorder is not None:
                self._recorder.close()
                self._recorder = None

    # -- waves --------------------------------------------------------------------------------------

    def next_wave(self, spider: Any, waiting: set[int]) -> list[Request]:
        """At idle: every capture handed out is done with (a redirect or an error never reaches a
        callback: it is marked here), except those whose page still `waiting` for the site's template;
        items with captures still to import are asked for again, and the captured items nobody linked
        are asked for once."""
        with self._lock:
            leftovers = [
                cid
                for ids in self._delivered.values()
                for cid in ids
                if cid not in self._imported and cid not in waiting
            ]
        for cid in leftovers:
            self.mark_imported(cid)
        requests: list[Request] = []
        with self._lock:
            for key, request in self._last_request.items():
                if self._pending(key):
                    requests.append(request.replace(dont_filter=True))
        if not requests and not self._orphans_fed:
            self._orphans_fed = True
            for key in sorted(self.sequences):
                if key in self._last_request:
                    continue
                made = self._orphan_requests(spider, self._url_of[key])
                self.counts.orphans += len(made)
                requests.extend(made)
        return requests

    def _orphan_requests(self, spider: Any, url: str) -> list[Request]:
        """A captured item nobody links is read as an item; a captured page of a list (a later capture
        of the list may have one page more) is walked as that list. Other addresses need a page that
        links them, and files one that attaches them: they are left."""
        url = spider.session.here(url)
        if is_item_url(url, self.site):
            return list(spider._item_request(url, priority=-10))
        entry = spider.categories.get(category_slug(url) or "")
        if entry is None or is_file_url(url) or entry.kind in STATIC_KINDS:
            return []
        return [spider._list_request(canonicalize(url), entry)]


def _is_redirect(capture: Capture) -> bool:
    return capture.status is not None and 300 <= capture.status < 400


def _reason(status: int | None) -> str:
    try:
        return HTTPStatus(status or 0).phrase
    except ValueError:
        return ""


# Scrapy deep-copies its settings, so the import's shared state is found by a name given in them.
_DELIVERIES: dict[str, CaptureDeliveries] = {}


def _deliveries(crawler: Crawler) -> CaptureDeliveries:
    deliveries = _DELIVERIES.get(crawler.settings.get("TDKT_CAPTURES") or "")
    if deliveries is None:
        raise RuntimeError("tdkt import: TDKT_CAPTURES names no import of this process")
    return deliveries


class CaptureDownloadHandler(BaseDownloadHandler):
    """Answers every http(s) request of an import from the captures; the site itself is never asked."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.deliveries = _deliveries(crawler)
        self._max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    async def download_request(self, request: Request) -> Response:
        deliveries = self.deliveries
        if deliveries.run_id is None:
            deliveries.start_run(session_of(self.crawler).run_id)  # None until the home page is admitted
        capture = deliveries.next_capture(request)
        if capture is None:
            deliveries.counts.not_captured += 1
            raise IgnoreRequest(f"not in the web archive: no capture of {request.url}")
        try:
            raw = await run_in_thread(deliveries.read, capture)
        except ArchiveUnavailable as exc:
            # Asking on would only earn longer blocks: stop; the next import resumes here.
            deliveries.unavailable = str(exc)
            assert self.crawler.engine is not None and self.crawler.spider is not None
            self.crawler.engine.close_spider(self.crawler.spider, "archive_unavailable")
            raise IgnoreRequest(f"web archive unavailable: {exc}") from None
        limit = request.meta.get("download_maxsize", self._max_bytes)
        if limit and len(raw.body) > limit:
            raise DownloadCancelledError(f"capture of {request.url} is {len(raw.body)} bytes, over {limit}")
        request.meta[CAPTURE_META] = {"id": capture.id, "captured_at": capture.captured_at}
        deliveries.answered[canonicalize(request.url)] = request.meta[CAPTURE_META]
        headers = Headers(raw.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=raw.body)
        return cls(url=request.url, status=raw.status, headers=headers, body=raw.body, request=request)

    async def close(self) -> None:
        self.deliveries.close()


class CaptureSpiderMiddleware:
    """Dates what the spider found by the capture it read it from, and links it to that capture."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.deliveries = _deliveries(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureSpiderMiddleware:
        return cls(crawler)

    def _stamp(self, output: Any, capture: dict[str, Any] | None, marks: list[bool]) -> Any:
        if isinstance(output, PageItem):
            # A detail page that waited for the site's template is yielded beside a later page: the
            # capture is the one that answered its own address, never the response it came out with.
            capture = self.deliveries.answered.get(canonicalize(output.url), capture)
        if capture is None:
            return output
        if isinstance(output, _STAMPED):
            output.fetched_at = capture["captured_at"]
            output.capture_id = capture["id"]
            marks[0] = False  # marked once stored (CaptureMarkPipeline), not before
            if isinstance(output, PageItem):
                # Stored in this run: a later capture answering 404 means removed, not a dead link.
                spider = self.crawler.spider
                key = spider.session.key(output.url)  # type: ignore[union-attr]
                if key is not None:
                    spider.plan.known.setdefault(key, path_and_query(output.url))  # type: ignore[union-attr]
        elif isinstance(output, PageStatusItem):
            output.at = capture["captured_at"]
        return output

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        capture = response.meta.get(CAPTURE_META)
        marks = [True]
        for output in result:
            yield self._stamp(output, capture, marks)
        if capture is not None and marks[0] and not _waits(response, self.crawler.spider):
            self.deliveries.mark_imported(capture["id"])

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        capture = response.meta.get(CAPTURE_META)
        marks = [True]
        async for output in result:
            yield self._stamp(output, capture, marks)
        if capture is not None and marks[0] and not _waits(response, self.crawler.spider):
            self.deliveries.mark_imported(capture["id"])


def _waits(response: Response, spider: Any) -> bool:
    """Whether the spider holds this detail page until the site's template is learnt: its capture is
    marked imported once the page is stored, so a kill -9 before then delivers it again."""
    return any(args[1] is response for args in getattr(spider, "deferred", ()))


class CaptureMarkPipeline:
    """After the store: a capture whose page or file is now in the archive is not delivered again."""

    def __init__(self, crawler: Crawler) -> None:
        self.deliveries = _deliveries(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMarkPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, _STAMPED):
            self.deliveries.mark_imported(item.capture_id)
        return item


class CaptureWaves:
    """Scrapy extension: when the spider runs dry, the next captures of items and the orphans."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.deliveries = _deliveries(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureWaves:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        return ext

    def spider_idle(self, spider: Any) -> None:
        waiting = {
            args[1].meta[CAPTURE_META]["id"] for args in spider.deferred if CAPTURE_META in args[1].meta
        }
        if waiting:
            return  # the spider parses its waiting detail pages first (its own idle handler); then a wave
        requests = self.deliveries.next_wave(spider, waiting)
        if not requests:
            return
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider


# -- the run ------------------------------------------------------------------------------------------


def import_settings(
    db_path: Path, deliveries: CaptureDeliveries, *, quiet: bool, max_file_mb: float
) -> dict[str, Any]:
    handler = "archive.importer.CaptureDownloadHandler"
    return {
        "TDKT_DB": str(db_path),
        "TDKT_CAPTURES": _register(deliveries),
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        # The captures were made by others' crawlers; the import never asks the site, only the archive,
        # whose pace archive.polite keeps. Scrapy's own delay and retries would only slow the parsing.
        "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "RETRY_ENABLED": False,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        # Each capture read is copied by the import itself, dated by its capture time.
        "TDKT_WARC": False,
        "TDKT_MAX_FILE_BYTES": int(max_file_mb * 1024 * 1024),
        "TDKT_PROGRESS": not quiet and sys.stderr.isatty(),
        "LOG_LEVEL": "ERROR" if quiet else "WARNING",
    }


def _register(deliveries: CaptureDeliveries) -> str:
    name = f"import-{id(deliveries)}"
    _DELIVERIES[name] = deliveries
    return name


@dataclass
class ImportResult:
    code: int
    summary: dict[str, Any] | None
    counts: ImportCounts
    listed_new: int
    problem: str | None = None  # why the import stopped or did nothing, for the operator


def run_import(
    sources: list[CaptureSource],
    site: str,
    db_path: Path,
    *,
    all_captures: bool = False,
    start: str | None = None,
    end: str | None = None,
    quiet: bool = False,
    max_file_mb: float = 50.0,
) -> ImportResult:
    """List the sources' captures into the archive, then run the spider over them. 0: done; 1: the run
    did not finish; the caller reports. Scrapy's reactor starts once per process: one import a process."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scraper.spiders.tdkt import TdktSpider

    db_path = Path(db_path)
    store = ArchiveStore(db_path)
    listed_new = 0
    for source in sources:
        listed_new += source.list_into(store, start=start, end=end)
    deliveries = CaptureDeliveries(store, sources, site, all_captures=all_captures, start=start, end=end)
    if not deliveries.sequences:
        store.close()
        others = deliveries.counts.other_hosts
        why = f"no capture of {site} in the sources"
        if others:
            why += f" ({others} captures of other hosts: see --site)"
        return ImportResult(1, None, deliveries.counts, listed_new, why)
    settings = get_project_settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.setdict(
        import_settings(db_path, deliveries, quiet=quiet, max_file_mb=max_file_mb), priority="cmdline"
    )
    settings.set(
        "ITEM_PIPELINES",
        {**settings.getdict("ITEM_PIPELINES"), "archive.importer.CaptureMarkPipeline": 400},
        priority="cmdline",
    )
    settings.set("SPIDER_MIDDLEWARES", {"archive.importer.CaptureSpiderMiddleware": 950}, priority="cmdline")
    settings.set(
        "EXTENSIONS",
        {**settings.getdict("EXTENSIONS"), "archive.importer.CaptureWaves": 600},
        priority="cmdline",
    )
    settings.set("LOG_INSTALL_ROOT_HANDLER", not quiet, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TdktSpider)
    # Always full: every captured item is read (again), so nothing an earlier, killed import left is
    # skipped; what is already stored is stored as unchanged.
    process.crawl(crawler, site=site, mode="full", db=str(db_path))
    process.start()
    deliveries.close()
    session = session_of(crawler)
    summary: dict[str, Any] | None = session.summary
    done = summary is not None and summary.get("status") == "done"
    if done:
        for source in sources:
            store.forget_listings(source.uri)
    store.close()
    problem = session.refusal or deliveries.unavailable
    code = 0 if done else 2 if session.refusal else 1  # a refusal is the crawl's: another --db or --site
    return ImportResult(code, summary, deliveries.counts, listed_new, problem)
