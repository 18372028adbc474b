"""The published archive of a crawl of the replica, against the replica's ground truth.

`replica_archive` (conftest) is the archive `tdkt crawl` made from the replica; Datasette serves it
exactly as `tdkt serve` would. Search results are also checked against an independent model of the
FTS5 tokenizer applied to the stored text (tests.test_publish.fts_tokens).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html

from archive.normalize.text import fold_for_search, fold_key
from archive.publish import database_name, running_datasette
from tests.test_publish import ATOM, fts_tokens

pytestmark = pytest.mark.e2e


@dataclass
class Published:
    client: httpx.Client
    db: str
    truth: dict[str, Any]
    base_url: str  # the replica's, which the archived URLs start with
    texts: dict[str, tuple[str, str, str]]  # archived url -> (title, summary, body_text)

    def rows(self, path: str, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get(f"/{self.db}/{path}.json", params={"_shape": "array", **params})
        assert response.status_code == 200, response.text[:500]
        rows: list[dict[str, Any]] = response.json()
        return rows

    def search(self, query: str) -> set[str]:
        return {r["url"] for r in self.rows("pages", _search=query, _size="max", _col="url")}

    def url(self, item: dict[str, Any]) -> str:
        return urljoin(self.base_url, item["url"])

    def items(self, key: str | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.truth["items"]
        return [i for i in items if key is None or i.get(key)]


@pytest.fixture(scope="module")
def published(replica_archive: Any) -> Iterator[Published]:
    texts = {
        r["url"]: (r["title"] or "", r["summary"] or "", r["body_text"] or "")
        for r in replica_archive.rows("select url, title, summary, body_text from pages")
    }
    with (
        running_datasette(replica_archive.db_path) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        yield Published(
            client,
            database_name(replica_archive.db_path),
            replica_archive.ground_truth,
            replica_archive.base_url,
            texts,
        )


def modelled_search(query: str, texts: dict[str, tuple[str, str, str]]) -> set[str]:
    words = fts_tokens(query)
    return {url for url, tokens in page_tokens(texts).items() if words <= tokens}


_TOKENS: dict[int, dict[str, set[str]]] = {}


def page_tokens(texts: dict[str, tuple[str, str, str]]) -> dict[str, set[str]]:
    """Each page's index terms, original and đ→d copy alike; computed once per archive."""
    if id(texts) not in _TOKENS:
        _TOKENS[id(texts)] = {
            url: set().union(*(fts_tokens(p) | fts_tokens(fold_for_search(p)) for p in parts))
            for url, parts in texts.items()
        }
    return _TOKENS[id(texts)]


def title_pairs(items: list[dict[str, Any]], limit: int = 40) -> list[tuple[str, str]]:
    """(unaccented, accented) pairs of title words with tone marks or đ, one per folded spelling."""
    pairs: dict[str, str] = {}
    for item in items:
        for word in re.findall(r"[^\W\d_]{2,}", item["title"]):
            key = fold_key(word)
            if key != word.lower() and key not in pairs:
                pairs[key] = word
    chosen = list(pairs.items())[:limit]
    return [
        *chosen,
        ("thi dua", "thi đua"),
        ("dong bang", "Đồng bằng"),
        ("dong bang song hong", "Đồng bằng sông Hồng"),
    ]


def test_accented_and_unaccented_searches_find_the_same_items(published: Published) -> None:
    same = same_with_d = 0
    for plain, accented in title_pairs(published.items()):
        plain_found, accented_found = published.search(plain), published.search(accented)
        assert plain_found == modelled_search(plain, published.texts), plain
        assert accented_found == modelled_search(accented, published.texts), accented
        # Every item of the ground truth whose title holds the word is found both ways.
        titled = {
            published.url(i) for i in published.items() if fts_tokens(accented) <= fts_tokens(i["title"])
        }
        assert titled <= accented_found and titled <= plain_found, accented
        if plain_found == accented_found and plain_found:
            same += 1
            same_with_d += "đ" in accented.lower()
    assert same >= 20 and same_with_d >= 2, (same, same_with_d)


@pytest.mark.parametrize(("plain", "accented"), [("thi dua", "thi đua"), ("dong bang", "Đồng bằng")])
def test_d_words(published: Published, plain: str, accented: str) -> None:
    found = published.search(plain)
    assert found and found == published.search(accented)


def test_awards_by_year_and_type(published: Published) -> None:
    # News that reports a conferral may not say when it was decided: no year, no row of this view.
    awards = [i["award"] for i in published.items("award") if i["award"]["decided_on"]]
    expected = Counter((a["decided_on"][:4], a["award"]) for a in awards)
    rows = published.rows("awards_by_year_and_type")
    assert {(r["year"], r["award"]): r["awards"] for r in rows} == expected
    individuals: Counter[tuple[str, str]] = Counter()
    for a in awards:
        individuals[(a["decided_on"][:4], a["award"])] += a["individuals"] or 0
    assert {(r["year"], r["award"]): r["individuals"] for r in rows} == individuals


def test_recipient_history_follows_recipients_across_spellings(published: Published) -> None:
    decisions: dict[str, set[str]] = defaultdict(set)
    for item in published.items("award"):
        for recipient in item["award"]["recipients"]:
            decisions[fold_key(recipient["canonical"])].add(item["award"]["decision_number"])
    recurring = sorted(decisions, key=lambda k: (-len(decisions[k]), k))[:5]
    assert len(decisions[recurring[0]]) >= 3
    for key in recurring:
        spelled = next(
            r["name"]
            for i in published.items("award")
            for r in i["award"]["recipients"]
            if fold_key(r["canonical"]) == key
        )
        for query in (spelled, key, spelled.upper()):
            rows = published.rows("recipient_history", name=query)
            assert {r["decision_number"] for r in rows} == decisions[key], query
            assert [r["decided_on"] for r in rows] == sorted(r["decided_on"] for r in rows)


def test_decisions_by_authority(published: Published) -> None:
    by_authority: dict[str, set[str]] = defaultdict(set)
    for item in published.items("award"):
        by_authority[item["award"]["conferred_by"]].add(item["award"]["decision_number"])
    assert len(by_authority) >= 3
    for authority, numbers in by_authority.items():
        for query in (authority, fold_key(authority)):
            rows = published.rows("decisions_by_authority", authority=query)
            assert {r["decision_number"] for r in rows} == numbers, query


def test_award_counts_stated_vs_read(published: Published) -> None:
    """Every award whose text states a count other than the recipients its lists give, and only
    those; an award whose list nobody could read counts 0 read, never drops out of the view."""
    expected = {}
    agreeing = 0
    for item in published.items("award"):
        a = item["award"]
        read_c, read_i = a["collectives"] or 0, a["individuals"] or 0
        stated_c, stated_i = a["stated_collectives"], a["stated_individuals"]
        if (stated_c is not None and stated_c != read_c) or (stated_i is not None and stated_i != read_i):
            expected[published.url(item)] = (
                a["decision_number"],
                stated_c,
                read_c,
                None if stated_c is None else stated_c - read_c,
                stated_i,
                read_i,
                None if stated_i is None else stated_i - read_i,
            )
        elif stated_c is not None or stated_i is not None:
            agreeing += 1
    assert len(expected) >= 3 and agreeing >= 3  # the view has rows to show and rows to leave out
    rows = published.rows("award_counts_stated_vs_read", _size="max")
    actual = {
        r["url"]: (
            r["decision_number"],
            r["stated_collectives"],
            r["collectives_read"],
            r["collectives_not_read"],
            r["stated_individuals"],
            r["individuals_read"],
            r["individuals_not_read"],
        )
        for r in rows
    }
    assert len(rows) == len(actual)
    assert actual == expected


@pytest.mark.parametrize("since", ["", "2020"])
def test_movements_timeline_lists_every_launch(
    published: Published, replica_archive: Any, since: str
) -> None:
    rows = published.rows("movements_timeline", since=since)
    shown = [(r["launched_on"], fold_key(r["name"]), r["launched_by"]) for r in rows]
    # Exactly the launches the archive holds (date, movement, launcher), in the timeline's order.
    archived = {
        (r["launched_on"], r["name_key"], r["launched_by"])
        for r in replica_archive.rows("select launched_on, name_key, launched_by from movements")
        if r["launched_on"] and r["launched_on"] >= since
    }
    assert shown == sorted(archived)
    # Every launch the ground truth states, relaunches by other bodies included, is there.
    truth = {
        (m["launched_on"], fold_key(m["name"]))
        for i in published.items("movements")
        for m in i["movements"]
        if m["launched_on"] and m["launched_on"] >= since
    }
    assert truth <= {(d, key) for d, key, _ in shown}
    mentions: dict[str, set[str]] = defaultdict(set)
    for item in published.items("movements"):
        for movement in item["movements"]:
            mentions[fold_key(movement["name"])].add(item["url"])
    for row in rows:
        assert row["mentions"] == len(mentions[fold_key(row["name"])]), row["name"]


def test_latest_notices(published: Published) -> None:
    notices = [i for i in published.items() if i["kind"] == "notice"]
    rows = published.rows("latest_notices")
    assert {r["url"] for r in rows} == {published.url(i) for i in notices}
    dates = [r["published_at"] for r in rows if r["published_at"]]
    assert dates == sorted(dates, reverse=True)


def test_documents_citing(published: Published) -> None:
    citing: dict[str, set[str]] = defaultdict(set)
    for item in published.items("cites"):
        for number in item["cites"]:
            citing[number].add(published.url(item))
    held = {i["legal"]["number"]: published.url(i) for i in published.items("legal")}
    most_cited = sorted(citing, key=lambda n: (-len(citing[n]), n))[:6]
    for number in most_cited:
        rows = published.rows("documents_citing", number=number)
        assert {r["citing_url"] for r in rows} == citing[number], number
        assert {r["cited_url"] for r in rows} == {held.get(number)}, number


def test_changed_since(published: Published) -> None:
    assert len(published.rows("changed_since", since="2000-01-01")) == len(published.items())
    assert published.rows("changed_since", since="9999-01-01") == []


def test_attachments_by_type(published: Published) -> None:
    files = [a for i in published.items() for a in i["attachments"]]
    expected: dict[str, list[int]] = defaultdict(list)
    for attachment in files:
        expected[attachment["filename"].rsplit(".", 1)[-1].lower()].append(attachment["bytes"])
    rows = {r["extension"]: r for r in published.rows("attachments_by_type")}
    for extension, sizes in expected.items():
        assert rows[extension]["files"] == len(sizes), extension
        assert rows[extension]["total_bytes"] == sum(sizes), extension
        assert rows[extension]["largest_bytes"] == max(sizes), extension
    largest = published.rows("largest_attachments")
    assert largest[0]["bytes"] == max(a["bytes"] for a in files)


def test_items_per_month(published: Published, replica_archive: Any) -> None:
    rows = {(r["month"], r["kind"]): r["items"] for r in published.rows("items_per_month")}
    archived = Counter(
        (r["published_at"][:7], r["kind"])
        for r in replica_archive.rows("select published_at, kind from pages where published_at is not null")
    )
    assert rows == archived
    # Every dated item of the ground truth is counted in its month (the crawl may date a few more).
    truth = Counter((i["published_at"][:7], i["kind"]) for i in published.items() if i["published_at"])
    assert all(rows.get(key, 0) >= count for key, count in truth.items())
    assert sum(rows.values()) - sum(truth.values()) <= len(published.items()) // 20


def test_feed_validates_as_atom_and_holds_the_newest_items(published: Published) -> None:
    response = published.client.get("/feed.atom")
    assert response.status_code == 200
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip()
        # The entry opens the archive's copy; its address on the site is the id and the "via" link.
        assert (
            entry.find(f"{ATOM}link[@rel='alternate']")
            .get("href")
            .startswith(f"{published.client.base_url}/item/")
        )
        assert entry.find(f"{ATOM}link[@rel='via']").get("href").startswith(published.base_url.rstrip("/"))
    dated = sorted((i for i in published.items() if i["published_at"]), key=lambda i: i["published_at"])
    newest = published.url(dated[-1])
    assert entries[0].findtext(f"{ATOM}id") == newest


@pytest.mark.parametrize("kind", ["notice", "award_decision", "legal_text"])
def test_feed_per_kind(published: Published, kind: str) -> None:
    feed = etree.fromstring(published.client.get("/feed.atom", params={"kind": kind}).content)
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    of_kind = {published.url(i) for i in published.items() if i["kind"] == kind}
    assert ids and set(ids) <= of_kind and len(ids) == min(50, len(of_kind))


def test_rendered_bodies_carry_no_script(published: Published, replica_archive: Any) -> None:
    """The replica hides <script>, onerror= and javascript: links in some bodies; none reach the item page."""
    hostile = [published.url(i) for i in published.items() if "script" in i["quirks"]]
    assert hostile
    for url in hostile:
        page_id = replica_archive.rows("select id from pages where url = ?", url)[0]["id"]
        page = published.client.get(f"/item/{page_id}")
        assert page.status_code == 200
        body = lxml_html.fromstring(page.text).cssselect("article .body")[0]
        assert body.cssselect("p, table, ul, a, div, strong, em, h2, h3") or body.text_content().strip()
        assert not body.cssselect("script, iframe, object, embed")
        for element in body.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (url, name)
                assert not value.strip().lower().startswith("javascript:"), (url, value)


def test_every_readme_example_returns_rows_on_the_demo_archive(published: Published) -> None:
    """README's querying section, as written, against the archive `make demo` makes (a crawl of the
    replica): every table, query and reading-room address it shows answers with at least one row."""
    from tests.test_publish import readme_addresses, served_path

    for address in readme_addresses():
        path = served_path(address, published.db)
        response = published.client.get(path)
        assert response.status_code == 200, (address, response.text[:300])
        route, _, query = path.partition("?")
        if route.startswith(f"/{published.db}/") and "." not in route.rsplit("/", 1)[-1]:
            rows = published.client.get(f"{route}.json?{query}&_shape=array".replace("?&", "?")).json()
            assert rows, f"{address} returns no rows on the demo archive"
        elif route in ("/search", "/search.json"):
            data = published.client.get("/search.json?" + query).json()
            assert data["results"] or data["files"], address
        elif route.endswith(".atom"):
            assert etree.fromstring(response.content).findall(f"{ATOM}entry"), address
        elif route in ("/recipient", "/movements"):
            page = lxml_html.fromstring(response.text)
            assert page.cssselect("ol.timeline li, table.launches tbody tr"), address


def test_readme_python_example_prints_rows(published: Published) -> None:
    from tests.conftest import querying_section

    code = re.findall(r"```python\n(.*?)```", querying_section(), flags=re.S)[0]
    code = code.replace("http://127.0.0.1:8001/tdkt/", f"{published.client.base_url}/{published.db}/")
    printed: list[str] = []
    exec(compile(code, "README.md", "exec"), {"print": lambda *a: printed.append(" ".join(map(str, a)))})
    assert len(printed) >= 3
