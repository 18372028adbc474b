"""The reading room on an archive whose rows were joined, over HTTP on a real Datasette.

The archive is tests/files/archives/main-f7d0d36.sqlite.gz opened by today's code (tests/test_migration.py
says how it was made): every item crawled at two ports and under `localhost` became one row holding
every version, each from the address it was read at. Expected answers are computed here from the
archive's rows, never from a run of the room: search facets (kind, year, category) count the rows
whose text holds the words, and each item lists every version in time order with its origin and the
fields that changed since the version before.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import html as lxml_html

from archive.normalize.text import fold_for_search
from archive.publish import running_datasette
from archive.store import ArchiveStore
from tests.test_migration import FIXTURE
from tests.test_publish import fts_tokens

COMPARED = ("title", "published_at", "published_raw", "summary", "body_text")
SEARCHES = ["thi dua", "thi đua", "khen thuong", "quyết định", "ban", "hội nghị"]


def rows(db: Path, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("joined") / "tdkt.sqlite"
    with gzip.open(FIXTURE) as src, db.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    before = rows(db, "SELECT count(*) AS n FROM pages")[0]["n"]
    ArchiveStore(db).close()
    assert rows(db, "SELECT count(*) AS n FROM pages")[0]["n"] < before  # rows were joined
    return db


@pytest.fixture(scope="module")
def client(joined: Path) -> Iterator[httpx.Client]:
    with (
        running_datasette(joined, log_path=joined.parent / "datasette.log") as base_url,
        httpx.Client(base_url=base_url, timeout=30) as http,
    ):
        yield http


def matching(db: Path, query: str) -> list[dict[str, Any]]:
    """The rows whose title, summary or body hold every word, as typed or in the đ→d copy."""
    words = fts_tokens(query)
    found = []
    for row in rows(db, "SELECT id, kind, category, published_at, title, summary, body_text FROM pages"):
        texts = (row["title"], row["summary"], row["body_text"])
        if words <= set().union(*(fts_tokens(t) | fts_tokens(fold_for_search(t)) for t in texts)):
            found.append({**row, "year": (row["published_at"] or "")[:4]})
    return found


def expected_facets(found: list[dict[str, Any]], filters: dict[str, str]) -> dict[str, dict[str, int]]:
    """Each facet counts the matches that pass the other filters (a facet ignores its own)."""
    out = {}
    for name in ("kind", "year", "category"):
        kept = [r for r in found if all(r[k] == v for k, v in filters.items() if k != name)]
        out[name] = dict(Counter(r[name] for r in kept if r[name]))
    return out


def search(client: httpx.Client, **params: str) -> dict[str, Any]:
    response = client.get("/search.json", params=params)
    assert response.status_code == 200, response.text[:300]
    data = response.json()
    results = list(data["results"])
    while data["next"]:
        data = client.get(data["next"]).json()
        results += data["results"]
    return {**data, "results": results}


@pytest.mark.parametrize("query", SEARCHES)
def test_facet_counts_equal_the_counts_of_the_archive_s_rows(
    joined: Path, client: httpx.Client, query: str
) -> None:
    found = matching(joined, query)
    assert found, query  # the searches are chosen to match: a facet of nothing proves nothing
    choices = [{}]
    for name in ("kind", "year", "category"):
        value = Counter(r[name] for r in found if r[name]).most_common(1)[0][0]
        choices.append({name: value})
    for filters in choices:
        data = search(client, q=query, **filters)
        assert data["exact"], (query, filters)
        facets = {name: {f["value"]: f["count"] for f in values} for name, values in data["facets"].items()}
        assert facets == expected_facets(found, filters), (query, filters)
        kept = {r["id"] for r in found if all(r[k] == v for k, v in filters.items())}
        assert [r["page_id"] for r in data["results"] if r["page_id"] not in kept] == []
        assert kept - {r["page_id"] for r in data["results"]} == set()
        assert data["count"] == len(kept)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


Shown = tuple[int, str, str, tuple[str, ...], bool]


def expected_versions(db: Path, page_id: int) -> list[Shown]:
    """(version, fetched_at, origin, fields changed since the one before, read from a web archive),
    newest first, in time order."""
    versions = rows(db, "SELECT * FROM page_versions WHERE page_id = ? ORDER BY fetched_at, id", (page_id,))
    out = []
    for n, v in enumerate(versions):
        before = versions[n - 1] if n else None
        changed = [f for f in COMPARED if before is not None and before[f] != v[f]]
        if before is not None and before["body_html"] != v["body_html"]:
            changed.append("body_html")
        out.append(
            (v["version"], v["fetched_at"], origin(v["url"]), tuple(changed), v["capture_id"] is not None)
        )
    return out[::-1]


def shown_versions(client: httpx.Client, page_id: int) -> list[Shown]:
    response = client.get(f"/item/{page_id}")
    assert response.status_code == 200, response.text[:300]
    shown = []
    for li in lxml_html.fromstring(response.text).cssselect("ol.versions > li"):
        (when,) = li.cssselect("time")
        (where,) = li.cssselect(".origin")
        changed = tuple(s.get("data-field") for s in li.cssselect(".changed"))
        via = bool(li.cssselect(".via"))
        shown.append((int(li.get("data-version")), when.get("datetime"), where.text_content(), changed, via))
    return shown


def test_every_item_lists_every_version_in_time_order_with_its_origin_and_what_changed(
    joined: Path, client: httpx.Client
) -> None:
    ids = [r["id"] for r in rows(joined, "SELECT id FROM pages ORDER BY id")]
    wrong = {
        i: shown_versions(client, i) for i in ids if shown_versions(client, i) != expected_versions(joined, i)
    }
    assert wrong == {}
    # The fixture holds what the list must show: items read from several addresses, and changes.
    versions = [v for i in ids for v in expected_versions(joined, i)]
    assert len({v[2] for v in versions}) >= 3
    assert any(v[3] for v in versions)


def test_a_version_page_names_where_it_was_read_from(joined: Path, client: httpx.Client) -> None:
    for v in rows(joined, "SELECT page_id, version, url FROM page_versions ORDER BY id LIMIT 30"):
        page = lxml_html.fromstring(client.get(f"/item/{v['page_id']}/versions/{v['version']}").text)
        assert [o.text_content() for o in page.cssselect("p.meta .origin")] == [origin(v["url"])]
