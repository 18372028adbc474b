"""`tdkt crawl` against the replica in every theme, compared with its ground truth field by field.

The themes' archives are the session's (tests/conftest.py); the state-1 → state-2 recrawls start their
own replica. Every crawl is the real CLI in a subprocess.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import THEME_ARCHIVES, CrawledArchive, run_tdkt

pytestmark = pytest.mark.e2e

FIELDS = ("title", "published_at", "category", "kind", "site_id", "section")


def crawl(base_url: str, db: Path, *extra: str) -> Any:
    return run_tdkt(
        "crawl", "--site", base_url, "--db", str(db), "--delay", "0", "--quiet", "--concurrency", "8", *extra
    )


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def rows(db: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def pages_by_path(db: Path) -> dict[str, sqlite3.Row]:
    return {path_of(r["url"]): r for r in rows(db, "SELECT * FROM pages")}


@pytest.fixture(params=sorted(THEME_ARCHIVES))
def archive(request: pytest.FixtureRequest) -> CrawledArchive:
    return request.getfixturevalue(THEME_ARCHIVES[request.param])


def test_every_item_is_archived_once_and_nothing_else(archive: CrawledArchive) -> None:
    archived = pages_by_path(archive.db_path)
    truth = {item["url"] for item in archive.ground_truth["items"]}
    assert sorted(truth - set(archived)) == []  # missing items
    assert sorted(set(archived) - truth) == []  # list pages, decoys, dead links are not items


def test_no_site_id_is_archived_twice(archive: CrawledArchive) -> None:
    ids = Counter(
        r["site_id"] for r in rows(archive.db_path, "SELECT site_id FROM pages WHERE site_id IS NOT NULL")
    )
    assert [site_id for site_id, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("field", FIELDS)
def test_field_equals_ground_truth(archive: CrawledArchive, field: str) -> None:
    archived = pages_by_path(archive.db_path)
    wrong = [
        (item["url"], archived[item["url"]][field], item[field])
        for item in archive.ground_truth["items"]
        if item["url"] in archived and archived[item["url"]][field] != item[field]
    ]
    assert wrong == []


def test_attachments_have_the_ground_truth_bytes(archive: CrawledArchive) -> None:
    got = {
        (path_of(r["page_url"]), path_of(r["url"]), r["sha256"])
        for r in rows(
            archive.db_path,
            "SELECT p.url AS page_url, a.url, a.sha256 FROM attachments a JOIN pages p ON p.id = a.page_id",
        )
    }
    want = {
        (item["url"], a["url"], a["sha256"])
        for item in archive.ground_truth["items"]
        for a in item["attachments"]
    }
    assert got == want


def test_original_file_names_are_kept_as_metadata_only(archive: CrawledArchive) -> None:
    names = {
        path_of(r["url"]): r["filename"]
        for r in rows(archive.db_path, "SELECT url, filename FROM attachments")
    }
    traps = [a for item in archive.ground_truth["items"] for a in item["attachments"] if "/" in a["filename"]]
    assert traps  # the replica serves a "../../../etc/passwd" name
    for trap in traps:
        assert names[trap["url"]] == trap["filename"].rsplit("/", 1)[-1]


def test_categories_equal_the_menu(archive: CrawledArchive) -> None:
    got = {
        r["slug"]: (r["name"], r["parent"], r["kind"])
        for r in rows(archive.db_path, "SELECT * FROM categories")
    }
    want = {c["slug"]: (c["name"], c["parent"], c["kind"]) for c in archive.ground_truth["categories"]}
    assert got == want


def test_dead_links_become_error_rows(archive: CrawledArchive) -> None:
    errors = {
        (path_of(r["url"]), r["status"])
        for r in rows(archive.db_path, "SELECT url, status FROM crawl_errors")
    }
    assert {(path, 404) for path in archive.ground_truth["dead_links"]} <= errors


def test_the_run_is_recorded_with_its_request_count(archive: CrawledArchive) -> None:
    (run,) = rows(archive.db_path, "SELECT * FROM crawl_runs")
    assert (run["status"], run["mode"], run["pages_new"]) == (
        "done",
        "full",
        len(archive.ground_truth["items"]),
    )
    assert run["requests"] > run["pages_new"]


def test_modern_theme_crawl_obeys_robots_and_says_who_it_is(modern_archive: CrawledArchive) -> None:
    from replica.testing import running_replica

    with running_replica(theme="modern", items=40) as replica:
        crawl(replica.base_url, modern_archive.db_path.parent / "small.sqlite")
        paths = [r.path for r in replica.requests]
        agents = {r.user_agent for r in replica.requests}
    assert not [p for p in paths if p.startswith(("/admin", "/tim-kiem"))]
    assert agents == {"tdkt-archive/0.1 (+https://github.com/tdkt-archive/tdkt-archive)"}


def test_a_second_crawl_adds_nothing(replica_archive: CrawledArchive, replica: Any, tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    shutil.copy(replica_archive.db_path, db)  # the session's archive stays as other tests expect it
    before = {
        t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("pages", "attachments", "page_versions")
    }
    crawl(replica.base_url, db)
    after = {t: rows(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in before}
    last = rows(db, "SELECT mode, pages_new, pages_changed FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert (last["mode"], last["pages_new"], last["pages_changed"]) == ("incremental", 0, 0)
    assert after == before


# -- state 1 → state 2: incremental finds the new items cheaply, --full finds edits and removals -------------


@dataclass
class Recrawl:
    db: Path
    truth: dict[str, Any]
    full_requests_state1: int
    incremental_requests: int
    full_requests_state2: int
    versions_before_full: dict[str, int]
    # Article images asked for by the incremental and the second full run (paths): downloads of content,
    # kept apart from the cost of finding what is new.
    incremental_images: list[str]
    full_state2_images: list[str]


@pytest.fixture(scope="module")
def recrawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recrawl]:
    from replica.testing import running_replica

    db = tmp_path_factory.mktemp("recrawl") / "tdkt.sqlite"
    with running_replica(state=1) as replica:
        crawl(replica.base_url, db)
        full1 = len(replica.requests)
        replica.set_state(2)
        replica.clear_requests()
        crawl(replica.base_url, db)
        incremental = len(replica.requests)
        incremental_images = images_asked(replica)
        versions = {
            path_of(r["url"]): r["n"]
            for r in rows(
                db,
                "SELECT p.url, COUNT(*) AS n FROM page_versions v JOIN pages p ON p.id = v.page_id "
                "GROUP BY p.id",
            )
        }
        replica.clear_requests()
        crawl(replica.base_url, db, "--full")
        yield Recrawl(
            db,
            replica.ground_truth,
            full1,
            incremental,
            len(replica.requests),
            versions,
            incremental_images,
            images_asked(replica),
        )


def images_asked(replica: Any) -> list[str]:
    shown = {src for item in replica.ground_truth["items"] for src in item["images"]}
    return [r.path for r in replica.requests if r.path in shown]


def test_incremental_finds_every_new_item(recrawl: Recrawl) -> None:
    new = recrawl.truth["changes"]["new"]
    assert new
    assert sorted(set(new) - set(recrawl.versions_before_full)) == []


def test_incremental_costs_at_most_15_percent_of_a_full_crawl(recrawl: Recrawl) -> None:
    assert recrawl.incremental_requests <= 0.15 * recrawl.full_requests_state1
    # Against the second full run, which finds the new items' images already archived, the cost of
    # walking and fetching pages and files is compared: images are counted apart (next test).
    walked = recrawl.incremental_requests - len(recrawl.incremental_images)
    assert walked <= 0.15 * (recrawl.full_requests_state2 - len(recrawl.full_state2_images))


def test_incremental_asks_for_exactly_the_images_of_the_new_items(recrawl: Recrawl) -> None:
    items = {item["url"]: item for item in recrawl.truth["items"]}
    new_images = [src for url in recrawl.truth["changes"]["new"] for src in items[url]["images"]]
    assert new_images
    assert sorted(recrawl.incremental_images) == sorted(new_images)


def test_full_flags_exactly_the_removed_items(recrawl: Recrawl) -> None:
    removed = {
        path_of(r["url"]) for r in rows(recrawl.db, "SELECT url FROM pages WHERE removed_at IS NOT NULL")
    }
    assert removed == set(recrawl.truth["changes"]["removed"])


def test_full_versions_exactly_the_edited_items(recrawl: Recrawl) -> None:
    versions = {
        path_of(r["url"]): r["n"]
        for r in rows(
            recrawl.db,
            "SELECT p.url, COUNT(*) AS n FROM page_versions v JOIN pages p ON p.id = v.page_id GROUP BY p.id",
        )
    }
    assert {url for url, n in versions.items() if n >= 2} == set(recrawl.truth["changes"]["edited"])


def test_full_shows_the_edited_titles(recrawl: Recrawl) -> None:
    archived = pages_by_path(recrawl.db)
    live = {item["url"]: item for item in recrawl.truth["items"]}
    assert [
        (u, archived[u]["title"])
        for u in recrawl.truth["changes"]["edited"]
        if archived[u]["title"] != live[u]["title"]
    ] == []


def test_removed_items_are_never_deleted(recrawl: Recrawl) -> None:
    archived = pages_by_path(recrawl.db)
    assert all(url in archived for url in recrawl.truth["changes"]["removed"])
