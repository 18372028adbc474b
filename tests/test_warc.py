"""archive.warc and archive.verify: digests written, revisits for unchanged re-fetches, tampering named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.store import ArchiveStore
from archive.verify import verify_archive
from archive.warc import WarcRecorder
from scraper.items import AttachmentItem, PageItem

URL = "http://127.0.0.1:9/tin-tuc-su-kien/a-1.html"


def exchange(recorder: WarcRecorder, body: bytes, status: int = 200) -> str:
    return recorder.record(
        url=URL,
        method="GET",
        request_headers=[("User-Agent", "tdkt-archive test")],
        status=status,
        reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
    )


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore(tmp_path / "tdkt.sqlite")


def test_first_capture_is_a_response_and_an_identical_refetch_a_revisit(store: ArchiveStore) -> None:
    recorder = WarcRecorder(store, store.start_run("http://127.0.0.1:9/", "full"))
    assert exchange(recorder, "Thi đua".encode()) == "response"
    assert exchange(recorder, "Thi đua".encode()) == "revisit"
    assert exchange(recorder, "Thi đua khác".encode()) == "response"
    assert exchange(recorder, b"", status=304) == "revisit"
    recorder.close()


def test_revisits_survive_a_new_run(store: ArchiveStore) -> None:
    first = WarcRecorder(store, store.start_run("http://127.0.0.1:9/", "full"))
    exchange(first, b"same bytes")
    first.close()
    second = WarcRecorder(store, store.start_run("http://127.0.0.1:9/", "full"))
    assert exchange(second, b"same bytes") == "revisit"
    second.close()


def test_verify_passes_on_an_intact_archive(store: ArchiveStore) -> None:
    recorder = WarcRecorder(store, store.start_run("http://127.0.0.1:9/", "full"))
    exchange(recorder, b"<html>" + bytes(range(256)) * 40)
    recorder.close()
    problems, checked = verify_archive(store.db_path)
    assert problems == []
    assert checked == 1


def test_verify_names_a_file_with_one_flipped_byte(store: ArchiveStore) -> None:
    run = store.start_run("http://127.0.0.1:9/", "full")
    store.save_page(PageItem(url=URL, category="tin-tuc-su-kien", kind="news", title="Tiêu đề"), run)
    file_url = "http://127.0.0.1:9/Uploads/files/qd.pdf"
    store.save_attachment(AttachmentItem(URL, file_url, "qd.pdf", "application/pdf", b"%PDF-1.4 " * 100), run)
    with sqlite3.connect(store.db_path) as conn:
        (stored_path,) = conn.execute("SELECT stored_path FROM attachments").fetchone()
    path = store.root / stored_path
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01
    path.write_bytes(bytes(data))
    problems, _ = verify_archive(store.db_path)
    assert len(problems) == 1
    assert str(path) in problems[0] and file_url in problems[0]


def test_verify_names_a_warc_file_with_one_flipped_byte(store: ArchiveStore) -> None:
    recorder = WarcRecorder(store, store.start_run("http://127.0.0.1:9/", "full"))
    exchange(recorder, bytes(range(256)) * 20)
    recorder.close()
    (warc,) = (store.root / "warc").iterdir()
    with sqlite3.connect(store.db_path) as conn:
        (offset, length) = conn.execute("SELECT offset, length FROM warc_records").fetchone()
    data = bytearray(warc.read_bytes())
    data[offset + length // 3] ^= 0x01  # inside the response record's compressed body
    warc.write_bytes(bytes(data))
    problems, _ = verify_archive(store.db_path)
    assert len(problems) == 1
    assert warc.name in problems[0]
