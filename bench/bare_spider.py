"""The baseline crawler: a bare Scrapy spider that follows every same-host link and writes each body
to disk, without parsing anything but the links. `tdkt crawl` is measured against it.

Run: python -m bench.bare_spider --site URL --out DIR --concurrency N [--deny REGEX]
Prints one JSON line of counts when done.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

# A regex over the raw bytes, not an HTML parser: the baseline does the least work a crawler can do.
_HREF = re.compile(rb"""(?:href|src)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, site: str, out: str, deny: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [site]
        self.host = urlsplit(site).netloc
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.deny = re.compile(deny) if deny else None
        self.responses = 0
        self.bytes = 0

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        self.responses += 1
        self.bytes += len(response.body)
        name = hashlib.sha1(response.url.encode()).hexdigest()
        (self.out / name).write_bytes(response.body)
        content_type = response.headers.get(b"Content-Type", b"").lower()
        if b"html" not in content_type:
            return
        for match in _HREF.finditer(response.body):
            href = html.unescape(match.group(1).decode("utf-8", "replace")).strip()
            if href.startswith(("javascript:", "mailto:", "tel:")):
                continue
            url = urljoin(response.url, href)
            if urlsplit(url).netloc != self.host or (self.deny and self.deny.search(url)):
                continue
            yield scrapy.Request(url, callback=self.parse)


def settings(concurrency: int) -> dict[str, Any]:
    """What `tdkt crawl --delay 0 --concurrency N` sets, minus the archive: same politeness and limits."""
    return {
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "CONCURRENT_REQUESTS": max(concurrency, 2),
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOWED_CODES": [404, 410],
        "DOWNLOAD_MAXSIZE": 50 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "LOG_LEVEL": "ERROR",
        "USER_AGENT": "tdkt-bench-bare/0.1",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--deny", default=None, help="Regex of URLs never to follow.")
    args = parser.parse_args(argv)
    process = CrawlerProcess(settings(args.concurrency), install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, site=args.site, out=args.out, deny=args.deny)
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(
        json.dumps(
            {
                "responses": spider.responses,
                "bytes": spider.bytes,
                "requests": int(stats.get("downloader/request_count", 0)),
            }
        )
    )


if __name__ == "__main__":
    main()
