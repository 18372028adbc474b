"""`tdkt import` rebuilds the replica's archive from web archives, field by field, from four sources.

The replica is crawled live twice — state 1, then state 2 a few weeks later with --full — and the
crawl's WARC files, moved to the real site's host name as public archives hold it, are the captures:
two capture dates. They are imported from the files themselves, from a WACZ made by the `wacz` tool,
from a real pywb's CDX API and from the replica's IA-style Wayback (with 429s and resume keys). Each
import must hold what the live crawls hold: the same pages, fields, files (sha256), derived tables and
versions, nothing missing and nothing extra.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from replica.pywb import running_pywb
from replica.wayback import WaybackLog, running_wayback
from scraper.settings import USER_AGENT
from tests.conftest import REPO, Recorded, run_tdkt

pytestmark = pytest.mark.e2e

SITE = "http://tdkt.thaibinh.gov.vn"
# Where a URL points is compared, not which address it was read from: the live crawl ran on loopback.
_HOSTS = re.compile(r"https?://(?:127\.0\.0\.1:\d+|tdkt\.thaibinh\.gov\.vn)")
# Times differ by construction (the crawl's clock against the capture's), ids by insertion order; the
# content digest covers absolute file URLs, so it follows the host: every field it digests is compared.
_NOT_COMPARED = {
    "id",
    "page_id",
    "award_id",
    "run_id",
    "url",
    "first_seen_at",
    "last_seen_at",
    "last_changed_at",
    "removed_at",
    "derived_at",
    "fetched_at",
    "content_sha256",
    "capture_id",
    "stored_path",
}
DERIVED = ("legal_documents", "awards", "award_recipients", "movements", "citations")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def rows(db: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _fields(row: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(
        sorted(
            (k, _HOSTS.sub(SITE, v) if isinstance(v, str) else v)
            for k, v in row.items()
            if k not in _NOT_COMPARED
        )
    )


def snapshot(db: Path) -> dict[str, Any]:
    """Everything a reader of the archive sees, keyed by what it is about rather than by row ids."""
    page_of = {r["id"]: path_of(r["url"]) for r in rows(db, "SELECT id, url FROM pages")}
    out: dict[str, Any] = {
        "pages": {
            path_of(r["url"]): (*_fields(r), ("removed", r["removed_at"] is not None))
            for r in rows(db, "SELECT * FROM pages")
        },
        "versions": {},
        "attachments": {
            (page_of[r["page_id"]], path_of(r["url"])): _fields(r)
            for r in rows(db, "SELECT * FROM attachments")
        },
        "categories": {r["slug"]: _fields(r) for r in rows(db, "SELECT * FROM categories")},
    }
    for r in rows(db, "SELECT * FROM page_versions ORDER BY page_id, version"):
        out["versions"].setdefault(page_of[r["page_id"]], []).append(_fields(r))
    for table in DERIVED:
        out[table] = Counter((page_of[r["page_id"]], _fields(r)) for r in rows(db, f"SELECT * FROM {table}"))
    return out


def assert_same_archive(got: Path, want: Path, *, tables: tuple[str, ...] | None = None) -> None:
    a, b = snapshot(got), snapshot(want)
    for table in tables or tuple(b):
        missing = sorted(set(b[table]) - set(a[table]), key=repr)
        extra = sorted(set(a[table]) - set(b[table]), key=repr)
        differ = sorted((k for k in b[table] if k in a[table] and a[table][k] != b[table][k]), key=repr)
        assert (table, missing[:3], extra[:3], differ[:3]) == (table, [], [], [])


def counts(db: Path) -> dict[str, int]:
    tables = ("pages", "page_versions", "attachments", "categories", "captures", "warc_records", *DERIVED)
    return {t: rows(db, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in tables}


def tdkt_import(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run_tdkt("import", "--db", str(db), "--quiet", *args, check=check)


@dataclass
class Imported:
    db: Path
    log: list[WaybackLog] | None = None
    cdx_url: str | None = None


IA_RATE = 1200  # a minute: test-sized; the rule measured is the one the default 20 keeps
IA_BACKOFF = 0.2


@pytest.fixture(scope="module")
def imports(recorded: Recorded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Imported]]:
    """One --all-captures import per source, made on first use."""
    made: dict[str, Imported] = {}

    def make(kind: str) -> Imported:
        if kind in made:
            return made[kind]
        db = tmp_path_factory.mktemp(f"import-{kind}") / "tdkt.sqlite"
        if kind == "warc":
            tdkt_import(db, "--all-captures", *map(str, recorded.warcs))
            made[kind] = Imported(db)
        elif kind == "wacz":
            tdkt_import(db, "--all-captures", str(recorded.wacz))
            made[kind] = Imported(db)
        elif kind == "pywb":
            with running_pywb(recorded.warcs) as pywb:
                tdkt_import(db, "--all-captures", "--cdx", pywb.cdx_url, "--rate", "60000")
            made[kind] = Imported(db)
        elif kind == "ia":
            with running_wayback(recorded.warcs, throttle_requests={3, 60}, retry_after=0) as wayback:
                tdkt_import(
                    db,
                    "--all-captures",
                    "--cdx",
                    wayback.cdx_url,
                    "--rate",
                    str(IA_RATE),
                    "--backoff",
                    str(IA_BACKOFF),
                    "--cdx-page-size",
                    "100",
                )
                made[kind] = Imported(db, list(wayback.log), wayback.cdx_url)
        return made[kind]

    yield make  # type: ignore[misc]


SOURCES = ["warc", "wacz", "pywb", "ia"]


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("table", ["pages", "versions", "attachments", "categories", *DERIVED])
def test_an_import_holds_what_the_live_crawls_hold(
    recorded: Recorded, imports: Any, kind: str, table: str
) -> None:
    assert_same_archive(imports(kind).db, recorded.live_db, tables=(table,))


def test_the_live_crawls_hold_the_replica_s_truth(recorded: Recorded) -> None:
    """The ground truth of the imports is itself checked against the replica's own."""
    archived = {path_of(r["url"]) for r in rows(recorded.live_db, "SELECT url FROM pages")}
    assert {item["url"] for item in recorded.truth["items"]} <= archived
    removed = {
        path_of(r["url"])
        for r in rows(recorded.live_db, "SELECT url FROM pages WHERE removed_at IS NOT NULL")
    }
    assert removed == set(recorded.truth["changes"]["removed"])
    versions = rows(
        recorded.live_db, "SELECT page_id, COUNT(*) AS n FROM page_versions GROUP BY page_id HAVING n > 1"
    )
    assert len(versions) == len(recorded.truth["changes"]["edited"]) > 0


def test_by_default_the_latest_capture_of_each_item(recorded: Recorded, tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    tdkt_import(db, *map(str, recorded.warcs))
    assert_same_archive(db, recorded.live_db, tables=("pages", "attachments", "categories", *DERIVED))
    got, want = snapshot(db)["versions"], snapshot(recorded.live_db)["versions"]
    assert {page: len(v) for page, v in got.items()} == dict.fromkeys(want, 1)
    # The one version is the live archive's last, except its number.
    strip = lambda fields: tuple(f for f in fields if f[0] != "version")  # noqa: E731
    assert {p: strip(v[0]) for p, v in got.items()} == {p: strip(v[-1]) for p, v in want.items()}


def test_older_captures_imported_after_newer_ones_still_make_versions_in_time_order(
    recorded: Recorded, tmp_path: Path
) -> None:
    db = tmp_path / "tdkt.sqlite"
    tdkt_import(db, *map(str, recorded.warcs))  # the latest capture of each item first
    tdkt_import(db, "--all-captures", *map(str, recorded.warcs))  # then the older ones
    assert_same_archive(db, recorded.live_db)


def test_an_item_seen_in_a_web_archive_and_live_is_one_item_with_versions_in_time_order(
    recorded: Recorded, tmp_path: Path
) -> None:
    """The web archive's captures of state 1 (under the real host name) are imported, then the site is
    crawled live in state 2 (on loopback: another address of the same site): one row per item, its
    versions by time, each naming where it came from — as the two live crawls made it."""
    from replica.testing import running_replica

    first = rows(recorded.live_db, "SELECT MAX(warc_date) AS d FROM warc_records WHERE run_id = 1")[0]["d"]
    db = tmp_path / "tdkt.sqlite"
    tdkt_import(db, "--all-captures", "--to", re.sub(r"\D", "", first), *map(str, recorded.warcs))
    with running_replica(state=2, items=90) as replica:
        live = replica.base_url
        run_tdkt("crawl", "--site", live, "--db", str(db), "--delay", "0", "--quiet", "--full")
    keys = rows(db, "SELECT item_key, COUNT(*) AS n FROM pages GROUP BY item_key HAVING n > 1")
    assert keys == []
    versions = rows(
        db,
        "SELECT v.page_id, v.version, v.fetched_at, v.url, v.capture_id, r.source, c.captured_at "
        "FROM page_versions v JOIN crawl_runs r ON r.id = v.run_id "
        "LEFT JOIN captures c ON c.id = v.capture_id ORDER BY v.page_id, v.version",
    )
    by_page: dict[int, list[dict[str, Any]]] = {}
    for v in versions:
        by_page.setdefault(v["page_id"], []).append(v)
    assert [
        p for p, vs in by_page.items() if [v["fetched_at"] for v in vs] != sorted(v["fetched_at"] for v in vs)
    ] == []
    imported = [v for v in versions if v["capture_id"] is not None]
    crawled = [v for v in versions if v["capture_id"] is None]
    assert imported and crawled
    # A version from the web archive is dated by its capture and read at the archived host name; a
    # version seen live names the live run and the address it was read at.
    assert [v for v in imported if v["source"] != "warc" or v["captured_at"] != v["fetched_at"]] == []
    assert [v for v in imported if not v["url"].startswith(SITE)] == []
    assert [v for v in crawled if v["source"] not in (None, "live") or not v["url"].startswith(live)] == []
    assert {p for p, vs in by_page.items() if len(vs) > 1} == {
        p for p, vs in by_page.items() if vs[0]["capture_id"] is not None and vs[-1]["capture_id"] is None
    }
    # Field by field, both ways, as the two live crawls made it.
    assert_same_archive(db, recorded.live_db)
    # And so the reading room shows it, over HTTP: every version in time order with its origin (the
    # web archive's captures marked as such) and what changed; search facets count the joined rows.
    from archive.publish import running_datasette
    from tests.test_reading_room_joined import (
        expected_facets,
        expected_versions,
        matching,
        search,
        shown_versions,
    )

    with (
        running_datasette(db, log_path=tmp_path / "datasette.log") as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        wrong = {
            p: shown for p in by_page if (shown := shown_versions(client, p)) != expected_versions(db, p)
        }
        assert wrong == {}
        for query in ("thi dua", "khen thưởng"):
            found = matching(db, query)
            facets = {
                n: {f["value"]: f["count"] for f in v} for n, v in search(client, q=query)["facets"].items()
            }
            assert found and facets == expected_facets(found, {}), query


def test_from_and_to_choose_the_captures_of_a_period(recorded: Recorded, tmp_path: Path) -> None:
    """Up to the end of the first crawl: the archive as state 1 was."""
    first = rows(recorded.live_db, "SELECT MAX(warc_date) AS d FROM warc_records WHERE run_id = 1")[0]["d"]
    db = tmp_path / "tdkt.sqlite"
    tdkt_import(db, "--to", re.sub(r"\D", "", first), *map(str, recorded.warcs))
    got = {path_of(r["url"]): r["title"] for r in rows(db, "SELECT url, title FROM pages")}
    state1 = {
        path_of(r["url"]): r["title"]
        for r in rows(
            recorded.live_db,
            "SELECT p.url, v.title FROM pages p JOIN page_versions v ON v.page_id = p.id "
            "WHERE v.version = 1 AND v.run_id = 1",
        )
    }
    assert got == state1
    assert rows(db, "SELECT COUNT(*) AS n FROM pages WHERE removed_at IS NOT NULL")[0]["n"] == 0


def test_a_second_import_adds_nothing(recorded: Recorded, imports: Any, tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    shutil.copy(imports("warc").db, db)
    for suffix in ("-wal", "-shm"):
        if Path(str(imports("warc").db) + suffix).exists():
            shutil.copy(str(imports("warc").db) + suffix, str(db) + suffix)
    shutil.copytree(imports("warc").db.parent / "warc", tmp_path / "warc")
    shutil.copytree(imports("warc").db.parent / "files", tmp_path / "files")
    before = counts(db)
    tdkt_import(db, "--all-captures", *map(str, recorded.warcs))
    assert counts(db) == before
    last = rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert (last["status"], last["pages_new"], last["pages_changed"], last["files_new"]) == ("done", 0, 0, 0)
    assert_same_archive(db, recorded.live_db)


# -- provenance --------------------------------------------------------------------------------------------


def test_every_version_and_file_names_its_capture_dated_by_capture_time(imports: Any) -> None:
    ia = imports("ia")
    versions = rows(
        ia.db,
        "SELECT v.fetched_at, p.url AS page_url, c.* FROM page_versions v JOIN pages p ON p.id = v.page_id "
        "LEFT JOIN captures c ON c.id = v.capture_id",
    )
    assert versions and all(v["id"] is not None for v in versions)
    assert [v for v in versions if v["captured_at"] != v["fetched_at"] or v["url"] != v["page_url"]] == []
    assert {(v["source"], v["source_uri"]) for v in versions} == {("cdx", ia.cdx_url)}
    assert all(v["locator"].startswith(ia.cdx_url.replace("cdx/search/cdx", "web/")) for v in versions)
    files = rows(
        ia.db,
        "SELECT a.url AS file_url, c.url, c.status FROM attachments a "
        "LEFT JOIN captures c ON c.id = a.capture_id WHERE a.sha256 IS NOT NULL",
    )
    assert files and [f for f in files if f["url"] != f["file_url"] or f["status"] != 200] == []
    (run,) = rows(ia.db, "SELECT * FROM crawl_runs")
    assert (run["source"], run["source_uri"], run["status"]) == ("cdx", ia.cdx_url, "done")


def test_every_capture_read_is_kept_in_the_archive_s_own_warc_files(imports: Any) -> None:
    db = imports("ia").db
    copied = rows(db, "SELECT * FROM captures WHERE warc_filename IS NOT NULL")
    indexed = {(r["filename"], r["offset"]) for r in rows(db, "SELECT filename, offset FROM warc_records")}
    assert copied and {(c["warc_filename"], c["warc_offset"]) for c in copied} <= indexed
    assert run_tdkt("verify", "--db", str(db)).returncode == 0


def test_redirects_and_dead_links_are_recorded_not_parsed(recorded: Recorded, imports: Any) -> None:
    db = imports("warc").db
    pages = {path_of(r["url"]) for r in rows(db, "SELECT url FROM pages")}
    redirects = rows(
        db, "SELECT url FROM captures WHERE status BETWEEN 300 AND 399 AND imported_at IS NOT NULL"
    )
    assert redirects and not {path_of(r["url"]) for r in redirects} & pages
    dead = {path_of(r["url"]) for r in rows(db, "SELECT url FROM crawl_errors WHERE status = 404")}
    assert set(recorded.truth["dead_links"]) <= dead


def test_a_removal_is_dated_by_the_capture_that_showed_it(imports: Any) -> None:
    db = imports("warc").db
    removed = rows(
        db,
        "SELECT p.removed_at, MIN(c.captured_at) AS first_gone FROM pages p JOIN captures c ON c.url = p.url "
        "WHERE p.removed_at IS NOT NULL AND c.status IN (404, 410) GROUP BY p.id",
    )
    assert removed and all(r["removed_at"] == r["first_gone"] for r in removed)


# -- politeness --------------------------------------------------------------------------------------------


def test_requests_to_the_archive_stay_within_the_rate(imports: Any) -> None:
    log = imports("ia").log
    times = sorted(e.at for e in log)
    assert len(times) > 100
    allowed = IA_RATE / 60.0  # a second
    # In every two seconds, at most the rate's share, give or take the one on each edge.
    busiest = max(sum(1 for t in times if start <= t < start + 2.0) for start in times)
    assert busiest <= 2 * allowed + 2
    assert times[-1] - times[0] >= (len(times) - 1) / allowed * 0.95
    assert {e.user_agent for e in log} == {USER_AGENT}


def test_a_429_is_backed_off_and_never_ignored(imports: Any) -> None:
    log = sorted(imports("ia").log, key=lambda e: e.at)
    refused = [i for i, e in enumerate(log) if e.status == 429]
    assert len(refused) == 2
    assert all(log[i + 1].at - log[i].at >= IA_BACKOFF - 0.02 for i in refused)
    assert not any(e.ignored_retry_after for e in log)
    assert sum("resumeKey=" in e.path for e in log) >= 2  # the listing came in pages


# -- kill -9 -----------------------------------------------------------------------------------------------


def test_kill_9_during_an_import_then_rerun_loses_and_doubles_nothing(
    recorded: Recorded, tmp_path: Path
) -> None:
    db = tmp_path / "tdkt.sqlite"
    with running_wayback(recorded.warcs) as wayback:
        command = [
            sys.executable,
            "-m",
            "archive.cli",
            "import",
            "--db",
            str(db),
            "--quiet",
            "--all-captures",
            "--cdx",
            wayback.cdx_url,
            "--rate",
            "600",
            "--backoff",
            "0.1",
        ]
        process = subprocess.Popen(
            command, cwd=REPO, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and process.poll() is None:
                if db.exists():
                    try:
                        done = rows(db, "SELECT COUNT(*) AS n FROM captures WHERE imported_at IS NOT NULL")[
                            0
                        ]["n"]
                    except sqlite3.OperationalError:
                        done = 0
                    if done >= 60:
                        break
                time.sleep(0.1)
            assert process.poll() is None, "the import ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait()
        first_run = len(wayback.log)
        tdkt_import(db, "--all-captures", "--cdx", wayback.cdx_url, "--rate", "60000")
        rerun = wayback.log[first_run:]
        raw = Counter(e.path for e in wayback.log if "id_/" in e.path and e.status == 200)
        # Listed once: the killed import had finished the listing, and the rerun takes it up.
        assert [e.path for e in rerun if e.path.startswith("/cdx/")] == []
    # A capture whose answer was on the wire when the import was killed is the only one asked again.
    assert sum(n - 1 for n in raw.values()) <= 2
    assert_same_archive(db, recorded.live_db)
    runs = rows(db, "SELECT status FROM crawl_runs ORDER BY id")
    assert [r["status"] for r in runs] == ["interrupted", "done"]
    assert run_tdkt("verify", "--db", str(db)).returncode == 0
