"""Raw HTTP traffic kept the way web archives keep it: gzipped WARC files written with warcio.

Every response is written as a request/response pair with block and payload digests; a re-fetch
whose payload is byte-identical to the last capture of that item — from whichever address of the
site — (or a 304) is written as a revisit record instead, so a nightly recrawl costs headers, not
bodies. Each record keeps its exchange's real target URI. Each record is flushed before its index row
is committed, so after a kill the index never points past what is on disk; `tdkt verify` re-reads
every indexed record and checks its digests. The scraper's downloader middleware
(scraper/middlewares.py) hands the exchanges to `WarcRecorder`.
"""

from __future__ import annotations

import hashlib
from base64 import b32encode
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.store import ArchiveStore

MAX_WARC_BYTES = 1 << 30  # start a new file past 1 GiB, as Heritrix and wget do


def payload_digest(body: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(body).digest()).decode()


def _warc_date() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcRecorder:
    def __init__(self, store: ArchiveStore, run_id: int | None, warc_dir: Path | None = None) -> None:
        self.store = store
        self.run_id = run_id
        self.warc_dir = warc_dir or store.root / "warc"
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        # canonical URL -> (payload digest, WARC date, captured URL) of the newest full capture
        self._latest = store.latest_warc_captures()
        self._serial = 0
        self._fh: Any = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None

    def _open_next(self) -> None:
        self.close()
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self._path = self.warc_dir / f"tdkt-{stamp}-run{self.run_id or 0}-{self._serial:05d}.warc.gz"
        self._fh = open(self._path, "ab")  # noqa: SIM115 - stays open across records until close()
        self._writer = WARCWriter(self._fh, gzip=True)
        info = self._writer.create_warcinfo_record(
            self._path.name, {"software": "tdkt-archive", "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)

    def _ensure_file(self) -> WARCWriter:
        if self._writer is None or self._fh.tell() > MAX_WARC_BYTES:
            self._open_next()
        assert self._writer is not None
        return self._writer

    def record(
        self,
        *,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
    ) -> str:
        """Write one exchange; returns the WARC type used for the response ("response" | "revisit")."""
        writer = self._ensure_file()
        date = _warc_date()
        digest = payload_digest(body)
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
        canonical = self.store.site.canonical_url(url) if self.store.site is not None else url
        previous = self._latest.get(canonical)
        if status == 304 and previous:
            record = writer.create_revisit_record(
                url, previous[0], previous[2], previous[1], http_headers=http_headers
            )
            record.rec_headers.replace_header(
                "WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
            )
            warc_type, digest = "revisit", previous[0]
        elif previous and previous[0] == digest and status == 200:
            # The same bytes captured from another address of the site refer to that capture.
            record = writer.create_revisit_record(
                url, digest, previous[2], previous[1], http_headers=http_headers
            )
            warc_type = "revisit"
        else:
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers
            )
            warc_type = "response"
        record.rec_headers.replace_header("WARC-Date", date)
        offset = self._fh.tell()
        writer.write_record(record)
        request = writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"{method} {_request_target(url)} HTTP/1.1", request_headers, is_http_request=True
            ),
        )
        request.rec_headers.replace_header(
            "WARC-Concurrent-To", record.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)
        length = self._fh.tell() - offset
        # Flushed to the OS before the index row commits: a kill -9 loses neither.
        self._fh.flush()
        assert self._path is not None
        self.store.record_warc(
            run_id=self.run_id,
            url=url,
            warc_type=warc_type,
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
            payload_digest=digest,
            filename=self._path.name,
            offset=offset,
            length=length,
            warc_date=date,
        )
        if warc_type == "response" and status == 200:
            self._latest[canonical] = (digest, date, url)
        return warc_type

    def record_capture(
        self,
        *,
        url: str,
        warc_date: str,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        source_uri: str,
    ) -> tuple[str, int]:
        """Keep a web archive's capture in the archive's own WARC files, dated when it was captured.

        `WARC-Source-URI` names where it was read (the raw capture's URL, or the file and offset), so
        the copy can always be traced to the archive that held it. Returns (file name, offset)."""
        writer = self._ensure_file()
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers
        )
        record.rec_headers.replace_header("WARC-Date", warc_date)
        record.rec_headers.add_header("WARC-Source-URI", source_uri)
        offset = self._fh.tell()
        writer.write_record(record)
        length = self._fh.tell() - offset
        self._fh.flush()  # before the index rows commit, as in record()
        assert self._path is not None
        self.store.record_warc(
            run_id=self.run_id,
            url=url,
            warc_type="response",
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
            payload_digest=payload_digest(body),
            filename=self._path.name,
            offset=offset,
            length=length,
            warc_date=warc_date,
        )
        return self._path.name, offset

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            self._fh.close()
        self._fh = None
        self._writer = None


def _request_target(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
