"""Canonical URLs and URL-shape cues (scraper/urls.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.urls import canonicalize, category_slug, is_file_url, is_item_url, same_site, site_id

SITE = "http://tdkt.thaibinh.gov.vn/"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("http://tdkt.thaibinh.gov.vn/tin-tuc/a-1.html#top", "http://tdkt.thaibinh.gov.vn/tin-tuc/a-1.html"),
        ("HTTP://TDKT.ThaiBinh.gov.vn:80/tin-tuc/a-1.html", "http://tdkt.thaibinh.gov.vn/tin-tuc/a-1.html"),
        ("https://tdkt.thaibinh.gov.vn:443/x/", "https://tdkt.thaibinh.gov.vn/x/"),
        ("http://127.0.0.1:8000/x/", "http://127.0.0.1:8000/x/"),
        (
            "http://h.vn/a-1.html?utm_source=home&utm_medium=featured&fbclid=x&gclid=y&zarsrc=3",
            "http://h.vn/a-1.html",
        ),
        ("http://h.vn/list/?page=2&utm_campaign=x", "http://h.vn/list/?page=2"),
        ("http://h.vn/news.aspx?id=12&cat=3", "http://h.vn/news.aspx?id=12&cat=3"),
        ("http://h.vn/a/../b/c-1.html", "http://h.vn/b/c-1.html"),
        ("http://h.vn", "http://h.vn/"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical


def test_canonicalize_joins_relative_links() -> None:
    assert canonicalize("../thong-bao/b-2.html?utm_source=x", "http://h.vn/tin-tuc/a-1.html") == (
        "http://h.vn/thong-bao/b-2.html"
    )


@given(st.text(alphabet="abcdefgh-_=&?/.#0123456789", max_size=40))
def test_canonicalize_is_idempotent(tail: str) -> None:
    once = canonicalize("http://h.vn/" + tail)
    assert canonicalize(once) == once


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://tdkt.thaibinh.gov.vn/tin-tuc-su-kien/tiep-tuc-doi-moi-4419.html", True),
        ("http://tdkt.thaibinh.gov.vn/van-ban/quyet-dinh-163qd-ubnd-22.htm", True),
        ("http://tdkt.thaibinh.gov.vn/Pages/news.aspx?ItemID=77", True),
        ("http://tdkt.thaibinh.gov.vn/tin-tuc-su-kien/", False),
        ("http://tdkt.thaibinh.gov.vn/tin-tuc-su-kien/?page=3", False),
        ("http://tdkt.thaibinh.gov.vn/tin-tuc/trang-2.html", False),
        ("http://tdkt.thaibinh.gov.vn/", False),
        ("http://tdkt.thaibinh.gov.vn/tim-kiem/ket-qua-1.html", False),
        ("http://tdkt.thaibinh.gov.vn/dang-nhap.html", False),
        ("http://tdkt.thaibinh.gov.vn/tai-khoan/dang-nhap.html", False),
        ("http://tdkt.thaibinh.gov.vn/lien-ket/chuyen-huong.aspx", False),
        ("http://tdkt.thaibinh.gov.vn/rss/tin-moi-1.html", False),
        ("http://tdkt.thaibinh.gov.vn/Uploads/files/2025/quyet-dinh-4626.docx", False),
        ("http://www.baothaibinh.com.vn/tin-tuc/bai-viet-123.html", False),
        ("http://tdkt.thaibinh.gov.vn/hoi-dong-tdkt-tinh.html", False),
    ],
)
def test_is_item_url(url: str, expected: bool) -> None:
    assert is_item_url(url, SITE) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h.vn/tin-tuc-su-kien/tiep-tuc-doi-moi-4419.html", 4419),
        ("http://h.vn/hoi-dap/thoi-gian-2024-4283.html", 4283),
        ("http://h.vn/news.aspx?id=12", 12),
        ("http://h.vn/hoi-dong-tdkt-tinh.html", None),
    ],
)
def test_site_id(url: str, expected: int | None) -> None:
    assert site_id(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h.vn/tin-tuc-su-kien/", "tin-tuc-su-kien"),
        ("http://h.vn/tin-tuc-su-kien/a-1.html", "tin-tuc-su-kien"),
        ("http://h.vn/thong-bao.html", "thong-bao"),
        ("http://h.vn/", None),
    ],
)
def test_category_slug(url: str, expected: str | None) -> None:
    assert category_slug(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h.vn/Uploads/files/Bo%20bieu%20mau.ZIP", True),
        ("http://h.vn/files/a.pdf?v=2", True),
        ("http://h.vn/Upload/download.aspx?file=QD-163.docx", True),
        ("http://h.vn/Upload/getfile.aspx?id=77", False),  # a handler: only a "Tải về" label makes it a file
        ("http://h.vn/Uploads/images/a.jpg", False),
        ("http://h.vn/tin-tuc/a-1.html", False),
    ],
)
def test_is_file_url(url: str, expected: bool) -> None:
    assert is_file_url(url) is expected


def test_only_the_crawled_host_is_same_site() -> None:
    assert same_site("http://www.tdkt.thaibinh.gov.vn/x", SITE)
    assert not same_site("http://thaibinh.gov.vn/x", SITE)
    assert not same_site("mailto:bantdkt@thaibinh.gov.vn", SITE)
