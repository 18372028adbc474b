"""The whole crawler on hand-written sites whose markup differs from the replica's.

Each site under tests/files/pages/site_<name>/ is a folder of saved pages served on loopback: the URL
path is the file path, `?query` becomes `@query` in the file name, and an optional `<file>.headers`
holds the response headers (for a lying charset header). The real `tdkt crawl` runs in a subprocess.
"""

from __future__ import annotations

import json
import mimetypes
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "files" / "pages"


@dataclass
class StaticSite:
    root: Path
    base_url: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path?query, user agent)


def _file_for(root: Path, raw_path: str) -> Path | None:
    parts = urlsplit(raw_path)
    path = unquote(parts.path).lstrip("/") or "index.html"
    name = f"{path}@{unquote(parts.query)}" if parts.query else path
    target = (root / name).resolve()
    if root.resolve() not in target.parents or not target.is_file():
        return None
    return target


def _handler(site: StaticSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            target = _file_for(site.root, self.path)
            if target is None:
                self.send_error(404)
                return
            body = target.read_bytes()
            headers_file = target.with_name(target.name + ".headers")
            if headers_file.exists():
                headers = json.loads(headers_file.read_text())
            else:
                ctype = (
                    "text/html; charset=utf-8"
                    if target.suffix in (".html", "") or "@" in target.name
                    else (mimetypes.guess_type(target.name)[0] or "application/octet-stream")
                )
                if target.name == "robots.txt":
                    ctype = "text/plain"
                if target.suffix == ".docx" or target.name.endswith(".docx"):
                    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                headers = {"Content-Type": ctype}
            self.send_response(200)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def crawl(site: StaticSite, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "archive.cli",
            "crawl",
            "--site",
            site.base_url,
            "--db",
            str(db),
            "--delay",
            "0",
            "--quiet",
            *extra,
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )


def rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- the sites -----------------------------------------------------------------------------------------------

BOOTSTRAP_ITEMS = {
    "/tin-tuc/phat-dong-phong-trao-thi-dua-101.html": ("tin-tuc", "news", "2024-03-05T08:30:00+07:00"),
    "/tin-tuc/hoi-nghi-tong-ket-cong-tac-thi-dua-102.html": ("tin-tuc", "news", "2023-12-20T14:05:00+07:00"),
    "/tin-tuc/guong-dien-hinh-tien-tien-103.html": ("tin-tuc", "news", None),
    "/van-ban-ubnd-tinh/quyet-dinh-ban-hanh-quy-che-201.html": (
        "van-ban-ubnd-tinh",
        "legal_text",
        "2014-11-22",
    ),
    # no date on the page: the notices box's US timestamp stands in, read month first
    "/thong-bao/ke-hoach-thi-dua-nam-2025-301.html": ("thong-bao", "notice", "2025-02-18T14:03:59+07:00"),
    "/hoi-dap/ve-thu-tuc-khen-thuong-401.html": ("hoi-dap", "qa", "2024-04-02"),
    "/gioi-thieu/hoi-dong-tdkt-tinh.html": ("hoi-dong-tdkt-tinh", "about", None),
}
TABLE_ITEMS = {
    "/tin-tuc/ngay-hoi-thi-dua-501.html": ("tin-tuc", "news", "2006-01-05"),
    "/tin-tuc/khen-thuong-dot-xuat-502.html": ("tin-tuc", "news", "2007-03-12"),
    "/tin-tuc/tong-ket-nam-2005-503.html": ("tin-tuc", "news", "2005-12-29"),
    "/quyet-dinh-khen-thuong/qd-khen-thuong-tap-the-601.html": (
        "quyet-dinh-khen-thuong",
        "award_decision",
        "2007-06-16",
    ),
    "/thong-bao/hop-hoi-dong-thi-dua-701.html": ("thong-bao", "notice", "2008-11-05T09:15:00+07:00"),
    "/ban-tdkt.html": ("ban-tdkt", "about", None),
}


@pytest.fixture(scope="module")
def crawled_sites(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[StaticSite, Path, int]]]:
    servers: list[ThreadingHTTPServer] = []
    out: dict[str, tuple[StaticSite, Path, int]] = {}
    for name in ("bootstrap", "table"):
        site = StaticSite(SITES / f"site_{name}")
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        site.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
        db = tmp_path_factory.mktemp(name) / "tdkt.sqlite"
        out[name] = (site, db, crawl(site, db).returncode)
    yield out
    for server in servers:
        server.shutdown()
        server.server_close()


SITE_CASES = [("bootstrap", BOOTSTRAP_ITEMS), ("table", TABLE_ITEMS)]


def archived(db: Path) -> dict[str, sqlite3.Row]:
    return {urlsplit(r["url"]).path: r for r in rows(db, "SELECT * FROM pages")}


@pytest.mark.parametrize(("name", "items"), SITE_CASES)
def test_every_item_and_nothing_else(crawled_sites: dict[str, Any], name: str, items: dict[str, Any]) -> None:
    _, db, _ = crawled_sites[name]
    assert set(archived(db)) == set(items)


@pytest.mark.parametrize(("name", "items"), SITE_CASES)
def test_category_kind_and_date(crawled_sites: dict[str, Any], name: str, items: dict[str, Any]) -> None:
    _, db, _ = crawled_sites[name]
    got = {path: (r["category"], r["kind"], r["published_at"]) for path, r in archived(db).items()}
    assert got == items


@pytest.mark.parametrize("name", ["bootstrap", "table"])
def test_robots_is_obeyed_and_the_endless_pager_stops(crawled_sites: dict[str, Any], name: str) -> None:
    site, _, _ = crawled_sites[name]
    paths = [path for path, _ in site.requests]
    assert [p for p in paths if p.startswith(("/noi-bo/", "/admin/"))] == []
    assert "/tin-tuc.html?page=4" not in paths and "/tin-tuc/trang-4.html" not in paths
    assert len(paths) == len(set(paths))  # nothing fetched twice


def test_a_file_behind_a_download_handler_keeps_only_its_base_name(crawled_sites: dict[str, Any]) -> None:
    _, db, _ = crawled_sites["table"]
    (row,) = rows(db, "SELECT url, filename, content_type FROM attachments WHERE url LIKE '%getfile%'")
    assert (urlsplit(row["url"]).path, row["filename"], row["content_type"]) == (
        "/Upload/getfile.aspx",
        "passwd.xls",
        "application/vnd.ms-excel",
    )


def test_the_exit_code_reports_errors_over_the_threshold(crawled_sites: dict[str, Any]) -> None:
    # the table site links one dead page among about fifteen requests: over the 5% default
    assert crawled_sites["bootstrap"][2] == 0
    assert crawled_sites["table"][2] == 1
    _, db, _ = crawled_sites["table"]
    assert [
        (urlsplit(r["url"]).path, r["status"]) for r in rows(db, "SELECT url, status FROM crawl_errors")
    ] == [("/tin-tuc/bai-da-go-bo-599.html", 404)]


def test_a_file_over_the_size_limit_is_skipped_with_an_error_row(tmp_path: Path) -> None:
    site = StaticSite(SITES / "site_table")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        crawl(site, tmp_path / "tdkt.sqlite", "--max-file-mb", "0.002")  # 2 KiB: the 4 KB zip is over
    finally:
        server.shutdown()
        server.server_close()
    db = tmp_path / "tdkt.sqlite"
    errors = {urlsplit(r["url"]).path: r["reason"] for r in rows(db, "SELECT url, reason FROM crawl_errors")}
    assert "larger than the limit" in errors["/Upload/so-tay-thi-dua.zip"]
    stored = {urlsplit(r["url"]).path: r["sha256"] for r in rows(db, "SELECT url, sha256 FROM attachments")}
    assert stored["/Upload/so-tay-thi-dua.zip"] is None and stored["/Upload/getfile.aspx"] is not None


def test_a_run_over_the_error_threshold_is_recorded_done_with_errors(crawled_sites: dict[str, Any]) -> None:
    statuses = {
        name: rows(db, "SELECT status FROM crawl_runs")[0]["status"]
        for name, (_, db, _) in crawled_sites.items()
    }
    assert statuses == {"bootstrap": "done", "table": "done_with_errors"}


def test_an_article_image_is_archived_with_the_bytes_served(crawled_sites: dict[str, Any]) -> None:
    import hashlib

    site, db, _ = crawled_sites["bootstrap"]
    ((page, url, sha256, stored_path),) = rows(
        db,
        "SELECT p.url AS page, i.url, i.sha256, i.stored_path FROM images i JOIN pages p ON p.id = i.page_id",
    )
    served = (site.root / "images" / "hoi-nghi.jpg").read_bytes()
    assert (urlsplit(page).path, urlsplit(url).path) == (
        "/tin-tuc/phat-dong-phong-trao-thi-dua-101.html",
        "/images/hoi-nghi.jpg",
    )
    assert sha256 == hashlib.sha256(served).hexdigest()
    assert (db.parent / stored_path).read_bytes() == served
