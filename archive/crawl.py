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

from archive.defaults import ERROR_THRESHOLD, MAX_FILE_MB


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
    site_moved: bool = False,
    quiet: bool = False,
    concurrency: int = 2,
    timeout: float = 30.0,
    max_file_mb: float = MAX_FILE_MB,
    error_threshold: float = ERROR_THRESHOLD,
    warc: bool = True,
) -> int:
    """Crawl `site` into the archive at `db_path`. 0: done; 1: done_with_errors (a larger share of the
    requests than `error_threshold` ended as crawl_errors), interrupted or failed; 2: it never ran —
    the address gave no home page, or it is not the archive's site (the reason is printed).

    With `warc` (the default) every exchange is also kept in WARC files beside the archive (issue 6).
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scraper.session import session_of
    from scraper.spiders.tdkt import TdktSpider

    db_path = Path(db_path)
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
    settings.set("TDKT_ERROR_THRESHOLD", error_threshold, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", not quiet, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(TdktSpider)
    # The mode is the archive's to decide (archive.plan.crawl_mode) unless --full asks.
    mode = "full" if full else None
    process.crawl(crawler, site=site, mode=mode, db=str(db_path), site_moved=site_moved)
    process.start()
    session = session_of(crawler)
    if session.refusal is not None:
        print(f"tdkt crawl: {session.refusal}", file=sys.stderr)  # one line, never wrapped
        return 2
    summary = session.summary
    if summary is None:
        Console(stderr=True).print("[red]tdkt crawl: the run did not finish[/red]")
        return 2
    share = session.error_share(summary)
    if not quiet:
        Console().print(summary_table(summary, share))
    if summary.get("status") == "done_with_errors":
        requests, errors = int(summary.get("requests") or 0), int(summary.get("errors") or 0)
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
        ("images new", "images_new"),
        ("errors", "errors"),
        ("requests", "requests"),
    ):
        table.add_row(label, str(summary.get(key) or 0))
    table.add_row("error share", f"{error_share:.1%}")
    return table
