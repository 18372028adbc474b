"""Engine and sessions. Nothing connects at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from archive.models import OBSOLETE_INDEXES, Base

# FTS5 over the original text and a copy folded with đ→d: unicode61 strips tone marks but never
# maps đ to d, so "thi dua" matches only the folded column and "thi đua" the original one.
# The table keeps its own copy of the text: SQLite 3.40 (Python 3.11's) has no contentless_delete, and
# a stored copy lets a row be replaced by rowid (= pages.id) in the same transaction as the page.
_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
FTS_DDL = {
    # rowid = pages.id
    "pages_fts": "title, summary, body_text, title_folded, summary_folded, body_text_folded",
    # rowid = legal_documents.id
    "legal_documents_fts": "number, doc_type, issuer, signer, abstract, folded",
    # rowid = awards.id
    "awards_fts": "decision_number, award, conferred_by, folded",
    # rowid = award_recipients.id
    "award_recipients_fts": "name, unit, position, award, folded",
    # rowid = attachments.id; a row only while the file has extracted text (ArchiveStore.save_attachment_text)
    "attachments_fts": "filename, text, folded",
}


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
        if "attachments_fts" not in tables:
            # An archive made before attachment text was searchable: index the texts it holds.
            from archive.store import index_attachment_texts

            index_attachment_texts(conn)


def open_archive(db_path: str | Path) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(db_path)
    create_schema(engine)
    return engine, sessionmaker(engine, expire_on_commit=False)
