"""Shared fixtures: a replica of the site on loopback, and an archive crawled from it.

Both are session-scoped because a crawl of the replica is the most expensive thing the suite does;
tests that change the replica's state or inject faults start their own.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"


def querying_section() -> str:
    """README's "Querying the archive" section: the one place its examples live, tested as written."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("<!-- querying:start -->", 1)[1].split("<!-- querying:end -->", 1)[0]


def run_tdkt(*args: str, timeout: float = 900, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real `tdkt` command in a subprocess (Scrapy's reactor starts once per process)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    result = subprocess.run(
        [sys.executable, "-m", "archive.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"tdkt {' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout[-4000:]}"
            f"\n--- stderr\n{result.stderr[-8000:]}"
        )
    return result


@dataclass
class CrawledArchive:
    db_path: Path
    ground_truth: dict[str, Any]
    base_url: str
    crawl_output: subprocess.CompletedProcess[str]

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path)
        conn.row_factory = sqlite3.Row
        return conn

    def rows(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="session")
def replica() -> Iterator[Any]:
    """The replica in state 1, classic theme, on a free loopback port. Do not change its state."""
    from replica.testing import running_replica

    with running_replica() as handle:
        yield handle


def crawl_into_new_archive(
    replica: Any, tmp_path_factory: pytest.TempPathFactory, name: str
) -> CrawledArchive:
    """Crawl a served replica with the real `tdkt crawl` into a fresh archive; keep its ground truth."""
    db_path = tmp_path_factory.mktemp(name) / "tdkt.sqlite"
    output = run_tdkt(
        "crawl",
        "--site",
        replica.base_url,
        "--db",
        str(db_path),
        "--delay",
        "0",
        "--quiet",
        "--concurrency",
        "8",
    )
    return CrawledArchive(db_path, replica.ground_truth, replica.base_url, output)


@pytest.fixture(scope="session")
def replica_archive(replica: Any, tmp_path_factory: pytest.TempPathFactory) -> CrawledArchive:
    """An archive made by `tdkt crawl` from the session's replica, with the replica's ground truth."""
    return crawl_into_new_archive(replica, tmp_path_factory, "replica-archive")


def _theme_archive(theme: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    from replica.testing import running_replica

    with running_replica(theme=theme) as replica:
        yield crawl_into_new_archive(replica, tmp_path_factory, f"{theme}-archive")


@pytest.fixture(scope="session")
def legacy_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """An archive crawled from the replica's `legacy` theme: markup, pagination and wrappers that no one
    developed the crawler against, so it stands in for the real site's unknown HTML."""
    yield from _theme_archive("legacy", tmp_path_factory)


@pytest.fixture(scope="session")
def soup_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """The `soup` theme: div soup with no semantic elements or telling class names, furniture longer
    than the article, sibling boxes with headings no label table knows, the seed's real footer."""
    yield from _theme_archive("soup", tmp_path_factory)


@pytest.fixture(scope="session")
def cells_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """The `cells` theme: a table-cell layout with no class names, the article as `<br>`-broken text."""
    yield from _theme_archive("cells", tmp_path_factory)


@pytest.fixture(scope="session")
def portal_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """The `portal` theme, written before its author read the parser: another CMS's portlets, the
    title only in a bold div and the page's <title>, a right column of other items' teasers, files
    shown only in an embedded viewer, `?cur=N` paging."""
    yield from _theme_archive("portal", tmp_path_factory)


@pytest.fixture(scope="session")
def press_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    """The `press` theme, written before its author read the parser: a WordPress site whose teasers
    are all `<article>`s with figures and `<time>`s, the sidebar before the post in the source, a
    running notice and a long "Giới thiệu" blurb on every page, WordPress's Vietnamese dates, lazy
    images, a share bar and the source line inside the post, `/page/N/` paging."""
    yield from _theme_archive("press", tmp_path_factory)


# Every theme's archive, by theme: the e2e tests that hold on any markup run on all of them.
THEME_ARCHIVES = {
    "classic": "replica_archive",
    "modern": "modern_archive",
    "legacy": "legacy_archive",
    "soup": "soup_archive",
    "cells": "cells_archive",
    "portal": "portal_archive",
    "press": "press_archive",
}


@pytest.fixture(scope="session")
def modern_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    yield from _theme_archive("modern", tmp_path_factory)


@dataclass
class Recorded:
    """The replica crawled live twice (state 1, then state 2 with --full) and its WARC files as a public
    web archive holds them: two capture dates, under the real site's host name."""

    live_db: Path  # the archive the two live crawls made: the ground truth of every import
    base_url: str  # where the replica was served during those crawls
    warcs: list[Path]  # the crawls' WARC files, moved to the real host name
    wacz: Path  # the same files packaged by the `wacz` tool (made by others, as an import meets them)
    truth: dict[str, Any]  # the replica's ground truth for state 2


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    from replica.pywb import tool
    from replica.testing import running_replica
    from replica.wayback import rewrite_hosts

    root = tmp_path_factory.mktemp("recorded")
    live_db = root / "live" / "tdkt.sqlite"
    live_db.parent.mkdir()
    crawl = ("--delay", "0", "--quiet", "--concurrency", "8")
    with running_replica(state=1, items=90) as replica:
        run_tdkt("crawl", "--site", replica.base_url, "--db", str(live_db), *crawl)
        replica.set_state(2)
        run_tdkt("crawl", "--site", replica.base_url, "--db", str(live_db), *crawl, "--full")
        truth = replica.ground_truth
        base = replica.base_url
    originals = sorted((live_db.parent / "warc").glob("*.warc.gz"))
    warcs = rewrite_hosts(originals, base, "http://tdkt.thaibinh.gov.vn", root / "captures")
    wacz = root / "others.wacz"
    subprocess.run(
        [tool("wacz"), "create", "-o", str(wacz), *map(str, warcs)], check=True, capture_output=True
    )
    return Recorded(live_db, base, warcs, wacz, truth)
