"""`tdkt crawl`: run the tdkt spider in this process and report the run.

Scrapy's reactor starts once per process, so this runs once per process (the CLI is one process per
command; tests call the CLI in a subprocess).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


def crawl_settings(
    site: str,
    db_path: Path,
    *,
    delay: float,
    concurrency: int,
    timeout: float,
    max_file_mb: float,
    quiet: bool,
    warc: bool,
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "TDKT_DB": str(db_path),
        "DOWNLOAD_DELAY": delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_REQUESTS": max(concurrency, 2),
        "DOWNLOAD_TIMEOUT": timeout,
        "TDKT_MAX_FILE_BYTES": int(max_file_mb * 1024 * 1024),
        "TDKT_PROGRESS": not quiet and sys.stderr.isatty(),
        "TDKT_WARC": warc,
        "LOG_LEVEL": "ERROR" if quiet else "WARNING",
    }
    if delay == 0:
        # A local replica: AutoThrottle would add back the delay the user asked to drop.
        settings["AUTOTHROTTLE_ENABLED"] = False
        settings["DOWNLOAD_DELAY_JITTER"] = 0
    else:
        settings["AUTOTHROTTLE_START_DELAY"] = delay
    return settings


def run_crawl(
    site: str,
    db_path: Path,
    *,
    delay: float = 1.0,
    full: bool = False,
    quiet: bool = False,
    concurrency: int = 2,
    timeout: float = 30.0,
    max_file_mb: float = 50.0,
    error_threshold: float = 0.05,
    warc: bool = True,
) -> int:
    """Crawl `site` into the archive at `db_path`. 0: done; 1: done, but errors above the threshold
    (share of requests that ended as crawl_errors) or the run was interrupted; 2: it never ran.

    With `warc` (the default) every exchange is also kept in WARC files beside the archive (issue 6).
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from archive.store import ArchiveStore
    from scraper.spiders.tdkt import TdktSpider

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # Explicit --full, else incremental once the archive holds data (the spider decides the same way).
    has_data = False
    if db_path.exists():
        store = ArchiveStore(db_path)
        has_data = store.has_data()
        store.close()
    mode = "full" if full or not has_data else "incremental"
    settings = get_project_settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.setdict(
        crawl_settings(
            site,
            db_path,
            delay=delay,
            concurrency=concurrency,
            timeout=timeout,
            max_file_mb=max_file_mb,
            quiet=quiet,
            warc=warc,
        ),
        priority="cmdline",
    )
    settings.set("LOG_INSTALL_ROOT_HANDLER", not quiet, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TdktSpider)
    process.crawl(crawler, site=site, mode=mode, db=str(db_path))
    process.start()
    spider = crawler.spider
    summary: dict[str, Any] | None = getattr(spider, "run_summary", None)
    if summary is None:
        Console(stderr=True).print("[red]tdkt crawl: the run did not finish[/red]")
        return 2
    requests = int(summary.get("requests") or 0)
    errors = int(summary.get("errors") or 0)
    share = errors / requests if requests else (1.0 if errors else 0.0)
    if not quiet:
        Console().print(summary_table(summary, share))
    if share > error_threshold:
        Console(stderr=True).print(
            f"tdkt crawl: {errors} errors in {requests} requests ({share:.1%}), "
            f"over the {error_threshold:.1%} threshold; see the crawl_errors table"
        )
        return 1
    return 0 if summary.get("status") == "done" else 1


def summary_table(summary: dict[str, Any], error_share: float) -> Table:
    table = Table(title=f"Crawl run {summary.get('id')} ({summary.get('mode')}): {summary.get('status')}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, key in (
        ("pages new", "pages_new"),
        ("pages changed", "pages_changed"),
        ("pages unchanged", "pages_unchanged"),
        ("pages removed", "pages_removed"),
        ("files new", "files_new"),
        ("errors", "errors"),
        ("requests", "requests"),
    ):
        table.add_row(label, str(summary.get(key) or 0))
    table.add_row("error share", f"{error_share:.1%}")
    return table
