"""The replica without a server: determinism, ground truth against served bytes, quirks, states, themes."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zipfile
from collections import Counter
from datetime import date
from io import BytesIO
from typing import Any

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from replica import files
from replica.content import CATEGORIES, PAGE_SIZE, WEEKDAYS, category_counts, slugify
from replica.site import Site, build_site, encode_cp1258
from replica.vocab import AWARD_FORMS

DOCNO = re.compile(
    r"^(\d{2,5}/(\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ][A-Za-zĐđ0-9]*)*"  # state, normative, công văn, law
    r"|\d{2,4}-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ]+)$"  # Party
)


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site()


@pytest.fixture(scope="module")
def truth(site: Site) -> dict[str, Any]:
    return site.ground_truth()


def page_text(site: Site, path: str) -> str:
    resp = site.respond(path)
    assert resp.status == 200, path
    return unicodedata.normalize("NFC", lxml.html.fromstring(resp.text).text_content())


def test_two_builds_give_identical_truth_pages_and_files() -> None:
    first = build_site(items=150)
    truth_one = json.dumps(first.ground_truth(), ensure_ascii=False, sort_keys=True)
    digests_one = {p: hashlib.sha256(first.respond(p).body).hexdigest() for p in first.all_paths()}
    files.clear_cache()  # the second build makes every file again
    second = build_site(items=150)
    assert json.dumps(second.ground_truth(), ensure_ascii=False, sort_keys=True) == truth_one
    assert {p: hashlib.sha256(second.respond(p).body).hexdigest() for p in second.all_paths()} == digests_one
    assert len(digests_one) > 250


def test_another_seed_gives_another_site() -> None:
    titles = {it["title"] for it in build_site(items=150).ground_truth()["items"]}
    other = {it["title"] for it in build_site(items=150, seed=7).ground_truth()["items"]}
    assert len(titles & other) < len(titles) // 2


def test_default_site_has_420_items_in_every_category(truth: dict[str, Any]) -> None:
    assert truth["site"] == {"state": 1, "theme": "classic", "seed": 2022, "items": 420}
    assert len(truth["items"]) == 420
    per_category = Counter(it["category"] for it in truth["items"])
    assert set(per_category) == {c.slug for c in CATEGORIES}
    assert len(truth["categories"]) == 32
    assert min(per_category[c.slug] for c in CATEGORIES if not c.static) >= 3
    kinds = Counter(it["kind"] for it in truth["items"])
    assert 0.2 < kinds["news"] / 420 < 0.3 and 0.12 < kinds["legal_text"] / 420 < 0.18


@pytest.mark.parametrize("total", [60, 420, 1000, 5000])
def test_category_counts_add_up_and_keep_three_per_leaf(total: int) -> None:
    counts = category_counts(total)
    assert sum(counts.values()) == max(total - 3, 3 * len(counts))
    assert min(counts.values()) >= 3


def test_urls_have_the_real_shape_and_ids_are_unique(truth: dict[str, Any]) -> None:
    ids = []
    for it in truth["items"]:
        if it["site_id"] is None:
            assert it["kind"] == "about" and it["url"] == f"/{it['category']}.html"
            continue
        m = re.fullmatch(r"/([a-z0-9-]+)/([a-z0-9-]+)-(\d+)\.html", it["url"])
        assert m and m.group(1) == it["category"] and int(m.group(3)) == it["site_id"]
        assert m.group(2) == slugify(it["title"])
        ids.append(it["site_id"])
    assert len(ids) == len(set(ids))
    by_category = Counter(
        it["category"] for it in sorted(truth["items"], key=lambda x: x["site_id"] or 0)[:20]
    )
    assert len(by_category) > 5  # ids interleave categories instead of running per category


def test_dates_as_shown_agree_with_iso_dates(truth: dict[str, Any]) -> None:
    forms = Counter()
    for it in truth["items"]:
        raw, iso = it["published_raw"], it["published_at"]
        if raw is None:
            assert iso is None and "no_date" in it["quirks"]
            continue
        day = date.fromisoformat(iso[:10])
        assert 2014 <= day.year <= 2025
        digits = re.search(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", raw)
        assert digits and (int(digits[1]), int(digits[2]), int(digits[3])) == (day.day, day.month, day.year)
        if raw.startswith("Thứ") or raw.startswith("Chủ nhật"):
            assert raw.split(",")[0] == WEEKDAYS[day.weekday()]
        if "T" in iso:
            assert iso.endswith("+07:00") and re.search(r"\d{2}:\d{2}$", raw)
        forms[raw.split(":")[0].split(",")[0].split(" ")[0]] += 1
    assert len(forms) >= 5


def test_legal_award_and_movement_fields_are_consistent(truth: dict[str, Any]) -> None:
    authorities = {
        "quyet-dinh-cua-chu-tich-nuoc": ("Chủ tịch nước", "QĐ-CTN"),
        "quyet-dinh-cua-thu-tuong-chinh-phu": ("Thủ tướng Chính phủ", "QĐ-TTg"),
        "quyet-dinh-cua-chu-tich-ubnd-tinh": ("Chủ tịch UBND tỉnh", "QĐ-UBND"),
    }
    for it in truth["items"]:
        if it["kind"] == "legal_text":
            legal = it["legal"]
            assert DOCNO.match(legal["number"]), legal["number"]
            assert legal["number"] in it["cites"]
            if legal["number_year"]:
                assert f"/{legal['number_year']}/" in legal["number"]
            assert legal["issued_on"] <= (it["published_at"] or "9999")[:10]
        else:
            assert it["legal"] is None
        if it["kind"] == "award_decision":
            award = it["award"]
            if it["category"] in authorities:
                who, code = authorities[it["category"]]
                # A page may cite the number bare ("Quyết định số 509"), as news does.
                assert award["conferred_by"] == who
                assert award["decision_number"].endswith(code) or award["decision_number"].isdigit()
            recipients = award["recipients"]
            if recipients:
                assert award["collectives"] == sum(r["kind"] == "collective" for r in recipients)
                assert award["individuals"] == sum(r["kind"] == "individual" for r in recipients)
            else:  # the list is published nowhere: none read, none counted, the text's count kept
                assert award["collectives"] is None and award["individuals"] is None
                assert award["stated_collectives"] or award["stated_individuals"]
            assert all(r["award"] == award["award"] for r in recipients)
            if "hạng" in award["award"]:
                assert award["award_rank"] in (1, 2, 3)
        if it["kind"] == "movement":
            movement = it["movements"][0]
            assert movement["launched_on"] and movement["launched_by"]
            if movement["period_start"]:
                assert movement["period_end"] > movement["period_start"]


def test_every_award_form_is_on_the_default_sites_pages(site: Site) -> None:
    """The end-to-end tests see each way real decisions list recipients, on every theme."""
    used = Counter(it.extra.get("award_form") for it in site.model.items if it.kind == "award_decision")
    assert {form: used[form] for form in AWARD_FORMS if used[form] < 2} == {}
    assert sum(it.kind == "news" and it.award is not None for it in site.model.items) >= 10


def test_recipients_recur_across_decisions(truth: dict[str, Any]) -> None:
    seen = Counter(r["canonical"] for it in truth["items"] if it["award"] for r in it["award"]["recipients"])
    assert seen.most_common(1)[0][1] >= 4
    variants = [
        r
        for it in truth["items"]
        if it["award"]
        for r in it["award"]["recipients"]
        if r["name"] != r["canonical"]
    ]
    assert variants  # other case / spacing of the same recipient


def test_pages_show_title_dates_sentences_cites_and_metadata(site: Site, truth: dict[str, Any]) -> None:
    for it in truth["items"]:
        text = page_text(site, it["url"])
        assert it["title"] in text
        for sentence in it["body_contains"]:
            assert sentence in text
        for number in it["cites"]:
            assert number in text
        if it["published_raw"]:
            assert it["published_raw"] in text
        if it["source"]:
            assert f"Theo: {it['source']}" in text
        if it["legal"] and it["metadata_block"]:
            for label in (
                "Số ký hiệu",
                "Loại văn bản",
                "Cơ quan ban hành",
                "Người ký",
                "Ngày ban hành",
                "Ngày hiệu lực",
                "Trích yếu",
            ):
                assert label in text
            assert it["legal"]["signer"] in text and it["legal"]["abstract"] in text
        elif it["legal"]:
            assert "Số ký hiệu" not in text  # what is known comes from the attached file
        for movement in it["movements"]:
            assert f"“{movement['name']}”" in text
            if movement["launched_by"]:
                assert "phát động" in text


def test_every_attachment_and_image_is_served_as_in_the_truth(site: Site, truth: dict[str, Any]) -> None:
    for it in truth["items"]:
        for att in it["attachments"]:
            resp = site.respond(att["url"])
            assert resp.status == 200
            assert hashlib.sha256(resp.body).hexdigest() == att["sha256"] and len(resp.body) == att["bytes"]
            assert resp.header("Content-Type") == att["content_type"]
            assert resp.header("ETag") and resp.header("Last-Modified")
        for src in it["images"]:
            resp = site.respond(src)
            assert resp.status == 200 and resp.body[:3] == b"\xff\xd8\xff"


def test_quirk_pages(site: Site, truth: dict[str, Any]) -> None:
    by_quirk: dict[str, list[dict[str, Any]]] = {}
    for it in truth["items"]:
        for q in it["quirks"]:
            by_quirk.setdefault(q, []).append(it)
    nfd = site.respond(by_quirk["nfd"][0]["url"]).text
    assert not unicodedata.is_normalized("NFC", nfd) and unicodedata.is_normalized("NFD", nfd)
    entities = site.respond(by_quirk["entities"][0]["url"]).body
    assert entities.isascii() and b"&#" in entities
    (legacy,) = by_quirk["cp1258"]
    resp = site.respond(legacy["url"])
    assert resp.header("Content-Type") == "text/html; charset=windows-1258"
    assert b'charset=windows-1258"' in resp.body
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("utf-8")
    assert legacy["title"] in unicodedata.normalize("NFC", resp.body.decode("cp1258"))
    for it in by_quirk["script"]:
        body = site.respond(it["url"]).text
        assert "<script>" in body and "onerror=" in body and 'href="javascript:' in body
    (big,) = by_quirk["big_attachment"]
    assert max(a["bytes"] for a in big["attachments"]) >= 12_000_000
    (trap,) = by_quirk["path_traversal_filename"]
    disposition = site.respond(trap["attachments"][0]["url"]).header("Content-Disposition")
    assert disposition == 'attachment; filename="../../../etc/passwd.pdf"' or "passwd.docx" in (
        disposition or ""
    )
    assert len(by_quirk["tracking_links"]) >= 5
    home = site.respond("/").text
    assert all(f"{it['url']}?utm_source=" in home for it in by_quirk["tracking_links"])
    assert len(by_quirk["no_date"]) >= 5


def test_dead_links_decoys_robots_and_external_links(site: Site, truth: dict[str, Any]) -> None:
    lists = "".join(site.respond(c["url"]).text for c in truth["categories"] if c["kind"] != "about")
    for path in truth["dead_links"]:
        assert f'href="{path}"' in lists and site.respond(path).status == 404
    hops, path = [], truth["decoys"][0]
    for _ in range(5):
        resp = site.respond(path)
        assert resp.status == 302
        path = resp.header("Location") or ""
        hops.append(path)
    assert set(hops) <= set(truth["decoys"])
    robots = site.respond("/robots.txt").text
    assert "Disallow: /admin/" in robots and "Disallow: /tim-kiem" in robots
    home = site.respond("/").text
    assert 'href="/admin/login.aspx"' in home and 'action="/tim-kiem"' in home
    assert "https://thaibinh.gov.vn/" in home and "facebook.com" in home and "/rss.xml" in home
    assert site.respond("/rss.xml").text.startswith("<?xml")


def test_lists_are_paginated_newest_first_and_legal_lists_are_tables(
    site: Site, truth: dict[str, Any]
) -> None:
    news = [it for it in truth["items"] if it["category"] == "tin-tuc-su-kien"]
    first = site.respond("/tin-tuc-su-kien/").text
    doc = lxml.html.fromstring(first)
    links = [a for a in doc.xpath("//div[@class='list-news']//h3/a/@href")]
    assert links[:3] == [it["url"] for it in news[:3]]
    assert len(links) == PAGE_SIZE
    assert '<a class="next" href="/tin-tuc-su-kien/?page=2">&raquo;</a>' in first
    last = -(-len(news) // PAGE_SIZE)
    assert site.respond(f"/tin-tuc-su-kien/?page={last}").status == 200
    assert site.respond(f"/tin-tuc-su-kien/?page={last + 1}").status == 404
    legal = site.respond("/van-ban-cua-ubnd-tinh/").text
    headers = lxml.html.fromstring(legal).xpath("//table[@class='tbl-vanban']//th/text()")
    assert headers == ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Tải về"]


def test_the_endless_category_never_runs_out_of_next_pages(site: Site, truth: dict[str, Any]) -> None:
    (endless,) = [c for c in truth["categories"] if c.get("endless_pagination")]
    far = site.respond(f"{endless['url']}?page=500")
    assert far.status == 200 and f'href="{endless["url"]}?page=501"' in far.text
    assert "item-news" not in far.text


def test_notice_lists_show_us_timestamps_and_pages_vietnamese_dates(
    site: Site, truth: dict[str, Any]
) -> None:
    notice = next(it for it in truth["items"] if it["kind"] == "notice")
    stamps = re.findall(r'class="date">([^<]+)<', site.respond("/thong-bao/").text)
    assert stamps and all(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M", s) for s in stamps)
    month, day, year = (int(x) for x in stamps[0].split(" ")[0].split("/"))
    assert notice["published_raw"] == f"Ngày: {day:02d}/{month:02d}/{year}"
    notices = [it for it in truth["items"] if it["kind"] == "notice"]
    assert all(re.fullmatch(r"Ngày: \d{2}/\d{2}/\d{4}", it["published_raw"]) for it in notices)


def test_conditional_requests_get_304(site: Site, truth: dict[str, Any]) -> None:
    item = truth["items"][0]
    for path in (
        item["url"],
        next(it for it in truth["items"] if it["attachments"])["attachments"][0]["url"],
    ):
        resp = site.respond(path)
        assert site.respond(path, {"If-None-Match": resp.header("ETag") or ""}).status == 304
        assert site.respond(path, {"If-Modified-Since": resp.header("Last-Modified") or ""}).status == 304
        assert site.respond(path, {"If-None-Match": '"other"'}).status == 200


def test_state_two_adds_edits_and_removes(site: Site, truth: dict[str, Any]) -> None:
    later = build_site(state=2)
    truth2 = later.ground_truth()
    changes = truth2["changes"]
    assert (len(changes["new"]), len(changes["edited"]), len(changes["removed"])) == (30, 12, 6)
    assert len({it["url"].split("/")[1] for it in truth2["items"] if it["url"] in changes["new"]}) == 8
    old = {it["url"]: it for it in truth["items"]}
    new = {it["url"]: it for it in truth2["items"]}
    for url in changes["removed"]:
        assert url not in new and later.respond(url).status in (404, 410)
        assert f'href="{url}"' not in later.respond(f"/{old[url]['category']}/").text
    for url in changes["edited"]:
        assert (old[url]["title"], old[url]["body_contains"]) != (
            new[url]["title"],
            new[url]["body_contains"],
        )
        assert new[url]["title"] in page_text(later, url)
        assert site.respond(url).header("ETag") != later.respond(url).header("ETag")
    for url in changes["new"]:
        assert url not in old and new[url]["site_id"] > max(it["site_id"] or 0 for it in old.values())
    newest = next(it for it in truth2["items"] if it["category"] == "tin-tuc-su-kien")
    assert newest["url"] in changes["new"]
    assert f'href="{newest["url"]}"' in later.respond("/tin-tuc-su-kien/").text
    unchanged = set(old) - set(changes["edited"]) - set(changes["removed"])
    for u in unchanged:  # only the latest-news box (tracking links) moves on
        assert {**old[u], "quirks": None} == {**new[u], "quirks": None}
        assert set(old[u]["quirks"]) - {"tracking_links"} == set(new[u]["quirks"]) - {"tracking_links"}
        assert later.respond(u, {"If-None-Match": site.respond(u).header("ETag") or ""}).status == 304
    assert truth2["site"]["state"] == 2 and truth["changes"] == {"new": [], "edited": [], "removed": []}


def test_modern_theme_has_the_same_content_in_other_markup(truth: dict[str, Any]) -> None:
    modern = build_site(theme="modern")
    truth_m = modern.ground_truth()
    assert truth_m["items"] == truth["items"] and truth_m["site"]["theme"] == "modern"
    listing = modern.respond("/tin-tuc-su-kien/").text
    assert 'rel="next"' in listing and "/tin-tuc-su-kien/trang-2.html" in listing and "Trang sau" in listing
    assert modern.respond("/tin-tuc-su-kien/trang-2.html").status == 200
    assert modern.respond("/tin-tuc-su-kien/?page=2").text == listing  # the query means nothing here
    legal = next(it for it in truth["items"] if it["legal"] and not it["quirks"])
    page = modern.respond(legal["url"]).text
    assert '<dl class="doc-meta"><dt>Số ký hiệu</dt>' in page and '<ol class="crumbs">' in page
    assert "<article" in page and "<time" in page and 'class="title-detail"' not in page
    text = unicodedata.normalize("NFC", lxml.html.fromstring(page).text_content())
    assert legal["title"] in text and all(s in text for s in legal["body_contains"])


def test_legacy_theme_is_a_third_markup_over_the_same_content(truth: dict[str, Any]) -> None:
    legacy = build_site(theme="legacy")
    assert legacy.ground_truth()["items"] == truth["items"]
    listing = legacy.respond("/tin-tuc-su-kien/").text
    assert 'href="/tin-tuc-su-kien/?trang=2">Trang tiếp</a>' in listing and "item-news" not in listing
    item = next(it for it in truth["items"] if it["legal"] and not it["quirks"])
    page = legacy.respond(item["url"]).text
    assert f"Số ký hiệu: {item['legal']['number']}<br>" in page and '<p class="duongdan">' in page
    assert "<dl" not in page and 'class="tbl-thuoctinh"' not in page


def test_files_are_real_documents(site: Site, truth: dict[str, Any]) -> None:
    import docx
    import openpyxl

    kinds = Counter()
    for it in truth["items"]:
        for att in it["attachments"]:
            body = site.respond(att["url"]).body
            ext = att["url"].rsplit(".", 1)[-1]
            kinds[ext] += 1
            if ext == "docx":
                assert docx.Document(BytesIO(body)).paragraphs
            elif ext == "xlsx":
                assert openpyxl.load_workbook(BytesIO(body)).active.max_row > 1
            elif ext == "zip":
                assert zipfile.ZipFile(BytesIO(body)).namelist()
            elif ext == "doc":
                assert body.startswith(b"{\\rtf1")
    assert {"pdf", "docx", "doc", "xlsx", "zip"} <= set(kinds)
    assert any("%20" in a["url"] for it in truth["items"] for a in it["attachments"])


def test_a_big_site_builds_lazily() -> None:
    big = build_site(items=3000)
    assert len(big.model.items) == 3000
    sample = big.model.items[1500]
    assert big.respond(sample.url).status == 200
    pooled = [a for it in big.model.items for a in it.attachments if a.spec[1] == "pool"]
    assert pooled and len({a.url for a in pooled}) == len(pooled)


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-“”", max_size=80))
def test_windows_1258_encoding_round_trips_vietnamese(text: str) -> None:
    encoded = encode_cp1258(text)
    assert unicodedata.normalize("NFC", encoded.decode("cp1258")) == unicodedata.normalize("NFC", text)


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " -:“”0123456789", max_size=120))
def test_slugs_are_ascii_lower_case_and_hyphenated(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"([a-z0-9]+(-{1,2}[a-z0-9]+)*)?", slug), slug
