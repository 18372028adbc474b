"""Scanned decisions of the replica, crawled and OCR'd by `tdkt crawl`, measured against what they print.

The replica's scans (replica/scans.py) are award decisions printed and scanned: 150–300 dpi, skew,
grain, dust, a red stamp and a signature over the signature block, no text layer. The archive's text
of each is compared with the text the scan prints; its recipients (read by the real derive path in
the crawl's enrich step) with the ground truth's; its number and date with the truth's, read by
`derive_page` from the OCR'd text alone, as for a legal text whose page carries no labels.

The same crawl meets two hostile "scans" (`hostile_scans`): PDFs whose page image is a decompression
bomb or declares billions of pixels. They must be refused with an error row giving the reason, while
the crawl and its enrich step finish and read every other file as ever.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest

from archive.derive import AttachmentInput, PageInput, derive_page
from archive.normalize.ocr import is_low_confidence, unmarked
from replica.scans import character_errors
from tests.conftest import CrawledArchive, crawl_into_new_archive

pytestmark = pytest.mark.e2e

# A small replica with a handful of scanned decisions (about nine pages at 150-300 dpi): OCR costs
# seconds a page, and the forms the scans print are the same from one decision to the next.
SCANS = 5
ITEMS = 120


@pytest.fixture(scope="module")
def scans_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    from replica.testing import running_replica

    with running_replica(items=ITEMS, scans=SCANS, hostile_scans=True) as replica:
        yield crawl_into_new_archive(replica, tmp_path_factory, "scans-archive")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def scanned(archive: CrawledArchive) -> list[tuple[dict[str, Any], dict[str, Any], Any]]:
    """(item, attachment truth, archived attachment row) of every scanned file."""
    found = []
    for item in archive.ground_truth["items"]:
        for truth in item["attachments"]:
            if "scan" in truth:
                url = urljoin(archive.base_url, truth["url"])
                rows = archive.rows("SELECT * FROM attachments WHERE url = ?", url)
                found.append((item, truth, rows[0] if rows else None))
    return found


def test_the_replica_serves_a_handful_of_scans(scans_archive: CrawledArchive) -> None:
    assert len(scanned(scans_archive)) == SCANS


def test_every_scan_has_its_text_read_by_ocr(scans_archive: CrawledArchive) -> None:
    problems = []
    for _, truth, row in scanned(scans_archive):
        if row is None or not row["text"] or row["text_method"] != "ocr" or row["text_error"]:
            problems.append((truth["url"], row and row["text_error"]))
            continue
        if not row["ocr_engine"].startswith("tesseract ") or not 0 < row["ocr_confidence"] <= 100:
            problems.append((truth["url"], row["ocr_engine"], row["ocr_confidence"]))
    assert problems == []


def _truth_attachments(archive: CrawledArchive) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(item, truth) for item in archive.ground_truth["items"] for truth in item["attachments"]]


def test_a_hostile_scan_is_refused_with_an_error_row_and_nothing_else_is_lost(
    scans_archive: CrawledArchive,
) -> None:
    assert scans_archive.crawl_output.returncode == 0, scans_archive.crawl_output.stderr[-2000:]
    runs = scans_archive.rows("SELECT status, finished_at FROM crawl_runs")
    assert [(r["status"], r["finished_at"] is not None) for r in runs] == [("done", True)]
    hostile, kept = {}, {}
    for item, truth in _truth_attachments(scans_archive):
        url = urljoin(scans_archive.base_url, truth["url"])
        (hostile if "hostile" in truth else kept)[url] = (item, truth)
    assert len(hostile) == 2
    rows = {r["url"]: r for r in scans_archive.rows("SELECT * FROM attachments")}
    # Every file of the site is stored with its bytes' hash, the hostile ones too; no file is extra.
    assert set(rows) == set(hostile) | set(kept)
    assert {url: rows[url]["sha256"] for url in rows} == {
        url: truth["sha256"] for url, (_, truth) in {**hostile, **kept}.items()
    }
    for url in hostile:
        row = rows[url]
        assert (row["text"], row["text_method"], row["ocr_engine"]) == (None, None, None)
        assert row["text_error"] is not None and "too large to OCR" in row["text_error"], row["text_error"]
        assert "pixels" in row["text_error"]
    # Every other file was read: its text, from its layer or by OCR, and no error.
    unread = {
        url: rows[url]["text_error"] for url in kept if not rows[url]["text"] or rows[url]["text_error"]
    }
    assert unread == {}
    # The decision linking the hostile files is derived as ever from its own page and files.
    (item, _) = next(iter(hostile.values()))
    awards = scans_archive.rows(
        "SELECT a.decision_number FROM awards a JOIN pages p ON p.id = a.page_id WHERE p.url = ?",
        urljoin(scans_archive.base_url, item["url"]),
    )
    assert [a["decision_number"] for a in awards] == [nfc(item["award"]["decision_number"])]


def test_text_layers_are_marked_as_such(scans_archive: CrawledArchive) -> None:
    rows = scans_archive.rows(
        "SELECT text_method, ocr_engine, count(*) AS n FROM attachments WHERE text IS NOT NULL "
        "GROUP BY text_method, ocr_engine IS NULL"
    )
    methods = {(r["text_method"], r["ocr_engine"] is None): r["n"] for r in rows}
    assert set(methods) == {("layer", True), ("ocr", False)}
    assert methods[("ocr", False)] == len(scanned(scans_archive))


def test_at_least_97_percent_of_characters_are_read_right(scans_archive: CrawledArchive) -> None:
    edits = total = 0
    for _, truth, row in scanned(scans_archive):
        read = "\n".join(unmarked(line) for line in (row["text"] or "").splitlines())
        e, n = character_errors(read, truth["scan"]["text"])
        edits, total = edits + e, total + n
    assert total > 5000
    assert 1 - edits / total >= 0.97, f"{edits} edits in {total} characters"


def _names_expected_and_read(
    archive: CrawledArchive,
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    """(recipients the scans list, recipients the archive derived for their pages), by page."""
    expected: Counter[tuple[str, str]] = Counter()
    actual: Counter[tuple[str, str]] = Counter()
    for item, _, _ in scanned(archive):
        if item["award"]["recipients"][0]["source"] != "pdf":
            continue  # this scan is the decision alone; its recipients are on the web page
        url = urljoin(archive.base_url, item["url"])
        expected.update((url, nfc(r["name"])) for r in item["award"]["recipients"])
        rows = archive.rows(
            "SELECT r.name FROM award_recipients r JOIN pages p ON p.id = r.page_id WHERE p.url = ?", url
        )
        actual.update((url, r["name"]) for r in rows)
    return expected, actual


def test_at_least_90_percent_of_recipient_names_are_exact(scans_archive: CrawledArchive) -> None:
    expected, actual = _names_expected_and_read(scans_archive)
    assert sum(expected.values()) >= 20
    exact = sum((expected & actual).values())
    assert exact / sum(expected.values()) >= 0.90, (
        f"{exact} of {sum(expected.values())}",
        sorted(expected - actual),
    )


def test_no_recipient_name_is_read_wrong(scans_archive: CrawledArchive) -> None:
    # A name read wrong is one too many: doubtful lines are marked and skipped, not guessed at.
    expected, actual = _names_expected_and_read(scans_archive)
    wrong = sorted(actual - expected)
    assert len(wrong) <= 0.02 * sum(expected.values()), wrong


def test_at_least_98_percent_of_numbers_and_dates_are_exact(scans_archive: CrawledArchive) -> None:
    checked = right = 0
    for item, truth, row in scanned(scans_archive):
        page = PageInput(
            url=item["url"],
            kind="legal_text",
            category=item["category"],
            section=None,
            title="Quyết định",
            published_at=None,
            summary=None,
            body_text=None,
            body_html=None,
        )
        files = [AttachmentInput(truth["url"], truth["filename"], truth["content_type"], row["text"])]
        legal = derive_page(page, files).legal
        assert legal is not None
        for read, expected in (
            (legal.number, nfc(item["award"]["decision_number"])),
            (legal.issued_on, item["award"]["decided_on"]),
        ):
            checked += 1
            right += read == expected
    assert checked >= 8
    assert right / checked >= 0.98


def test_low_confidence_lines_are_marked_and_few(scans_archive: CrawledArchive) -> None:
    lines = [line for _, _, row in scanned(scans_archive) for line in (row["text"] or "").splitlines()]
    marked = [line for line in lines if is_low_confidence(line)]
    assert 0 < len(marked) <= 0.15 * len(lines), f"{len(marked)} of {len(lines)} lines doubtful"
