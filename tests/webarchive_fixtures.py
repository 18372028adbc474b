"""Small WARC files written by hand, in the forms public archives hold the board's site: both host names,
www., https, revisits, a redirect, a dead link, a file, and neighbours on other hosts that must not match.

Names and text are invented. `write_small_archive(dir)` returns the files; `CAPTURES` what is in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc import payload_digest


@dataclass(frozen=True)
class Written:
    url: str
    date: str  # WARC-Date
    status: int | None  # None: a revisit of the earlier capture with the same body
    body: bytes
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)

    @property
    def timestamp(self) -> str:
        return "".join(ch for ch in self.date if ch.isdigit())[:14]


HTML = (("Content-Type", "text/html; charset=utf-8"),)
ARTICLE = "<html><head><title>Hội nghị điển hình tiên tiến</title></head><body>Ngày 5/3/2024</body></html>"
CAPTURES_2024 = [
    Written("http://tdkt.thaibinh.gov.vn/", "2024-03-01T01:00:00Z", 200, b"<html>Trang chu 1</html>"),
    Written("http://tdkt.thaibinh.gov.vn/thong-bao/", "2024-03-01T01:00:05Z", 200, b"<html>Thong bao</html>"),
    Written(
        "http://tdkt.thaibinh.gov.vn/thong-bao/?page=2", "2024-03-01T01:00:06Z", 200, b"<html>Trang 2</html>"
    ),
    Written(
        "https://tdkt.thaibinh.gov.vn/tin-tuc/hoi-nghi-dien-hinh-101.html",
        "2024-03-01T01:00:10Z",
        200,
        ARTICLE.encode(),
        (*HTML, ("ETag", '"a101-v1"'), ("Last-Modified", "Tue, 05 Mar 2024 02:00:00 GMT")),
    ),
    Written(
        "http://www.tdkt.thaibinh.gov.vn/gioi-thieu.html",
        "2024-03-01T01:00:12Z",
        200,
        b"<html>Gioi thieu</html>",
    ),
    Written(
        "http://tdkt.thaibinh.gov.vn/dang-nhap.html",
        "2024-03-01T01:00:13Z",
        302,
        b"",
        (("Location", "/tai-khoan/dang-nhap.html"), ("Content-Type", "text/html")),
    ),
    Written(
        "http://tdkt.thaibinh.gov.vn/tin-tuc/go-bo-9.html", "2024-03-01T01:00:14Z", 404, b"<html>404</html>"
    ),
    Written(
        "http://tdkt.thaibinh.gov.vn/Uploads/files/qd-15-2024.pdf",
        "2024-03-01T01:00:15Z",
        200,
        b"%PDF-1.4 quyet dinh 15/QD-UBND " * 40,
        (("Content-Type", "application/pdf"), ("Content-Disposition", 'attachment; filename="QĐ 15.pdf"')),
    ),
    Written(
        "http://bantdkt.thaibinh.gov.vn/tin-tuc/hoi-nghi-dien-hinh-101.html",
        "2024-03-02T02:00:00Z",
        200,
        ARTICLE.encode(),
    ),
    Written("http://thaibinh.gov.vn/", "2024-03-02T02:00:01Z", 200, b"<html>Cong thong tin tinh</html>"),
    Written("http://sotdkt.thaibinh.gov.vn/a.html", "2024-03-02T02:00:02Z", 200, b"<html>Khac</html>"),
]
CAPTURES_2025 = [
    Written("http://tdkt.thaibinh.gov.vn/", "2025-02-01T01:00:00Z", 200, b"<html>Trang chu 2</html>"),
    Written(
        "https://tdkt.thaibinh.gov.vn/tin-tuc/hoi-nghi-dien-hinh-101.html",
        "2025-02-01T01:00:03Z",
        None,
        ARTICLE.encode(),
    ),
]
CAPTURES = CAPTURES_2024 + CAPTURES_2025


def _write(path: Path, captures: list[Written]) -> Path:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for c in captures:
            if c.status is None:
                record = writer.create_revisit_record(
                    c.url, payload_digest(c.body), c.url, "2024-03-01T01:00:10Z"
                )
            else:
                reason = {200: "OK", 302: "Found", 404: "Not Found"}[c.status]
                http = StatusAndHeaders(f"{c.status} {reason}", list(c.headers), protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    c.url, "response", payload=BytesIO(c.body), length=len(c.body), http_headers=http
                )
            record.rec_headers.replace_header("WARC-Date", c.date)
            writer.write_record(record)
    return path


def write_small_archive(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return [
        _write(directory / "others-2024.warc.gz", CAPTURES_2024),
        _write(directory / "others-2025.warc.gz", CAPTURES_2025),
    ]


def of_host(host: str) -> list[Written]:
    """What `matchType=domain` for a host must list: the host and its subdomains, nothing else."""
    out = []
    for c in CAPTURES:
        name = c.url.split("://", 1)[1].split("/", 1)[0]
        if name == host or name.endswith("." + host):
            out.append(c)
    return out
