"""Downloader middleware: every HTTP exchange, as it comes off the wire, to the crawl session's WARC."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from scraper.session import session_of


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class WarcMiddleware:
    """Enabled with TDKT_WARC=True. Ordered close to the downloader (900) so it sees the body before
    decompression middlewares touch it. The session writes the records (archive.warc.WarcRecorder)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcMiddleware:
        if not crawler.settings.getbool("TDKT_WARC"):
            raise NotConfigured
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.url.startswith(("http://", "https://")):
            return response  # answered in-process (the spider's data: requests): nothing was exchanged
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        session_of(self.crawler).record_exchange(
            url=response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            status=response.status,
            reason=reason,
            response_headers=_header_pairs(response.headers),
            body=response.body,
        )
        return response
