"""One site, one archive, through the real `tdkt crawl` against replicas on loopback.

The same replica served at two ports, and under `localhost` as well as `127.0.0.1`, is one site: one
row per item, and every request of a run goes to the address it crawls. Another site is refused unless
the operator says the site moved. Article images are archived like files and proven by `tdkt verify`.
"""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO, run_tdkt
from tests.test_operations_e2e import crawl_command, wait_for

pytestmark = pytest.mark.e2e


def crawl(site: str, db: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    args = ["crawl", "--site", site, "--db", str(db), "--delay", "0", "--quiet", "--concurrency", "8"]
    return run_tdkt(*args, *extra, check=check)


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def image_truth(replica: Any) -> set[tuple[str, str, str]]:
    """(item path, image path, sha256 of the bytes the replica serves) of every item's images."""
    out = set()
    for item in replica.ground_truth["items"]:
        for src in item["images"]:
            body = replica.site.respond(src).body
            out.add((item["url"], src, hashlib.sha256(body).hexdigest()))
    return out


def archived_images(db: Path) -> set[tuple[str, str, str]]:
    found = rows(db, "SELECT p.url, i.url, i.sha256 FROM images i JOIN pages p ON p.id = i.page_id")
    return {(path_of(page), path_of(url), sha) for page, url, sha in found}


@pytest.fixture(scope="module")
def two_replicas() -> Iterator[tuple[Any, Any]]:
    """The same 90-item replica served twice, at two ports."""
    from replica.testing import running_replica

    with running_replica(items=90) as first, running_replica(items=90) as second:
        yield first, second


@pytest.fixture(scope="module")
def crawled_from_three_addresses(
    two_replicas: tuple[Any, Any], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    first, second = two_replicas
    db = tmp_path_factory.mktemp("three-addresses") / "tdkt.sqlite"
    crawl(first.base_url, db)
    crawl(second.base_url, db)
    crawl(second.base_url.replace("127.0.0.1", "localhost"), db)
    return db


def test_three_addresses_of_one_replica_give_one_row_per_item(
    crawled_from_three_addresses: Path, two_replicas: tuple[Any, Any]
) -> None:
    db, (first, _) = crawled_from_three_addresses, two_replicas
    truth = first.ground_truth
    pages = [path_of(url) for (url,) in rows(db, "SELECT url FROM pages")]
    assert sorted(pages) == sorted(item["url"] for item in truth["items"])
    assert rows(db, "SELECT count(*) FROM page_versions") == [(len(pages),)]
    files = rows(db, "SELECT p.url, a.url, a.sha256 FROM attachments a JOIN pages p ON p.id = a.page_id")
    assert {(path_of(p), path_of(u), sha) for p, u, sha in files} == {
        (item["url"], a["url"], a["sha256"]) for item in truth["items"] for a in item["attachments"]
    }
    assert len(files) == sum(len(item["attachments"]) for item in truth["items"])


def test_every_row_names_the_first_address_and_every_capture_its_own(
    crawled_from_three_addresses: Path, two_replicas: tuple[Any, Any]
) -> None:
    db, (first, second) = crawled_from_three_addresses, two_replicas
    origin = first.base_url.rstrip("/")
    assert {urlsplit(url).netloc for (url,) in rows(db, "SELECT url FROM pages")} == {urlsplit(origin).netloc}
    assert {urlsplit(url).netloc for (url,) in rows(db, "SELECT url FROM page_versions")} == {
        urlsplit(origin).netloc
    }
    runs = rows(
        db, "SELECT origin, mode, status, pages_new, pages_changed, files_new, images_new FROM crawl_runs"
    )
    localhost = second.base_url.replace("127.0.0.1", "localhost").rstrip("/")
    assert [run[0] for run in runs] == [origin, second.base_url.rstrip("/"), localhost]
    assert [run[1:] for run in runs[1:]] == [("incremental", "done", 0, 0, 0, 0)] * 2
    mirrors = {o for (o,) in rows(db, "SELECT origin FROM site_aliases WHERE role = 'mirror'")}
    assert mirrors == {second.base_url.rstrip("/"), localhost}


def test_article_images_are_archived_with_the_bytes_the_site_serves(
    crawled_from_three_addresses: Path, two_replicas: tuple[Any, Any]
) -> None:
    db, (first, _) = crawled_from_three_addresses, two_replicas
    truth = image_truth(first)
    assert len(truth) >= 10  # the replica's articles show images, or this proves nothing
    assert archived_images(db) == truth
    root = db.parent
    for stored_path, sha in rows(db, "SELECT stored_path, sha256 FROM images"):
        assert (
            stored_path.startswith("files/")
            and hashlib.sha256((root / stored_path).read_bytes()).hexdigest() == sha
        )
    assert sum(n or 0 for (n,) in rows(db, "SELECT images_new FROM crawl_runs")) == len(truth)


def test_verify_rehashes_images_and_names_a_flipped_one(crawled_from_three_addresses: Path) -> None:
    db = crawled_from_three_addresses
    assert run_tdkt("verify", "--db", str(db)).returncode == 0
    ((image_id, url, stored_path),) = rows(db, "SELECT id, url, stored_path FROM images ORDER BY id LIMIT 1")
    path = db.parent / stored_path
    original = path.read_bytes()
    try:
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 0xFF]))
        result = run_tdkt("verify", "--db", str(db), check=False)
    finally:
        path.write_bytes(original)
    assert result.returncode == 1
    assert f"image {image_id} ({url}): file {path}" in result.stderr


def test_full_after_an_address_change_asks_nothing_of_the_old_address(
    two_replicas: tuple[Any, Any], tmp_path: Path
) -> None:
    from replica.testing import running_replica

    first, _ = two_replicas
    db = tmp_path / "tdkt.sqlite"
    crawl(first.base_url, db)
    before = rows(db, "SELECT count(*) FROM page_versions")[0][0]
    first.clear_requests()
    # The site a few weeks later at a new address: items no list links any more are found only by
    # revisiting what the archive holds — at the new address.
    with running_replica(items=90, state=2) as moved:
        crawl(moved.base_url, db, "--full")
        asked = {r.path for r in moved.requests}
        truth = moved.ground_truth
    assert first.requests == []  # the old address is never asked, not even for robots.txt
    removed = truth["changes"]["removed"]
    assert removed and set(removed) <= asked
    flagged = {path_of(u) for (u,) in rows(db, "SELECT url FROM pages WHERE removed_at IS NOT NULL")}
    assert flagged == set(removed)
    ((status, mode, changed),) = rows(db, "SELECT status, mode, pages_changed FROM crawl_runs WHERE id = 2")
    assert (status, mode, changed) == ("done", "full", len(truth["changes"]["edited"]))
    # the site's own dead links are its only errors: none for an address that is gone
    assert {path_of(u) for (u,) in rows(db, "SELECT url FROM crawl_errors WHERE run_id = 2")} <= set(
        truth["dead_links"]
    )
    assert rows(db, "SELECT count(*) FROM page_versions")[0][0] == before + len(
        truth["changes"]["new"]
    ) + len(truth["changes"]["edited"])


def counts(db: Path) -> dict[str, int]:
    tables = ("pages", "page_versions", "attachments", "images", "crawl_runs", "categories", "site_aliases")
    return {t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def test_another_site_is_refused_in_one_line_and_nothing_is_written(
    two_replicas: tuple[Any, Any], tmp_path: Path
) -> None:
    from replica.testing import running_replica

    first, _ = two_replicas
    db = tmp_path / "tdkt.sqlite"
    crawl(first.base_url, db)
    before = counts(db)
    warc_before = sorted((p.name, p.stat().st_size) for p in (tmp_path / "warc").iterdir())
    with running_replica(items=90, seed=7) as other:  # the same software, other content
        refused = crawl(other.base_url, db, check=False)
        assert refused.returncode == 2
        (line,) = refused.stderr.strip().splitlines()
        assert line.startswith(f"tdkt crawl: {other.base_url} is not the site archived in {db}")
        assert "--site-moved" in line and "Traceback" not in refused.stderr
        assert other.requests and {r.path for r in other.requests} <= {"/robots.txt", "/"}
        assert counts(db) == before
        assert sorted((p.name, p.stat().st_size) for p in (tmp_path / "warc").iterdir()) == warc_before

        moved = crawl(other.base_url, db, "--site-moved")
    assert moved.returncode == 0
    new_origin = other.base_url.rstrip("/")
    assert rows(db, "SELECT canonical_origin FROM site") == [(new_origin,)]
    assert rows(db, "SELECT role FROM site_aliases WHERE origin = ?", first.base_url.rstrip("/")) == [
        ("former",)
    ]
    assert {urlsplit(u).netloc for (u,) in rows(db, "SELECT url FROM pages")} == {urlsplit(new_origin).netloc}
    # nothing archived before the move is lost
    assert rows(db, "SELECT count(*) FROM page_versions")[0][0] >= before["page_versions"]


def test_kill_9_while_images_download_then_rerun_completes_them(tmp_path: Path) -> None:
    from replica.testing import running_replica

    db = tmp_path / "tdkt.sqlite"
    with running_replica(items=90) as replica:
        proc = subprocess.Popen(crawl_command(replica.base_url, db), cwd=REPO)
        try:
            wait_for(db, "SELECT count(*) FROM images WHERE sha256 IS NOT NULL", 2, proc)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        crawl(replica.base_url, db)
        assert archived_images(db) == image_truth(replica)
    assert rows(db, "SELECT count(*) FROM images WHERE sha256 IS NULL") == [(0,)]
    assert run_tdkt("verify", "--db", str(db)).returncode == 0


def test_demo_twice_gives_the_same_archive(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "tdkt.sqlite"
    db.parent.mkdir()  # outside the repository, where the command runs: it makes no folder there
    tables = (
        "pages",
        "page_versions",
        "attachments",
        "images",
        "categories",
        "crawl_errors",
        "legal_documents",
        "awards",
        "award_recipients",
        "movements",
        "citations",
    )
    results = []
    for _ in range(2):
        run_tdkt("demo", "--no-serve", "--db", str(db))
        results.append({t: rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in tables})
    assert results[0]["pages"] > 0
    assert results[1] == results[0]
    assert rows(db, "SELECT count(*) FROM crawl_runs") == [(2,)]
