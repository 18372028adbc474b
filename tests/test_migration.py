"""An archive made before items had keys, migrated in place when opened: every row and version kept.

tests/files/archives/main-f7d0d36.sqlite.gz was made by the code of main at f7d0d36 (the script beside
it says how): a 90-item replica crawled at one port, crawled again `--full` after the site changed, then
crawled at a second port and under `localhost` — the three copies of every item that code made. Every
test works on a fresh copy of it.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from archive.site import item_key
from archive.store import ArchiveStore

FIXTURE = Path(__file__).resolve().parent / "files" / "archives" / "main-f7d0d36.sqlite.gz"
CONTENT = ("title", "published_at", "published_raw", "summary", "body_text", "category", "kind", "site_id")


def rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("before") / "tdkt.sqlite"
    with gzip.open(FIXTURE) as src, db.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return db


@pytest.fixture(scope="module")
def after(before: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("after") / "tdkt.sqlite"
    shutil.copy(before, db)
    ArchiveStore(db).close()
    return db


def test_the_fixture_has_the_copies_the_old_code_made(before: Path) -> None:
    keys = Counter(item_key(r["url"]) for r in rows(before, "SELECT url FROM pages"))
    assert (
        max(keys.values()) == 3
        and len({origin(r["url"]) for r in rows(before, "SELECT url FROM pages")}) == 3
    )


def test_every_item_is_one_row_with_its_key(before: Path, after: Path) -> None:
    old_keys = {item_key(r["url"]) for r in rows(before, "SELECT url FROM pages")}
    new = rows(after, "SELECT item_key, url FROM pages")
    assert sorted(r["item_key"] for r in new) == sorted(old_keys)
    assert all(item_key(r["url"]) == r["item_key"] for r in new)


def test_every_version_is_kept_with_the_address_it_came_from(before: Path, after: Path) -> None:
    fields = "v.run_id, v.fetched_at, v.content_sha256, v.title, v.published_raw, v.summary, v.body_text"
    fields += ", v.body_html"
    old = rows(
        before, f"SELECT p.url AS fetched, {fields} FROM page_versions v JOIN pages p ON p.id = v.page_id"
    )
    new = rows(
        after,
        f"SELECT v.url AS fetched, p.item_key, {fields} FROM page_versions v JOIN pages p ON p.id = page_id",
    )
    assert Counter(tuple(r) for r in old) == Counter(tuple(r)[:1] + tuple(r)[2:] for r in new)
    # and each one belongs to its item
    assert all(item_key(r["fetched"]) == r["item_key"] for r in new)


def test_versions_are_numbered_from_one_in_capture_order(after: Path) -> None:
    by_page: dict[int, list[tuple[str, int, int]]] = {}
    for r in rows(after, "SELECT page_id, version, fetched_at, id FROM page_versions"):
        by_page.setdefault(r["page_id"], []).append((r["fetched_at"], r["id"], r["version"]))
    for versions in by_page.values():
        assert [v for _, _, v in sorted(versions)] == list(range(1, len(versions) + 1))


def newest_rows(db: Path) -> dict[str, sqlite3.Row]:
    newest: dict[str, sqlite3.Row] = {}
    for r in rows(db, "SELECT * FROM pages ORDER BY last_seen_at, id"):
        newest[item_key(r["url"])] = r
    return newest


def test_each_item_shows_its_newest_capture(before: Path, after: Path) -> None:
    newest = newest_rows(before)
    for r in rows(after, "SELECT * FROM pages"):
        assert tuple(r[c] for c in CONTENT) == tuple(newest[r["item_key"]][c] for c in CONTENT)
        assert r["removed_at"] == newest[r["item_key"]]["removed_at"]


def test_each_item_reads_as_the_first_address_read_it(before: Path, after: Path) -> None:
    # Rows from the other addresses, made canonical, say exactly what the first address's rows said:
    # the same digest (so the next crawl sees no change), links, images and clocks of first sight.
    first = rows(before, "SELECT site FROM crawl_runs ORDER BY id LIMIT 1")[0]["site"].rstrip("/")
    at_first = {
        item_key(r["url"]): r for r in rows(before, "SELECT * FROM pages") if origin(r["url"]) == first
    }
    assert at_first
    for r in rows(after, "SELECT * FROM pages"):
        old = at_first[r["item_key"]]
        same = ("url", "content_sha256", "body_html", "images", "first_seen_at", "last_changed_at")
        assert tuple(r[c] for c in same) == tuple(old[c] for c in same), r["item_key"]


def test_files_join_their_item_once_each_with_their_bytes(before: Path, after: Path) -> None:
    def files(db: Path, key_of: Any) -> set[tuple[str, str, str | None]]:
        found = rows(
            db, "SELECT p.url AS page, a.url, a.sha256 FROM attachments a JOIN pages p ON p.id = a.page_id"
        )
        return {(key_of(r), urlsplit(r["url"]).path, r["sha256"]) for r in found}

    assert files(after, lambda r: item_key(r["page"])) == files(before, lambda r: item_key(r["page"]))
    pairs = rows(after, "SELECT page_id, url FROM attachments")
    assert len(pairs) == len(set(pairs))


def test_runs_errors_and_the_site_are_kept(before: Path, after: Path) -> None:
    assert [tuple(r) for r in rows(after, "SELECT id, site, status, pages_new FROM crawl_runs")] == [
        tuple(r) for r in rows(before, "SELECT id, site, status, pages_new FROM crawl_runs")
    ]
    assert len(rows(after, "SELECT id FROM crawl_errors")) == len(rows(before, "SELECT id FROM crawl_errors"))
    runs = [r["site"].rstrip("/") for r in rows(before, "SELECT site FROM crawl_runs ORDER BY id")]
    assert [r["origin"] for r in rows(after, "SELECT origin FROM crawl_runs ORDER BY id")] == runs
    assert rows(after, "SELECT canonical_origin FROM site")[0][0] == runs[0]
    mirrors = {r["origin"] for r in rows(after, "SELECT origin FROM site_aliases WHERE role = 'mirror'")}
    assert mirrors == set(runs) - {runs[0]}


def test_the_migrated_archive_is_whole_and_opening_it_again_changes_nothing(
    after: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(after) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        fts = conn.execute("SELECT count(*) FROM pages_fts").fetchone()[0]
        assert fts == conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        # The index was made again from the joined rows (archive.db): every word it holds is in them.
        conn.execute("INSERT INTO pages_fts(pages_fts, rank) VALUES ('integrity-check', 1)")
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'pages_fts_content'").fetchall()
    again = tmp_path / "tdkt.sqlite"
    shutil.copy(after, again)
    ArchiveStore(again).close()
    for table in ("pages", "page_versions", "attachments", "images", "site_aliases"):
        assert [tuple(r) for r in rows(again, f"SELECT * FROM {table}")] == [
            tuple(r) for r in rows(after, f"SELECT * FROM {table}")
        ], table


def test_the_images_of_archived_articles_wait_for_the_next_run(after: Path) -> None:
    import json

    shown = {
        (r["id"], url)
        for r in rows(after, "SELECT id, images FROM pages WHERE images IS NOT NULL")
        for url in json.loads(r["images"])
    }
    pending = {
        (r["page_id"], r["url"]) for r in rows(after, "SELECT page_id, url FROM images WHERE sha256 IS NULL")
    }
    assert shown and pending == shown
