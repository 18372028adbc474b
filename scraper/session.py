"""The crawl session: the one owner of the archive while a crawl runs.

A Scrapy extension (enabled in scraper/settings.py). It opens the store, decides the crawl plan once
(archive.plan), admits the site answering at the crawl's address (archive.site.admit), starts and
finishes the run record, and keeps the WARC recorder. The spider, the pipelines and the WARC middleware
reach it through `session_of(crawler)`; the spider itself only walks the site and yields.

Nothing is written before the home page has shown that the address is the archive's site: an
unreachable address or another site leaves the archive as it was (and a new archive uncreated), and
`refusal` says why in one line for `tdkt crawl` to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from archive.defaults import DEFAULT_SITE, ERROR_THRESHOLD
from archive.plan import CrawlPlan
from archive.site import SiteIdentity, admit, canonicalize, origin_of
from archive.store import ArchiveStore
from archive.warc import WarcRecorder
from scraper.pages.template import SiteTemplate


@dataclass(frozen=True)
class CrawlArguments:
    """What the operator asked for: where to crawl, into which archive, how."""

    site: str
    db_path: Path
    mode: str | None = None  # "full" | "incremental"; None lets the archive decide (archive.plan)
    site_moved: bool = False  # the operator says the archive's site now lives at `site`


class CrawlSession:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.error_threshold = settings.getfloat("TDKT_ERROR_THRESHOLD", ERROR_THRESHOLD)
        self.keep_warc = settings.getbool("TDKT_WARC")
        self.warc_dir = Path(settings["TDKT_WARC_DIR"]) if settings.get("TDKT_WARC_DIR") else None
        self.arguments: CrawlArguments | None = None
        self.plan = CrawlPlan()
        self.origin: str | None = None  # where this run crawls: the home page's origin
        self.run_id: int | None = None
        self.summary: dict[str, Any] | None = None  # the finished run's row
        self.refusal: str | None = None  # why nothing was crawled, in one line
        self._store: ArchiveStore | None = None
        self._site: SiteIdentity | None = None
        self._walk_only = False  # opened with a plan and no archive: the walking rules' tests
        self._warc: WarcRecorder | None = None
        # Exchanges made before the site is admitted (robots.txt, the home page): written once it is.
        self._held: list[dict[str, Any]] = []
        # The spider's template of the site's furniture, stored with the run when it ends.
        self.template: SiteTemplate | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSession:
        session = cls(crawler)
        crawler.signals.connect(session._spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(session._spider_closed, signal=signals.spider_closed)
        return session

    # -- lifecycle ----------------------------------------------------------------------------------

    def _spider_opened(self, spider: Any) -> None:
        arguments = getattr(spider, "arguments", None)
        if not isinstance(arguments, CrawlArguments):
            raise TypeError(f"spider {spider.name!r} gives the crawl session no CrawlArguments")
        self.open(arguments)

    def open(
        self, arguments: CrawlArguments, plan: CrawlPlan | None = None, site: SiteIdentity | None = None
    ) -> None:
        """Read the archive, if there is one, and decide the plan.

        With `plan` (and optionally the archive's `site`) no archive is read or written at all: the
        spider walks as that plan says, which is how its walking rules are tested without a database.
        """
        self.arguments = arguments
        if plan is not None:
            self.plan, self._site, self._walk_only = plan, site, True
            return
        if arguments.db_path.exists():
            self._store = ArchiveStore(arguments.db_path)
            self.plan = self._store.crawl_plan(arguments.mode)

    def _spider_closed(self, spider: Any, reason: str) -> None:
        if self._warc is not None:
            self._warc.close()
        if self._store is None or self.run_id is None:
            return
        stats = self.crawler.stats
        requests = int(stats.get_value("downloader/request_count", 0) or 0) if stats else 0
        status = {"finished": "done", "shutdown": "interrupted"}.get(reason, "failed")
        if status == "done" and self.error_share(self._store.run_stats(self.run_id), requests) > (
            self.error_threshold
        ):
            status = "done_with_errors"
        if self.template is not None:
            self._store.save_template(self.run_id, self.template.summary(), self.template.rows())
        self.summary = self._store.finish_run(self.run_id, status, requests)
        self._store.close()

    def stored_template(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """What the archive's last run learned of the site's furniture (None, [] for a new archive)."""
        return self._store.latest_template() if self._store is not None else (None, [])

    @staticmethod
    def error_share(run: dict[str, Any], requests: int | None = None) -> float:
        """The share of a run's requests that ended as crawl_errors rows."""
        requests = int(run.get("requests") or 0) if requests is None else requests
        errors = int(run.get("errors") or 0)
        return errors / requests if requests else (1.0 if errors else 0.0)

    # -- the site -----------------------------------------------------------------------------------

    @property
    def store(self) -> ArchiveStore:
        """The archive, once the site is admitted (before, nothing may be written)."""
        if self._store is None or self.run_id is None:
            raise RuntimeError("the crawl session has not admitted the site yet: nothing may be written")
        return self._store

    @property
    def site(self) -> SiteIdentity:
        """The archive's site, once admitted."""
        if self._site is None:
            raise RuntimeError("the crawl session has not admitted the site yet")
        return self._site

    def admit_home(self, home_url: str, item_links: list[str]) -> None:
        """The home page answered at `home_url`, linking `item_links`: start the run if it is the
        archive's site, else stop the crawl (CloseSpider) with `refusal` saying what to do."""
        assert self.arguments is not None
        if self.origin is not None:
            return  # admitted already: one run, one home page
        if self._walk_only:
            self._site = self._site or SiteIdentity.first(home_url)
            self.origin = origin_of(home_url)
            return
        archived = self._store.site if self._store is not None else None
        admission = admit(
            archived, home_url, item_links, self.plan.known_paths, moved=self.arguments.site_moved
        )
        if admission.verdict == "refused":
            assert archived is not None
            self.refusal = (
                f"{self.arguments.site} is not the site archived in {self.arguments.db_path} "
                f"({archived.canonical_origin}): {admission.reason}. If the site moved there, run again "
                "with --site-moved; otherwise give another --db."
            )
            self._held.clear()
            raise CloseSpider("not_this_site")
        store = self._store if self._store is not None else ArchiveStore(self.arguments.db_path)
        self._store = store
        if admission.verdict == "first":
            store.establish_site(home_url)
        elif admission.verdict == "mirror":
            store.admit_origin(home_url, admission.reason)
        elif admission.verdict == "moved":
            store.move_site(home_url)
        self._site = store.site
        self.origin = origin_of(home_url)
        self.run_id = store.start_run(self.arguments.site, self.plan.mode, origin=home_url)
        held, self._held = self._held, []
        for exchange in held:
            self.record_exchange(**exchange)

    def home_failed(self, url: str, reason: str) -> None:
        """The crawl's address gave no home page: stop with a line naming it (CloseSpider)."""
        default = canonicalize(DEFAULT_SITE)
        if canonicalize(url) == default:
            hint = (
                "it is the real site, the default --site: check the network, or give --site another address"
            )
        else:
            hint = f"check --site; without it the crawl goes to the real site, {default}"
        self.refusal = f"cannot reach {url} ({reason}): {hint}"
        self._held.clear()
        raise CloseSpider("site_unreachable")

    # -- what the spider asks -----------------------------------------------------------------------

    def here(self, url: str) -> str:
        """`url` at this run's address when it is an address of the site (another host name, a mirror)."""
        assert self.origin is not None
        return self.site.at_origin(url, self.origin)

    def is_here(self, url: str) -> bool:
        """Whether the run may fetch `url`: it is at this run's own address."""
        return (
            self.origin is not None
            and url.startswith(("http://", "https://"))
            and origin_of(url) == self.origin
        )

    def key(self, url: str) -> str | None:
        """The item key of an address of the site (archive.site.item_key); None for other sites."""
        return self.site.item_key(url)

    def address_of(self, key: str) -> str:
        """Where a known item is asked for in this run: at this run's address, never an old one."""
        assert self.origin is not None
        return self.origin + self.plan.known[key]

    # -- WARC -----------------------------------------------------------------------------------------

    def record_exchange(self, **exchange: Any) -> None:
        """Keep one HTTP exchange as WARC (held until the site is admitted, dropped if it is not)."""
        if not self.keep_warc or self.refusal is not None:
            return
        if self.run_id is None:
            self._held.append(exchange)
            return
        if self._warc is None:
            self._warc = WarcRecorder(self.store, self.run_id, self.warc_dir)
        self._warc.record(**exchange)


def session_of(crawler: Crawler) -> CrawlSession:
    """The crawl's session: the one way the spider, pipelines and middlewares reach the archive."""
    session = crawler.get_extension(CrawlSession)
    if session is None:
        raise RuntimeError("the crawl session (scraper.session.CrawlSession) is not among the EXTENSIONS")
    return session
