"""The replica as a public web archive holds it: captures in WARC files, served the Internet Archive's way.

- `rewrite_hosts(warcs, old_base, new_base, out_dir)`: WARC files of a crawl of the replica, with every
  URL moved from the loopback address to the real site's name (public archives hold
  `http://tdkt.thaibinh.gov.vn/...`, never `127.0.0.1`). Only WARC headers change: the digests hold.
- `WaybackServer` / `running_wayback(warcs)`: an IA-style Wayback Machine on 127.0.0.1 over those
  captures — the CDX API at `/cdx/search/cdx` (JSON array of arrays with a header row, `original`/
  `mimetype`/`statuscode`, `-` for revisits, regex `filter`, `collapse`, `limit` + `showResumeKey` →
  `resumeKey`, `matchType` exact/prefix/host/domain, `from`/`to`) and raw captures at
  `/web/<timestamp>id_/<url>` (the site's headers as `x-archive-orig-*`, revisits resolved, redirects
  pointing into the archive, other timestamps redirected to the closest capture).
- Like the IA, it answers 429 to a client asking more than `limit_per_minute` in a minute, and can be
  told to answer 429 to chosen requests (`throttle_requests`); every request is logged with its time,
  and a request that comes back before the Retry-After it was given is logged as ignoring it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

IA_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# Headers the IA passes on as they were; the rest of the site's headers come as x-archive-orig-*.
_PASSED = frozenset({"content-type", "content-disposition", "location"})


def rewrite_hosts(warcs: Iterable[Path], old_base: str, new_base: str, out_dir: Path) -> list[Path]:
    """Copies of `warcs` in `out_dir` whose target URIs start with `new_base` instead of `old_base`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    old, new = old_base.rstrip("/"), new_base.rstrip("/")
    written = []
    for path in warcs:
        target = out_dir / path.name
        with open(path, "rb") as src, open(target, "wb") as dst:
            writer = WARCWriter(dst, gzip=True)
            for record in ArchiveIterator(src):
                for name in ("WARC-Target-URI", "WARC-Refers-To-Target-URI"):
                    value = record.rec_headers.get_header(name)
                    if value and value.startswith(old):
                        record.rec_headers.replace_header(name, new + value[len(old) :])
                writer.write_record(record)
        written.append(target)
    return written


def surt_key(url: str) -> str:
    """The IA's urlkey: host reversed with commas, www. dropped, lowercased, then ')' and the path."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path or "/").lower()
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.lower().split("&")))
    return key


@dataclass
class ArchivedCapture:
    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str  # "-" for revisits
    digest: str
    length: str
    path: Path
    offset: int

    def field(self, name: str) -> str:
        return str(getattr(self, name))


def index_warcs(warcs: Iterable[Path]) -> list[ArchivedCapture]:
    captures = []
    for path in warcs:
        with open(path, "rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type not in ("response", "revisit"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                stamp = re.sub(r"\D", "", date)[:14]
                digest = (record.rec_headers.get_header("WARC-Payload-Digest") or "").removeprefix("sha1:")
                if record.rec_type == "revisit":
                    mime, status = "warc/revisit", "-"
                else:
                    mime = (record.http_headers.get_header("Content-Type") or "unk").split(";")[0].strip()
                    status = record.http_headers.get_statuscode()
                captures.append(
                    ArchivedCapture(
                        surt_key(url),
                        stamp,
                        url,
                        mime,
                        status,
                        digest,
                        record.rec_headers.get_header("Content-Length") or "0",
                        path,
                        records.get_record_offset(),
                    )
                )
    captures.sort(key=lambda c: (c.urlkey, c.timestamp))
    return captures


@dataclass
class WaybackLog:
    at: float  # time.monotonic() on arrival
    path: str
    status: int
    user_agent: str | None
    ignored_retry_after: bool = False


@dataclass
class _Client:
    arrivals: list[float] = field(default_factory=list)
    blocked_until: float = 0.0


class WaybackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        captures: list[ArchivedCapture],
        *,
        limit_per_minute: int = 0,
        retry_after: int = 1,
        throttle_requests: Iterable[int] = (),
        port: int = 0,
    ) -> None:
        self.captures = captures
        self.limit_per_minute = limit_per_minute
        self.retry_after = retry_after
        self.throttle_requests = set(throttle_requests)
        self.log: list[WaybackLog] = []
        self.lock = threading.Lock()
        self.clients: dict[str, _Client] = {}
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    @property
    def cdx_url(self) -> str:
        return self.base_url + "cdx/search/cdx"

    def admit(self, client: str, path: str, user_agent: str | None) -> tuple[bool, WaybackLog]:
        """Log the request; False when it is to be answered 429."""
        now = time.monotonic()
        with self.lock:
            state = self.clients.setdefault(client, _Client())
            number = len(self.log) + 1
            ignored = now < state.blocked_until
            state.arrivals = [t for t in state.arrivals if now - t < 60.0] + [now]
            over = bool(self.limit_per_minute) and len(state.arrivals) > self.limit_per_minute
            refuse = ignored or over or number in self.throttle_requests
            if refuse:
                state.blocked_until = max(state.blocked_until, now + self.retry_after)
            entry = WaybackLog(now, path, 429 if refuse else 200, user_agent, ignored)
            self.log.append(entry)
            return not refuse, entry

    # -- the CDX API ----------------------------------------------------------------------------------

    def cdx(self, params: dict[str, list[str]]) -> tuple[int, str]:
        url = (params.get("url") or [""])[0]
        if not url:
            return 400, "missing url"
        match = (params.get("matchType") or ["exact"])[0]
        rows = [c for c in self.captures if _matches(c, url, match)]
        start, end = (params.get("from") or [""])[0], (params.get("to") or [""])[0]
        if start:
            rows = [c for c in rows if c.timestamp >= (start + "00000000000000")[:14]]
        if end:
            rows = [c for c in rows if c.timestamp <= (end + "99999999999999")[:14]]
        for expression in params.get("filter", []):
            rows = _filter(rows, expression)
        for spec in params.get("collapse", []):
            rows = _collapse(rows, spec)
        resume = (params.get("resumeKey") or [""])[0]
        if resume:
            key, _, stamp = unquote(resume).rpartition(" ")
            rows = [c for c in rows if (c.urlkey, c.timestamp) > (key, stamp)]
        limit = int((params.get("limit") or ["0"])[0] or 0)
        more = bool(limit) and len(rows) > limit
        if limit:
            rows = rows[:limit]
        fields = (params.get("fl") or [",".join(IA_FIELDS)])[0].split(",")
        show_key = (params.get("showResumeKey") or ["false"])[0] == "true"
        if (params.get("output") or [""])[0] != "json":
            lines = [" ".join(c.field(f) for f in fields) for c in rows]
            if show_key and more:
                lines += ["", quote(f"{rows[-1].urlkey} {rows[-1].timestamp}")]
            return 200, "\n".join(lines) + "\n"
        table: list[list[str]] = [list(fields)] + [[c.field(f) for f in fields] for c in rows]
        if show_key and more:
            table += [[], [quote(f"{rows[-1].urlkey} {rows[-1].timestamp}")]]
        return 200, json.dumps(table) if rows else "[]"

    # -- raw captures ---------------------------------------------------------------------------------

    def closest(self, url: str, stamp: str) -> ArchivedCapture | None:
        key = surt_key(url)
        same = [c for c in self.captures if c.urlkey == key and c.original == url]
        same = same or [c for c in self.captures if c.urlkey == key]
        if not same:
            return None
        return min(same, key=lambda c: (abs(int(c.timestamp) - int(stamp.ljust(14, "0")[:14])), c.timestamp))

    def read(self, capture: ArchivedCapture) -> tuple[int, list[tuple[str, str]], bytes]:
        if capture.statuscode == "-":
            original = next(
                (
                    c
                    for c in self.captures
                    if c.urlkey == capture.urlkey and c.digest == capture.digest and c.statuscode != "-"
                ),
                None,
            )
            if original is None:
                return 404, [("Content-Type", "text/plain")], b"revisit of a capture this archive lacks"
            capture = original
        with open(capture.path, "rb") as fh:
            fh.seek(capture.offset)
            record = next(iter(ArchiveIterator(fh)))
            body = record.content_stream().read()
            status = int(record.http_headers.get_statuscode())
            headers = []
            for key, value in record.http_headers.headers:
                low = key.lower()
                if low in ("content-length", "transfer-encoding", "content-encoding"):
                    headers.append(("x-archive-orig-" + low, value))
                elif low in _PASSED:
                    headers.append((key, value))
                else:
                    headers.append(("x-archive-orig-" + low, value))
            return status, headers, body


def _matches(capture: ArchivedCapture, url: str, match: str) -> bool:
    if match == "domain":
        host = url.split("://")[-1].split("/")[0].lower().removeprefix("www.")
        surt_host = ",".join(reversed(host.split(".")))
        return capture.urlkey.startswith(surt_host + ")") or capture.urlkey.startswith(surt_host + ",")
    key = surt_key(url if "://" in url else "http://" + url)
    if match == "host":
        return capture.urlkey.split(")")[0] == key.split(")")[0]
    if match == "prefix":
        return capture.urlkey.startswith(key.rstrip("/"))
    return capture.urlkey == key


def _filter(rows: list[ArchivedCapture], expression: str) -> list[ArchivedCapture]:
    """The IA's filter: [!]field:regex, the regex matching the whole value (Java's matches())."""
    invert = expression.startswith("!")
    name, _, pattern = expression.lstrip("!").partition(":")
    regex = re.compile(pattern)
    return [c for c in rows if bool(regex.fullmatch(c.field(name))) != invert]


def _collapse(rows: list[ArchivedCapture], spec: str) -> list[ArchivedCapture]:
    """Adjacent rows whose field (or its first N characters) repeats are dropped, whatever their URL."""
    name, _, length = spec.partition(":")
    out: list[ArchivedCapture] = []
    last = None
    for c in rows:
        value = c.field(name)[: int(length)] if length else c.field(name)
        if value != last:
            out.append(c)
        last = value
    return out


class _Handler(BaseHTTPRequestHandler):
    server: WaybackServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        srv = self.server
        admitted, entry = srv.admit(self.client_address[0], self.path, self.headers.get("User-Agent"))
        if not admitted:
            self._send(
                429,
                [("Content-Type", "text/html"), ("Retry-After", str(srv.retry_after))],
                b"Too Many Requests",
            )
            return
        parts = urlsplit(self.path)
        if parts.path == "/cdx/search/cdx":
            params: dict[str, list[str]] = {}
            for key, value in parse_qsl(parts.query, keep_blank_values=True):
                params.setdefault(key, []).append(value)
            status, text = srv.cdx(params)
            entry.status = status
            self._send(
                status,
                [("Content-Type", "application/json" if text.startswith("[") else "text/plain")],
                text.encode(),
            )
            return
        m = re.match(r"^/web/(\d{1,14})id_/(https?://.*)$", self.path)
        if not m:
            entry.status = 404
            self._send(404, [("Content-Type", "text/plain")], b"not found")
            return
        stamp, url = m[1], unquote(m[2]) if "%3A" in m[2][:12] else m[2]
        capture = srv.closest(url, stamp)
        if capture is None:
            entry.status = 404
            self._send(404, [("Content-Type", "text/plain")], b"Wayback Machine has not archived that URL.")
            return
        if capture.timestamp != stamp:
            entry.status = 302
            self._send(302, [("Location", f"/web/{capture.timestamp}id_/{capture.original}")], b"")
            return
        status, headers, body = srv.read(capture)
        out = []
        for key, value in headers:
            if key.lower() == "location":
                target = value if "://" in value else _join(capture.original, value)
                value = f"{srv.base_url}web/{capture.timestamp}id_/{target}"
            out.append((key, value))
        out.append(("Memento-Datetime", capture.timestamp))
        entry.status = status
        self._send(status, out, body)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _join(base: str, location: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, location)


@contextmanager
def running_wayback(warcs: Iterable[Path], **options: Any) -> Iterator[WaybackServer]:
    server = WaybackServer(index_warcs(warcs), **options)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
