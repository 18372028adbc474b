"""The benchmark harness at tiny sizes, so `make bench` cannot rot between runs.

The figures themselves are not asserted (no wall-clock assertions); what is asserted is that each
piece measures what it says: the bulk loader writes the rows the store writes, the date comparison
judges by the expected value, the subprocess runner bounds and measures, the profile summary finds
the function that burned the time, the bare spider fetches the replica.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import common, crawl, dates, profile, search
from bench.bulkload import load, page_items

SMALL = 90  # replica items (its minimum): every kind of page, small enough to stay fast
# Columns whose values legitimately differ between two builds: keys and clocks.
VOLATILE = {"id", "page_id", "award_id", "run_id", "first_seen_at", "last_seen_at", "last_changed_at"}
VOLATILE |= {"fetched_at", "derived_at", "started_at", "finished_at"}


def _rows(db_path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as conn:
        columns = [row[1] for row in conn.execute(f"pragma table_info({table})")]
        kept = [c for c in columns if c not in VOLATILE]
        rows = conn.execute(f"select {', '.join(kept)} from {table}").fetchall()
    return sorted(rows, key=repr)


def _fts_rows(db_path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)


@pytest.fixture(scope="module")
def store_and_bulk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same replica content written by the real store (+ enrich) and by the bulk loader."""
    from archive.enrich import enrich_archive
    from archive.store import ArchiveStore

    root = tmp_path_factory.mktemp("bulk")
    items = list(page_items(SMALL))
    store_db = root / "store" / "archive.sqlite"
    store = ArchiveStore(store_db)
    run_id = store.start_run("http://tdkt.thaibinh.gov.vn/", "full")
    for item in items:
        store.save_page(item, run_id)
    store.finish_run(run_id, "done", len(items))
    enrich_archive(store, run_id=run_id)
    store.close()
    bulk_db = root / "bulk" / "archive.sqlite"
    load(bulk_db, items, workers=1)
    return store_db, bulk_db


@pytest.mark.parametrize(
    "table",
    ["pages", "page_versions", "attachments", "legal_documents", "awards", "award_recipients", "movements"],
)
def test_bulk_loader_writes_the_rows_the_store_writes(store_and_bulk: tuple[Path, Path], table: str) -> None:
    store_db, bulk_db = store_and_bulk
    expected = _rows(store_db, table)
    assert _rows(bulk_db, table) == expected
    if table in ("pages", "awards", "legal_documents"):
        assert expected, f"the small replica should give {table} rows, or this comparison proves nothing"


def test_bulk_loader_indexes_pages_like_the_store(store_and_bulk: tuple[Path, Path]) -> None:
    store_db, bulk_db = store_and_bulk
    # rowids are page ids, given in the same order by both: the index rows must match exactly.
    assert _fts_rows(bulk_db, "pages_fts") == _fts_rows(store_db, "pages_fts")
    with sqlite3.connect(bulk_db) as conn:
        hits = conn.execute('select count(*) from pages_fts where pages_fts match \'"thi" "dua"\'').fetchone()
    assert hits[0] > 0


def test_size_and_canned_queries_are_read_from_the_archive(store_and_bulk: tuple[Path, Path]) -> None:
    store_db, bulk_db = store_and_bulk
    size = search.measure_size(bulk_db)
    assert size.pages == len(_rows(store_db, "pages"))
    assert 0 < size.fts_bytes < size.file_bytes
    queries = search.canned_queries("archive")
    assert "q" in queries["search"]


def test_date_cases_come_with_the_replicas_true_values() -> None:
    from archive.normalize.dates import to_iso

    cases = dates.replica_cases(SMALL)
    origins = {case.origin for case in cases}
    assert {"date line", "list entry", "notices (en-US)"} <= origins
    for case in cases:
        assert dates.ours_right(case, to_iso(case.text, order=case.order)), case


def test_dateparser_is_judged_by_the_expected_value() -> None:
    dated = dates.DateCase("Ngày: 13/06/2022", "DMY", "2022-06-13", "t")
    timed = dates.DateCase("Cập nhật: 13/6/2022 08:30", "DMY", "2022-06-13T08:30:00+07:00", "t")
    assert dates.theirs_right(dated, datetime(2022, 6, 13))
    assert not dates.theirs_right(dated, datetime(2022, 6, 6))
    assert not dates.theirs_right(dated, None)
    assert dates.theirs_right(timed, datetime(2022, 6, 13, 8, 30))
    assert not dates.theirs_right(timed, datetime(2022, 6, 13))
    assert dates.ours_right(timed, "2022-06-13T08:30:00+07:00")
    assert not dates.ours_right(timed, "2022-06-13")
    assert dates.shape("Ngày: 13/06/2022") == "Ngày: 99/99/9999"
    # the same instant written at another offset is right; the same clock at another offset is not
    utc = UTC
    assert dates.theirs_right(timed, datetime(2022, 6, 13, 1, 30, tzinfo=utc))
    assert not dates.theirs_right(timed, datetime(2022, 6, 13, 8, 30, tzinfo=utc))


def test_runner_measures_memory_and_honours_its_timeout(tmp_path: Path) -> None:
    grow = "x = bytearray(64 * 1024 * 1024); import time; time.sleep(0.5); print('ok')"
    measured = common.run_measured([sys.executable, "-c", grow], timeout=60).check()
    assert measured.stdout.strip() == "ok"
    assert measured.peak_rss > 64 * 1024 * 1024
    with pytest.raises(TimeoutError):
        common.run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=1)


def test_runner_stops_a_run_when_asked(tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    writer = (
        f"import time, pathlib; time.sleep(0.3); pathlib.Path({str(flag)!r}).write_text('1'); time.sleep(30)"
    )
    started = time.monotonic()
    measured = common.run_measured([sys.executable, "-c", writer], timeout=60, stop_when=flag.exists).check()
    assert measured.stopped_at is not None
    assert time.monotonic() - started < 30  # it did not wait for the sleep to end


def test_percentile_is_an_observed_value() -> None:
    values = [float(v) for v in range(1, 101)]
    assert common.percentile(values, 0.5) == 50.0
    assert common.percentile(values, 0.95) == 95.0
    assert common.percentile([3.0], 0.95) == 3.0


def _busy() -> int:
    total = 0
    for n in range(3_000_000):
        total += n % 7
    return total


def test_profile_summary_names_the_busy_function(tmp_path: Path) -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    _busy()
    profiler.stop()
    session_path = tmp_path / "s.pyisession"
    profiler.last_session.save(str(session_path))
    duration, top_self, _, packages = profile.summarize(session_path)
    assert duration > 0
    assert "_busy" in top_self[0][0]
    assert packages


def test_bare_spider_and_wget_crawl_the_replica_server(tmp_path: Path) -> None:
    """The crawl section's runners against `tdkt replica` in its own process, as `make bench` runs them."""
    with common.replica_server(items=90, log_path=tmp_path / "replica.log") as server:
        deny = crawl.endless_deny(server)
        before = server.logged_requests()  # the readiness probe
        bare = crawl.run_bare(server, tmp_path / "b", concurrency=4, deny=deny)
        wget = crawl.run_wget(server, tmp_path / "w", deny=deny)
        logged = server.logged_requests() - before
    assert bare.requests >= 30 and wget.requests >= 30
    assert bare.requests + wget.requests == logged
    assert 0 < bare.fetched_by <= bare.elapsed
    assert bare.peak_rss > 0
    written = len(list((tmp_path / "b" / "bare").iterdir()))
    # one file per distinct final URL: a redirect may land on a URL already written
    assert 0.8 * bare.requests <= written < bare.requests  # robots.txt is fetched, not written


def test_endless_list_is_cut_one_page_past_its_end() -> None:
    server = common.ReplicaServer("http://127.0.0.1:1/", 1, 420, 1, Path("/nonexistent"), None)  # type: ignore[arg-type]
    deny = re.compile(crawl.endless_deny(server))
    assert not deny.search("http://127.0.0.1:1/hoi-dap/?page=2")
    assert deny.search("http://127.0.0.1:1/hoi-dap/?page=400")
    assert not deny.search("http://127.0.0.1:1/tin-tuc-su-kien/?page=400")


@pytest.mark.parametrize("n", [1, 9, 10, 19, 99, 137, 1000])
def test_greater_than_matches_exactly_the_larger_numbers(n: int) -> None:
    pattern = re.compile(f"^{crawl.greater_than(n)}$")
    assert [k for k in range(0, 3000) if pattern.match(str(k))] == list(range(n + 1, 3000))


def test_hot_paths_time_every_way_of_reading_files_on_the_same_sample() -> None:
    from bench import hotpaths

    result = hotpaths.run(files=3, pages=5, repeats=1)
    assert result.files == 3  # time_extraction raises if the shipped batch path failed on any of them
    assert result.pages == 5
    row = hotpaths.report(result)[2]
    assert "`extract_files`" in row and "`extract_file`" in row


def test_the_body_quality_judge_counts_lines_both_ways() -> None:
    from bench.content import Judged

    judged = Judged()
    truth = ["Đoạn một.", "1 | Bà Lê Thị Hoa | |"]
    judged.add("Đoạn một.\n\nThống kê truy cập", truth, set(truth))
    judged.add("| 1 | Bà Lê Thị Hoa |  |  |\n|---|---|---|---|\nĐoạn một.", truth, set(truth), markdown=True)
    # Our own row under a split header starts with empty cells: its bars are the row's, not Markdown's.
    judged.add(
        "| | Chiến sĩ thi đua cấp tỉnh", ["| | Chiến sĩ thi đua cấp tỉnh"], {"| | Chiến sĩ thi đua cấp tỉnh"}
    )
    assert (judged.wanted, judged.found, judged.lines, judged.own, judged.pages, judged.exact) == (
        5,
        4,
        5,
        4,
        3,
        2,
    )


def test_the_body_quality_section_reads_every_item_of_a_theme_with_both_extractors() -> None:
    from bench.content import run_theme
    from replica.site import build_site

    items = len(build_site(items=SMALL, theme="cells").ground_truth()["items"])
    result = run_theme("cells", SMALL)
    assert (result.ours.pages, result.trafilatura.pages) == (items, items)
    assert len(result.ours_ms) == len(result.trafilatura_ms) == items
    assert result.ours.found <= result.ours.wanted and result.ours.own <= result.ours.lines
    truth_kinds: dict[str, int] = {}
    for item in build_site(items=SMALL, theme="cells").ground_truth()["items"]:
        truth_kinds[item["kind"]] = truth_kinds.get(item["kind"], 0) + 1
    assert {kind: j.pages for kind, j in result.ours_by_kind.items()} == truth_kinds


def test_ocr_section_reads_one_scan_and_reports_it() -> None:
    from bench import ocr

    result = ocr.run(scans=1)
    assert (result.scans, result.errors) == (1, [])
    assert result.pages >= 1 and result.characters > 500 and result.lines > 10
    assert result.engine is not None and result.engine.startswith("tesseract ")
    assert 0 <= result.edits < result.characters
    report = "\n".join(ocr.report(result))
    assert "| characters read right |" in report and "seconds per page" in report
    # The scan's decision is derived from its text: its number and date are checked, its names counted.
    assert result.numbers_and_dates == 2 and 0 <= result.numbers_and_dates_exact <= 2
    assert 0 <= result.names_exact <= result.names
    assert "| recipient names exact |" in report and "| decision numbers and dates exact |" in report
