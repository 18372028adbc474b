"""Engine and sessions. Nothing connects at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from archive.models import OBSOLETE_INDEXES, Base
from archive.normalize.text import fold_for_search_sql

# FTS5 over the original text and a copy folded with đ→d: unicode61 strips tone marks but never
# maps đ to d, so "thi dua" matches only the folded column and "thi đua" the original one.
# The derived tables' indexes keep their own copy of the text (rows are replaced by rowid in the same
# transaction as their table's); pages_fts does not, below.
_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
FTS_DDL = {
    # rowid = legal_documents.id
    "legal_documents_fts": "number, doc_type, issuer, signer, abstract, folded",
    # rowid = awards.id
    "awards_fts": "decision_number, award, conferred_by, folded",
    # rowid = award_recipients.id
    "award_recipients_fts": "name, unit, position, award, folded",
    # rowid = attachments.id; a row only while the file has extracted text (ArchiveStore.save_attachment_text)
    "attachments_fts": "filename, text, folded",
}

# pages_fts (rowid = pages.id) indexes the text `pages` holds without a copy of it: an external-content
# FTS5 table reading `pages_fts_source`, a view of pages' text with its đ→d copies computed in SQL
# (fold_for_search_sql). A copy of every page's text was a fifth of the archive (bench section 4).
# SQLite's triggers keep the index in step with every insert, delete and change of that text, whoever
# writes it; FTS5's 'delete' needs the values that were indexed, which the view gives back exactly.
PAGES_FTS_TEXT = ("title", "summary", "body_text")
PAGES_FTS_SOURCE = "pages_fts_source"
_PAGES_FTS_COLUMNS = (*PAGES_FTS_TEXT, *(f"{c}_folded" for c in PAGES_FTS_TEXT))


def _pages_fts_values(row: str) -> str:
    """The index's values for `row` (new or old, in a trigger): the text, then its folded copies."""
    return ", ".join(
        [f"{row}.{c}" for c in PAGES_FTS_TEXT] + [fold_for_search_sql(f"{row}.{c}") for c in PAGES_FTS_TEXT]
    )


_TEXT_LIST = ", ".join(PAGES_FTS_TEXT)
_COLUMN_LIST = ", ".join(_PAGES_FTS_COLUMNS)
_INDEX_NEW = f"INSERT INTO pages_fts(rowid, {_COLUMN_LIST}) VALUES (new.id, {_pages_fts_values('new')});"
_UNINDEX_OLD = (
    f"INSERT INTO pages_fts(pages_fts, rowid, {_COLUMN_LIST}) "
    f"VALUES ('delete', old.id, {_pages_fts_values('old')});"
)
_FOLDED_SOURCE = ", ".join(f"{fold_for_search_sql(c)} AS {c}_folded" for c in PAGES_FTS_TEXT)
# (kind, name, DDL), in the order they are made.
PAGES_FTS_SCHEMA = (
    (
        "VIEW",
        PAGES_FTS_SOURCE,
        f"CREATE VIEW {PAGES_FTS_SOURCE} AS SELECT id, {_TEXT_LIST}, {_FOLDED_SOURCE} FROM pages",
    ),
    (
        "TABLE",
        "pages_fts",
        f"CREATE VIRTUAL TABLE pages_fts USING fts5({_COLUMN_LIST}, content='{PAGES_FTS_SOURCE}', "
        f"content_rowid='id', {_TOKENIZE})",
    ),
    (
        "TRIGGER",
        "pages_fts_insert",
        f"CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN {_INDEX_NEW} END",
    ),
    (
        "TRIGGER",
        "pages_fts_delete",
        f"CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN {_UNINDEX_OLD} END",
    ),
    # Only a statement that sets the text re-indexes it: a recrawl's "unchanged" sets none of it.
    (
        "TRIGGER",
        "pages_fts_update",
        f"CREATE TRIGGER pages_fts_update AFTER UPDATE OF {_TEXT_LIST} ON pages "
        f"BEGIN {_UNINDEX_OLD} {_INDEX_NEW} END",
    ),
)


def make_engine(db_path: str | Path) -> Engine:
    path = Path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        # WAL lets Datasette read while a crawl writes; the busy timeout rides out the short write locks.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        # NORMAL is durable under WAL against process crashes (kill -9); only power loss can drop the tail.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def _add_missing_columns(conn: Connection) -> None:
    """Columns the models gained since the archive was made, added in place (all new columns are nullable).

    create_all creates missing tables but never alters one that exists; SQLite's ALTER TABLE ADD COLUMN
    is cheap (no table rewrite) and keeps every row.
    """
    for table in Base.metadata.sorted_tables:
        present = {row[1] for row in conn.execute(text(f"PRAGMA table_info({table.name})"))}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable and column.server_default is None:
                raise RuntimeError(
                    f"{table.name}.{column.name} is NOT NULL without a default: it needs a written migration"
                )
            ddl = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {ddl}'))


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        _add_missing_columns(conn)
        # create_all adds no index to a table that already exists: an archive made before an index
        # joined the models gets it here. Names are checked in sqlite_master, not by SQLAlchemy's
        # checkfirst, which cannot reflect an index on an expression and would create it twice.
        existing = {
            name for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
        }
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                if index.name not in existing:
                    index.create(conn)
        for name in OBSOLETE_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        tables = {
            name for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
        for table, columns in FTS_DDL.items():
            ddl = f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({columns}, {_TOKENIZE})"
            conn.execute(text(ddl))
        _ensure_pages_fts(conn)
        if "attachments_fts" not in tables:
            # An archive made before attachment text was searchable: index the texts it holds.
            from archive.store import index_attachment_texts

            index_attachment_texts(conn)


def _ensure_pages_fts(conn: Connection) -> None:
    """pages_fts as PAGES_FTS_SCHEMA makes it. An archive made before (whose pages_fts held its own copy
    of the text, written by the store) has it made again and filled from `pages` by FTS5's 'rebuild':
    about a second per 10,000 pages, once. The copy's space is freed inside the file, for the archive's
    next rows; `VACUUM` gives it back to the disk."""
    names = ", ".join(f"'{name}'" for _, name, _ in PAGES_FTS_SCHEMA)
    present = dict(conn.execute(text(f"SELECT name, sql FROM sqlite_master WHERE name IN ({names})")).all())
    if all(present.get(name) == ddl for _, name, ddl in PAGES_FTS_SCHEMA):
        return
    for kind, name, _ in reversed(PAGES_FTS_SCHEMA):
        conn.execute(text(f"DROP {kind} IF EXISTS {name}"))
    for _, _, ddl in PAGES_FTS_SCHEMA:
        conn.execute(text(ddl))
    if conn.execute(text("SELECT 1 FROM pages LIMIT 1")).first():
        conn.execute(text("INSERT INTO pages_fts(pages_fts) VALUES ('rebuild')"))


def open_archive(db_path: str | Path) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(db_path)
    create_schema(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
