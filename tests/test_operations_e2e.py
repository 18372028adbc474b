"""Archivist operations against the replica through the real `tdkt` command: crashes, signals, the lock,
faults and verification. Nothing lost, nothing doubled, every byte provable."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from tests.conftest import REPO, run_tdkt

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def small_replica() -> Any:
    """A 90-item replica of its own: the crash tests check invariants, not scale, and crawl it often."""
    from replica.testing import running_replica

    with running_replica(items=90) as handle:
        yield handle


def crawl_command(site: str, db: Path, *extra: str, quiet: bool = True) -> list[str]:
    command = [sys.executable, "-m", "archive.cli", "crawl", "--site", site, "--db", str(db)]
    return [*command, "--delay", "0", "--concurrency", "4", *(["--quiet"] if quiet else []), *extra]


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def wait_for(db: Path, sql: str, at_least: int, proc: subprocess.Popen[bytes], limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while count(db, sql) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"the crawl ended (exit {proc.returncode}) before {sql} reached {at_least}")
        if time.monotonic() > deadline:
            pytest.fail(f"{sql} did not reach {at_least} within {limit} s")
        time.sleep(0.05)


def assert_archive_complete(db: Path, replica: Any) -> None:
    truth = replica.ground_truth
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("SELECT url FROM pages")]
        expected = {urljoin(replica.base_url, item["url"]) for item in truth["items"]}
        assert set(urls) == expected
        assert len(urls) == len(set(urls))
        site_ids = [r[0] for r in conn.execute("SELECT site_id FROM pages WHERE site_id IS NOT NULL")]
        assert len(site_ids) == len(set(site_ids))
        # Each page was captured once: a crash and a rerun must not make a second version.
        assert conn.execute("SELECT count(*) FROM page_versions").fetchone()[0] == len(urls)
        files = {
            (urljoin(replica.base_url, item["url"]), a["sha256"])
            for item in truth["items"]
            for a in item["attachments"]
        }
        stored = set(
            conn.execute(
                "SELECT p.url, a.sha256 FROM attachments a JOIN pages p ON p.id = a.page_id"
            ).fetchall()
        )
        assert files <= stored
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("killed_after_pages", [1, 30, 75])
def test_kill_9_then_rerun_loses_nothing_and_doubles_nothing(
    small_replica: Any, tmp_path: Path, killed_after_pages: int
) -> None:
    replica = small_replica
    db = tmp_path / "tdkt.sqlite"
    proc = subprocess.Popen(crawl_command(replica.base_url, db), cwd=REPO)
    try:
        wait_for(db, "SELECT count(*) FROM pages", killed_after_pages, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    run_tdkt("crawl", "--site", replica.base_url, "--db", str(db), "--delay", "0", "--quiet")
    assert_archive_complete(db, replica)
    statuses = [r[0] for r in sqlite3.connect(db).execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "done"]


def test_kill_9_while_files_download_then_rerun_completes_them(small_replica: Any, tmp_path: Path) -> None:
    replica = small_replica
    db = tmp_path / "tdkt.sqlite"
    proc = subprocess.Popen(crawl_command(replica.base_url, db), cwd=REPO)
    try:
        wait_for(db, "SELECT count(*) FROM attachments WHERE sha256 IS NOT NULL", 5, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    run_tdkt("crawl", "--site", replica.base_url, "--db", str(db), "--delay", "0", "--quiet")
    assert_archive_complete(db, replica)
    assert run_tdkt("verify", "--db", str(db)).returncode == 0


def test_sigterm_stops_gracefully_and_marks_the_run_interrupted(small_replica: Any, tmp_path: Path) -> None:
    replica = small_replica
    db = tmp_path / "tdkt.sqlite"
    proc = subprocess.Popen(crawl_command(replica.base_url, db), cwd=REPO)
    try:
        wait_for(db, "SELECT count(*) FROM pages", 20, proc)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("interrupted",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_second_crawl_of_the_same_archive_refuses_to_start(small_replica: Any, tmp_path: Path) -> None:
    replica = small_replica
    db = tmp_path / "tdkt.sqlite"
    proc = subprocess.Popen(crawl_command(replica.base_url, db), cwd=REPO)
    try:
        wait_for(db, "SELECT count(*) FROM pages", 1, proc)
        second = run_tdkt("crawl", "--site", replica.base_url, "--db", str(db), "--delay", "0", check=False)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert second.returncode == 3
    assert "already running" in second.stderr and str(proc.pid) in second.stderr


def test_under_faults_every_item_is_archived_with_its_title(tmp_path: Path) -> None:
    from replica.testing import running_replica

    db = tmp_path / "tdkt.sqlite"
    with running_replica(faults=True, stall_seconds=4) as replica:
        result = run_tdkt(
            "crawl", "--site", replica.base_url, "--db", str(db), "--delay", "0", "--quiet", "--timeout", "2",
            check=False,
        )  # fmt: skip
        truth = replica.ground_truth
        base = replica.base_url
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        titles = dict(conn.execute("SELECT url, title FROM pages").fetchall())
        errors = conn.execute("SELECT url, reason FROM crawl_errors").fetchall()
        files = set(conn.execute("SELECT url, sha256 FROM attachments WHERE sha256 IS NOT NULL").fetchall())
    expected = {urljoin(base, item["url"]): item["title"] for item in truth["items"]}
    assert titles == expected
    # A truncated body is never stored as complete: every file kept has exactly the served bytes.
    expected_files = {
        (urljoin(base, a["url"]), a["sha256"]) for item in truth["items"] for a in item["attachments"]
    }
    assert files == expected_files
    # Redirect loops and other decoys are never stored as pages; dead links are recorded with a reason.
    assert not {urljoin(base, path) for path in truth["decoys"]} & set(titles)
    error_reasons = dict(errors)
    for path in truth["dead_links"]:
        assert error_reasons.get(urljoin(base, path)), f"dead link {path} has no error row"


def test_verify_passes_on_a_crawled_archive_then_names_a_flipped_file(replica_archive: Any) -> None:
    assert run_tdkt("verify", "--db", str(replica_archive.db_path)).returncode == 0
    # Work on a copy: the session's archive is shared with other tests.
    ((stored_path, url),) = replica_archive.rows(
        "SELECT stored_path, url FROM attachments WHERE sha256 IS NOT NULL ORDER BY bytes DESC LIMIT 1"
    )
    path = replica_archive.db_path.parent / stored_path
    original = path.read_bytes()
    try:
        flipped = bytearray(original)
        flipped[len(flipped) // 2] ^= 0xFF
        path.write_bytes(bytes(flipped))
        result = run_tdkt("verify", "--db", str(replica_archive.db_path), check=False)
    finally:
        path.write_bytes(original)
    assert result.returncode == 1
    assert str(path) in result.stderr and url in result.stderr


def test_the_crawl_obeys_robots_and_says_who_it_is(replica_archive: Any, replica: Any) -> None:
    paths = [r.path for r in replica.requests]
    assert not [p for p in paths if p.startswith(("/admin", "/tim-kiem"))]
    agents = {r.user_agent for r in replica.requests if r.path != "/robots.txt"}
    assert agents and all(agent.startswith("tdkt-archive/") for agent in agents)


def test_archive_paths_never_escape_the_data_folder(replica_archive: Any) -> None:
    root = replica_archive.db_path.parent.resolve()
    for (stored_path,) in replica_archive.rows(
        "SELECT stored_path FROM attachments WHERE stored_path IS NOT NULL"
    ):
        assert (root / stored_path).resolve().is_relative_to(root / "files")
    assert not any(".." in p.name for p in root.rglob("*"))


def test_every_archived_page_and_file_was_captured_in_warc(replica_archive: Any) -> None:
    captured = {
        r["url"] for r in replica_archive.rows("SELECT url FROM warc_records WHERE warc_type = 'response'")
    }
    pages = {r["url"] for r in replica_archive.rows("SELECT url FROM pages")}
    files = {r["url"] for r in replica_archive.rows("SELECT url FROM attachments WHERE sha256 IS NOT NULL")}
    assert pages - captured == set()
    assert files - captured == set()
    warc_files = list((replica_archive.db_path.parent / "warc").glob("*.warc.gz"))
    assert warc_files


def test_no_warc_leaves_no_warc(small_replica: Any, tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    run_tdkt(
        "crawl", "--site", small_replica.base_url, "--db", str(db), "--delay", "0", "--quiet", "--no-warc"
    )
    assert count(db, "SELECT count(*) FROM pages") > 0
    assert count(db, "SELECT count(*) FROM warc_records") == 0
    assert not (tmp_path / "warc").exists() or not any((tmp_path / "warc").iterdir())


def test_scrapy_crawl_from_the_repository_root_archives_the_site(small_replica: Any, tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    command = [sys.executable, "-m", "scrapy", "crawl", "tdkt", "-a", f"site={small_replica.base_url}"]
    command += [
        "-a",
        f"db={db}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "LOG_LEVEL=ERROR",
    ]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        urls = {r[0] for r in conn.execute("SELECT url FROM pages")}
    assert urls == {
        urljoin(small_replica.base_url, item["url"]) for item in small_replica.ground_truth["items"]
    }


def _on_a_terminal(command: list[str]) -> str:
    """Run a command under a pseudo-terminal (util-linux `script`); its screen output without colours."""
    import re
    import shlex

    out = subprocess.run(
        ["script", "-qc", shlex.join(command), "/dev/null"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.stdout).replace("\r", "\n")


def test_a_crawl_on_a_terminal_shows_live_progress_and_a_summary(small_replica: Any, tmp_path: Path) -> None:
    screen = _on_a_terminal(crawl_command(small_replica.base_url, tmp_path / "tdkt.sqlite", quiet=False))
    progress = [line.strip() for line in screen.splitlines() if "/s  new" in line]
    assert progress, screen[-2000:]
    assert all(word in progress[-1] for word in ("pages", "new", "changed", "files", "errors"))
    assert "pages new" in screen and "error share" in screen  # the summary table


def test_quiet_crawl_on_a_terminal_shows_nothing_but_errors(small_replica: Any, tmp_path: Path) -> None:
    screen = _on_a_terminal(crawl_command(small_replica.base_url, tmp_path / "tdkt.sqlite"))
    assert "/s  new" not in screen and "pages new" not in screen
