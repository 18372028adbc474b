"""`tdkt reparse` mends an archive crawled by an older parser from its WARC captures, fetching nothing.

The fixture `tests/files/archives/soup90_crawled_by_f7d0d36.tar.gz` is a real archive (SQLite + WARC)
made by the code of commit f7d0d36, before the parser learned the site's template: it crawled the
replica's `soup` theme (90 items, served on 127.0.0.1:8391) and stored the site's footer and sidebars
as the body of every page. `truth.json` is the replica's ground truth for what it served.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest

from archive.normalize.text import clean_text
from tests.conftest import FILES, run_tdkt

pytestmark = pytest.mark.e2e

FIXTURE = FILES / "archives" / "soup90_crawled_by_f7d0d36.tar.gz"
SERVED_AT = "http://127.0.0.1:8391"


def unpack(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(tmp_path, filter="data")
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    return tmp_path / "tdkt.sqlite", truth


def bodies(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return {
            url.removeprefix(SERVED_AT): body or ""
            for url, body in conn.execute("select url, body_text from pages")
        }


def missing_paragraphs(db: Path, truth: dict[str, Any]) -> list[tuple[str, str]]:
    got = bodies(db)
    return [
        (item["url"], clean_text(p) or "")
        for item in truth["items"]
        for p in item["paragraphs"]
        if clean_text(p) not in {clean_text(x) for x in got[item["url"]].split("\n\n")}
    ]


@pytest.fixture(scope="module")
def mended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Any, list[Any]]:
    import threading

    from replica.server import ReplicaServer
    from replica.site import build_site

    db, truth = unpack(tmp_path_factory.mktemp("reparse"))
    # The address the archive was crawled from answers during the re-parse, and logs every request.
    server = ReplicaServer(build_site(theme="soup", items=90), 8391, log_stream=None)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        before = bodies(db)
        result = run_tdkt("reparse", "--db", str(db))
        requests = list(server.requests)
    finally:
        server.shutdown()
        server.server_close()
    return db, truth, result, [before, requests]


def extra_lines(db: Path, truth: dict[str, Any]) -> list[tuple[str, str]]:
    """Lines of archived bodies that are neither the article's paragraphs, table rows, summary nor source."""
    got = bodies(db)
    extra = []
    for item in truth["items"]:
        allowed = {clean_text(p) for p in item["paragraphs"]}
        allowed |= {clean_text(" | ".join(row)) for table in item["body_tables"] for row in table}
        allowed |= {clean_text(item["summary"]), f"Theo: {item['source']}"}
        extra += [
            (item["url"], line) for line in got[item["url"]].split("\n\n") if clean_text(line) not in allowed
        ]
    return extra


def test_the_old_archive_holds_the_footer_in_every_body(tmp_path: Path) -> None:
    db, truth = unpack(tmp_path)
    assert all("Thống kê truy cập" in body for body in bodies(db).values())
    assert len({url for url, _ in extra_lines(db, truth)}) == len(truth["items"])


def test_reparse_puts_every_paragraph_in_the_body(mended: Any) -> None:
    db, truth, _, _ = mended
    assert missing_paragraphs(db, truth) == []


def test_reparse_leaves_no_furniture_in_any_body(mended: Any) -> None:
    db, truth, _, _ = mended
    got = bodies(db)
    extra = []
    for item in truth["items"]:
        allowed = {clean_text(p) for p in item["paragraphs"]}
        allowed |= {clean_text(" | ".join(row)) for table in item["body_tables"] for row in table}
        allowed |= {clean_text(item["summary"]), f"Theo: {item['source']}"}
        extra += [
            (item["url"], line) for line in got[item["url"]].split("\n\n") if clean_text(line) not in allowed
        ]
    assert extra == []


def test_reparse_fetches_nothing(mended: Any) -> None:
    _, _, _, (_, requests) = mended
    assert requests == []


def test_every_changed_page_keeps_its_old_version_and_gains_one(mended: Any) -> None:
    db, truth, _, (before, _) = mended
    with sqlite3.connect(db) as conn:
        versions = {
            url.removeprefix(SERVED_AT): [(v, body) for v, body in rows]
            for url, rows in _grouped(
                conn.execute(
                    "select p.url, v.version, v.body_text from page_versions v "
                    "join pages p on p.id = v.page_id order by p.url, v.version"
                )
            ).items()
        }
        (run,) = conn.execute("select mode, status, pages_changed, requests from crawl_runs where id = 2")
    assert {url: [v for v, _ in vs] for url, vs in versions.items()} == {
        item["url"]: [1, 2] for item in truth["items"]
    }
    # The old body is kept as version 1.
    assert all(vs[0][1] == before[url] for url, vs in versions.items())
    assert run == ("reparse", "done", len(truth["items"]), 0)


def test_a_second_reparse_changes_nothing(mended: Any, tmp_path: Path) -> None:
    db, _, _, _ = mended
    copy = tmp_path / "tdkt.sqlite"
    copy.write_bytes(db.read_bytes())
    (tmp_path / "warc").symlink_to(db.parent / "warc")
    result = run_tdkt("reparse", "--db", str(copy))
    assert "0 changed" in result.stdout
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from page_versions where version > 2").fetchone()[0] == 0


def test_reparse_derives_the_awards_again(mended: Any) -> None:
    db, truth, _, _ = mended
    with sqlite3.connect(db) as conn:
        names = {
            (url.removeprefix(SERVED_AT), name)
            for url, name in conn.execute(
                "select p.url, r.name from award_recipients r join pages p on p.id = r.page_id"
            )
        }
    want = {
        (item["url"], r["name"])
        for item in truth["items"]
        if item["award"] and any(r["source"] == "html" for r in item["award"]["recipients"])
        for r in item["award"]["recipients"]
    }
    assert want and want <= names


def _grouped(rows: Any) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for url, version, body in rows:
        out.setdefault(url, []).append((version, body))
    return out
