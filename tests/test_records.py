"""archive.records: the one list of the columns a page's record fills, checked against the models."""

from __future__ import annotations

import dataclasses

from archive.models import Page, PageVersion
from archive.records import (
    PAGE_CONTENT,
    PAGE_KINDS,
    PAGE_VALIDATORS,
    VERSIONED_FIELDS,
    PageItem,
    page_content,
    page_validators,
    version_content,
)
from scraper import site_profile

# The columns the archive keeps about a page beside what its record says: keys, clocks, digests.
PAGE_BOOKKEEPING = {
    "id",
    "url",
    "item_key",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
    "removed_at",
    "content_sha256",
    "derived_at",
}
# capture_id: where a version came from when a web archive answered (tdkt import), beside run_id.
VERSION_BOOKKEEPING = {
    "id",
    "page_id",
    "version",
    "run_id",
    "capture_id",
    "fetched_at",
    "url",
    "content_sha256",
}


def item() -> PageItem:
    return PageItem(
        url="http://tdkt.thaibinh.gov.vn/tin-tuc/a-1.html",
        category="tin-tuc",
        kind="news",
        title="Tiêu đề",
        images=["http://tdkt.thaibinh.gov.vn/i.jpg"],
        metadata={"Số ký hiệu": "12/QĐ-UBND"},
        http_etag='"e"',
    )


def test_every_page_column_is_the_records_or_the_archives_own() -> None:
    columns = set(Page.__table__.columns.keys())
    record = set(PAGE_CONTENT) | set(PAGE_VALIDATORS)
    assert columns - PAGE_BOOKKEEPING == record  # nothing the record fills is missing a column
    assert record & PAGE_BOOKKEEPING == set()


def test_every_version_column_is_the_records_or_the_archives_own() -> None:
    columns = set(PageVersion.__table__.columns.keys())
    assert columns - VERSION_BOOKKEEPING == set(VERSIONED_FIELDS)


def test_the_row_functions_fill_exactly_the_listed_columns() -> None:
    assert tuple(page_content(item())) == PAGE_CONTENT
    assert tuple(page_validators(item())) == PAGE_VALIDATORS
    assert tuple(version_content(item())) == VERSIONED_FIELDS


def test_every_versioned_field_and_content_column_comes_from_the_record() -> None:
    fields = {f.name for f in dataclasses.fields(PageItem)}
    # images and metadata are stored as JSON under their own column names
    assert set(PAGE_CONTENT) - fields == {"metadata_json"}
    assert set(VERSIONED_FIELDS) <= fields


def test_the_site_profile_maps_menu_labels_only_to_page_kinds() -> None:
    assert set(site_profile.LABEL_KINDS.values()) == PAGE_KINDS
