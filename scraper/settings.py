"""Scrapy settings for the tdkt spider. Every value that differs from Scrapy's default says why.

`archive.crawl.run_crawl` overrides a few of them per run (delay, concurrency, timeout, file size limit);
`scrapy crawl tdkt` from the repository root uses them as they are: the polite defaults for the real site.
"""

from __future__ import annotations

from archive.defaults import DEFAULT_DB, ERROR_THRESHOLD, MAX_FILE_BYTES, MAX_LIST_PAGES

BOT_NAME = "tdkt"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# An honest name and a way to reach us: a provincial government site deserves to know who crawls it.
USER_AGENT = "tdkt-archive/0.1 (+https://github.com/tdkt-archive/tdkt-archive)"
# Scrapy ignores robots.txt by default; an archive of a public body's site must respect it.
ROBOTSTXT_OBEY = True

# A small government server: one request a second, two at a time at most, slower when it slows down.
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%: a fixed beat is easy to mistake for an attack
CONCURRENT_REQUESTS_PER_DOMAIN = 2
CONCURRENT_REQUESTS = 8  # only one domain is crawled; the per-domain limit is the real bound
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# The server answers slowly at times; 30 s (not 180 s) keeps a stuck request from stalling a run.
DOWNLOAD_TIMEOUT = 30
# Transient server errors and timeouts are worth two more tries; 404s are real answers (dead links).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Redirect chains on this kind of portal are one or two hops; a longer chain is a loop.
REDIRECT_MAX_TIMES = 5
# No page of this site comes near 64 MB; Scrapy's 1 GiB default would let a broken server fill memory.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 32 * 1024 * 1024
# A body cut short must never be stored as complete: fail the request instead (Scrapy's default, kept
# explicit because the archive's integrity depends on it).
DOWNLOAD_FAIL_ON_DATALOSS = True

# The site needs no session; cookies would only make requests differ between runs.
COOKIES_ENABLED = False
# The archive keeps its own record of what changed; a cache would hide edits from a --full run.
HTTPCACHE_ENABLED = False
# No interactive console port on a machine running from cron.
TELNETCONSOLE_ENABLED = False
# Responses with these statuses reach the spider so it can flag removals and record dead links.
HTTPERROR_ALLOWED_CODES = [304, 404, 410]
# Scrapy's progress lines would interleave with our own display; warnings and errors still show.
LOG_LEVEL = "WARNING"
# Depth-first per list keeps the "stop when a page shows nothing new" rule close to the list's head.
DEPTH_PRIORITY = 0

ITEM_PIPELINES = {
    "scraper.pipelines.ValidatePipeline": 100,
    "scraper.pipelines.NormalizePipeline": 200,
    "scraper.pipelines.StorePipeline": 300,
}
DOWNLOADER_MIDDLEWARES = {
    # Records the raw exchange as WARC when TDKT_WARC is on (archive.warc); close to the wire.
    "scraper.middlewares.WarcMiddleware": 900,
}
EXTENSIONS = {
    # The one owner of the archive during a crawl: store, run record, crawl plan (scraper/session.py).
    "scraper.session.CrawlSession": 100,
    "scraper.extensions.CrawlProgress": 500,
}

# Project settings (read by the spider, the session, the pipelines and the progress display);
# the values live in archive.defaults.
TDKT_DB = str(DEFAULT_DB)
TDKT_WARC = False
TDKT_MAX_FILE_BYTES = MAX_FILE_BYTES  # files and images above this are skipped with an error row
TDKT_MAX_LIST_PAGES = MAX_LIST_PAGES  # a "next" link that never ends must not trap a list walk
TDKT_ERROR_THRESHOLD = ERROR_THRESHOLD  # a run with a larger share of errors is done_with_errors
TDKT_PROGRESS = False  # live progress on a terminal; run_crawl turns it on unless --quiet
