"""archive.db: the schema an archive gets, including archives made by an older version of the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.db import open_archive
from archive.publish import load_metadata


def indexes(db_path: Path, table: str) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select name from sqlite_master where type = 'index' and tbl_name = ?", (table,))
        return {name for (name,) in rows}


def test_an_archive_made_before_an_index_joined_the_models_gets_it_when_opened(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("drop index ix_pages_published_at_kind")
    assert "ix_pages_published_at_kind" not in indexes(db_path, "pages")

    engine, _ = open_archive(db_path)
    engine.dispose()

    assert "ix_pages_published_at_kind" in indexes(db_path, "pages")


def test_items_per_month_is_answered_from_the_index_alone(tmp_path: Path) -> None:
    # Without a covering index the count reads every page's wide row (body text and HTML).
    db_path = tmp_path / "tdkt.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    sql = load_metadata()["databases"]["archive"]["queries"]["items_per_month"]["sql"]
    with sqlite3.connect(db_path) as conn:
        plan = " ".join(row[3] for row in conn.execute(f"explain query plan {sql}"))
    assert "COVERING INDEX ix_pages_published_at_kind" in plan
