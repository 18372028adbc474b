"""Datasette's metadata documents exactly the schema: every table and column, nothing that is gone.

The schema is whatever `archive.db.create_schema` makes, so a column added to the models without a
description (or renamed while the metadata keeps the old name) fails here.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from archive.datasette_plugins.tdkt import prepare_connection
from archive.db import open_archive
from archive.publish import (
    METADATA_DATABASE,
    PLUGINS_DIR,
    QUERIES_DIR,
    REPO_METADATA,
    build_metadata,
    load_metadata,
)
from tests.conftest import querying_section

README = Path(__file__).resolve().parent.parent / "README.md"
SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Table or view -> columns of a freshly created archive, FTS5's own shadow tables left out."""
    db_path = tmp_path_factory.mktemp("schema") / "archive.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%'"
            )
        ]
        fts = {
            n
            for n in names
            if conn.execute(f"select sql from sqlite_master where name = '{n}'")
            .fetchone()[0]
            .upper()
            .startswith("CREATE VIRTUAL TABLE")
        }
        tables = [n for n in names if not any(n == f + s for f in fts for s in SHADOW_SUFFIXES)]
        return {t: [r[1] for r in conn.execute(f"pragma table_info([{t}])")] for t in tables}


@pytest.fixture(scope="module")
def documented() -> dict[str, Any]:
    tables: dict[str, Any] = load_metadata()["databases"][METADATA_DATABASE]["tables"]
    return tables


def test_every_table_is_documented_and_none_is_gone(schema: dict[str, list[str]], documented: dict) -> None:
    assert sorted(schema) == sorted(documented)
    for table, meta in documented.items():
        assert meta.get("description", "").strip(), table


def test_every_column_is_documented_and_none_is_gone(schema: dict[str, list[str]], documented: dict) -> None:
    for table, columns in schema.items():
        described = documented[table].get("columns", {})
        assert sorted(described) == sorted(columns), table
        for column, text in described.items():
            assert text.strip(), f"{table}.{column}"


def search_config(meta: dict) -> dict:
    """A table's full-text search, served by the archive's plugin (archive/datasette_plugins/tdkt.py)."""
    return meta.get("plugins", {}).get("tdkt", {})


def test_table_options_name_real_columns(schema: dict[str, list[str]], documented: dict) -> None:
    for table, meta in documented.items():
        for option in ("sort", "sort_desc", "label_column"):
            if option in meta:
                assert meta[option] in schema[table], (table, option)
        if "fts_pk" in search_config(meta):
            assert search_config(meta)["fts_pk"] in schema[table], table
        for facet in meta.get("facets", []):
            column = facet if isinstance(facet, str) else next(iter(facet.values()))
            assert column in schema[table], (table, facet)
        if "fts_table" in search_config(meta):
            fts_table = search_config(meta)["fts_table"]
            assert fts_table in schema and documented[fts_table].get("hidden") is True


def test_no_table_renders_archived_html_in_datasette(documented: dict) -> None:
    # Archived HTML is shown only by the reading room's item page, sanitised again and with its images
    # served from the archive (room/body.py); Datasette's pages show it as text.
    text = json.dumps(load_metadata())
    assert "render-html" not in text and "render_html" not in text


def test_every_table_with_text_to_search_has_search(documented: dict) -> None:
    searchable = {t for t, meta in documented.items() if "fts_table" in search_config(meta)}
    assert searchable == {"pages", "legal_documents", "awards", "award_recipients", "attachments"}


def test_no_table_names_its_index_to_datasette_too(documented: dict) -> None:
    # Datasette's own filter would add a second search clause beside the plugin's.
    assert not [t for t, meta in documented.items() if "fts_table" in meta or "fts_pk" in meta]


def test_canned_queries_compile_against_the_schema(tmp_path: Path) -> None:
    """EXPLAIN prepares each statement: an unknown table, column or function fails here."""
    db_path = tmp_path / "archive.sqlite"
    engine, _ = open_archive(db_path)
    engine.dispose()
    queries = load_metadata()["databases"][METADATA_DATABASE]["queries"]
    conn = sqlite3.connect(db_path)
    prepare_connection(conn)
    try:
        for name, query in queries.items():
            params = {p: "" for p in re.findall(r":(\w+)", query["sql"])}
            conn.execute("explain " + query["sql"], params)
            assert query["title"].strip() and (query.get("description") or query.get("description_html")), (
                name
            )
    finally:
        conn.close()


def test_metadata_is_rekeyed_to_the_served_file() -> None:
    metadata = build_metadata(Path("/data/tdkt.sqlite"))
    assert list(metadata["databases"]) == ["tdkt"]
    assert metadata["databases"]["tdkt"] == load_metadata()["databases"][METADATA_DATABASE]


def test_plugins_dir_holds_the_plugins() -> None:
    assert (PLUGINS_DIR / "tdkt.py").is_file() and (PLUGINS_DIR / "reading_room.py").is_file()


def test_every_canned_query_is_one_readable_sql_file_and_hides_it_from_readers() -> None:
    with REPO_METADATA.open(encoding="utf-8") as f:
        described = json.load(f)["databases"][METADATA_DATABASE]["queries"]
    files = {path.stem for path in QUERIES_DIR.glob("*.sql")}
    assert sorted(described) == sorted(files)
    for name, query in described.items():
        assert "sql" not in query, f"{name}: its SQL lives in queries/{name}.sql"
        assert query.get("hide_sql") is True, name
        sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
        assert max(len(line) for line in sql.splitlines()) <= 110, name
        assert load_metadata()["databases"][METADATA_DATABASE]["queries"][name]["sql"] == sql.strip()


def test_querying_doc_covers_every_canned_query_and_searchable_table(documented: dict) -> None:
    text = querying_section()
    for name in load_metadata()["databases"][METADATA_DATABASE]["queries"]:
        assert f"/{name}" in text, f"README's querying section does not show the canned query {name}"
    for table, meta in documented.items():
        if "fts_table" in search_config(meta):
            assert f"/{table}?_search=" in text, table
