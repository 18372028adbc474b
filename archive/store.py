"""The only module that writes rows.

Every write is an idempotent upsert in its own short transaction, so a crawl killed at any moment
leaves a consistent archive and the next run simply carries on. Nothing is ever deleted from `pages`:
a page that disappears is flagged (`removed_at`), a page that changes gets a new `page_versions` row.
Derived tables (legal documents, awards, movements, citations) are a pure function of a page and its
files, so they are replaced wholesale whenever either changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.models import (
    Attachment,
    Award,
    AwardRecipient,
    CaptureListing,
    CaptureRecord,
    Category,
    Citation,
    CrawlError,
    CrawlRun,
    LegalDocument,
    Movement,
    Page,
    PageVersion,
    WarcRecord,
)
from archive.normalize.text import fold_for_search
from scraper.items import AttachmentItem, CategoryItem, PageItem

if TYPE_CHECKING:
    from archive.captures import Capture
    from archive.derive import Derived

_SAFE_EXTENSION = re.compile(r"^[a-z0-9]{1,5}$")
_COUNTERS = {"new": "pages_new", "changed": "pages_changed", "unchanged": "pages_unchanged"}

# The statements every fetched page and file runs, built once: building and caching a statement per
# call cost more CPU than SQLite's work in the crawl profile. Against the tables, not the ORM classes,
# so they run as plain Core. Bound names never equal a column name: an UPDATE takes its SET columns
# from the parameters given.
_PAGES = Page.__table__
_VERSIONS = PageVersion.__table__
_ATTACHMENTS = Attachment.__table__
_RUNS = CrawlRun.__table__
_FIND_PAGE = select(_PAGES.c.id, _PAGES.c.content_sha256, _PAGES.c.last_seen_at).where(
    _PAGES.c.url == bindparam("b_url")
)
_INSERT_PAGE = insert(_PAGES).returning(_PAGES.c.id)
_UPDATE_PAGE = update(_PAGES).where(_PAGES.c.id == bindparam("b_page_id"))
_LAST_VERSION = select(func.max(_VERSIONS.c.version)).where(_VERSIONS.c.page_id == bindparam("b_page_id"))
_INSERT_VERSION = insert(_VERSIONS)
# What a version keeps of a page: the text a reader sees. Taken from the item as the page row is.
VERSIONED_FIELDS = ("title", "published_at", "published_raw", "summary", "body_text", "body_html")
_DELETE_PAGE_FTS = text("DELETE FROM pages_fts WHERE rowid = :id")
_INSERT_PAGE_FTS = text(
    "INSERT INTO pages_fts(rowid, title, summary, body_text, title_folded, summary_folded, "
    "body_text_folded) VALUES (:id, :t, :s, :b, :tf, :sf, :bf)"
)
_ATTACHMENT_ROW = (_ATTACHMENTS.c.page_id == bindparam("b_page_id")) & (
    _ATTACHMENTS.c.url == bindparam("b_url")
)
_FIND_ATTACHMENT = select(_ATTACHMENTS.c.sha256).where(_ATTACHMENT_ROW)
_INSERT_ATTACHMENT = insert(_ATTACHMENTS)
_UPDATE_ATTACHMENT = update(_ATTACHMENTS).where(_ATTACHMENT_ROW)
_INSERT_WARC = insert(WarcRecord.__table__)
_CAPTURES = CaptureRecord.__table__
_BUMP = {
    counter: update(_RUNS).where(_RUNS.c.id == bindparam("b_run_id")).values({counter: _RUNS.c[counter] + 1})
    for counter in ("pages_new", "pages_changed", "pages_unchanged", "pages_removed", "files_new", "errors")
}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_digest(item: PageItem) -> str:
    """A digest of what the page says, not of its bytes: sidebars and counters change on every visit."""
    payload = [
        item.title,
        item.published_raw,
        item.summary,
        item.body_text,
        item.body_html,
        item.source,
        sorted(url for url, _ in item.attachment_urls),
        sorted(item.metadata.items()),
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def safe_extension(filename: str | None, url: str) -> str | None:
    for candidate in (filename or "", url.split("?")[0]):
        ext = candidate.rsplit(".", 1)[-1].lower() if "." in candidate else ""
        if _SAFE_EXTENSION.match(ext):
            return ext
    return None


class ArchiveStore:
    """One archive: an SQLite file and, beside it, a folder of content-addressed files."""

    def __init__(self, db_path: str | Path, files_dir: str | Path | None = None) -> None:
        self.db_path = Path(db_path)
        self.root = self.db_path.parent
        self.files_dir = Path(files_dir) if files_dir else self.root / "files"
        self.engine, self._sessions = open_archive(self.db_path)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def _core_transaction(self) -> Iterator[Connection]:
        """The same short transaction without an ORM session, for the writes of every fetched page."""
        with self.engine.begin() as conn:
            yield conn

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, site: str, mode: str) -> int:
        with self._transaction() as s:
            # A run still "running" here was killed: the caller holds the archive's lock.
            s.execute(update(CrawlRun).where(CrawlRun.status == "running").values(status="interrupted"))
            return s.execute(
                insert(CrawlRun)
                .values(site=site, mode=mode, started_at=utc_now(), status="running")
                .returning(CrawlRun.id)
            ).scalar_one()

    def finish_run(self, run_id: int, status: str, requests: int = 0) -> dict[str, Any]:
        with self._transaction() as s:
            s.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(status=status, finished_at=utc_now(), requests=requests)
            )
        return self.run_stats(run_id)

    def run_stats(self, run_id: int) -> dict[str, Any]:
        with self._sessions() as s:
            run = s.get(CrawlRun, run_id)
            if run is None:
                raise KeyError(run_id)
            return {c.name: getattr(run, c.key) for c in CrawlRun.__table__.columns}

    def _bump(self, s: Session | Connection, run_id: int | None, counter: str) -> None:
        if run_id is not None:
            s.execute(_BUMP[counter], {"b_run_id": run_id})

    def record_error(self, run_id: int | None, url: str, status: int | None, reason: str) -> None:
        with self._transaction() as s:
            s.execute(
                insert(CrawlError).values(run_id=run_id, url=url, status=status, reason=reason, at=utc_now())
            )
            self._bump(s, run_id, "errors")

    # -- categories and pages -----------------------------------------------------------------------

    def save_category(self, item: CategoryItem) -> None:
        values = {"name": item.name, "parent": item.parent, "url": item.url, "kind": item.kind}
        with self._transaction() as s:
            if s.get(Category, item.slug) is None:
                s.execute(insert(Category).values(slug=item.slug, **values))
            else:
                s.execute(update(Category).where(Category.slug == item.slug).values(**values))

    def save_page(self, item: PageItem, run_id: int | None) -> tuple[int, str]:
        """Insert or update one page; returns (page id, "new" | "changed" | "unchanged")."""
        now = item.fetched_at or utc_now()
        digest = content_digest(item)
        content = {
            "site_id": item.site_id,
            "category": item.category,
            "section": item.section,
            "kind": item.kind,
            "title": item.title,
            "published_at": item.published_at,
            "published_raw": item.published_raw,
            "summary": item.summary,
            "body_text": item.body_text,
            "body_html": item.body_html,
            "source": item.source,
            "images": json.dumps(item.images, ensure_ascii=False) if item.images else None,
            "metadata_json": json.dumps(item.metadata, ensure_ascii=False) if item.metadata else None,
            "encoding": item.encoding,
        }
        validators = {"http_etag": item.http_etag, "http_last_modified": item.http_last_modified}
        with self._core_transaction() as s:
            row = s.execute(_FIND_PAGE, {"b_url": item.url}).first()
            if row is None:
                page_id = s.execute(
                    _INSERT_PAGE,
                    {
                        "url": item.url,
                        **content,
                        **validators,
                        "content_sha256": digest,
                        "first_seen_at": now,
                        "last_seen_at": now,
                        "last_changed_at": now,
                    },
                ).scalar_one()
                outcome = "new"
            elif now < row.last_seen_at:
                # A capture older than what the archive already holds (a web archive's, imported after
                # newer captures): it takes its place among the versions by time, and the page keeps
                # showing its newest content.
                page_id, outcome = row.id, self._add_earlier_version(s, row.id, item, digest, now, run_id)
                for url, _label in item.attachment_urls:
                    self._register_attachment(s, page_id, url, now)
                self._bump(s, run_id, _COUNTERS[outcome])
                return page_id, outcome
            else:
                page_id = row.id
                if row.content_sha256 == digest:
                    s.execute(
                        _UPDATE_PAGE,
                        {"b_page_id": page_id, "last_seen_at": now, "removed_at": None, **validators},
                    )
                    outcome = "unchanged"
                else:
                    s.execute(
                        _UPDATE_PAGE,
                        {
                            "b_page_id": page_id,
                            **content,
                            **validators,
                            "content_sha256": digest,
                            "last_seen_at": now,
                            "last_changed_at": now,
                            "removed_at": None,
                            "derived_at": None,
                        },
                    )
                    outcome = "changed"
            if outcome != "unchanged":
                self._add_version(s, page_id, item, digest, now, run_id)
                self._index_page(s, page_id, item)
            for url, _label in item.attachment_urls:
                self._register_attachment(s, page_id, url, now)
            self._bump(s, run_id, _COUNTERS[outcome])
        return page_id, outcome

    def _add_version(
        self, s: Connection, page_id: int, item: PageItem, digest: str, now: str, run_id: int | None
    ) -> None:
        last = s.execute(_LAST_VERSION, {"b_page_id": page_id}).scalar()
        s.execute(
            _INSERT_VERSION,
            {
                "page_id": page_id,
                "version": (last or 0) + 1,
                "run_id": run_id,
                "fetched_at": now,
                "content_sha256": digest,
                "capture_id": item.capture_id,
                **{field: getattr(item, field) for field in VERSIONED_FIELDS},
            },
        )

    def _add_earlier_version(
        self, s: Connection, page_id: int, item: PageItem, digest: str, at: str, run_id: int | None
    ) -> str:
        """A version captured at `at`, before the page's latest: inserted in time order, later versions
        renumbered; nothing if some version already holds this content. Returns the outcome."""
        versions = s.execute(
            select(_VERSIONS.c.id, _VERSIONS.c.version, _VERSIONS.c.fetched_at, _VERSIONS.c.content_sha256)
            .where(_VERSIONS.c.page_id == page_id)
            .order_by(_VERSIONS.c.version.desc())
        ).all()
        s.execute(
            update(_PAGES).where(_PAGES.c.id == page_id, _PAGES.c.first_seen_at > at).values(first_seen_at=at)
        )
        if any(v.content_sha256 == digest for v in versions):
            return "unchanged"
        later = [v for v in versions if v.fetched_at > at]
        for v in later:  # highest first, so no two rows ever share a number
            s.execute(update(_VERSIONS).where(_VERSIONS.c.id == v.id).values(version=v.version + 1))
        number = min((v.version for v in later), default=len(versions) + 1)
        s.execute(
            _INSERT_VERSION,
            {
                "page_id": page_id,
                "version": number,
                "run_id": run_id,
                "fetched_at": at,
                "content_sha256": digest,
                "capture_id": item.capture_id,
                **{field: getattr(item, field) for field in VERSIONED_FIELDS},
            },
        )
        return "changed"

    def _index_page(self, s: Connection, page_id: int, item: PageItem) -> None:
        s.execute(_DELETE_PAGE_FTS, {"id": page_id})
        s.execute(
            _INSERT_PAGE_FTS,
            {
                "id": page_id,
                "t": item.title,
                "s": item.summary,
                "b": item.body_text,
                "tf": fold_for_search(item.title),
                "sf": fold_for_search(item.summary),
                "bf": fold_for_search(item.body_text),
            },
        )

    def _register_attachment(self, s: Connection, page_id: int, url: str, now: str) -> str | None:
        """The file's row, made if missing; returns its stored sha256 (None while it is pending)."""
        exists = s.execute(_FIND_ATTACHMENT, {"b_page_id": page_id, "b_url": url}).first()
        if exists is not None:
            sha256: str | None = exists.sha256
            return sha256
        filename = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None
        s.execute(
            _INSERT_ATTACHMENT,
            {
                "page_id": page_id,
                "url": url,
                "filename": filename,
                "extension": safe_extension(filename, url),
                "first_seen_at": now,
            },
        )
        return None

    def touch_page(self, url: str, run_id: int | None) -> None:
        """The server said 304 Not Modified: the page is still there, as archived."""
        with self._transaction() as s:
            s.execute(update(Page).where(Page.url == url).values(last_seen_at=utc_now(), removed_at=None))
            self._bump(s, run_id, "pages_unchanged")

    def mark_removed(self, url: str, run_id: int | None, status: int, at: str | None = None) -> bool:
        """Flag a page the site no longer serves (404/410). The row and its versions stay.

        `at` is when the site said so: now for a live crawl, the capture's time for an import."""
        with self._transaction() as s:
            flagged = s.execute(
                update(Page)
                .where(Page.url == url, Page.removed_at.is_(None))
                .values(removed_at=at or utc_now())
            ).rowcount
            if flagged:
                self._bump(s, run_id, "pages_removed")
        return bool(flagged)

    # -- files --------------------------------------------------------------------------------------

    def _write_blob(self, body: bytes, sha256: str, extension: str | None) -> str:
        name = f"{sha256}.{extension}" if extension else sha256
        relative = Path("files") / sha256[:2] / sha256[2:4] / name
        target = self.files_dir / sha256[:2] / sha256[2:4] / name
        if target.exists() and target.stat().st_size == len(body):
            return relative.as_posix()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename: a kill never leaves a half file under the final name.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return relative.as_posix()

    def save_attachment(self, item: AttachmentItem, run_id: int | None) -> str:
        """Store a downloaded file content-addressed; returns "new" | "changed" | "unchanged"."""
        sha256 = hashlib.sha256(item.body).hexdigest()
        extension = safe_extension(item.filename, item.url)
        stored_path = self._write_blob(item.body, sha256, extension)
        now = item.fetched_at or utc_now()
        with self._core_transaction() as s:
            page = s.execute(_FIND_PAGE, {"b_url": item.page_url}).first()
            if page is None:
                raise LookupError(f"attachment {item.url} arrived before its page {item.page_url}")
            page_id = page.id
            previous = self._register_attachment(s, page_id, item.url, now)
            outcome = "new" if previous is None else ("unchanged" if previous == sha256 else "changed")
            values: dict[str, Any] = {"fetched_at": now}
            if outcome != "unchanged":
                values |= {
                    "filename": item.filename,
                    "extension": extension,
                    "content_type": item.content_type,
                    "bytes": len(item.body),
                    "sha256": sha256,
                    "stored_path": stored_path,
                    "capture_id": item.capture_id,
                    "text": None,
                    "text_error": None,
                    "tables_json": None,
                }
            s.execute(_UPDATE_ATTACHMENT, {"b_page_id": page_id, "b_url": item.url, **values})
            if outcome != "unchanged":
                s.execute(_UPDATE_PAGE, {"b_page_id": page_id, "derived_at": None})
                self._bump(s, run_id, "files_new")
        return outcome

    def save_attachment_text(
        self, attachment_id: int, text_value: str | None, tables: list, error: str | None
    ) -> None:
        with self._transaction() as s:
            s.execute(
                update(Attachment)
                .where(Attachment.id == attachment_id)
                .values(
                    text=text_value,
                    tables_json=json.dumps(tables, ensure_ascii=False) if tables else None,
                    # An empty error string would read as "extracted"; keep a reason.
                    text_error=error if error else (None if text_value is not None else "no text"),
                )
            )

    # -- what the crawler asks ----------------------------------------------------------------------

    def has_data(self) -> bool:
        with self._sessions() as s:
            return s.execute(select(Page.id).limit(1)).first() is not None

    def known_page_urls(self) -> set[str]:
        with self._sessions() as s:
            return set(s.execute(select(Page.url)).scalars())

    def page_validators(self) -> dict[str, tuple[str | None, str | None]]:
        with self._sessions() as s:
            rows = s.execute(select(Page.url, Page.http_etag, Page.http_last_modified))
            return {r.url: (r.http_etag, r.http_last_modified) for r in rows}

    def pending_attachments(self) -> list[tuple[str, str]]:
        with self._sessions() as s:
            rows = s.execute(
                select(Page.url, Attachment.url)
                .join(Page, Page.id == Attachment.page_id)
                .where(Attachment.sha256.is_(None), Page.removed_at.is_(None))
                .order_by(Attachment.id)
            )
            return [(page_url, file_url) for page_url, file_url in rows]

    def attachments_to_extract(self) -> list[tuple[int, str, str | None, str | None]]:
        """(id, absolute stored path, content type, filename) of files whose text is not read yet."""
        with self._sessions() as s:
            rows = s.execute(
                select(
                    Attachment.id, Attachment.stored_path, Attachment.content_type, Attachment.filename
                ).where(
                    Attachment.sha256.is_not(None), Attachment.text.is_(None), Attachment.text_error.is_(None)
                )
            )
            return [(r.id, str(self.root / r.stored_path), r.content_type, r.filename) for r in rows]

    # -- WARC index ---------------------------------------------------------------------------------

    def record_warc(self, **values: Any) -> None:
        with self._core_transaction() as s:
            s.execute(_INSERT_WARC, values)

    def latest_warc_captures(self) -> dict[str, tuple[str, str]]:
        """url -> (payload digest, WARC date) of the newest full capture, for revisit records."""
        with self._sessions() as s:
            rows = s.execute(
                select(WarcRecord.url, WarcRecord.payload_digest, WarcRecord.warc_date)
                .where(WarcRecord.warc_type == "response")
                .order_by(WarcRecord.id)
            )
            return {r.url: (r.payload_digest, r.warc_date) for r in rows}

    # -- captures of web archives (tdkt import) ------------------------------------------------------

    def set_run_source(self, run_id: int, source: str, source_uri: str) -> None:
        with self._core_transaction() as s:
            s.execute(update(_RUNS).where(_RUNS.c.id == run_id).values(source=source, source_uri=source_uri))

    def record_captures(self, source: str, source_uri: str, captures: Iterable[Capture]) -> int:
        """Keep listed captures (idempotent: a capture listed twice is one row); returns how many are new."""
        rows = [
            {
                "source": source,
                "source_uri": source_uri,
                "url": c.url,
                "timestamp": c.timestamp,
                "captured_at": c.captured_at,
                "status": c.status,
                "mime": c.mime,
                "digest": c.digest or "",
                "locator": c.locator,
                "listed_at": utc_now(),
            }
            for c in captures
        ]
        if not rows:
            return 0
        statement = sqlite_insert(_CAPTURES).on_conflict_do_nothing(
            index_elements=["source_uri", "url", "timestamp", "digest"]
        )
        with self._core_transaction() as s:
            return s.execute(statement, rows).rowcount or 0

    def listing_state(self, source_uri: str, query: str) -> tuple[str | None, bool]:
        """(resume key, complete) of a CDX query a killed import left; (None, False) to start afresh."""
        with self._sessions() as s:
            row = s.execute(
                select(CaptureListing.resume_key, CaptureListing.complete).where(
                    CaptureListing.source_uri == source_uri, CaptureListing.query == query
                )
            ).first()
            return (row.resume_key, bool(row.complete)) if row else (None, False)

    def save_listing_page(
        self,
        source: str,
        source_uri: str,
        query: str,
        captures: list[Capture],
        resume_key: str | None,
        complete: bool,
    ) -> int:
        """One page of a CDX listing and where the next one starts, in one transaction: a kill between
        pages loses neither rows nor the place."""
        new = self.record_captures(source, source_uri, captures)
        with self._core_transaction() as s:
            table = CaptureListing.__table__
            found = s.execute(
                select(table.c.id).where(table.c.source_uri == source_uri, table.c.query == query)
            ).first()
            values = {"resume_key": resume_key, "complete": int(complete)}
            if found is None:
                s.execute(
                    insert(table).values(
                        source_uri=source_uri, query=query, pages=1, rows=len(captures), **values
                    )
                )
            else:
                s.execute(
                    update(table)
                    .where(table.c.id == found.id)
                    .values(pages=table.c.pages + 1, rows=table.c.rows + len(captures), **values)
                )
        return new

    def forget_listings(self, source_uri: str) -> None:
        """A completed import's listings: the next import asks the archive again (it may hold more)."""
        with self._core_transaction() as s:
            s.execute(delete(CaptureListing.__table__).where(CaptureListing.source_uri == source_uri))

    def captures_of(self, source_uris: Iterable[str]) -> list[dict[str, Any]]:
        """Every recorded capture of these sources, with its local copy and whether it was imported."""
        uris = list(source_uris)
        with self._sessions() as s:
            rows = s.execute(
                select(_CAPTURES).where(_CAPTURES.c.source_uri.in_(uris)).order_by(_CAPTURES.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def set_capture_copy(self, capture_id: int, filename: str, offset: int) -> None:
        with self._core_transaction() as s:
            s.execute(
                update(_CAPTURES)
                .where(_CAPTURES.c.id == capture_id)
                .values(warc_filename=filename, warc_offset=offset)
            )

    def mark_capture_imported(self, capture_id: int, run_id: int | None) -> None:
        with self._core_transaction() as s:
            s.execute(
                update(_CAPTURES)
                .where(_CAPTURES.c.id == capture_id, _CAPTURES.c.imported_at.is_(None))
                .values(imported_at=utc_now(), imported_run_id=run_id)
            )

    # -- derived tables -----------------------------------------------------------------------------

    def pages_to_derive(self) -> list[int]:
        with self._sessions() as s:
            return list(
                s.execute(select(Page.id).where(Page.derived_at.is_(None)).order_by(Page.id)).scalars()
            )

    def load_for_derive(self, page_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        with self._sessions() as s:
            page = s.get(Page, page_id)
            if page is None:
                raise KeyError(page_id)
            attachments = s.execute(
                select(Attachment).where(Attachment.page_id == page_id).order_by(Attachment.id)
            ).scalars()
            page_fields = {c.key: getattr(page, c.key) for c in Page.__mapper__.column_attrs}
            files = [
                {
                    "url": a.url,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "text": a.text,
                    "tables": json.loads(a.tables_json) if a.tables_json else [],
                }
                for a in attachments
            ]
            return page_fields, files

    def save_derived(self, page_id: int, derived: Derived) -> None:
        """Replace every derived row of one page, and their search index entries."""
        with self._transaction() as s:
            self._clear_derived(s, page_id)
            if derived.legal is not None:
                legal = vars(derived.legal)
                legal_id = s.execute(
                    insert(LegalDocument).values(page_id=page_id, **legal).returning(LegalDocument.id)
                ).scalar_one()
                self._index_row(
                    s,
                    "legal_documents_fts",
                    legal_id,
                    legal,
                    ("number", "doc_type", "issuer", "signer", "abstract"),
                )
            for award in derived.awards:
                fields = {k: v for k, v in vars(award).items() if k != "recipients"}
                award_id = s.execute(
                    insert(Award).values(page_id=page_id, **fields).returning(Award.id)
                ).scalar_one()
                self._index_row(
                    s, "awards_fts", award_id, fields, ("decision_number", "award", "conferred_by")
                )
                for recipient in award.recipients:
                    values = vars(recipient)
                    recipient_id = s.execute(
                        insert(AwardRecipient)
                        .values(award_id=award_id, page_id=page_id, **values)
                        .returning(AwardRecipient.id)
                    ).scalar_one()
                    self._index_row(
                        s, "award_recipients_fts", recipient_id, values, ("name", "unit", "position", "award")
                    )
            for movement in derived.movements:
                s.execute(insert(Movement).values(page_id=page_id, **vars(movement)))
            for number in dict.fromkeys(derived.citations):
                s.execute(insert(Citation).values(page_id=page_id, cited_number=number))
            s.execute(update(Page).where(Page.id == page_id).values(derived_at=utc_now()))

    def _clear_derived(self, s: Session, page_id: int) -> None:
        for table, model in (
            ("award_recipients_fts", AwardRecipient),
            ("awards_fts", Award),
            ("legal_documents_fts", LegalDocument),
        ):
            ids = list(s.execute(select(model.id).where(model.page_id == page_id)).scalars())
            _delete_fts_rows(s, table, ids)
        for model in (AwardRecipient, Award, LegalDocument, Movement, Citation):
            s.execute(delete(model).where(model.page_id == page_id))

    def _index_row(
        self, s: Session, table: str, rowid: int, values: dict[str, Any], columns: tuple[str, ...]
    ) -> None:
        cells = [values.get(c) for c in columns]
        folded = fold_for_search(" ".join(str(c) for c in cells if c))
        placeholders = ", ".join(f":c{i}" for i in range(len(columns)))
        params = {f"c{i}": cell for i, cell in enumerate(cells)} | {"rowid": rowid, "folded": folded}
        names = ", ".join(columns)
        sql = f"INSERT INTO {table}(rowid, {names}, folded) VALUES (:rowid, {placeholders}, :folded)"
        s.execute(text(sql), params)


def _delete_fts_rows(s: Session, table: str, ids: Iterable[int]) -> None:
    for rowid in ids:
        s.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), {"id": rowid})
