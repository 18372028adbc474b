"""Live progress on a terminal: pages/s, new, changed, errors, files, images — from the store pipeline."""

from __future__ import annotations

import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from scraper.pipelines import StorePipeline


class CrawlProgress:
    """A rich status line refreshed twice a second; on only when TDKT_PROGRESS is set (not for cron)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None
        self._live: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        if not crawler.settings.getbool("TDKT_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def counts(self) -> dict[str, float]:
        pipeline = self.crawler.get_item_pipeline(StorePipeline)
        counts = dict(pipeline.counts) if pipeline is not None else {}
        stats = self.crawler.stats
        requests = int(stats.get_value("downloader/request_count", 0) or 0) if stats else 0
        pages = counts.get("new", 0) + counts.get("changed", 0) + counts.get("unchanged", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return {
            "requests": requests,
            "pages": pages,
            "pages_per_s": pages / elapsed,
            "new": counts.get("new", 0),
            "changed": counts.get("changed", 0),
            "errors": counts.get("errors", 0),
            "files": counts.get("files", 0),
            "images": counts.get("images", 0),
        }

    def render(self) -> Any:
        from rich.text import Text

        c = self.counts()
        return Text(
            f"{c['pages']:>6} pages  {c['pages_per_s']:5.1f}/s  new {c['new']}  changed {c['changed']}  "
            f"files {c['files']}  images {c['images']}  errors {c['errors']}  requests {c['requests']}"
        )

    def spider_opened(self, spider: Any) -> None:
        from rich.console import Console
        from rich.live import Live

        self.started = time.monotonic()
        self._live = Live(self.render(), console=Console(stderr=True), refresh_per_second=4, transient=True)
        self._live.start()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(0.5, now=False)

    def _tick(self) -> None:
        if self._live is not None:
            self._live.update(self.render())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._live is not None:
            self._live.stop()
            self._live = None
