"""archive.db: the schema an archive gets, including archives made by an older version of the models."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from archive.db import FTS_DDL, open_archive
from archive.normalize.text import fold_for_search
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


# -- pages_fts: an index of pages' own text, kept in step by SQLite ---------------------------------------


def tokens(text: str | None) -> set[str]:
    """unicode61 with remove_diacritics 2, as the index reads text: lower case, combining marks dropped
    (đ has none), split on what is not a letter or digit."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", (text or "").lower()) if not unicodedata.combining(c)
    )
    return set(re.findall(r"[^\W_]+", bare))


def expected_matches(conn: sqlite3.Connection, word: str) -> set[int]:
    """Pages whose title, summary or body holds `word`, as typed or in the đ→d copy (computed in Python)."""
    found = set()
    for page_id, *texts in conn.execute("select id, title, summary, body_text from pages"):
        held = set().union(*(tokens(t) | tokens(fold_for_search(t)) for t in texts))
        if tokens(word) <= held:
            found.add(page_id)
    return found


def matches(conn: sqlite3.Connection, word: str) -> set[int]:
    return {r[0] for r in conn.execute("select rowid from pages_fts where pages_fts match ?", (f'"{word}"',))}


def index_agrees(conn: sqlite3.Connection, words: list[str]) -> None:
    # FTS5's own check compares every indexed word with what pages_fts_source gives back (rank = 1).
    conn.execute("insert into pages_fts(pages_fts, rank) values ('integrity-check', 1)")
    for word in words:
        assert matches(conn, word) == expected_matches(conn, word), word


PAGE_COLUMNS = (
    "url, item_key, category, kind, title, summary, body_text, first_seen_at, last_seen_at, "
    "last_changed_at, content_sha256"
)
INSERT_PAGE = (
    f"insert into pages ({PAGE_COLUMNS}) values (?, ?, 'tin-tuc', 'news', ?, ?, ?, 'x', 'x', 'x', 'x')"
)
WORDS = ["đua", "dua", "thi", "khen", "thuong", "thưởng", "lao", "động", "dong", "hồng", "song", "mới"]


def test_the_search_index_follows_every_write_to_pages_whoever_makes_it(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    conn = sqlite3.connect(db_path)
    rows = [
        ("Phát động thi đua", "Khen thưởng lao động", "Song Hồng, thi đua mới."),
        ("Thi dua khen thuong", None, "Dừa và dưa"),
        ("Lễ tuyên dương", "Đồng chí Nguyễn Văn Đông", None),
    ]
    for n, (title, summary, body) in enumerate(rows):
        conn.execute(INSERT_PAGE, (f"http://x/{n}", f"/{n}", title, summary, body))
    index_agrees(conn, WORDS)
    assert matches(conn, "dua") == {1, 2} and matches(conn, "đua") == {1}

    conn.execute("update pages set body_text = 'Nội dung mới', title = 'Tin mới' where id = 1")
    conn.execute("update pages set last_seen_at = 'y', summary = summary where id = 2")
    conn.execute("update pages set summary = null where id = 3")
    index_agrees(conn, WORDS)
    assert matches(conn, "song") == set() and matches(conn, "mới") == {1}

    conn.execute("delete from pages where id = 2")
    index_agrees(conn, WORDS)
    assert matches(conn, "dua") == set()
    conn.commit()
    conn.close()


def test_the_archive_keeps_no_copy_of_the_pages_text(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    assert "pages_fts_data" in tables
    assert "pages_fts_content" not in tables  # FTS5's copy of the text, for a table with its own content
    assert {f"{name}_content" for name in FTS_DDL} <= tables


def test_an_archive_whose_index_held_a_copy_of_the_text_is_reindexed_from_its_pages(tmp_path: Path) -> None:
    # pages_fts as the store wrote it before (its own copy, filled by explicit inserts).
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    conn = sqlite3.connect(db_path)
    for name in ("pages_fts_update", "pages_fts_delete", "pages_fts_insert"):
        conn.execute(f"drop trigger {name}")
    conn.execute("drop table pages_fts")
    conn.execute("drop view pages_fts_source")
    conn.execute(
        "create virtual table pages_fts using fts5(title, summary, body_text, title_folded, summary_folded, "
        "body_text_folded, tokenize='unicode61 remove_diacritics 2')"
    )
    texts = [("Phát động thi đua", "Khen thưởng", "Song Hồng"), ("Thi dua", None, "Dừa")]
    for n, (title, summary, body) in enumerate(texts, 1):
        conn.execute(
            INSERT_PAGE,
            (f"http://x/{n}", f"/{n}", title, summary, body),
        )
        folded = [fold_for_search(t) for t in (title, summary, body)]
        conn.execute("insert into pages_fts values (?, ?, ?, ?, ?, ?)", (title, summary, body, *folded))
    conn.commit()
    conn.close()

    ArchiveStore(db_path).close()  # opened by the store, as a crawl opens it

    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert "pages_fts_content" not in tables
        index_agrees(conn, WORDS)
        assert matches(conn, "dua") == {1, 2}
        conn.execute("update pages set body_text = 'Sông Hồng' where id = 2")  # and it now follows the page
        index_agrees(conn, WORDS)
