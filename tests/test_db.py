"""archive.db: the schema an archive gets, including archives made by an older version of the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.db import open_archive
from archive.publish import load_metadata
from archive.store import ArchiveStore
from scraper.items import PageItem

SITE = "http://127.0.0.1:9/"


def indexes(db_path: Path, table: str) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select name from sqlite_master where type = 'index' and tbl_name = ?", (table,))
        return {name for (name,) in rows}


@pytest.mark.parametrize("index", ["ix_pages_published_at_id_kind", "ix_pages_changed"])
def test_an_archive_made_before_an_index_joined_the_models_gets_it_when_opened(
    tmp_path: Path, index: str
) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"drop index {index}")
    assert index not in indexes(db_path, "pages")

    engine, _ = open_archive(db_path)
    engine.dispose()

    assert index in indexes(db_path, "pages")


def test_opening_an_archive_again_changes_no_index(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    schemas = []
    for _ in range(2):  # the second open must neither fail on nor duplicate the expression index
        engine, _ = open_archive(db_path)
        engine.dispose()
        with sqlite3.connect(db_path) as conn:
            schemas.append(
                conn.execute("select name, sql from sqlite_master where type = 'index'").fetchall()
            )
    assert schemas[1] == schemas[0]
    assert ("ix_pages_changed",) in {(name,) for name, _ in schemas[0]}


def canned_query_plan(tmp_path: Path, name: str, **params: str) -> str:
    """SQLite's plan for one of datasette_metadata.json's canned queries, on a new archive."""
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    sql = load_metadata()["databases"]["archive"]["queries"][name]["sql"]
    with sqlite3.connect(db_path) as conn:
        return " ".join(row[3] for row in conn.execute(f"explain query plan {sql}", params))


def test_items_per_month_is_answered_from_the_index_alone(tmp_path: Path) -> None:
    # Without a covering index the count reads every page's wide row (body text and HTML).
    plan = canned_query_plan(tmp_path, "items_per_month")
    assert "COVERING INDEX ix_pages_published_at_id_kind" in plan


def test_an_older_archive_loses_the_date_index_that_ordered_ties_backwards(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("create index ix_pages_published_at on pages (published_at)")

    engine, _ = open_archive(db_path)
    engine.dispose()

    assert "ix_pages_published_at" not in indexes(db_path, "pages")


def test_newest_first_lists_pages_of_one_date_in_id_order(tmp_path: Path) -> None:
    # Datasette's first page is ordered by the date alone and its `_next` link resumes after the last
    # row's (date, id): rows of equal date must come in id order, or a page boundary repeats or skips.
    store = ArchiveStore(tmp_path / "tdkt.sqlite")
    run = store.start_run(SITE, "full")
    for n in range(30):
        day = f"2024-0{1 + n % 3}-01"  # ten pages a date, saved interleaved
        item = PageItem(
            url=f"{SITE}tin-tuc/bai-{n}-{n + 1}.html",
            category="tin-tuc",
            kind="news",
            title=f"Bài {n}",
            site_id=n + 1,
            published_raw=day,
            published_at=day,
        )
        store.save_page(item, run)
    store.close()
    with sqlite3.connect(store.db_path) as conn:
        rows = conn.execute(
            "select published_at, id from pages order by published_at desc limit 30"
        ).fetchall()
    assert rows == sorted(rows, key=lambda row: (-int(row[0].replace("-", "")), row[1]))


def test_changed_since_reads_the_newest_changes_in_order_from_the_index(tmp_path: Path) -> None:
    # Without it the query sorts every page it matches, which after a first crawl is every page.
    plan = canned_query_plan(tmp_path, "changed_since", since="2025-01-01")
    assert "USING INDEX ix_pages_changed" in plan
    assert "TEMP B-TREE" not in plan


def test_an_archive_made_before_a_column_joined_the_models_gets_it_and_keeps_its_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "insert into pages(id, url, category, kind, title, first_seen_at, last_seen_at, last_changed_at, "
            "content_sha256) values (1, 'http://x/a-1.html', 'a', 'news', 'T', 'x', 'x', 'x', 'd')"
        )
        conn.execute(
            "insert into attachments(id, page_id, url, first_seen_at) values (1, 1, 'http://x/f.pdf', 'x')"
        )
        conn.execute("alter table attachments drop column ocr_engine")
        conn.execute("alter table attachments drop column text_method")

    engine, _ = open_archive(db_path)
    engine.dispose()

    with sqlite3.connect(db_path) as conn:
        columns = {row[1] for row in conn.execute("pragma table_info(attachments)")}
        rows = conn.execute("select id, url, text_method, ocr_engine from attachments").fetchall()
    assert {"text_method", "ocr_engine"} <= columns
    assert rows == [(1, "http://x/f.pdf", None, None)]
