"""The tdkt spider's walking rules, its decoding and its pipelines, without a server: saved pages are fed
to the callbacks as responses, and the archive is a real SQLite file in a temporary folder."""

from __future__ import annotations

import asyncio
import codecs
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from archive.filetypes import original_filename as safe_filename
from archive.plan import CrawlPlan
from archive.site import SiteIdentity
from archive.store import ArchiveStore
from scraper.items import CategoryItem, CrawlErrorItem, ImageItem, PageItem
from scraper.pages.base import decode_html
from scraper.pages.listing import MenuEntry
from scraper.pipelines import NormalizePipeline, StorePipeline, ValidatePipeline, sanitize_html
from scraper.session import session_of
from scraper.spiders.tdkt import TdktSpider
from scraper.testing import page_cases, saved_response

SITE = "http://tdkt.thaibinh.gov.vn/"
VIETNAMESE = "Ủy ban nhân dân tỉnh Thái Bình: thi đua, khen thưởng"


def make_spider(tmp_path: Path, **kwargs: Any) -> TdktSpider:
    # No reactor in this process: the callbacks are fed saved responses directly.
    crawler = get_crawler(TdktSpider, {**dict(get_project_settings()), "TWISTED_REACTOR_ENABLED": False})
    spider = TdktSpider.from_crawler(crawler, site=SITE, db=str(tmp_path / "tdkt.sqlite"), **kwargs)
    crawler.spider = spider
    session_of(crawler).open(spider.arguments)
    return spider


def admitted(spider: TdktSpider) -> TdktSpider:
    """The spider's run started, as when the home page answered (for tests that skip parse_home)."""
    spider.session.admit_home(SITE, [])
    return spider


def first_requests(spider: TdktSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    return asyncio.run(collect())


def test_the_project_loads_the_spider_by_name() -> None:
    assert SpiderLoader.from_settings(get_project_settings()).load("tdkt") is TdktSpider


def test_the_spider_starts_at_the_home_page(tmp_path: Path) -> None:
    (request,) = first_requests(make_spider(tmp_path))
    assert (request.url, request.callback.__name__) == (SITE, "parse_home")


def test_settings_are_polite_and_honest() -> None:
    settings = get_project_settings()
    assert settings.get("USER_AGENT") == "tdkt-archive/0.1 (+https://github.com/tdkt-archive/tdkt-archive)"
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert (settings.getfloat("DOWNLOAD_DELAY"), settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")) == (
        1.0,
        2,
    )
    assert not settings.getbool("COOKIES_ENABLED") and not settings.getbool("TELNETCONSOLE_ENABLED")


def home_output(spider: TdktSpider, theme: str = "classic") -> list[Any]:
    (case,) = [c for c in page_cases("home") if c.name == theme]
    return list(spider.parse_home(case.response()))


def test_home_yields_every_menu_category_and_walks_each_list(tmp_path: Path) -> None:
    out = home_output(make_spider(tmp_path))
    categories = [x for x in out if isinstance(x, CategoryItem)]
    lists = {r.url for r in out if isinstance(r, Request) and r.callback.__name__ == "parse_list"}
    (case,) = [c for c in page_cases("home") if c.name == "classic"]
    assert len(categories) == len(case.expected["categories"])
    assert lists == {SITE.rstrip("/") + c["url"] for c in case.expected["categories"] if c["kind"] != "about"}


def test_static_pages_are_fetched_as_items(tmp_path: Path) -> None:
    out = home_output(make_spider(tmp_path))
    details = {r.url for r in out if isinstance(r, Request) and r.callback.__name__ == "parse_detail"}
    assert {SITE + "hoi-dong-tdkt-tinh.html", SITE + "ban-tdkt-so-noi-vu.html"} <= details


def test_an_incremental_run_does_not_refetch_known_items(tmp_path: Path) -> None:
    store = ArchiveStore(tmp_path / "tdkt.sqlite")
    known = SITE + "hoi-dong-tdkt-tinh.html"
    store.save_page(PageItem(url=known, category="hoi-dong-tdkt-tinh", kind="about", title="x"), None)
    spider = make_spider(tmp_path)
    assert spider.mode == "incremental"
    details = {
        r.url for r in home_output(spider) if isinstance(r, Request) and r.callback.__name__ == "parse_detail"
    }
    assert known not in details and SITE + "ban-tdkt-so-noi-vu.html" in details


def test_a_full_run_revisits_known_items_with_their_validators(tmp_path: Path) -> None:
    store = ArchiveStore(tmp_path / "tdkt.sqlite")
    gone = SITE + "tin-tuc-su-kien/bai-cu-10.html"
    item = PageItem(url=gone, category="tin-tuc-su-kien", kind="news", title="x", http_etag='"abc"')
    store.save_page(item, None)
    spider = make_spider(tmp_path, mode="full")
    (request,) = [r for r in home_output(spider) if isinstance(r, Request) and r.url == gone]
    assert request.headers.get("If-None-Match") == b'"abc"'


def list_response(name: str) -> HtmlResponse:
    (case,) = [c for c in page_cases("list") if c.name == name]
    return case.response()


def test_a_list_walk_follows_the_next_page_while_it_shows_new_items(tmp_path: Path) -> None:
    spider = make_spider(tmp_path)
    home_output(spider)
    out = list(spider.parse_list(list_response("classic_tin-tuc-su-kien_1"), list_key="tin-tuc-su-kien"))
    nexts = [r.url for r in out if isinstance(r, Request) and r.callback.__name__ == "parse_list"]
    assert nexts == [SITE + "tin-tuc-su-kien/?page=2"]


def test_a_next_link_that_never_ends_stops_at_a_page_with_nothing_new(tmp_path: Path) -> None:
    spider = admitted(make_spider(tmp_path))
    spider.categories = {
        "tin-tuc": MenuEntry(label="Tin tức", url=SITE + "tin-tuc.html", group=None, kind="news")
    }
    first = list(spider.parse_list(list_response("handwritten_bootstrap_3"), list_key="tin-tuc"))
    again = list(spider.parse_list(list_response("handwritten_bootstrap_3"), list_key="tin-tuc"))
    assert [r for r in first if getattr(r, "callback", None) == spider.parse_list]
    assert [r for r in again if getattr(r, "callback", None) == spider.parse_list] == []


def test_a_dead_link_becomes_an_error_item(tmp_path: Path) -> None:
    spider = admitted(make_spider(tmp_path))
    url = SITE + "tin-tuc-su-kien/bai-da-go-7703.html"
    response = HtmlResponse(url=url, status=404, body=b"<html></html>", request=Request(url))
    (error,) = spider.parse_detail(response)
    assert isinstance(error, CrawlErrorItem) and error.status == 404


@pytest.mark.parametrize(
    ("disposition", "url", "name"),
    [
        ('attachment; filename="../../../etc/passwd.pdf"', SITE + "f.pdf", "passwd.pdf"),
        (
            "attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.docx",
            SITE + "f",
            "Quyết định.docx",
        ),
        (None, SITE + "Uploads/files/..%5C..%5Cboot.ini", "boot.ini"),
        (None, SITE + "download.aspx?file=QD-163.docx", "QD-163.docx"),
    ],
)
def test_file_names_never_carry_directories(disposition: str | None, url: str, name: str) -> None:
    assert safe_filename(disposition, url) == name


# -- decoding -------------------------------------------------------------------------------------------


def test_a_lying_latin1_header_still_gives_vietnamese() -> None:
    body = f'<meta charset="utf-8"><p>{VIETNAMESE}</p>'.encode()
    text, encoding = decode_html(body, "text/html; charset=iso-8859-1")
    assert (VIETNAMESE in text, encoding) == (True, "utf-8")


def test_windows_1258_decodes_to_nfc() -> None:
    (case,) = [c for c in page_cases("news") if c.name == "classic_cp1258"]
    text, encoding = decode_html(case.page.read_bytes(), case.expected["content_type"])
    assert encoding == "cp1258" and case.expected["title"] in text


def test_a_byte_order_mark_wins() -> None:
    text, encoding = decode_html(codecs.BOM_UTF8 + VIETNAMESE.encode(), "text/html; charset=windows-1252")
    assert (text, encoding) == (VIETNAMESE, "utf-8")


def test_nfd_text_is_stored_nfc() -> None:
    import unicodedata

    text, _ = decode_html(unicodedata.normalize("NFD", VIETNAMESE).encode(), None)
    assert text == VIETNAMESE


# -- pipelines ------------------------------------------------------------------------------------------


def test_sanitised_html_keeps_tables_images_and_links_but_no_scripts() -> None:
    html = (
        '<p onclick="x()">a<script>alert(1)</script></p><img src="http://h.vn/a.jpg" onerror="alert(1)">'
        '<a href="javascript:alert(2)">j</a><a href="http://h.vn/b.html">b</a><table><tr><td>c</td></tr></table>'
    )
    clean = sanitize_html(html) or ""
    assert [x for x in ("script", "onclick", "onerror", "javascript:") if x in clean] == []
    assert all(x in clean for x in ('src="http://h.vn/a.jpg"', 'href="http://h.vn/b.html"', "<td>c</td>"))


def store_pipelines(tmp_path: Path) -> tuple[TdktSpider, ValidatePipeline, StorePipeline]:
    spider = admitted(make_spider(tmp_path))
    return spider, ValidatePipeline(spider.crawler), StorePipeline(spider.crawler)


def test_an_item_without_title_is_dropped_into_crawl_errors(tmp_path: Path) -> None:
    spider, validate, _ = store_pipelines(tmp_path)
    with pytest.raises(DropItem, match="title"):
        validate.process_item(PageItem(url=SITE + "a/b-1.html", category="a", kind="news", title=" "))
    assert validate.drops["title"] == 1
    with spider.session.store.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT url, reason FROM crawl_errors")).fetchall() == [
            (SITE + "a/b-1.html", "invalid item: missing or bad title")
        ]


def test_the_normalised_item_gets_its_iso_date_and_keeps_the_raw_text(tmp_path: Path) -> None:
    spider, _, store = store_pipelines(tmp_path)
    item = PageItem(
        url=SITE + "a/b-1.html",
        category="a",
        kind="notice",
        title="T",
        published_raw="2/18/2025 2:03:59 PM",
        published_order="MDY",
    )
    store.process_item(NormalizePipeline().process_item(item))
    with spider.session.store.engine.connect() as conn:
        from sqlalchemy import text

        row = conn.execute(text("SELECT published_raw, published_at FROM pages")).one()
    assert tuple(row) == ("2/18/2025 2:03:59 PM", "2025-02-18T14:03:59+07:00")


# -- walking rules without a database: a crawl plan made by hand ---------------------------------------


def walking_spider(plan: CrawlPlan, home: str, site: SiteIdentity | None = None) -> TdktSpider:
    """A spider crawling `home` as `plan` says, for an archive of `site`; nothing is read or written."""
    crawler = get_crawler(TdktSpider, {**dict(get_project_settings()), "TWISTED_REACTOR_ENABLED": False})
    spider = TdktSpider.from_crawler(crawler, site=home, db="/nonexistent/never-opened.sqlite")
    crawler.spider = spider
    session_of(crawler).open(spider.arguments, plan=plan, site=site)
    return spider


def requests_of(output: list[Any], callback: str) -> list[Request]:
    return [r for r in output if isinstance(r, Request) and r.callback.__name__ == callback]


def classic_home_at(url: str) -> HtmlResponse:
    (case,) = [c for c in page_cases("home") if c.name == "classic"]
    return saved_response(case.page, url)


REAL_SITE = SiteIdentity.first(SITE)
OLD_ITEM = "/tin-tuc-su-kien/bai-cu-khong-con-trong-danh-sach-9991.html"


def test_a_full_run_asks_known_items_at_the_address_it_crawls_never_where_they_were_archived() -> None:
    plan = CrawlPlan(
        mode="full",
        known={"tin-tuc-su-kien/9991": OLD_ITEM},
        validators={"tin-tuc-su-kien/9991": ('"v1"', None)},
    )
    spider = walking_spider(plan, "https://bantdkt.thaibinh.gov.vn/", REAL_SITE)
    out = list(spider.parse_home(classic_home_at("https://bantdkt.thaibinh.gov.vn/")))
    asked = [r for r in out if isinstance(r, Request)]
    assert asked and {urlsplit(r.url).netloc for r in asked} == {"bantdkt.thaibinh.gov.vn"}
    (old,) = [r for r in requests_of(out, "parse_detail") if r.url.endswith(OLD_ITEM)]
    assert (old.url, old.headers.get("If-None-Match")) == (
        "https://bantdkt.thaibinh.gov.vn" + OLD_ITEM,
        b'"v1"',
    )


def test_a_replica_on_a_new_port_is_asked_on_that_port_only() -> None:
    archived = SiteIdentity.first("http://127.0.0.1:9000/").with_alias("http://127.0.0.1:9001")
    plan = CrawlPlan(mode="full", known={"tin-tuc-su-kien/9991": OLD_ITEM})
    spider = walking_spider(plan, "http://127.0.0.1:9001/", archived)
    out = list(spider.parse_home(classic_home_at("http://127.0.0.1:9001/")))
    assert {urlsplit(r.url).netloc for r in out if isinstance(r, Request)} == {"127.0.0.1:9001"}
    assert "http://127.0.0.1:9001" + OLD_ITEM in {r.url for r in requests_of(out, "parse_detail")}


def test_a_link_to_the_sites_other_host_name_is_asked_here_and_another_sites_never() -> None:
    spider = walking_spider(CrawlPlan(), "https://bantdkt.thaibinh.gov.vn/", REAL_SITE)
    spider.session.admit_home("https://bantdkt.thaibinh.gov.vn/", [])
    (request,) = spider._item_request("http://tdkt.thaibinh.gov.vn/tin-tuc/bai-a-1.html")
    assert request.url == "https://bantdkt.thaibinh.gov.vn/tin-tuc/bai-a-1.html"
    assert list(spider._item_request("http://thaibinh.gov.vn/tin-tuc/bai-b-2.html")) == []
    # the same item under its edited slug is one request
    assert list(spider._item_request("https://bantdkt.thaibinh.gov.vn/tin-tuc/bai-a-da-sua-1.html")) == []


def test_an_incremental_walk_skips_known_and_dead_items_and_stops_at_a_known_last_entry() -> None:
    plan = CrawlPlan(
        mode="incremental", known={"tin-tuc/2": "/tin-tuc/b-2.html"}, dead=frozenset({"tin-tuc/3"})
    )
    spider = walking_spider(plan, SITE, REAL_SITE)
    spider.session.admit_home(SITE, [])
    assert list(spider._item_request(SITE + "tin-tuc/b-2.html")) == []
    assert list(spider._item_request(SITE + "tin-tuc/c-3.html")) == []
    assert len(list(spider._item_request(SITE + "tin-tuc/a-1.html"))) == 1
    assert spider.walk_on("tin-tuc", ["tin-tuc/1", "tin-tuc/5"]) is True
    assert spider.walk_on("tin-tuc", ["tin-tuc/6", "tin-tuc/2"]) is False  # the last entry is known
    assert spider.walk_on("tin-tuc", ["tin-tuc/2"]) is False  # nothing unknown


def test_a_full_walk_goes_on_while_a_page_shows_anything_new_this_walk() -> None:
    spider = walking_spider(CrawlPlan(mode="full", known={"tin-tuc/2": "/tin-tuc/b-2.html"}), SITE, REAL_SITE)
    assert spider.walk_on("tin-tuc", ["tin-tuc/1", "tin-tuc/2"]) is True
    assert spider.walk_on("tin-tuc", ["tin-tuc/2", "tin-tuc/1"]) is False


def test_an_articles_images_on_the_site_are_downloaded_with_the_file_limit() -> None:
    (case,) = [c for c in page_cases("news") if c.name == "classic_attachments"]
    spider = walking_spider(CrawlPlan(), SITE, REAL_SITE)
    spider.session.admit_home(SITE, [])
    spider.categories["tin-tuc-su-kien"] = MenuEntry("Tin tức", SITE + "tin-tuc-su-kien/", None, "news")
    # Detail pages wait until the template has seen enough of the site; this one is read at once.
    spider.template.force_mature()
    out = list(spider.parse_detail(case.response()))
    images = requests_of(out, "parse_image")
    assert {r.url for r in images} == {SITE.rstrip("/") + path for path in case.expected["images"]}
    assert {r.meta["page_url"] for r in images} == {case.url}
    assert {r.meta["download_maxsize"] for r in images} == {spider.max_file_bytes}


def test_an_image_answered_with_a_page_is_an_error_not_an_image() -> None:
    spider = walking_spider(CrawlPlan(), SITE, REAL_SITE)
    url = SITE + "Uploads/images/a.jpg"
    meta = {"page_url": SITE + "tin-tuc/a-1.html"}
    html = HtmlResponse(
        url=url,
        body=b"<html>404</html>",
        headers={"Content-Type": "text/html"},
        request=Request(url, meta=meta),
    )
    (error,) = spider.parse_image(html)
    assert isinstance(error, CrawlErrorItem) and error.reason == "not an image: text/html"
    jpeg = Response(
        url=url, body=b"\xff\xd8\xff", headers={"Content-Type": "image/jpeg"}, request=Request(url, meta=meta)
    )
    (image,) = spider.parse_image(jpeg)
    assert isinstance(image, ImageItem) and (image.page_url, image.body) == (
        meta["page_url"],
        b"\xff\xd8\xff",
    )
