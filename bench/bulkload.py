"""A fast way to fill an archive with 100,000 pages for the search benchmark.

`ArchiveStore.save_page` + `enrich_archive` cost about 30 ms of CPU per page on this machine (SQLAlchemy
statement building and one transaction per page; see results.md), far beyond the benchmark's budget at
this scale. This loader writes the very rows they write — the columns `archive.records` lists, filled by
its functions, `content_digest`, `fold_for_search` for the derived tables' full-text indexes,
`derive_page` for the metadata tables, the site's identity and item keys from `archive.site` — with
plain `sqlite3.executemany` in a few large transactions, into a schema created by
`archive.db.open_archive` (whose triggers index the pages' text, as they do for the store).
`tests/test_bench_smoke.py` checks that it produces the same rows as the store on a small replica.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from archive.defaults import DEFAULT_SITE
from bench.common import load_site

SITE = DEFAULT_SITE.rstrip("/")  # the bench fills an archive of the real site
NOW = "2026-01-01T00:00:00+00:00"
BATCH = 500


def page_items(items: int | None) -> Iterator[Any]:
    """PageItems for every item of a replica of `items` items, as the crawler's pipeline stores them:
    the replica theme's own article HTML, its text, the labelled metadata of legal texts and decisions."""
    from scraper.items import PageItem

    site = load_site(items=items)
    theme = site.renderer
    for it in site.model.items:
        metadata = dict(it.label_rows())
        # The body as the page object writes it: paragraphs, then each table row's cells joined by " | ".
        text = list(it.paragraphs)
        text += [" | ".join(row) for table in it.body_tables() for row in [*table.header, *table.rows]]
        yield PageItem(
            url=SITE + it.url,
            category=it.category,
            kind=it.kind,
            title=it.title,
            site_id=it.site_id,
            section=it.section,
            published_raw=it.published_raw,
            published_at=it.published_at,
            summary=it.summary,
            body_text="\n".join(text),
            body_html=theme.body(it),
            source=it.source,
            images=[SITE + src for src in it.images],
            attachment_urls=[(SITE + a.url, a.label) for a in it.attachments],
            metadata=metadata,
            fetched_at=NOW,
        )


@dataclass
class _Ids:
    page: int = 0
    legal: int = 0
    award: int = 0
    recipient: int = 0


def _defaults(table: str) -> dict[str, Any]:
    """The Python-side column defaults SQLAlchemy would fill in (the DDL carries none)."""
    from archive.models import Base

    out: dict[str, Any] = {}
    for column in Base.metadata.tables[table].columns:
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            out[column.name] = default.arg
    return out


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if "_fts" not in table:
        defaults = _defaults(table)
        rows = [{**defaults, **row} for row in rows]
    columns = list(rows[0])
    names = ", ".join(columns)
    marks = ", ".join(f":{c}" for c in columns)
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _fts(table: str, rowid: int, values: dict[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    """A row of a derived table's index, as `ArchiveStore._index_row` makes it."""
    from archive.normalize.text import fold_for_search

    cells = {c: values.get(c) for c in columns}
    folded = fold_for_search(" ".join(str(v) for v in cells.values() if v))
    return {"rowid": rowid, **cells, "folded": folded}


def _batches(pages: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(pages)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _flush(
    conn: sqlite3.Connection, entry: tuple[list[Any], Any], run_id: int, ids: _Ids, *, derive: bool
) -> int:
    batch, derived = entry
    _write_batch(
        conn, batch, derived.get(timeout=600) if derived is not None else {}, run_id, ids, derive=derive
    )
    return len(batch)


def load(db_path: Path, pages: Iterable[Any], *, derive: bool = True, workers: int | None = None) -> int:
    """Write `pages` (PageItems) as one full crawl run would, metadata tables included; returns the count."""
    from archive.db import open_archive

    workers = workers or max(1, len(os.sched_getaffinity(0)))
    engine, _ = open_archive(db_path)  # the schema exactly as the store creates it
    engine.dispose()
    # derive_page is two thirds of the work and pure: the machine's cores share it while this process
    # renders pages and writes rows. Forked before any connection is open.
    with multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals) as pool:
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=OFF")  # a benchmark fixture: rebuilt whenever it is needed
            conn.execute("BEGIN")
            _insert_site(conn)
            run = {"site": SITE + "/", "origin": SITE, "mode": "full", "started_at": NOW, "status": "running"}
            _insert(conn, "crawl_runs", [run])
            run_id = conn.execute("SELECT max(id) FROM crawl_runs").fetchone()[0]
            ids = _Ids()
            total = 0
            pending: list[tuple[list[Any], Any]] = []
            for batch in _batches(pages):
                pending.append((batch, pool.apply_async(derive_batch, (batch,)) if derive else None))
                if len(pending) > workers:
                    total += _flush(conn, pending.pop(0), run_id, ids, derive=derive)
            while pending:
                total += _flush(conn, pending.pop(0), run_id, ids, derive=derive)
            conn.execute(
                "UPDATE crawl_runs SET status = 'done', finished_at = ?, requests = ?, pages_new = ? "
                "WHERE id = ?",
                (NOW, total, total, run_id),
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    return total


def _insert_site(conn: sqlite3.Connection) -> None:
    """The archive's site, as `ArchiveStore.establish_site` records it on a first crawl."""
    from archive.site import SiteIdentity, alias_origins

    site = SiteIdentity.first(SITE)
    _insert(
        conn, "site", [{"key": site.key, "canonical_origin": site.canonical_origin, "established_at": NOW}]
    )
    aliases = [
        {"origin": site.canonical_origin, "role": "canonical", "reason": "first crawl of this archive"}
    ]
    aliases += [{"origin": o, "role": "alias", "reason": why} for o, why in alias_origins(SITE).items()]
    _insert(conn, "site_aliases", [{**row, "first_seen_at": NOW} for row in aliases])


def _default_signals() -> None:
    # Workers are forked from `python -m bench`, whose SIGTERM handler unwinds its `finally` blocks;
    # a worker has none and is ended with SIGTERM when the pool closes.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def derive_batch(batch: list[Any]) -> dict[int, Any]:
    """`derive_page` of each item of `batch` (by position): the pure, costly part, run in a worker."""
    from archive.derive import derive_page
    from archive.enrich import derive_input

    out: dict[int, Any] = {}
    for n, item in enumerate(batch):
        page = derive_input(vars(item), item.metadata)
        # Attachments are not downloaded here: their text is not part of this benchmark.
        out[n] = derive_page(page, [])
    return out


def _write_batch(
    conn: sqlite3.Connection,
    batch: list[Any],
    derived_rows: dict[int, Any],
    run_id: int,
    ids: _Ids,
    *,
    derive: bool,
) -> None:
    from archive.filetypes import name_in_url, stored_extension
    from archive.records import content_digest, page_content, page_validators, version_content
    from archive.site import item_key

    tables: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "pages",
            "page_versions",
            "attachments",
            "images",
            "legal_documents",
            "legal_documents_fts",
            "awards",
            "awards_fts",
            "award_recipients",
            "award_recipients_fts",
            "movements",
            "citations",
        )
    }
    first_id = ids.page + 1
    for item in batch:
        ids.page += 1
        page_id = ids.page
        digest = content_digest(item)
        now = item.fetched_at or NOW
        tables["pages"].append(
            {
                "id": page_id,
                "url": item.url,
                "item_key": item_key(item.url),
                **page_content(item),
                **page_validators(item),
                "content_sha256": digest,
                "first_seen_at": now,
                "last_seen_at": now,
                "last_changed_at": now,
                "derived_at": now if derive else None,
            }
        )
        tables["page_versions"].append(
            {
                "page_id": page_id,
                "version": 1,
                "run_id": run_id,
                "fetched_at": now,
                "url": item.url,
                "content_sha256": digest,
                **version_content(item),
            }
        )
        seen: set[str] = set()
        for url, _label in item.attachment_urls:
            if url in seen:
                continue
            seen.add(url)
            filename = name_in_url(url)
            tables["attachments"].append(
                {
                    "page_id": page_id,
                    "url": url,
                    "filename": filename,
                    "extension": stored_extension(filename, url),
                    "first_seen_at": now,
                }
            )
        for url in dict.fromkeys(item.images):  # every image is the site's here
            tables["images"].append({"page_id": page_id, "url": url, "first_seen_at": now})
        derived = derived_rows.get(page_id - first_id)
        if derived is None:
            continue
        if derived.legal is not None:
            ids.legal += 1
            legal = vars(derived.legal)
            tables["legal_documents"].append({"id": ids.legal, "page_id": page_id, **legal})
            tables["legal_documents_fts"].append(
                _fts("legal", ids.legal, legal, ("number", "doc_type", "issuer", "signer", "abstract"))
            )
        for award in derived.awards:
            ids.award += 1
            fields = {k: v for k, v in vars(award).items() if k != "recipients"}
            tables["awards"].append({"id": ids.award, "page_id": page_id, **fields})
            tables["awards_fts"].append(
                _fts("awards", ids.award, fields, ("decision_number", "award", "conferred_by"))
            )
            for recipient in award.recipients:
                ids.recipient += 1
                values = vars(recipient)
                tables["award_recipients"].append(
                    {"id": ids.recipient, "award_id": ids.award, "page_id": page_id, **values}
                )
                tables["award_recipients_fts"].append(
                    _fts("recipients", ids.recipient, values, ("name", "unit", "position", "award"))
                )
        for movement in derived.movements:
            tables["movements"].append({"page_id": page_id, **vars(movement)})
        for number in dict.fromkeys(derived.citations):
            tables["citations"].append({"page_id": page_id, "cited_number": number})
    for table, rows in tables.items():
        _insert(conn, table, rows)
