"""Cues of blog-like CMSs (WordPress and its page builders), found by the `press` replica theme: a
byline with a bare date in words below the title, the latest-items box before the article with this
page's own teaser in it, lazy-loaded images, an item's thumbnail that the box repeats on every page."""

from __future__ import annotations

import lxml.html
from scrapy.http import HtmlResponse, Request

from archive.normalize.dates import to_iso
from scraper.pages.blocks import media_src, segment
from scraper.pages.dateline import DATE_ANY, is_bare_date, is_date_line
from scraper.pages.detail import DetailPage, is_byline
from scraper.pages.template import REPEATED, SiteTemplate

BASE = "http://127.0.0.1:9/"
URL = BASE + "tin-tuc/hoi-nghi-12.html"
TITLE = "Hội nghị điển hình tiên tiến huyện Đông Hưng"
OTHER = "Tập huấn nghiệp vụ thi đua cho cán bộ cơ sở"


def response(html: str, url: str = URL) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))


def test_dates_with_the_month_in_words_are_dates() -> None:
    for line in ("12 Tháng Sáu, 2024", "1 Tháng Mười Hai, 2024", "Tháng Mười Hai 29, 2013"):
        assert is_bare_date(line), line
    assert DATE_ANY.search("thu tu, 5 thang nam, 2024")


def test_a_clock_with_chieu_is_part_of_a_bare_date_and_read_as_pm() -> None:
    assert is_bare_date("01/01/2024 lúc 2:56 chiều")
    assert to_iso("01/01/2024 lúc 2:56 chiều") == "2024-01-01T14:56:00+07:00"
    assert is_date_line("Cập nhật: 12/06/2024 9:15 chiều")


def test_a_date_with_more_words_after_it_is_not_bare() -> None:
    assert not is_bare_date("12 Tháng Sáu, 2024 UBND tỉnh tổ chức hội nghị")
    assert not is_bare_date("Ngày 12/06/2024, UBND tỉnh tổ chức hội nghị.")


def test_a_byline_is_a_short_line_opening_with_a_byline_label() -> None:
    assert is_byline("Tác giả: BBT  Chuyên mục: Tin tức - Sự kiện  2958 lượt xem")
    assert is_byline("Đăng bởi: admin")
    assert not is_byline("Tác giả của sáng kiến được Chủ tịch UBND tỉnh tặng Bằng khen.")


def test_a_lazy_images_file_is_in_its_data_attribute_not_the_placeholder() -> None:
    img = lxml.html.fragment_fromstring(
        '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" data-lazy-src="/Uploads/a.jpg">'
    )
    assert media_src(img) == "/Uploads/a.jpg"
    assert media_src(lxml.html.fragment_fromstring('<img src="data:image/gif;base64,R0lG">')) == ""


def blog_page(own_teaser: bool, dated: bool = True) -> str:
    """A WordPress page: the latest-items box first (this page's own teaser in it when `own_teaser`),
    then the post with its byline, then related cards."""
    teasers = [(OTHER, "/tin-tuc/tap-huan-7.html", "3 Tháng Năm, 2024")]
    if own_teaser:
        teasers.insert(0, (TITLE, "/tin-tuc/hoi-nghi-12.html", "12 Tháng Sáu, 2024"))
    box = "".join(
        f'<article><img src="data:," data-lazy-src="/Uploads/{n}.jpg"><h3><a href="{u}">{t}</a></h3>'
        f"<time>{d}</time></article>"
        for n, (t, u, d) in enumerate(teasers)
    )
    date = "<span><time>12 Tháng Sáu, 2024</time></span> " if dated else ""
    return (
        f"<html><body><aside><h2>Bài viết mới</h2>{box}</aside>"
        f"<div><article><h1>{TITLE}</h1><div>{date}<span>Tác giả: BBT</span> "
        "<span>Chuyên mục: Tin tức</span> <span>120 lượt xem</span></div>"
        "<div><p>Ngày 12/6/2024, UBND huyện Đông Hưng tổ chức hội nghị biểu dương 45 điển hình.</p>"
        '<figure><img src="data:," data-lazy-src="/Uploads/hoi-nghi.jpg"></figure>'
        "<p>Hội nghị đã khen thưởng 12 tập thể và 33 cá nhân có thành tích xuất sắc.</p></div></article>"
        f'<section><h2>Bài viết liên quan</h2><article><h3><a href="/tin-tuc/tap-huan-7.html">{OTHER}</a>'
        "</h3><time>3 Tháng Năm, 2024</time></article></section></div></body></html>"
    )


def test_the_articles_heading_and_byline_date_win_over_its_own_teaser_in_a_box_before_it() -> None:
    page = DetailPage(response(blog_page(own_teaser=True)))
    assert page.blocks[page._title_heading].element.tag == "h1"
    assert page.published_raw() == "12 Tháng Sáu, 2024"
    assert [line for line in (page.body_text() or "").split("\n") if line] == [
        "Ngày 12/6/2024, UBND huyện Đông Hưng tổ chức hội nghị biểu dương 45 điển hình.",
        "Hội nghị đã khen thưởng 12 tập thể và 33 cá nhân có thành tích xuất sắc.",
    ]
    assert page.images() == [BASE + "Uploads/hoi-nghi.jpg"]


def test_a_page_without_a_date_takes_none_from_the_teasers_around_it() -> None:
    page = DetailPage(response(blog_page(own_teaser=True, dated=False)))
    assert page.published_raw() is None
    assert "Tác giả" not in (page.body_text() or "")


def test_an_items_thumbnail_the_box_repeats_is_its_articles_image_on_its_own_page() -> None:
    template = SiteTemplate()
    thumb = '<img src="/Uploads/thumb-12.jpg">'
    kinds = ["news", "award", "notice", "legal"]
    for n in range(40):
        html = (
            f"<html><body><aside><h2>Bài viết mới</h2><article>{thumb}<h3><a href='/x.html'>{TITLE}</a></h3>"
            f"</article></aside><div><h1>Bài số {n}</h1><p>Đoạn riêng số {n} của một bài viết.</p></div>"
            "</body></html>"
        )
        url = BASE + f"tin-tuc/bai-{n}.html"
        template.learn_detail(
            segment(lxml.html.document_fromstring(html, base_url=url), url).blocks, kinds[n % 4]
        )
    own = (
        f"<html><body><aside><h2>Bài viết mới</h2><article>{thumb}<h3><a href='/x.html'>{TITLE}</a></h3>"
        f"</article></aside><div><h1>{TITLE}</h1><div><p>Đoạn đầu của bài này, có ảnh ngay sau.</p>"
        f"<figure>{thumb}</figure><p>Đoạn sau ảnh của bài này.</p></div></div></body></html>"
    )
    page = DetailPage(response(own), template)
    verdicts = [v.furniture for b, v in zip(page.blocks, page.verdicts, strict=True) if b.kind == "media"]
    assert verdicts == [REPEATED, None]  # the box's copy stays furniture; the article's is the article's
    assert page.images() == [BASE + "Uploads/thumb-12.jpg"]


def test_a_bold_lead_below_a_byline_without_a_date_is_the_summary() -> None:
    lead = "UBND huyện Đông Hưng biểu dương 45 điển hình tiên tiến giai đoạn 2020 - 2025."
    html = blog_page(own_teaser=False, dated=False).replace(
        "<div><p>Ngày 12/6/2024", f"<div><p><strong>{lead}</strong></p><p>Ngày 12/6/2024"
    )
    assert DetailPage(response(html)).summary() == lead
