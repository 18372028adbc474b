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


@pytest.fixture
def serve_site() -> Iterator[object]:
    servers: list[ThreadingHTTPServer] = []

    def start(name: str) -> StaticSite:
        site = StaticSite(SITES / f"site_{name}")
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        site.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
        return site

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


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
