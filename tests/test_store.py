"""archive.store: idempotent upserts, versions, removal flags, content-addressed files, search sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.store import ArchiveStore
from scraper.items import AttachmentItem, CategoryItem, PageItem

SITE = "http://127.0.0.1:9/"


def page(**changes: object) -> PageItem:
    fields: dict[str, object] = {
        "url": SITE + "tin-tuc-su-kien/hoi-nghi-tong-ket-4419.html",
        "category": "tin-tuc-su-kien",
        "kind": "news",
        "title": "Hội nghị tổng kết công tác thi đua, khen thưởng",
        "site_id": 4419,
        "published_raw": "Ngày: 13/06/2022",
        "published_at": "2022-06-13",
        "body_text": "Đồng bằng sông Hồng thi đua yêu nước.",
        "attachment_urls": [(SITE + "Uploads/files/2022/qd.pdf", "Tải về")],
    }
    fields.update(changes)
    return PageItem(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore(tmp_path / "tdkt.sqlite")


def query(store: ArchiveStore, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(store.db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_first_save_is_new_and_is_version_one(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    page_id, outcome = store.save_page(page(), run)
    assert outcome == "new"
    assert query(store, "SELECT page_id, version FROM page_versions") == [(page_id, 1)]


def test_saving_the_same_page_twice_adds_nothing(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    _, outcome = store.save_page(page(), run)
    assert outcome == "unchanged"
    assert query(store, "SELECT count(*) FROM pages") == [(1,)]
    assert query(store, "SELECT count(*) FROM page_versions") == [(1,)]
    assert query(store, "SELECT count(*) FROM attachments") == [(1,)]


def test_an_edit_keeps_both_versions_and_pages_shows_the_newest(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    _, outcome = store.save_page(page(title="Hội nghị tổng kết (đã sửa)"), run)
    assert outcome == "changed"
    assert query(store, "SELECT title FROM pages") == [("Hội nghị tổng kết (đã sửa)",)]
    assert query(store, "SELECT version, title FROM page_versions ORDER BY version") == [
        (1, "Hội nghị tổng kết công tác thi đua, khen thưởng"),
        (2, "Hội nghị tổng kết (đã sửa)"),
    ]


def test_run_counters_follow_outcomes(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    store.save_page(page(), run)
    store.save_page(page(body_text="khác"), run)
    stats = store.finish_run(run, "done", requests=3)
    assert (stats["pages_new"], stats["pages_unchanged"], stats["pages_changed"]) == (1, 1, 1)
    assert stats["requests"] == 3


def test_removed_page_is_flagged_not_deleted_and_unflagged_when_it_returns(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    assert store.mark_removed(page().url, run, 404) is True
    assert query(store, "SELECT count(*) FROM pages WHERE removed_at IS NOT NULL") == [(1,)]
    store.save_page(page(), run)
    assert query(store, "SELECT count(*) FROM pages WHERE removed_at IS NULL") == [(1,)]


def test_attachment_is_stored_content_addressed_whatever_its_name(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    body = b"%PDF-1.4 hostile name"
    item = AttachmentItem(
        page().url, SITE + "Uploads/files/2022/qd.pdf", "../../../etc/passwd.pdf", None, body
    )
    assert store.save_attachment(item, run) == "new"
    ((sha256, stored_path, filename),) = query(store, "SELECT sha256, stored_path, filename FROM attachments")
    assert filename == "../../../etc/passwd.pdf"
    stored = (store.root / stored_path).resolve()
    assert stored.is_relative_to(store.files_dir.resolve())
    assert stored.read_bytes() == body
    assert stored.name.startswith(sha256)


def test_attachment_seen_again_is_unchanged(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    store.save_page(page(), run)
    item = AttachmentItem(page().url, SITE + "Uploads/files/2022/qd.pdf", "qd.pdf", "application/pdf", b"x")
    store.save_attachment(item, run)
    assert store.save_attachment(item, run) == "unchanged"
    assert store.pending_attachments() == []


def test_pending_attachments_lists_files_not_yet_downloaded(store: ArchiveStore) -> None:
    store.save_page(page(), store.start_run(SITE, "full"))
    assert store.pending_attachments() == [(page().url, SITE + "Uploads/files/2022/qd.pdf")]


def test_an_interrupted_run_is_marked_when_the_next_starts(store: ArchiveStore) -> None:
    first = store.start_run(SITE, "full")
    store.start_run(SITE, "incremental")
    assert store.run_stats(first)["status"] == "interrupted"


@pytest.mark.parametrize("search", ["thi đua", "thi dua", "THI DUA", "dong bang", "Đồng bằng", "Dong"])
def test_search_index_finds_accented_and_unaccented_forms(store: ArchiveStore, search: str) -> None:
    page_id, _ = store.save_page(page(), store.start_run(SITE, "full"))
    assert query(store, "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?", search) == [(page_id,)]


def test_search_index_follows_an_edit(store: ArchiveStore) -> None:
    run = store.start_run(SITE, "full")
    page_id, _ = store.save_page(page(), run)
    store.save_page(page(body_text="Nội dung mới về khen thưởng"), run)
    assert query(store, "SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'song hong'") == []
    assert query(store, "SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'noi dung moi'") == [(page_id,)]


def test_category_upsert_keeps_one_row(store: ArchiveStore) -> None:
    category = CategoryItem("thong-bao", "Thông báo", "Tin tức", SITE + "thong-bao.html", "notice")
    store.save_category(category)
    store.save_category(category)
    assert query(store, "SELECT slug, name, kind FROM categories") == [("thong-bao", "Thông báo", "notice")]


def test_an_earlier_capture_arriving_late_takes_its_place_among_the_versions(store: ArchiveStore) -> None:
    """A web archive's older capture imported after newer ones: versions stay in time order and the page
    keeps showing its newest content."""
    from archive.captures import Capture

    run = store.start_run(SITE, "full")
    listed = [
        Capture(page().url, stamp, 200, "text/html", None, f"https://web.archive.org/web/{stamp}id_/x")
        for stamp in ("20240101000000", "20240401000000", "20240201000000")
    ]
    store.record_captures("cdx", "https://web.archive.org/cdx", listed)
    january, april, february = (
        c["id"] for c in sorted(store.captures_of(["https://web.archive.org/cdx"]), key=lambda c: c["id"])
    )

    def archived(title: str, at: str, capture_id: int) -> PageItem:
        return page(title=title, fetched_at=at, capture_id=capture_id)

    store.save_page(page(title="Tiêu đề tháng 3", fetched_at="2024-03-01T00:00:00+00:00"), run)
    store.save_page(page(title="Tiêu đề tháng 5", fetched_at="2024-05-01T00:00:00+00:00"), run)
    assert (
        store.save_page(archived("Tiêu đề tháng 1", "2024-01-01T00:00:00+00:00", january), run)[1]
        == "changed"
    )
    assert (
        store.save_page(archived("Tiêu đề tháng 4", "2024-04-01T00:00:00+00:00", april), run)[1] == "changed"
    )
    # The same content as a version the archive has: nothing new, whenever it was captured.
    assert store.save_page(archived("Tiêu đề tháng 3", "2024-02-01T00:00:00+00:00", february), run)[1] == (
        "unchanged"
    )
    assert query(store, "SELECT version, title, fetched_at FROM page_versions ORDER BY version") == [
        (1, "Tiêu đề tháng 1", "2024-01-01T00:00:00+00:00"),
        (2, "Tiêu đề tháng 3", "2024-03-01T00:00:00+00:00"),
        (3, "Tiêu đề tháng 4", "2024-04-01T00:00:00+00:00"),
        (4, "Tiêu đề tháng 5", "2024-05-01T00:00:00+00:00"),
    ]
    assert query(store, "SELECT title, first_seen_at, last_seen_at FROM pages") == [
        ("Tiêu đề tháng 5", "2024-01-01T00:00:00+00:00", "2024-05-01T00:00:00+00:00")
    ]
