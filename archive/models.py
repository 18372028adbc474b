"""The archive's schema: SQLAlchemy 2.0 typed models.

Table and column names here are public: users' saved queries and Datasette's metadata rely on them.
Add columns freely; rename or drop none without a migration note in README.
"""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Site(Base):
    """The one site this archive holds (archive.site): a key that never changes and where it lives now."""

    __tablename__ = "site"

    key: Mapped[str] = mapped_column(String, primary_key=True)  # the host it was first archived from
    canonical_origin: Mapped[str]  # scheme://host[:port] every `url` column is written at
    established_at: Mapped[str]


class SiteAlias(Base):
    """Every address that is the archive's site: its host names, http/https, mirrors, former homes."""

    __tablename__ = "site_aliases"

    origin: Mapped[str] = mapped_column(String, primary_key=True)  # scheme://host[:port]
    role: Mapped[str]  # canonical | alias | mirror | former
    reason: Mapped[str]  # why it is the site, in words
    first_seen_at: Mapped[str]


class Page(Base):
    """One row per item of the site (article, notice, decision, static page), whichever list linked it
    and whichever address of the site it was fetched from."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String, unique=True)  # at the site's canonical origin
    # What names the item on its site (archive.site.item_key); unique. Filled when an archive made before
    # items had keys is opened, so NULL only in the moment between.
    item_key: Mapped[str | None]
    site_id: Mapped[int | None] = mapped_column(Integer, index=True)
    category: Mapped[str] = mapped_column(String, index=True)
    section: Mapped[str | None]
    kind: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str]
    published_at: Mapped[str | None] = mapped_column(String)  # indexed newest first, below
    published_raw: Mapped[str | None]
    summary: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None]
    images: Mapped[str | None] = mapped_column(Text)  # JSON list of absolute image URLs
    first_seen_at: Mapped[str]
    last_seen_at: Mapped[str]
    last_changed_at: Mapped[str]
    removed_at: Mapped[str | None]
    content_sha256: Mapped[str]
    http_etag: Mapped[str | None]
    http_last_modified: Mapped[str | None]
    encoding: Mapped[str | None]
    metadata_json: Mapped[str | None] = mapped_column(Text)  # visible label -> value pairs, as JSON
    derived_at: Mapped[str | None]  # NULL: metadata tables must be (re)derived from this page and its files


class PageVersion(Base):
    """Every distinct capture of a page; the first capture is version 1. `pages` shows the newest."""

    __tablename__ = "page_versions"
    __table_args__ = (UniqueConstraint("page_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    version: Mapped[int]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    fetched_at: Mapped[str]
    url: Mapped[str | None]  # the address this capture was fetched from (provenance: host and port kept)
    content_sha256: Mapped[str]
    title: Mapped[str]
    published_at: Mapped[str | None]
    published_raw: Mapped[str | None]
    summary: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # The web archive's capture this version was read from (`tdkt import`); NULL for a live crawl's.
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))


class Category(Base):
    """A leaf of the site's menu (or the notices box): the section a page belongs to."""

    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str]
    parent: Mapped[str | None]
    url: Mapped[str]
    kind: Mapped[str]


class Attachment(Base):
    """A file linked from a page. Bytes live content-addressed under the data folder (`stored_path`)."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("page_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    url: Mapped[str]
    filename: Mapped[str | None]
    extension: Mapped[str | None]
    content_type: Mapped[str | None]
    bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String, index=True)  # NULL while the download is pending
    stored_path: Mapped[str | None]
    first_seen_at: Mapped[str]
    fetched_at: Mapped[str | None]
    text: Mapped[str | None] = mapped_column(Text)
    text_error: Mapped[str | None]
    tables_json: Mapped[str | None] = mapped_column(Text)  # tables found in the file: rows of cell texts
    text_method: Mapped[str | None]  # how `text` was read: "layer" (the file's own text) or "ocr"
    ocr_confidence: Mapped[float | None]  # mean word confidence (0-100) when text_method is "ocr"
    ocr_engine: Mapped[str | None]  # engine and version that read it, e.g. "tesseract 5.3.0 vie"
    ocr_page_confidences: Mapped[str | None] = mapped_column(Text)  # JSON list, per page; null: text layer
    # The web archive's capture the stored bytes came from (`tdkt import`); NULL for a live crawl's.
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))


class Image(Base):
    """An image shown in a page's article, archived like a file: bytes content-addressed under files/."""

    __tablename__ = "images"
    __table_args__ = (UniqueConstraint("page_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    url: Mapped[str]  # as the article links it, at the site's canonical origin
    content_type: Mapped[str | None]
    bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String, index=True)  # NULL while the download is pending
    stored_path: Mapped[str | None]
    first_seen_at: Mapped[str]
    fetched_at: Mapped[str | None]
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id"))  # bytes from a web archive


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str]  # the address the run was asked to crawl (--site)
    origin: Mapped[str | None]  # where it crawled: the home page's origin after redirects
    mode: Mapped[str]  # "full" or "incremental"
    started_at: Mapped[str]
    finished_at: Mapped[str | None]
    status: Mapped[str]  # running, done, done_with_errors, interrupted, failed
    pages_new: Mapped[int] = mapped_column(default=0)
    pages_changed: Mapped[int] = mapped_column(default=0)
    pages_unchanged: Mapped[int] = mapped_column(default=0)
    pages_removed: Mapped[int] = mapped_column(default=0)
    files_new: Mapped[int] = mapped_column(default=0)
    images_new: Mapped[int | None] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)
    # Where the run read the site from: NULL for the live site; "warc", "wacz" or "cdx" for `tdkt import`,
    # with the files or the CDX server in source_uri.
    source: Mapped[str | None]
    source_uri: Mapped[str | None]
    # What the run's template learned from: pages compared, and the kinds of their items.
    template_listing_pages: Mapped[int | None]
    template_detail_pages: Mapped[int | None]
    template_kinds: Mapped[str | None] = mapped_column(Text)  # JSON list of item kinds


class TemplateBlock(Base):
    """A block the run's template counted across the site's pages, and whether it judged it furniture.

    Listing rows: seen on home or list pages outside any item's entry (keyed with numbers folded).
    Detail rows: seen on several detail pages. The next run starts from these counts.
    """

    __tablename__ = "template_blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    key_kind: Mapped[str]  # "shape" (listing pages; numbers folded) or "detail"
    block_key: Mapped[str]  # 16 hex digits of the folded text's hash
    sample_text: Mapped[str] = mapped_column(Text)
    listing_pages: Mapped[int]
    detail_pages: Mapped[int]
    kinds: Mapped[str | None] = mapped_column(Text)  # JSON list of the detail pages' item kinds
    furniture: Mapped[str | None]  # "listing" | "repeated" | NULL (not furniture)


class CrawlError(Base):
    __tablename__ = "crawl_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str]
    status: Mapped[int | None]
    reason: Mapped[str]
    at: Mapped[str]


class LegalDocument(Base):
    __tablename__ = "legal_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String, index=True)
    doc_type: Mapped[str | None]
    issuer: Mapped[str | None]
    signer: Mapped[str | None]
    issued_on: Mapped[str | None]
    issued_raw: Mapped[str | None]
    effective_on: Mapped[str | None]
    effective_raw: Mapped[str | None]
    abstract: Mapped[str | None] = mapped_column(Text)
    number_year: Mapped[int | None]
    type_code: Mapped[str | None]
    issuer_code: Mapped[str | None]
    signing_capacity: Mapped[str | None]  # "KT. Chủ tịch", "TM. Ủy ban nhân dân" (signature block)
    signer_title: Mapped[str | None]  # the signer's own title: "Phó Chủ tịch"


class Award(Base):
    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    decision_number: Mapped[str | None] = mapped_column(String, index=True)
    decided_on: Mapped[str | None] = mapped_column(String, index=True)
    decided_raw: Mapped[str | None]
    award: Mapped[str | None] = mapped_column(String, index=True)
    award_rank: Mapped[int | None]
    conferred_by: Mapped[str | None] = mapped_column(String, index=True)
    collectives: Mapped[int | None]  # recipients read, by kind
    individuals: Mapped[int | None]
    stated_collectives: Mapped[int | None]  # what the text says ("cho 32 tập thể và 5 cá nhân")
    stated_individuals: Mapped[int | None]


class AwardRecipient(Base):
    __tablename__ = "award_recipients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    name: Mapped[str]
    name_key: Mapped[str] = mapped_column(String, index=True)  # folded: same recipient across spellings
    kind: Mapped[str]  # collective | individual
    unit: Mapped[str | None]
    position: Mapped[str | None]
    award: Mapped[str | None]
    source: Mapped[str]  # html | docx | pdf | xlsx | text
    honorific: Mapped[str | None]  # "Ông", "Trung tá", "GS.TS": dropped from the name, kept here


class Movement(Base):
    __tablename__ = "movements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), index=True)
    name: Mapped[str]
    name_key: Mapped[str]  # indexed with page_id, below
    launched_on: Mapped[str | None]
    launched_by: Mapped[str | None]
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]


class Citation(Base):
    __tablename__ = "citations"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id"), primary_key=True)
    cited_number: Mapped[str] = mapped_column(String, primary_key=True)


Index("ix_citations_cited_number", Citation.cited_number)
Index("ix_pages_item_key", Page.item_key, unique=True)
# Newest first with ties in id order: the order Datasette's table page pages through (`_next` resumes
# after the last row's date and id), so walking this index neither repeats nor skips a row of equal
# date. kind makes it cover the per-month-and-kind counts, which would otherwise read every wide row.
Index("ix_pages_published_at_id_kind", Page.published_at.desc(), Page.id, Page.kind)
# Newest change first, as `changed_since` lists them: that query filters and sorts on this very
# expression, so it reads the index in order and stops after the rows it shows instead of sorting
# every page (250 -> 11 ms at 100,000 pages).
Index(
    "ix_pages_changed",
    func.max(Page.last_changed_at, func.coalesce(Page.removed_at, literal_column("''"))).desc(),
    Page.id,
)
# The movements' timeline (the canned query movements_timeline, the reading room's /movements) groups
# launches in this order and counts each movement's pages from the next one, reading neither the table
# nor a sort: at 100,000 pages a page of launches went 220 ms -> 6 ms, the mentions 36 -> 3 ms.
Index(
    "ix_movements_launches", Movement.launched_on, Movement.name_key, Movement.launched_by, Movement.page_id
)
Index("ix_movements_name_key_page_id", Movement.name_key, Movement.page_id)
# Indexes the models no longer declare, dropped from older archives by archive.db.create_schema: the
# planner would still pick them.
OBSOLETE_INDEXES = ("ix_pages_published_at", "ix_movements_name_key")


class WarcRecord(Base):
    """Where each captured exchange lies in the WARC files, so `tdkt verify` can re-check it."""

    __tablename__ = "warc_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String, index=True)
    warc_type: Mapped[str]  # response | revisit
    record_id: Mapped[str]
    payload_digest: Mapped[str]
    filename: Mapped[str]
    offset: Mapped[int]
    length: Mapped[int]
    warc_date: Mapped[str]


class CaptureRecord(Base):
    """One capture of the site held by a web archive (a CDX row or a WARC record), as `tdkt import` saw it.

    Redirects and errors are kept here too: they are recorded, never parsed as pages. `imported_at` is
    set once its answer went through the spider; an import killed before that delivers it again.
    """

    __tablename__ = "captures"
    __table_args__ = (UniqueConstraint("source_uri", "url", "timestamp", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str]  # warc | wacz | cdx
    source_uri: Mapped[str]  # the WARC/WACZ file or the CDX server it was listed from
    url: Mapped[str] = mapped_column(String, index=True)  # as captured, host name included
    timestamp: Mapped[str]  # the archive's 14 digits, UTC
    captured_at: Mapped[str]  # the same moment, ISO 8601
    status: Mapped[int | None]  # NULL for a revisit record (same payload as an earlier capture)
    mime: Mapped[str | None]
    digest: Mapped[str] = mapped_column(String, index=True)  # payload digest as listed ("" when unknown)
    locator: Mapped[str]  # "<file>#<offset>" (WACZ: "<file>!<member>#<offset>") or the raw capture's URL
    listed_at: Mapped[str]
    warc_filename: Mapped[str | None]  # the copy kept in the archive's warc/ folder, once read
    warc_offset: Mapped[int | None]
    imported_at: Mapped[str | None]
    imported_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))


class CaptureListing(Base):
    """How far the listing of one CDX query got. An import killed mid-listing resumes at `resume_key`, or
    reuses a finished listing; an import that completes forgets its listings, so the next one lists anew."""

    __tablename__ = "capture_listings"
    __table_args__ = (UniqueConstraint("source_uri", "query"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_uri: Mapped[str]
    query: Mapped[str]  # the host name and match type asked for
    resume_key: Mapped[str | None]  # where the next page starts; NULL before the first page
    complete: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int] = mapped_column(default=0)
