"""The only module that writes rows.

Every write is an idempotent upsert in its own short transaction, so a crawl killed at any moment
leaves a consistent archive and the next run simply carries on. Nothing is ever deleted from `pages`:
a page that disappears is flagged (`removed_at`), a page that changes gets a new `page_versions` row.
Derived tables (legal documents, awards, movements, citations) are a pure function of a page and its
files, so they are replaced wholesale whenever either changes.

An archive is one site (archive.site): rows are found by the item key of a URL, and every `url` column
is written at the site's canonical origin, whichever address of the site a record was fetched from.
The first address an archive is written from becomes its site; archives made before items had keys
are given theirs when opened (`_adopt_unkeyed_pages`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive.db import open_archive
from archive.filetypes import name_in_url, stored_extension
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
    Image,
    LegalDocument,
    Movement,
    Page,
    PageVersion,
    Site,
    SiteAlias,
    TemplateBlock,
    WarcRecord,
)
from archive.normalize.text import fold_for_search
from archive.plan import CrawlPlan, crawl_mode
from archive.records import (
    PAGE_CONTENT,
    AttachmentItem,
    CategoryItem,
    ImageItem,
    PageItem,
    content_digest,
    page_content,
    page_validators,
    version_content,
)
from archive.site import SiteIdentity, alias_origins, origin_of, path_and_query

if TYPE_CHECKING:
    from archive.captures import Capture
    from archive.derive import Derived

_COUNTERS = {"new": "pages_new", "changed": "pages_changed", "unchanged": "pages_unchanged"}

# The statements every fetched page and file runs, built once: building and caching a statement per
# call cost more CPU than SQLite's work in the crawl profile. Against the tables, not the ORM classes,
# so they run as plain Core. Bound names never equal a column name: an UPDATE takes its SET columns
# from the parameters given.
_PAGES = Page.__table__
_VERSIONS = PageVersion.__table__
_ATTACHMENTS = Attachment.__table__
_IMAGES = Image.__table__
_RUNS = CrawlRun.__table__
_FIND_PAGE = select(_PAGES.c.id, _PAGES.c.content_sha256, _PAGES.c.last_seen_at).where(
    _PAGES.c.item_key == bindparam("b_key")
)
_INSERT_PAGE = insert(_PAGES).returning(_PAGES.c.id)
_UPDATE_PAGE = update(_PAGES).where(_PAGES.c.id == bindparam("b_page_id"))
_LAST_VERSION = select(func.max(_VERSIONS.c.version)).where(_VERSIONS.c.page_id == bindparam("b_page_id"))
_INSERT_VERSION = insert(_VERSIONS)


def _file_statements(table: Any) -> dict[str, Any]:
    row = (table.c.page_id == bindparam("b_page_id")) & (table.c.url == bindparam("b_url"))
    return {
        "find": select(table.c.sha256).where(row),
        "insert": insert(table),
        "update": update(table).where(row),
    }


_FILES = {"attachments": _file_statements(_ATTACHMENTS), "images": _file_statements(_IMAGES)}
_INSERT_WARC = insert(WarcRecord.__table__)
_DELETE_ATTACHMENT_FTS = text("DELETE FROM attachments_fts WHERE rowid = :rowid")
_UNINDEX_ATTACHMENT = text(
    "DELETE FROM attachments_fts WHERE rowid = "
    "(SELECT id FROM attachments WHERE page_id = :page_id AND url = :url)"
)
_INSERT_ATTACHMENT_FTS = text(
    "INSERT INTO attachments_fts(rowid, filename, text, folded) VALUES (:rowid, :filename, :text, :folded)"
)
_CAPTURES = CaptureRecord.__table__
_BUMPED = (
    "pages_new",
    "pages_changed",
    "pages_unchanged",
    "pages_removed",
    "files_new",
    "images_new",
    "errors",
)
_BUMP = {
    counter: update(_RUNS)
    .where(_RUNS.c.id == bindparam("b_run_id"))
    .values({counter: func.coalesce(_RUNS.c[counter], 0) + 1})
    for counter in _BUMPED
}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class NotThisSite(ValueError):
    """A record of another site than the archive's: it is never written."""


class ArchiveStore:
    """One archive: an SQLite file and, beside it, a folder of content-addressed files."""

    def __init__(self, db_path: str | Path, files_dir: str | Path | None = None) -> None:
        self.db_path = Path(db_path)
        self.root = self.db_path.parent
        self.files_dir = Path(files_dir) if files_dir else self.root / "files"
        self.engine, self._sessions = open_archive(self.db_path)
        self._site = self._load_site()
        self._adopt_unkeyed_pages()

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

    # -- the site -----------------------------------------------------------------------------------

    @property
    def site(self) -> SiteIdentity | None:
        """The archive's site, or None before its first crawl."""
        return self._site

    def _load_site(self) -> SiteIdentity | None:
        with self._sessions() as s:
            site = s.execute(select(Site)).scalars().first()
            if site is None:
                return None
            aliases = frozenset(s.execute(select(SiteAlias.origin)).scalars())
            return SiteIdentity(site.key, site.canonical_origin, aliases | {site.canonical_origin})

    def establish_site(self, url: str, reason: str = "first crawl of this archive") -> SiteIdentity:
        """Make the site answering at `url` the archive's: its canonical origin, and every address that is
        it by name alone (archive.site.alias_origins). An archive's earlier site, if it held no item, is
        kept only as a former address."""
        identity = SiteIdentity.first(url)
        with self._core_transaction() as s:
            s.execute(delete(Site))
            s.execute(update(SiteAlias).values(role="former"))
            s.execute(
                insert(Site).values(
                    key=identity.key, canonical_origin=identity.canonical_origin, established_at=utc_now()
                )
            )
            self._add_aliases(s, identity.canonical_origin, "canonical", reason)
        self._site = self._load_site()
        assert self._site is not None
        return self._site

    def admit_origin(self, url: str, reason: str) -> SiteIdentity:
        """Record another address of the archive's site (a mirror its home page proved to be)."""
        site = self._require_site(url)
        with self._core_transaction() as s:
            self._add_aliases(s, origin_of(url), "mirror", reason)
        self._site = self._load_site()
        assert self._site is not None and self._site.key == site.key
        return self._site

    def move_site(self, url: str) -> SiteIdentity:
        """The operator says the site moved to `url`: it becomes the canonical origin, the old one a former
        address, and every `url` column is rewritten to the new origin (provenance stays as it was)."""
        old = self._require_site(url)
        new = old.moved_to(url)
        with self._core_transaction() as s:
            s.execute(update(Site).values(canonical_origin=new.canonical_origin))
            s.execute(
                update(SiteAlias)
                .where(SiteAlias.origin == old.canonical_origin)
                .values(role="former", reason="the site's address before it moved (--site-moved)")
            )
            self._add_aliases(s, new.canonical_origin, "canonical", "the operator said the site moved here")
            s.execute(
                update(SiteAlias).where(SiteAlias.origin == new.canonical_origin).values(role="canonical")
            )
            self._canonicalize_urls(s, new)
        self._site = self._load_site()
        assert self._site is not None
        return self._site

    def _add_aliases(self, s: Connection, origin: str, role: str, reason: str) -> None:
        now = utc_now()
        rows = {origin: (role, reason)} | {o: ("alias", why) for o, why in alias_origins(origin).items()}
        present = set(s.execute(select(SiteAlias.origin)).scalars())
        for alias, (alias_role, why) in rows.items():
            if alias not in present:
                values = {"origin": alias, "role": alias_role, "reason": why, "first_seen_at": now}
                s.execute(insert(SiteAlias).values(**values))

    def _require_site(self, url: str) -> SiteIdentity:
        """The archive's site; the first address written from becomes it."""
        return self._site if self._site is not None else self.establish_site(url)

    def _of_site(self, url: str) -> tuple[SiteIdentity, str]:
        site = self._require_site(url)
        key = site.item_key(url)
        if key is None:
            raise NotThisSite(f"{url} is not an address of the archive's site ({site.canonical_origin})")
        return site, key

    def _canonical_page(self, site: SiteIdentity, item: PageItem) -> PageItem:
        """The record as if fetched from the canonical origin: its links, files and images there."""
        return dataclasses.replace(
            item,
            url=site.canonical_url(item.url),
            body_html=site.canonical_html(item.body_html),
            images=[site.canonical_url(u) for u in item.images],
            attachment_urls=[(site.canonical_url(u), label) for u, label in item.attachment_urls],
        )

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, site: str, mode: str, origin: str | None = None) -> int:
        """A new run crawling `site` (as given) from `origin` (where its home page answered)."""
        self._require_site(origin or site)
        with self._transaction() as s:
            # A run still "running" here was killed: the caller holds the archive's lock.
            s.execute(update(CrawlRun).where(CrawlRun.status == "running").values(status="interrupted"))
            return s.execute(
                insert(CrawlRun)
                .values(
                    site=site,
                    origin=origin_of(origin or site),
                    mode=mode,
                    started_at=utc_now(),
                    status="running",
                )
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
        if self._site is not None:
            url = self._site.canonical_url(url)
        with self._transaction() as s:
            s.execute(
                insert(CrawlError).values(run_id=run_id, url=url, status=status, reason=reason, at=utc_now())
            )
            self._bump(s, run_id, "errors")

    # -- the site's template ------------------------------------------------------------------------

    def save_template(self, run_id: int, summary: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        """Store what a run's template learned, replacing what the same run stored before."""
        with self._core_transaction() as s:
            s.execute(delete(TemplateBlock).where(TemplateBlock.run_id == run_id))
            if rows:
                s.execute(
                    insert(TemplateBlock),
                    [
                        {
                            **{k: v for k, v in row.items() if k != "kinds"},
                            "run_id": run_id,
                            "kinds": json.dumps(row.get("kinds") or [], ensure_ascii=False),
                        }
                        for row in rows
                    ],
                )
            s.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(
                    template_listing_pages=summary.get("listing_pages"),
                    template_detail_pages=summary.get("detail_pages"),
                    template_kinds=json.dumps(summary.get("kinds") or [], ensure_ascii=False),
                )
            )

    def latest_template(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The summary and rows of the newest run that stored a template (None, [] if none did)."""
        with self._core_transaction() as s:
            run = s.execute(
                select(
                    CrawlRun.id,
                    CrawlRun.template_listing_pages,
                    CrawlRun.template_detail_pages,
                    CrawlRun.template_kinds,
                )
                .where(CrawlRun.template_detail_pages.is_not(None))
                .order_by(CrawlRun.id.desc())
                .limit(1)
            ).first()
            if run is None:
                return None, []
            rows = [
                {**row._asdict(), "kinds": json.loads(row.kinds or "[]")}
                for row in s.execute(
                    select(
                        TemplateBlock.key_kind,
                        TemplateBlock.block_key,
                        TemplateBlock.sample_text,
                        TemplateBlock.listing_pages,
                        TemplateBlock.detail_pages,
                        TemplateBlock.kinds,
                    ).where(TemplateBlock.run_id == run.id)
                )
            ]
        summary = {
            "listing_pages": run.template_listing_pages,
            "detail_pages": run.template_detail_pages,
            "kinds": json.loads(run.template_kinds or "[]"),
        }
        return summary, rows

    # -- categories and pages -----------------------------------------------------------------------

    def save_category(self, item: CategoryItem) -> None:
        url = self._require_site(item.url).canonical_url(item.url)
        values = {"name": item.name, "parent": item.parent, "url": url, "kind": item.kind}
        with self._transaction() as s:
            if s.get(Category, item.slug) is None:
                s.execute(insert(Category).values(slug=item.slug, **values))
            else:
                s.execute(update(Category).where(Category.slug == item.slug).values(**values))

    def save_page(self, item: PageItem, run_id: int | None) -> tuple[int, str]:
        """Insert or update one page; returns (page id, "new" | "changed" | "unchanged")."""
        site, key = self._of_site(item.url)
        fetched_from = item.url
        item = self._canonical_page(site, item)
        now = item.fetched_at or utc_now()
        digest = content_digest(item)
        content = page_content(item)
        validators = page_validators(item)
        with self._core_transaction() as s:
            row = s.execute(_FIND_PAGE, {"b_key": key}).first()
            if row is None:
                page_id = s.execute(
                    _INSERT_PAGE,
                    {
                        "url": item.url,
                        "item_key": key,
                        **content,
                        **validators,
                        "content_sha256": digest,
                        "first_seen_at": now,
                        "last_seen_at": now,
                        "last_changed_at": now,
                    },
                ).scalar_one()
                outcome = "new"
            elif item.capture_id is not None and now < row.last_seen_at:
                # A web archive's capture older than what the archive already holds (imported after
                # newer captures): it takes its place among the versions by time, and the page keeps
                # showing its newest content. Only a web archive's capture can be older: a crawl reads
                # the site now, and `tdkt reparse` reads each page's newest capture, dated by it.
                page_id = row.id
                outcome = self._add_earlier_version(s, page_id, item, digest, now, run_id, fetched_from)
                self._register_files(s, site, page_id, item, now)
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
                            # An article whose slug followed an edited title keeps its row, at its new path.
                            "url": item.url,
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
                # pages_fts follows the page's text by itself (archive/db.py).
                self._add_version(s, page_id, item, digest, now, run_id, fetched_from)
            self._register_files(s, site, page_id, item, now)
            self._bump(s, run_id, _COUNTERS[outcome])
        return page_id, outcome

    def _register_files(
        self, s: Connection, site: SiteIdentity, page_id: int, item: PageItem, now: str
    ) -> None:
        for url, _label in item.attachment_urls:
            self._register_file(s, "attachments", page_id, url, now)
        for url in item.images:
            if site.is_alias(url):  # images elsewhere are never downloaded: no pending row for them
                self._register_file(s, "images", page_id, url, now)

    def _add_version(
        self,
        s: Connection,
        page_id: int,
        item: PageItem,
        digest: str,
        now: str,
        run_id: int | None,
        fetched_from: str,
    ) -> None:
        last = s.execute(_LAST_VERSION, {"b_page_id": page_id}).scalar()
        s.execute(
            _INSERT_VERSION,
            {
                "page_id": page_id,
                "version": (last or 0) + 1,
                "run_id": run_id,
                "fetched_at": now,
                "url": fetched_from,
                "content_sha256": digest,
                "capture_id": item.capture_id,
                **version_content(item),
            },
        )

    def _add_earlier_version(
        self,
        s: Connection,
        page_id: int,
        item: PageItem,
        digest: str,
        at: str,
        run_id: int | None,
        fetched_from: str,
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
                "url": fetched_from,
                "content_sha256": digest,
                "capture_id": item.capture_id,
                **version_content(item),
            },
        )
        return "changed"

    def _register_file(self, s: Connection, table: str, page_id: int, url: str, now: str) -> str | None:
        """A page's file or image row, made if missing; returns its stored sha256 (None while pending)."""
        statements = _FILES[table]
        exists = s.execute(statements["find"], {"b_page_id": page_id, "b_url": url}).first()
        if exists is not None:
            sha256: str | None = exists.sha256
            return sha256
        values: dict[str, Any] = {"page_id": page_id, "url": url, "first_seen_at": now}
        if table == "attachments":
            filename = name_in_url(url)
            values |= {"filename": filename, "extension": stored_extension(filename, url)}
        s.execute(statements["insert"], values)
        return None

    def touch_page(self, url: str, run_id: int | None) -> None:
        """The server said 304 Not Modified: the page is still there, as archived."""
        _site, key = self._of_site(url)
        with self._transaction() as s:
            s.execute(
                update(Page).where(Page.item_key == key).values(last_seen_at=utc_now(), removed_at=None)
            )
            self._bump(s, run_id, "pages_unchanged")

    def mark_removed(self, url: str, run_id: int | None, status: int, at: str | None = None) -> bool:
        """Flag a page the site no longer serves (404/410). The row and its versions stay.

        `at` is when the site said so: now for a live crawl, the capture's time for an import."""
        _site, key = self._of_site(url)
        with self._transaction() as s:
            flagged = s.execute(
                update(Page)
                .where(Page.item_key == key, Page.removed_at.is_(None))
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
        extension = stored_extension(item.filename, item.url)
        details = {"filename": item.filename, "extension": extension, "content_type": item.content_type}
        # A new file's text is read again by the next enrich.
        reset = {"text": None, "text_error": None, "tables_json": None, "text_method": None}
        reset |= {"ocr_confidence": None, "ocr_engine": None, "ocr_page_confidences": None}
        return self._store_download(
            "attachments", item.page_url, item.url, item.body, extension, item.fetched_at, run_id,
            {**details, **reset}, "files_new", item.capture_id,
        )  # fmt: skip

    def save_image(self, item: ImageItem, run_id: int | None) -> str:
        """Store a downloaded article image content-addressed, exactly as an attachment."""
        extension = stored_extension(None, item.url)
        return self._store_download(
            "images", item.page_url, item.url, item.body, extension, item.fetched_at, run_id,
            {"content_type": item.content_type}, "images_new", item.capture_id,
        )  # fmt: skip

    def _store_download(
        self,
        table: str,
        page_url: str,
        url: str,
        body: bytes,
        extension: str | None,
        fetched_at: str | None,
        run_id: int | None,
        details: dict[str, Any],
        counter: str,
        capture_id: int | None,
    ) -> str:
        site, page_key = self._of_site(page_url)
        url = site.canonical_url(url)
        sha256 = hashlib.sha256(body).hexdigest()
        stored_path = self._write_blob(body, sha256, extension)
        now = fetched_at or utc_now()
        statements = _FILES[table]
        with self._core_transaction() as s:
            page = s.execute(_FIND_PAGE, {"b_key": page_key}).first()
            if page is None:
                raise LookupError(f"{table[:-1]} {url} arrived before its page {page_url}")
            page_id = page.id
            previous = self._register_file(s, table, page_id, url, now)
            outcome = "new" if previous is None else ("unchanged" if previous == sha256 else "changed")
            values: dict[str, Any] = {"fetched_at": now}
            if outcome != "unchanged":
                values |= {**details, "bytes": len(body), "sha256": sha256, "stored_path": stored_path}
                values["capture_id"] = capture_id  # a web archive's capture (tdkt import), else NULL
            s.execute(statements["update"], {"b_page_id": page_id, "b_url": url, **values})
            if outcome != "unchanged":
                if table == "attachments":  # derived rows and search entry read its bytes
                    s.execute(_UNINDEX_ATTACHMENT, {"page_id": page_id, "url": url})
                    s.execute(_UPDATE_PAGE, {"b_page_id": page_id, "derived_at": None})
                self._bump(s, run_id, counter)
        return outcome

    def save_attachment_text(
        self,
        attachment_id: int,
        text_value: str | None,
        tables: list,
        error: str | None,
        *,
        method: str | None = None,
        ocr_confidence: float | None = None,
        ocr_engine: str | None = None,
        page_confidences: list[float | None] | None = None,
    ) -> None:
        """The text read from a file, and how: `method` "layer" (its own text) or "ocr" (with the mean
        and per-page word confidences and the engine that read it)."""
        with self._transaction() as s:
            s.execute(
                update(Attachment)
                .where(Attachment.id == attachment_id)
                .values(
                    text=text_value,
                    tables_json=json.dumps(tables, ensure_ascii=False) if tables else None,
                    # An empty error string would read as "extracted"; keep a reason.
                    text_error=error if error else (None if text_value is not None else "no text"),
                    text_method=method if text_value is not None else None,
                    ocr_confidence=ocr_confidence if method == "ocr" else None,
                    ocr_engine=ocr_engine if method == "ocr" else None,
                    ocr_page_confidences=(
                        json.dumps(page_confidences) if method == "ocr" and page_confidences else None
                    ),
                )
            )
            # The search index follows the text (attachments_fts, archive/db.py).
            s.execute(_DELETE_ATTACHMENT_FTS, {"rowid": attachment_id})
            if text_value is not None:
                filename = s.execute(
                    select(Attachment.filename).where(Attachment.id == attachment_id)
                ).scalar()
                s.execute(_INSERT_ATTACHMENT_FTS, attachment_search_row(attachment_id, filename, text_value))

    # -- what the crawler asks ----------------------------------------------------------------------

    def has_data(self) -> bool:
        with self._sessions() as s:
            return s.execute(select(Page.id).limit(1)).first() is not None

    def crawl_plan(self, requested_mode: str | None = None) -> CrawlPlan:
        """What the next run does, from what the archive holds (archive.plan)."""
        with self._sessions() as s:
            rows = s.execute(select(Page.item_key, Page.url, Page.http_etag, Page.http_last_modified)).all()
            mode = crawl_mode(requested_mode, bool(rows))
            known = {r.item_key: path_and_query(r.url) for r in rows}
            plan = CrawlPlan(mode=mode, known=known)
            if mode == "full":
                plan.validators = {r.item_key: (r.http_etag, r.http_last_modified) for r in rows}
            elif self._site is not None:
                # Dead links answer 404 on every visit; an incremental run does not ask again (--full does).
                errors = s.execute(
                    select(CrawlError.url).where(CrawlError.status.in_((404, 410))).distinct()
                ).scalars()
                keys = {self._site.item_key(url) for url in errors}
                plan.dead = frozenset(k for k in keys if k is not None and k not in known)
            plan.pending_files = self._pending(s, Attachment)
            plan.pending_images = self._pending(s, Image)
        return plan

    def _pending(self, s: Session, model: type[Attachment] | type[Image]) -> list[tuple[str, str]]:
        rows = s.execute(
            select(Page.url, model.url)
            .join(Page, Page.id == model.page_id)
            .where(model.sha256.is_(None), Page.removed_at.is_(None))
            .order_by(model.id)
        )
        return [(page_url, file_url) for page_url, file_url in rows]

    def pending_attachments(self) -> list[tuple[str, str]]:
        """(page URL, file URL) of files not downloaded yet, at the site's canonical origin."""
        with self._sessions() as s:
            return self._pending(s, Attachment)

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

    def latest_responses(self) -> dict[str, tuple[str, int, str, str]]:
        """Canonical URL -> (WARC file name, offset, WARC date, captured URL) of the newest full response
        captured for it, from whichever address of the site it was fetched."""
        canonical = self._site.canonical_url if self._site is not None else (lambda url: url)
        with self._sessions() as s:
            rows = s.execute(
                select(WarcRecord.url, WarcRecord.filename, WarcRecord.offset, WarcRecord.warc_date)
                .where(WarcRecord.warc_type == "response")
                .order_by(WarcRecord.id)
            )
            return {canonical(r.url): (r.filename, r.offset, r.warc_date, r.url) for r in rows}

    def pages_to_reparse(self) -> list[dict[str, Any]]:
        """What a re-parse needs of each archived page besides its capture: where it sits on the site."""
        with self._sessions() as s:
            rows = s.execute(
                select(
                    Page.url,
                    Page.kind,
                    Page.category,
                    Page.site_id,
                    Page.published_raw,
                    Page.published_at,
                    Page.http_etag,
                    Page.http_last_modified,
                ).order_by(Page.id)
            )
            return [r._asdict() for r in rows]

    def latest_warc_captures(self) -> dict[str, tuple[str, str, str]]:
        """Canonical URL -> (payload digest, WARC date, captured URL) of the newest full capture, for
        revisit records: a capture from another address of the site refers to the earlier one."""
        canonical = self._site.canonical_url if self._site is not None else (lambda url: url)
        with self._sessions() as s:
            rows = s.execute(
                select(WarcRecord.url, WarcRecord.payload_digest, WarcRecord.warc_date)
                .where(WarcRecord.warc_type == "response")
                .order_by(WarcRecord.id)
            )
            return {canonical(r.url): (r.payload_digest, r.warc_date, r.url) for r in rows}

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

    def _clear_derived(self, s: Session | Connection, page_id: int) -> None:
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

    # -- archives made before items had keys ----------------------------------------------------------

    def _adopt_unkeyed_pages(self) -> None:
        """Give every page without an item key its key, in place, in one transaction.

        Archives made before the archive kept its site keyed pages by their full URL, so the same item
        crawled from two addresses (another port of the replica, the site's other host name) has a row
        per address. Those rows become one: every version is kept (renumbered in capture order, each
        with the address it was fetched from), the newest row's content shows, files join the one row,
        and the derived rows are made again by the next enrich. The site is the first address a run
        crawled; every other address runs or pages were crawled from is recorded as a mirror.
        """
        with self._core_transaction() as s:
            unkeyed = s.execute(text("SELECT id, url FROM pages WHERE item_key IS NULL ORDER BY id")).all()
            runs = s.execute(text("SELECT id, site FROM crawl_runs WHERE origin IS NULL ORDER BY id")).all()
        if not unkeyed and not runs:
            return
        if self._site is None:
            self.establish_site(runs[0].site if runs else unkeyed[0].url)
        site = self._site
        assert site is not None
        with self._core_transaction() as s:
            addresses = {origin_of(r.site) for r in runs} | {origin_of(r.url) for r in unkeyed}
            for origin in sorted(addresses - site.aliases):
                self._add_aliases(s, origin, "mirror", "crawled into this archive before it kept its site")
            for run in runs:
                s.execute(
                    text("UPDATE crawl_runs SET origin = :o WHERE id = :id"),
                    {"o": origin_of(run.site), "id": run.id},
                )
        self._site = site = self._load_site() or site
        if not unkeyed:
            return
        with self._core_transaction() as s:
            groups: dict[str, list[int]] = defaultdict(list)
            for row in unkeyed:
                key = site.item_key(row.url)
                if key is None:  # a page of an address not recorded as the site: keyed all the same
                    key = path_and_query(row.url)
                groups[key].append(row.id)
            for key, ids in groups.items():
                keyed = s.execute(text("SELECT id FROM pages WHERE item_key = :k"), {"k": key}).scalar()
                self._merge_pages(s, site, key, sorted({*ids, *([keyed] if keyed is not None else [])}))
            self._canonicalize_urls(s, site)

    def _merge_pages(self, s: Connection, site: SiteIdentity, key: str, ids: list[int]) -> None:
        """Make the rows `ids` of one item (several before items had keys) its one row, keyed `key`."""
        rows = {r.id: r for r in s.execute(select(_PAGES).where(_PAGES.c.id.in_(ids))).all()}
        survivor = min(ids)
        for row in rows.values():  # until now each row's versions were fetched from the row's own URL
            s.execute(
                text("UPDATE page_versions SET url = :u WHERE page_id = :id AND url IS NULL"),
                {"u": row.url, "id": row.id},
            )
        digests = {i: self._canonical_digest(s, site, r) for i, r in rows.items()}
        newest = sorted(rows.values(), key=lambda r: (r.last_seen_at, r.id), reverse=True)
        winner = newest[0]
        changed_at = winner.last_changed_at
        for row in newest:  # the content shown has not changed since the oldest row that already showed it
            if digests[row.id] != digests[winner.id]:
                break
            changed_at = min(changed_at, row.last_changed_at)
        merged = len(ids) > 1
        if merged:
            versions = s.execute(
                select(_VERSIONS.c.id)
                .where(_VERSIONS.c.page_id.in_(ids))
                .order_by(_VERSIONS.c.fetched_at, _VERSIONS.c.id)
            ).scalars()
            # Numbered negative first: (page, version) is unique.
            for number, version_id in enumerate(list(versions), 1):
                s.execute(
                    text("UPDATE page_versions SET page_id = :p, version = :v WHERE id = :id"),
                    {"p": survivor, "v": -number, "id": version_id},
                )
            s.execute(
                text("UPDATE page_versions SET version = -version WHERE page_id = :p AND version < 0"),
                {"p": survivor},
            )
        for table in ("attachments", "images"):
            self._merge_files(s, site, table, survivor, ids)
        for page_id in ids:
            if page_id != survivor:
                self._clear_derived(s, page_id)
                s.execute(delete(Page).where(Page.id == page_id))
        at_canonical = origin_of(winner.url) == site.canonical_origin
        values: dict[str, Any] = {
            "b_page_id": survivor,
            "item_key": key,
            "url": site.canonical_url(winner.url),
            "first_seen_at": min(r.first_seen_at for r in rows.values()),
            "last_seen_at": winner.last_seen_at,
            "last_changed_at": changed_at,
        }
        if merged or not at_canonical:
            values |= {
                name: getattr(winner, name) for name in (*PAGE_CONTENT, "http_etag", "http_last_modified")
            }
            values |= {
                "body_html": site.canonical_html(winner.body_html),
                "removed_at": winner.removed_at,
                "content_sha256": digests[winner.id],
            }
        images = [site.canonical_url(u) for u in json.loads(winner.images)] if winner.images else []
        if images:
            values["images"] = json.dumps(images, ensure_ascii=False)
        if merged:
            values["derived_at"] = None
        s.execute(_UPDATE_PAGE, values)
        now = utc_now()
        for url in images:  # archives of that time kept no images: the next run downloads them
            if site.is_alias(url):
                self._register_file(s, "images", survivor, url, now)

    def _canonical_digest(self, s: Connection, site: SiteIdentity, row: Any) -> str:
        """The digest a row would have had fetched from the canonical origin (as `save_page` digests)."""
        if origin_of(row.url) == site.canonical_origin:
            digest: str = row.content_sha256
            return digest
        files = s.execute(
            text("SELECT url FROM attachments WHERE page_id = :id ORDER BY id"), {"id": row.id}
        ).scalars()
        item = PageItem(
            url=row.url,
            category=row.category,
            kind=row.kind,
            title=row.title,
            published_raw=row.published_raw,
            summary=row.summary,
            body_text=row.body_text,
            body_html=row.body_html,
            source=row.source,
            attachment_urls=[(url, None) for url in files],
            metadata=json.loads(row.metadata_json) if row.metadata_json else {},
        )
        return content_digest(self._canonical_page(site, item))

    def _merge_files(
        self, s: Connection, site: SiteIdentity, table: str, survivor: int, ids: list[int]
    ) -> None:
        """The file rows of `ids` become the survivor's, one per canonical URL: the downloaded, newest one."""
        rows = s.execute(text(f"SELECT * FROM {table} WHERE page_id IN ({', '.join(map(str, ids))})")).all()
        by_url: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_url[site.canonical_url(row.url)].append(row)
        for url, same in by_url.items():
            keep = max(same, key=lambda r: (r.sha256 is not None, r.fetched_at or "", -r.id))
            for row in same:
                if row.id != keep.id:
                    s.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row.id})
                    if table == "attachments":  # its text's search entry goes with the row
                        s.execute(_DELETE_ATTACHMENT_FTS, {"rowid": row.id})
            s.execute(
                text(f"UPDATE {table} SET page_id = :p, url = :u, first_seen_at = :f WHERE id = :id"),
                {"p": survivor, "u": url, "f": min(r.first_seen_at for r in same), "id": keep.id},
            )

    def _canonicalize_urls(self, s: Connection, site: SiteIdentity) -> None:
        """Every `url` column at the site's canonical origin (after a move, or in an archive made before
        it kept its site); where captures came from stays in page_versions.url and warc_records."""
        for table, key in (("pages", "id"), ("categories", "slug"), ("crawl_errors", "id")):
            for row_key, url in s.execute(text(f"SELECT {key}, url FROM {table}")).all():
                canonical = site.canonical_url(url)
                if canonical != url:
                    s.execute(
                        text(f"UPDATE {table} SET url = :u WHERE {key} = :k"), {"u": canonical, "k": row_key}
                    )
        for table in ("attachments", "images"):
            page_ids = s.execute(text(f"SELECT DISTINCT page_id FROM {table}")).scalars()
            for page_id in list(page_ids):
                self._merge_files(s, site, table, page_id, [page_id])


def attachment_search_row(attachment_id: int, filename: str | None, text_value: str) -> dict[str, Any]:
    """attachments_fts's row for one file: its name and text, and the đ→d copy of both."""
    return {
        "rowid": attachment_id,
        "filename": filename,
        "text": text_value,
        "folded": fold_for_search(f"{filename or ''} {text_value}"),
    }


def index_attachment_texts(conn: Connection) -> None:
    """Index every extracted text of an archive made before attachments_fts existed (archive.db)."""
    rows = conn.execute(
        select(Attachment.id, Attachment.filename, Attachment.text).where(Attachment.text.is_not(None))
    )
    for row in rows.fetchall():
        conn.execute(_INSERT_ATTACHMENT_FTS, attachment_search_row(row.id, row.filename, row.text))


def _delete_fts_rows(s: Session | Connection, table: str, ids: Iterable[int]) -> None:
    for rowid in ids:
        s.execute(text(f"DELETE FROM {table} WHERE rowid = :id"), {"id": rowid})
