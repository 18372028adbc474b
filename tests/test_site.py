"""archive.site: what names an item, which addresses are the site, and who may crawl into an archive."""

from __future__ import annotations

import pytest

from archive.site import MIN_SHARED_ITEMS, SiteIdentity, admit, item_key

REAL = SiteIdentity.first("http://tdkt.thaibinh.gov.vn/")
REPLICA = SiteIdentity.first("http://127.0.0.1:8022/")
ARTICLE = "/tin-tuc-su-kien/tiep-tuc-doi-moi-nang-cao-chat-luong-4419.html"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://tdkt.thaibinh.gov.vn" + ARTICLE, "tin-tuc-su-kien/4419"),
        # the slug follows the title: an edited title is the same item
        ("http://tdkt.thaibinh.gov.vn/tin-tuc-su-kien/tieu-de-da-sua-4419.html", "tin-tuc-su-kien/4419"),
        ("http://tdkt.thaibinh.gov.vn/Tin-Tuc-Su-Kien/tiep-tuc-4419", "tin-tuc-su-kien/4419"),
        ("https://bantdkt.thaibinh.gov.vn" + ARTICLE + "?utm_source=zalo#top", "tin-tuc-su-kien/4419"),
        ("http://tdkt.thaibinh.gov.vn/van-ban/quyet-dinh-163qd-ubnd-22.htm", "van-ban/22"),
        ("http://tdkt.thaibinh.gov.vn/hoi-dong-tdkt-tinh.html", "/hoi-dong-tdkt-tinh.html"),
        ("http://tdkt.thaibinh.gov.vn/Pages/news.aspx?ItemID=77&fbclid=x", "/Pages/news.aspx?ItemID=77"),
        # a query selects other content (a print view, a second page): not the article itself
        ("http://tdkt.thaibinh.gov.vn" + ARTICLE + "?print=1", ARTICLE + "?print=1"),
        ("http://tdkt.thaibinh.gov.vn/tin-tuc-su-kien/4419", "/tin-tuc-su-kien/4419"),
        ("http://tdkt.thaibinh.gov.vn/", "/"),
    ],
)
def test_item_key(url: str, key: str) -> None:
    assert item_key(url) == key


def test_a_path_key_never_equals_an_id_key() -> None:
    # id keys have no leading slash, path keys always one
    assert item_key("http://h.vn/tin-tuc/4419") != item_key("http://h.vn/tin-tuc/bai-4419.html")


@pytest.mark.parametrize(
    "url",
    [
        "http://tdkt.thaibinh.gov.vn/x",
        "https://tdkt.thaibinh.gov.vn/x",
        "http://www.tdkt.thaibinh.gov.vn/x",
        "http://bantdkt.thaibinh.gov.vn/x",
        "https://www.bantdkt.thaibinh.gov.vn:443/x",
        "HTTP://TDKT.ThaiBinh.gov.vn:80/x",
    ],
)
def test_every_address_of_the_board_is_its_site(url: str) -> None:
    assert REAL.is_alias(url)
    assert REAL.item_key(url) == "/x"
    assert REAL.canonical_url(url) == "http://tdkt.thaibinh.gov.vn/x"


@pytest.mark.parametrize(
    "url",
    [
        "http://thaibinh.gov.vn/x",  # the province's portal, another site
        "http://tdkt.thaibinh.gov.vn:8080/x",  # another server on the same host
        "http://tdkt.namdinh.gov.vn/x",
        "mailto:bantdkt@thaibinh.gov.vn",
        "ftp://tdkt.thaibinh.gov.vn/x",
    ],
)
def test_other_addresses_are_not_the_site(url: str) -> None:
    assert not REAL.is_alias(url)
    assert REAL.item_key(url) is None


def test_a_replica_on_another_port_is_not_an_alias_by_its_name() -> None:
    # ports are other servers: only its home page can show it is the same site (admit)
    assert REPLICA.is_alias("https://127.0.0.1:8022/x")
    assert not REPLICA.is_alias("http://127.0.0.1:8023/x")
    assert not REPLICA.is_alias("http://localhost:8022/x")
    assert not REPLICA.is_alias("http://tdkt.thaibinh.gov.vn/x")


def test_a_mirror_once_admitted_is_the_site_and_is_written_at_the_canonical_origin() -> None:
    site = REPLICA.with_alias("http://localhost:9000")
    assert site.is_alias("http://localhost:9000/a/b-1.html")
    assert site.canonical_url("http://localhost:9000/a/b-1.html") == "http://127.0.0.1:8022/a/b-1.html"
    assert site.at_origin("http://127.0.0.1:8022/a/b-1.html", "http://localhost:9000") == (
        "http://localhost:9000/a/b-1.html"
    )
    assert (
        site.at_origin("http://elsewhere.vn/a.html", "http://localhost:9000") == "http://elsewhere.vn/a.html"
    )


def test_links_made_absolute_at_a_mirror_point_at_the_canonical_origin() -> None:
    site = REPLICA.with_alias("http://localhost:9000")
    html = (
        '<p><a href="http://localhost:9000/a/b-1.html">x</a> <img src="http://localhost:9000/i.jpg">'
        ' <a href="http://localhost:90001/z">not the site</a> http://localhost:9000/ in text</p>'
    )
    assert site.canonical_html(html) == (
        '<p><a href="http://127.0.0.1:8022/a/b-1.html">x</a> <img src="http://127.0.0.1:8022/i.jpg">'
        ' <a href="http://localhost:90001/z">not the site</a> http://localhost:9000/ in text</p>'
    )


def test_a_move_makes_the_new_address_canonical_and_keeps_the_old_one() -> None:
    moved = REPLICA.moved_to("http://127.0.0.1:9999/")
    assert moved.key == REPLICA.key
    assert moved.canonical_url("http://127.0.0.1:8022/a.html") == "http://127.0.0.1:9999/a.html"


HOME = "http://127.0.0.1:9000/"
KNOWN = [f"/tin-tuc/bai-so-{n}-{n}.html" for n in range(1, 11)]


def links(*paths: str, origin: str = "http://127.0.0.1:9000") -> list[str]:
    return [origin + p for p in paths]


def test_an_archive_without_a_site_or_items_takes_the_first_address() -> None:
    assert admit(None, HOME, [], []).verdict == "first"
    assert admit(REPLICA, HOME, [], []).verdict == "first"


def test_a_known_address_is_admitted_whatever_its_home_page_shows() -> None:
    assert admit(REPLICA, "https://127.0.0.1:8022/", [], KNOWN).verdict == "alias"


def test_an_unknown_address_showing_the_archives_items_at_their_paths_is_a_mirror() -> None:
    shown = links(*KNOWN[:MIN_SHARED_ITEMS], "/tin-tuc/bai-moi-99.html")
    admission = admit(REPLICA, HOME, shown, KNOWN)
    assert (admission.verdict, admission.reason) == (
        "mirror",
        "its home page links 3 items at the archive's own paths",
    )


def test_another_site_on_the_same_software_is_refused() -> None:
    # the same sections and ids, other titles: the slugs differ
    other = [p.replace("bai-so", "tin-khac") for p in KNOWN]
    assert admit(REPLICA, HOME, links(*other), KNOWN).verdict == "refused"
    assert admit(REPLICA, HOME, links(*KNOWN[: MIN_SHARED_ITEMS - 1]), KNOWN).verdict == "refused"


def test_the_operator_can_say_the_site_moved() -> None:
    assert admit(REPLICA, HOME, [], KNOWN, moved=True).verdict == "moved"
