"""The reading room against a real Datasette, on the small archive of tests.test_publish.

Every expected answer comes from that module's ground truth (ITEMS, FILE_TEXTS, captured_html, …) or
from the bytes the fixture wrote, never from a run. Search is checked on two servers: one as shipped
(this archive is small, so every search reads all its matches) and one told to treat every search as
broad (`exact_limit` 0), which takes the path a 100,000-page archive takes; both must give the
ranking the help page states.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html

from archive.defaults import SITE_HOST_NAMES
from archive.normalize.text import fold_key
from archive.publish import database_name, running_datasette
from tests.test_publish import (
    AN,
    ATOM,
    BASE,
    CHANGED_ITEM,
    FILE_ONLY_WORDS,
    FILE_TEXTS,
    GZIPPED_CAPTURE,
    ITEMS,
    REMOVED_ITEM,
    build_archive,
    captured_html,
    current_items,
    file_body,
    launches,
    page_ids,
    ranked,
    tie_items,
    write_pages,
)

SEARCHES = ["thi dua", "thi đua", "khen thuong", "Huân chương Lao động", "dong bang song hong", "trong dua"]


@dataclass
class Room:
    base_url: str
    db: str
    db_path: Path
    client: httpx.Client
    ids: dict[str, int]  # page url -> id
    log: Path

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None)

    def page(self, path: str, **params: Any) -> lxml_html.HtmlElement:
        response = self.get(path, **params)
        assert response.status_code == 200, (path, response.text[:500])
        return lxml_html.fromstring(response.text)

    def json(self, path: str, **params: Any) -> Any:
        response = self.get(path, **params)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    def item_id(self, n: int) -> int:
        return self.ids[ITEMS[n].url]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("room") / "tdkt-room.sqlite"
    build_archive(db_path)
    return db_path


def serve(db_path: Path, log: Path, **kwargs: Any) -> Iterator[Room]:
    with (
        running_datasette(db_path, log_path=log, **kwargs) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        yield Room(base_url, database_name(db_path), db_path, client, page_ids(db_path), log)


@pytest.fixture(scope="module")
def room(archive_path: Path) -> Iterator[Room]:
    yield from serve(archive_path, archive_path.parent / "datasette.log")


@pytest.fixture(scope="module", params=["exact", "broad"])
def search_room(request: pytest.FixtureRequest, archive_path: Path, room: Room) -> Iterator[Room]:
    if request.param == "exact":
        yield room
    else:
        yield from serve(archive_path, archive_path.parent / "broad.log", room={"exact_limit": 0})


def walk_search(room: Room, **params: Any) -> list[dict[str, Any]]:
    """Every result of a search, page after page through its `next` links."""
    data = room.json("/search.json", **params)
    results = list(data["results"])
    while data["next"]:
        data = room.client.get(data["next"]).json()
        results += data["results"]
    return results


# -- search ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", SEARCHES)
def test_search_gives_the_stated_ranking_on_either_path(search_room: Room, query: str) -> None:
    expected = ranked(current_items(), query, search_room.ids)
    assert expected, query
    results = walk_search(search_room, q=query)
    assert [(r["url"], r["in_title"]) for r in results] == expected
    data = search_room.json("/search.json", q=query)
    assert data["total"] == len(expected)


def test_search_pages_through_260_matches_without_repeats_or_gaps(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt-ties.sqlite"
    write_pages(db_path, tie_items())
    for exact_limit in (0, 10_000):
        for room in serve(db_path, tmp_path / "ties.log", room={"exact_limit": exact_limit}):
            for query in ("thi dua", "bao cao"):
                expected = ranked(tie_items(), query, room.ids)
                results = walk_search(room, q=query)
                assert [(r["url"], r["in_title"]) for r in results] == expected, (exact_limit, query)
                filtered = walk_search(room, q=query, year="2024")
                assert [r["url"] for r in filtered] == [
                    url for url, _ in expected if url in {i.url for i in tie_items() if i.published_at}
                ]


@pytest.mark.parametrize(
    "filters",
    [
        {"kind": "award_decision"},
        {"year": "2024"},
        {"category": "thong-bao"},
        {"kind": "news", "year": "2024"},
    ],
)
def test_search_filters(search_room: Room, filters: dict[str, str]) -> None:
    by_url = {i.url: i for i in current_items()}

    def keep(url: str) -> bool:
        item = by_url[url]
        return all(
            {"kind": item.kind, "year": item.published_at[:4], "category": item.category}[k] == v
            for k, v in filters.items()
        )

    expected = [hit for hit in ranked(current_items(), "thi dua", search_room.ids) if keep(hit[0])]
    results = walk_search(search_room, q="thi dua", **filters)
    assert [(r["url"], r["in_title"]) for r in results] == expected
    data = search_room.json("/search.json", q="thi dua", **filters)
    assert data["count"] == (len(expected) if data["exact"] else None)


def test_facet_counts_are_exact_when_every_match_is_read(room: Room) -> None:
    data = room.json("/search.json", q="thi dua", year="2024")
    assert data["exact"] is True
    items = [
        i for i in current_items() if i.url in {u for u, _ in ranked(current_items(), "thi dua", room.ids)}
    ]
    kinds = Counter(i.kind for i in items if i.published_at.startswith("2024"))
    years = Counter(i.published_at[:4] for i in items)  # a facet ignores its own filter
    assert {f["value"]: f["count"] for f in data["facets"]["kind"]} == kinds
    assert {f["value"]: f["count"] for f in data["facets"]["year"]} == years


def test_broad_search_offers_filters_without_counts(archive_path: Path) -> None:
    for room in serve(archive_path, archive_path.parent / "broad-facets.log", room={"exact_limit": 0}):
        page = room.page("/search", q="thi dua", kind="notice")
        facet = page.cssselect('section.facet[data-facet="kind"]')[0]
        assert {a.get("href") for a in facet.cssselect("a")} >= {"/search?q=thi+dua&kind=award_decision"}
        assert not facet.cssselect(".count")
        assert "không đếm" in page.text_content()


def test_html_results_are_the_json_results(search_room: Room) -> None:
    page = search_room.page("/search", q="thi dua")
    links = [a.get("href") for a in page.cssselect("ol.hits > li.hit h3 a")]
    data = search_room.json("/search.json", q="thi dua")
    assert links == [f"/item/{r['page_id']}" for r in data["results"]]
    assert page.cssselect('link[rel="alternate"][type="application/atom+xml"]')[0].get("href") == (
        "/search.atom?q=thi+dua"
    )


def test_snippets_show_the_words_as_published(room: Room) -> None:
    data = room.json("/search.json", q="thi dua")
    marked = [w for r in data["results"] for w in re.findall(r"«([^»]+)»", r["snippet"])]
    assert "đua" in {w.lower() for w in marked}
    assert {fold_key(w) for w in marked} == {"thi", "dua"}
    page = room.page("/search", q="thi dua")
    assert {m.text.lower() for m in page.cssselect("ol.hits mark")} <= {"thi", "đua"}


def test_browsing_one_kind_lists_it_newest_first(room: Room) -> None:
    results = walk_search(room, kind="notice")
    notices = sorted((i for i in current_items() if i.kind == "notice"), key=lambda i: room.ids[i.url])
    notices.sort(key=lambda i: i.published_at, reverse=True)
    assert [r["url"] for r in results] == [i.url for i in notices]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "year": "20x"}, "year"),
        ({"q": "x", "page": "0"}, "page"),
        ({"q": "x", "kind": "bogus"}, "bogus"),
        ({"q": "x", "in": "elsewhere"}, "in"),
        ({"q": "x", "page": "51"}, "1000"),
    ],
)
def test_bad_search_parameters_get_a_clear_400(room: Room, params: dict[str, str], message: str) -> None:
    response = room.get("/search", **params)
    assert response.status_code == 400 and message in response.text


def test_text_of_attached_files_is_searched(search_room: Room) -> None:
    assert walk_search(search_room, q=FILE_ONLY_WORDS) == []  # in no page
    data = search_room.json("/search.json", q=FILE_ONLY_WORDS)
    holding = [name for name, (text, _, _) in FILE_TEXTS.items() if "Biên bản kiểm phiếu" in text]
    assert [f["filename"] for f in data["files"]] == holding and data["files_total"] == 1
    assert "«kiểm» «phiếu»" in data["files"][0]["snippet"]


def test_ocr_text_is_marked_where_it_is_searched_and_shown(room: Room) -> None:
    name = next(n for n, (_, method, _) in FILE_TEXTS.items() if method == "ocr")
    page = room.page("/search", q="cong ty co phan dong tien", **{"in": "files"})
    hit = next(li for li in page.cssselect(".file-hits li") if name in li.text_content())
    assert "OCR" in hit.cssselect(".badge.ocr")[0].text_content() and "82%" in hit.text_content()
    attachment_id = int(hit.cssselect("a")[0].get("href").rsplit("/", 1)[1])
    assert "OCR" in room.page(f"/attachment/{attachment_id}").cssselect("h1 .badge.ocr")[0].text_content()


def test_the_attachments_table_searches_file_text(room: Room) -> None:
    rows = room.json(f"/{room.db}/attachments.json", _search="zzzqqq", _shape="array")
    assert rows == []
    rows = room.json(f"/{room.db}/attachments.json", _search="bien ban kiem phieu", _shape="array")
    assert [r["filename"] for r in rows] == ["QD-163-UBND.docx"]


# -- an item --------------------------------------------------------------------------------------------


def test_item_page_runs_no_archived_script_and_loads_nothing_from_the_site(room: Room) -> None:
    response = room.get(f"/item/{room.item_id(0)}")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]
    page = lxml_html.fromstring(response.text)
    assert not page.cssselect("script, iframe, object, embed")
    for element in page.iter():
        for name in element.attrib:
            assert not name.lower().startswith("on"), name
        for name in ("src", "srcset"):
            if element.get(name):
                assert element.get(name).startswith("/"), element.get(name)
        if element.tag == "link":
            assert element.get("href").startswith("/")
    assert "hacked" not in response.text


def test_item_images_come_from_the_archive_and_missing_ones_are_not_fetched(room: Room) -> None:
    page = room.page(f"/item/{room.item_id(0)}")
    sources = [img.get("src") for img in page.cssselect(".body img")]
    with sqlite3.connect(room.db_path) as conn:
        stored = conn.execute(
            "select id, sha256, url from images where page_id = ? and sha256 is not null", (room.item_id(0),)
        ).fetchall()
    assert [s for s in sources if s] == [f"/image/{image_id}" for image_id, _, _ in stored]
    assert len(sources) == len(ITEMS[0].images)  # the unarchived one is kept, without a source
    for image_id, sha256, _url in stored:
        response = room.get(f"/image/{image_id}")
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        assert hashlib.sha256(response.content).hexdigest() == sha256
    assert "1 ảnh" in page.cssselect(".item-main .note")[0].text_content()


def test_item_links_to_archived_pages_open_the_archive(room: Room) -> None:
    page = room.page(f"/item/{room.item_id(0)}")
    hrefs = [a.get("href") for a in page.cssselect(".body a")]
    assert f"/item/{room.item_id(ITEMS[0].links_to[0])}" in hrefs
    assert not [h for h in hrefs if h.startswith(BASE)]


def test_every_file_downloads_from_the_archive_with_its_stored_sha256(room: Room) -> None:
    with sqlite3.connect(room.db_path) as conn:
        files = conn.execute(
            "select id, filename, sha256, bytes, page_id from attachments where sha256 is not null"
        ).fetchall()
    sizes = {name: size for item in ITEMS for name, _, size in item.files}
    assert sorted(f[1] for f in files) == sorted(sizes)
    for attachment_id, filename, sha256, size, page_id in files:
        response = room.get(f"/attachment/{attachment_id}/download")
        assert response.status_code == 200
        assert response.content == file_body(filename, sizes[filename])
        assert hashlib.sha256(response.content).hexdigest() == sha256 and len(response.content) == size
        assert (
            response.headers["repr-digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"
        )
        assert response.headers["content-disposition"].startswith("attachment;")
        assert filename in response.headers["content-disposition"]
        item = room.page(f"/item/{page_id}")
        row = next(li for li in item.cssselect("li.file") if filename in li.text_content())
        assert sha256 in row.text_content()
        assert row.cssselect("a.download")[0].get("href") == f"/attachment/{attachment_id}/download"


def test_a_stored_copy_that_no_longer_matches_is_not_served(room: Room) -> None:
    with sqlite3.connect(room.db_path) as conn:
        attachment_id, stored_path = conn.execute(
            "select id, stored_path from attachments where sha256 is not null order by id limit 1"
        ).fetchone()
    path = room.db_path.parent / stored_path
    original = path.read_bytes()
    try:
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        response = room.get(f"/attachment/{attachment_id}/download")
        assert response.status_code == 404 and "tdkt verify" in response.text
    finally:
        path.write_bytes(original)
    assert room.get(f"/attachment/{attachment_id}/download").content == original


def test_pending_files_say_so(room: Room) -> None:
    page = room.page(f"/item/{room.item_id(3)}")
    row = next(li for li in page.cssselect("li.file") if ITEMS[3].pending_files[0] in li.text_content())
    assert "chưa tải về" in row.text_content() and not row.cssselect("a.download")


def test_item_shows_its_awards_legal_record_and_citations_as_links(room: Room) -> None:
    page = room.page(f"/item/{room.item_id(6)}")
    names = [a.text_content() for a in page.cssselect("section.award ul.recipients a")]
    assert names == [r.name for r in ITEMS[6].awards[0].recipients]
    assert page.cssselect("section.award a")[0].get("href").startswith("/decision/")
    law = room.page(f"/item/{room.item_id(4)}")
    citing = {a.get("href") for a in law.cssselect("section.legal ul a")}
    assert citing == {f"/item/{room.item_id(n)}" for n, i in enumerate(ITEMS) if "06/2022/QH15" in i.cites}
    cites = room.page(f"/item/{room.item_id(5)}").cssselect("section.cites a")
    assert [a.text_content() for a in cites] == sorted(ITEMS[5].cites)
    held = next(a for a in cites if a.text_content() == "06/2022/QH15")
    assert held.get("href").startswith("/document/")


def test_versions_show_what_changed(room: Room) -> None:
    item_id = room.item_id(CHANGED_ITEM)
    page = room.page(f"/item/{item_id}")
    assert [a.get("href") for a in page.cssselect("ol.versions a")] == [
        f"/item/{item_id}/versions/2",
        f"/item/{item_id}/versions/1",
    ]
    diff = room.page(f"/item/{item_id}/versions/2")
    changed = [h.text_content() for h in diff.cssselect("section.change h3")]
    assert changed == ["Tóm tắt / Lead"]
    # The diff goes sentence by sentence: the lead kept its first sentence and gained one.
    assert [s.text_content() for s in diff.cssselect("pre.diff .added")] == ["+Lịch họp đã được điều chỉnh."]
    assert [s.text_content() for s in diff.cssselect("pre.diff .same")] == [" " + ITEMS[CHANGED_ITEM].summary]
    assert room.get(f"/item/{item_id}/versions/3").status_code == 404


@pytest.mark.parametrize("n", [0, GZIPPED_CAPTURE])
def test_as_captured_is_the_exact_bytes_fetched_in_a_sandbox(room: Room, n: int) -> None:
    item = room.page(f"/item/{room.item_id(n)}")
    capture = item.cssselect("a.as-captured")[0].get("href")
    frame = room.page(capture).cssselect("iframe.captured")[0]
    assert frame.get("sandbox") == ""
    raw = room.get(frame.get("src"))
    assert raw.status_code == 200 and raw.content == captured_html(ITEMS[n])
    assert raw.headers["content-security-policy"].startswith("sandbox;")
    assert "default-src 'none'" in raw.headers["content-security-policy"]


def test_captures_from_any_address_of_the_site_are_the_items(room: Room) -> None:
    item = ITEMS[CHANGED_ITEM]
    addresses = {item.url, item.url.replace(BASE, f"http://{SITE_HOST_NAMES[1]}")}
    with sqlite3.connect(room.db_path) as conn:
        records = {r[0]: r[1] for r in conn.execute("select id, url from warc_records")}
    expected = {f"/capture/{i}" for i, url in records.items() if url in addresses}
    assert len(expected) == 2
    page = room.page(f"/item/{room.item_id(CHANGED_ITEM)}")
    assert {a.get("href") for a in page.cssselect("ul.captures a")} == expected
    for capture in expected:
        back = room.page(capture).cssselect(f"a[href='/item/{room.item_id(CHANGED_ITEM)}']")
        assert back, capture


def test_a_revisit_capture_shows_the_earlier_response(room: Room) -> None:
    with sqlite3.connect(room.db_path) as conn:
        revisit, first = conn.execute(
            "select r.id, f.id from warc_records r join warc_records f on f.url = r.url "
            "and f.warc_type = 'response' where r.warc_type = 'revisit'"
        ).fetchone()
    frame = room.page(f"/capture/{revisit}").cssselect("iframe.captured")[0]
    assert frame.get("src") == f"/capture/{first}/raw"
    assert room.get(frame.get("src")).content == captured_html(ITEMS[0])


# -- decisions, recipients, documents, movements -------------------------------------------------------


def test_decision_page_lists_every_recipient(room: Room) -> None:
    item = room.page(f"/item/{room.item_id(6)}")
    decision = item.cssselect("section.award a")[0].get("href")
    page = room.page(decision)
    rows = [[td.text_content().strip() for td in tr.cssselect("td")] for tr in page.cssselect("tbody tr")]
    truth = ITEMS[6].awards[0].recipients
    assert [(r[1], r[3], r[4]) for r in rows] == [(r.name, r.position or "", r.unit or "") for r in truth]
    held = {r[1]: int(r[6]) for r in rows}
    assert held[AN.name] == sum(
        fold_key(x.name) == fold_key(AN.name) for i in ITEMS for a in i.awards for x in a.recipients
    )
    assert page.cssselect("dl.record a")[0].get("href") == f"/item/{room.item_id(6)}"


@pytest.mark.parametrize("spelling", ["Nguyễn Văn An", "nguyen van an", "NGUYỄN  VĂN AN"])
def test_recipient_page_follows_one_person_across_spellings(room: Room, spelling: str) -> None:
    page = room.page("/recipient", name=spelling)
    shown = [li.cssselect("a")[0].text_content() for li in page.cssselect("ol.timeline li")]
    truth = sorted(
        (a.decided_on, a.decision_number)
        for i in ITEMS
        for a in i.awards
        for r in a.recipients
        if fold_key(r.name) == fold_key(AN.name)
    )
    assert shown == [f"Quyết định {number}" for _, number in truth]
    text = page.text_content()
    assert "“Nguyen  Van An”" in text or "Nguyen Van An" in text  # every spelling is named
    # The heading: the spelling typed if the archive holds it, else the name as ordinarily written.
    heading = page.cssselect("h1")[0].text_content().removesuffix("awards over the years").strip()
    assert heading == (
        spelling if spelling in {r.name for i in ITEMS for a in i.awards for r in a.recipients} else AN.name
    )


def test_recipient_awards_come_a_page_at_a_time_each_once_in_order(room: Room) -> None:
    """A name many people share can have thousands of awards: a page of them at a time, every award on
    exactly one page, in the timeline's order, and the spellings counted over all of them."""
    from archive.datasette_plugins.room import pages

    truth = sorted(
        (a.decided_on, a.decision_number, r.name)
        for i in ITEMS
        for a in i.awards
        for r in a.recipients
        if fold_key(r.name) == fold_key(AN.name)
    )
    assert len(truth) >= 3
    with sqlite3.connect(room.db_path) as conn:
        walked, number = [], 1
        while True:
            data = pages.recipient(conn, AN.name, number, per_page=2)
            assert data["total"] == len(truth)
            spellings = data["spellings"]
            walked += [(a["decided_on"], a["decision_number"], a["name"]) for a in data["awards"]]
            if not data["has_next"]:
                break
            number += 1
    assert [(d, n, " ".join(x.split())) for d, n, x in walked] == [
        (d, n, " ".join(x.split())) for d, n, x in truth
    ]
    assert number == -(-len(truth) // 2)
    assert spellings == dict(Counter(name for _, _, name in walked))  # counted over every page
    page = room.page("/recipient", name=AN.name, page=1)
    assert f"{len(truth)} lần được khen" in page.text_content()
    assert not page.cssselect("nav.pager")  # fewer than a page of awards: no pager
    assert room.get("/recipient", name=AN.name, page=0).status_code == 400


def test_recipient_page_suggests_names_when_none_matches(room: Room) -> None:
    page = room.page("/recipient", name="van an")
    assert "Không có ai" in page.text_content()
    assert [a.text_content() for a in page.cssselect("main ul a")][:1] in (
        ["Nguyễn Văn An"],
        ["NGUYỄN VĂN AN"],
    )


def test_document_page_lists_the_items_citing_it(room: Room) -> None:
    law = room.page(f"/item/{room.item_id(4)}")
    page = room.page(law.cssselect("section.legal dd a")[0].get("href"))
    links = {a.get("href") for a in page.cssselect("main section ul a") if a.get("href").startswith("/item/")}
    assert links == {f"/item/{room.item_id(n)}" for n, i in enumerate(ITEMS) if "06/2022/QH15" in i.cites}


@pytest.mark.parametrize("since", ["", "2020", "2023"])
def test_movements_page_shows_every_launch_with_its_launcher(room: Room, since: str) -> None:
    page = room.page("/movements", since=since) if since else room.page("/movements")
    rows = [
        [td.text_content().strip() for td in tr.cssselect("td")]
        for tr in page.cssselect("table.launches tbody tr")
    ]
    expected = launches(since)
    assert [(fold_key(r[1]), r[2]) for r in rows] == [(key, by) for _, key, by in expected]
    assert [r[0] for r in rows] == [f"{d[8:10]}/{d[5:7]}/{d[:4]}" for d, _, _ in expected]
    data = room.json("/movements.json", since=since)
    assert [(r["launched_on"], fold_key(r["name"]), r["launched_by"]) for r in data["launches"]] == expected


def test_movements_page_refuses_a_date_it_cannot_read(room: Room) -> None:
    assert room.get("/movements", since="năm ngoái").status_code == 400


# -- feeds ----------------------------------------------------------------------------------------------


def check_atom(response: httpx.Response) -> etree._Element:
    """The elements RFC 4287 requires of a feed and of its entries, and its media type."""
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{name}") or "").strip(), name
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name").strip()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == str(response.url)
    rfc3339 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)"
    assert re.fullmatch(rfc3339, feed.findtext(f"{ATOM}updated"))
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert re.fullmatch(rfc3339, entry.findtext(f"{ATOM}updated"))
        alternate = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert alternate.startswith(str(response.url).split("/feed")[0].split("/search")[0] + "/item/")
        assert entry.find(f"{ATOM}content").get("type") == "html"
    return feed


def newest(items: list[Any], ids: dict[str, int]) -> list[str]:
    live = sorted((i for i in items if i is not ITEMS[REMOVED_ITEM]), key=lambda i: ids[i.url])
    live.sort(key=lambda i: i.published_at, reverse=True)
    return [i.url for i in live]


@pytest.mark.parametrize("kind", ["", "notice", "award_decision", "legal_text", "movement"])
def test_feeds_are_atom_with_the_newest_items(room: Room, kind: str) -> None:
    feed = check_atom(room.get("/feed.atom", **({"kind": kind} if kind else {})))
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == newest([i for i in ITEMS if not kind or i.kind == kind], room.ids)


def test_search_feed_holds_the_newest_matches(room: Room) -> None:
    feed = check_atom(room.get("/search.atom", q="thi dua"))
    matching = {url for url, _ in ranked(current_items(), "thi dua", room.ids)}
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == newest(
        [i for i in ITEMS if i.url in matching], room.ids
    )


def test_feed_content_is_sanitised_and_points_at_the_archive(room: Room) -> None:
    feed = check_atom(room.get("/feed.atom", kind="news"))
    entry = next(e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == ITEMS[0].url)
    content = lxml_html.fromstring(entry.findtext(f"{ATOM}content"))
    assert not content.cssselect("script") and "hacked" not in etree.tostring(content, encoding=str)
    assert [img.get("src") for img in content.cssselect("img") if img.get("src")] == [
        f"{room.base_url}{src}"
        for src in (img.get("src") for img in room.page(f"/item/{room.item_id(0)}").cssselect(".body img"))
        if src
    ]


def test_an_unknown_kind_is_refused_with_the_known_ones(room: Room) -> None:
    response = room.get("/feed.atom", kind="bogus")
    assert response.status_code == 400
    assert "bogus" in response.text and all(k in response.text for k in {i.kind for i in ITEMS})


@pytest.mark.parametrize("path", ["/", "/search?q=thi+dua", "/search?kind=notice", "/movements"])
def test_pages_announce_their_feed(room: Room, path: str) -> None:
    page = room.page(path)
    links = page.cssselect('head link[rel="alternate"][type="application/atom+xml"]')
    assert links
    check_atom(room.get(links[0].get("href")))


# -- addresses, errors, headers -------------------------------------------------------------------------

UNKNOWN = [
    "/nothing-here",
    "/tdkt-room/no_such_table",
    "/tdkt-room/pages/205/x",
    "/tdkt-room/pages/1/x/y/z",
    "/tdkt-room/pages/999999",
    "/item/999999",
    "/item/1/versions/99",
    "/decision/999999",
    "/document/999999",
    "/attachment/999999",
    "/attachment/999999/download",
    "/image/999999",
    "/capture/999999",
    "/capture/999999/raw",
    "/room/no-such-file.css",
]


def check_unknown_addresses(room: Room) -> None:
    for path in UNKNOWN:
        response = room.get(path)
        assert response.status_code == 404, (path, response.status_code, response.text[:300])
        assert "<html" in response.text or path.startswith("/room/"), path
    assert room.get("/tdkt-room/pages/205/x.json").json()["status"] == 404
    assert "Traceback" not in room.log.read_text()


def test_unknown_addresses_are_404_with_rich_installed(room: Room) -> None:
    import rich  # noqa: F401 - the project installs it, and Datasette's own handler tripped on it

    check_unknown_addresses(room)


def test_unknown_addresses_are_404_without_rich(archive_path: Path, tmp_path: Path) -> None:
    shim = tmp_path / "no-rich"
    (shim / "rich").mkdir(parents=True)
    (shim / "rich" / "__init__.py").write_text('raise ImportError("rich is hidden for this test")\n')
    env = dict(os.environ, PYTHONPATH=str(shim))
    for room in serve(archive_path, tmp_path / "no-rich.log", env=env):
        probe = room.json(f"/{room.db}.json", sql="select 1 as n", _shape="array")
        assert probe == [{"n": 1}]
        check_unknown_addresses(room)


def test_every_page_carries_a_content_security_policy(room: Room) -> None:
    for path in ("/", "/search?q=thi+dua", f"/item/{room.item_id(0)}", "/help", f"/{room.db}/pages"):
        policy = room.get(path).headers["content-security-policy"]
        assert "img-src 'self' data:" in policy and "default-src" in policy, path


def test_every_link_of_the_reading_room_answers(room: Room) -> None:
    """From the home page, every address a reader can reach in the reading room (and the first step into
    Datasette) answers: no page cites a document or page that does not exist."""
    seen: set[str] = set()
    queue = ["/"]
    room_prefixes = ("/search", "/item", "/attachment", "/image", "/capture", "/decision", "/recipient")
    room_prefixes += ("/document", "/movements", "/feed", "/help", "/room/")
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = room.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if path == "/" or path.startswith(room_prefixes[:-1]):
            if "html" not in response.headers["content-type"]:
                continue
            for element in lxml_html.fromstring(response.text).iter("a", "link", "img", "iframe", "form"):
                target = element.get("href") or element.get("src") or element.get("action")
                if not target or not target.startswith("/"):
                    continue
                target = target.split("#", 1)[0]
                if target.startswith(room_prefixes) or target == "/" or target.startswith(f"/{room.db}"):
                    if "page=" in target and int(parse_qs(urlsplit(target).query)["page"][0]) > 3:
                        continue
                    queue.append(target)
    assert len(seen) > 60
    assert {"/help", "/movements", f"/item/{room.item_id(0)}"} <= seen


# -- Datasette's own pages --------------------------------------------------------------------------------


def test_table_pages_fold_the_column_descriptions_and_link_the_reading_room(room: Room) -> None:
    page = room.page(f"/{room.db}/pages")
    notes = page.cssselect("details.column-notes")
    assert notes and not notes[0].get("open")
    described = json.loads(Path("datasette_metadata.json").read_text())["databases"]["archive"]["tables"][
        "pages"
    ]
    assert [dt.text_content() for dt in notes[0].cssselect("dt")] == list(described["columns"])
    titles = {a.text_content(): a.get("href") for a in page.cssselect("td.col-title a")}
    assert titles[ITEMS[0].title] == f"/item/{room.item_id(0)}"
    awards = room.page(f"/{room.db}/awards")
    assert all(a.get("href").startswith("/decision/") for a in awards.cssselect("td.col-decision_number a"))
    names = room.page(f"/{room.db}/award_recipients").cssselect("td.col-name a")
    assert names and all(a.get("href").startswith("/recipient?name=") for a in names)


def test_canned_queries_answer_first_and_link_their_rows(room: Room) -> None:
    response = room.get(f"/{room.db}/search", q="thi dua")
    page = lxml_html.fromstring(response.text)
    assert not page.cssselect("textarea#sql-editor")  # the SQL is one click away, not above the answer
    assert "union all" not in page.text_content()
    links = [a.get("href") for a in page.cssselect("td.col-page_id a")]
    assert links[:3] == [
        f"/item/{room.ids[url]}" for url, _ in ranked(current_items(), "thi dua", room.ids)[:3]
    ]


def test_an_older_archive_gets_its_file_text_indexed_when_served(tmp_path: Path) -> None:
    db_path = tmp_path / "tdkt-old.sqlite"
    build_archive(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("drop table attachments_fts")
    for room in serve(db_path, tmp_path / "old.log"):
        data = room.json("/search.json", q=FILE_ONLY_WORDS)
        assert [f["filename"] for f in data["files"]] == ["QD-163-UBND.docx"]


def test_a_file_whose_bytes_change_leaves_the_search_until_its_text_is_read_again(tmp_path: Path) -> None:
    from archive.store import ArchiveStore
    from scraper.items import AttachmentItem

    db_path = tmp_path / "tdkt-change.sqlite"
    build_archive(db_path)
    name, size = "QD-163-UBND.docx", 2048
    item = next(i for i in ITEMS if any(f[0] == name for f in i.files))

    def hits() -> list[int]:
        with sqlite3.connect(db_path) as conn:
            return [
                r[0]
                for r in conn.execute(
                    "select rowid from attachments_fts where attachments_fts match ?", ('"kiem"',)
                )
            ]

    assert len(hits()) == 1
    store = ArchiveStore(db_path)
    try:
        url = f"{BASE}/Uploads/files/{name}"
        store.save_attachment(AttachmentItem(item.url, url, name, None, body=b"new bytes" * size), None)
        assert hits() == []
        (attachment_id, _, _, _), *_ = store.attachments_to_extract()
        store.save_attachment_text(attachment_id, "Biên bản kiểm phiếu mới.", [], None)
        assert hits() == [attachment_id]
        store.save_attachment_text(attachment_id, None, [], "unreadable")
        assert hits() == []
    finally:
        store.close()


def test_json_of_a_search_names_its_query(room: Room) -> None:
    data = room.json("/search.json", q="thi dua", kind="news")
    assert data["query"]["text"] == "thi dua" and data["query"]["kind"] == "news"
    assert json.dumps(data)  # plain JSON, no objects of the server's


WHEEL_PROBE = """
import json, sys, urllib.request
from pathlib import Path
import archive
from archive.publish import METADATA_PATH, PLUGINS_DIR, running_datasette
target = Path(sys.argv[1]).resolve()
assert Path(archive.__file__).resolve().is_relative_to(target), archive.__file__
assert METADATA_PATH.resolve().is_relative_to(target) and PLUGINS_DIR.resolve().is_relative_to(target)
with running_datasette(Path(sys.argv[2])) as base:
    def get(path):
        with urllib.request.urlopen(base + path) as response:
            return response.read().decode()
    meta = json.loads(get("/-/metadata.json"))
    search = json.loads(get("/tdkt-room/search.json?q=thi+dua&_shape=array"))
    room = get("/search?q=thi+dua")
    print(json.dumps({"queries": sorted(meta["databases"]["tdkt-room"]["queries"]), "rows": len(search),
                      "room": "<ol class=\\"hits\\"" in room}))
"""


def test_a_wheel_install_serves_the_archive_with_its_own_metadata_and_queries(
    archive_path: Path, tmp_path: Path
) -> None:
    """issue 11: the wheel ships the metadata and the canned queries' .sql files; serving from it reads
    nothing of the source tree (the probe runs outside it, the wheel's package first on the path)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    wheels, target, source = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    # Built from a copy of what the repository tracks: the build leaves nothing in the working tree.
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True)
    for name in tracked.stdout.splitlines():
        if (name.split("/", 1)[0] in ("archive", "scraper", "replica") or "/" not in name) and (
            root / name
        ).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((root / name).read_bytes())
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", str(source), "-w", str(wheels)], check=True
    )
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    out = subprocess.run(
        [sys.executable, "-c", WHEEL_PROBE, str(target), str(archive_path)],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(target)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    shipped = json.loads((root / "datasette_metadata.json").read_text())["databases"]["archive"]["queries"]
    assert shown["queries"] == sorted(shipped)
    assert shown["queries"] == sorted(
        p.stem for p in (root / "archive/datasette_plugins/queries").glob("*.sql")
    )
    assert shown["rows"] > 0 and shown["room"]
