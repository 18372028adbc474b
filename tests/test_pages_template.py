"""The parts that find a page's article: blocks, the learned site template, the article run.

Each part is tested on its own, on small invented pages; the whole (tests/test_pages.py, the e2e
content tests) is tested on saved pages and on every replica theme.
"""

from __future__ import annotations

import lxml.html

from scraper.pages.article import body_text, choose_article
from scraper.pages.blocks import HEADING, MEDIA, ROW, TEXT, Block, Segmented, segment
from scraper.pages.template import (
    CHROME,
    LINKS,
    LISTING,
    MATURE_DETAIL_PAGES,
    REPEATED,
    TEASER,
    SiteTemplate,
    Verdict,
    teaser_owners,
)

BASE = "http://127.0.0.1:9/"
FOOTER = (
    "Cơ quan chủ quản: Ban Thi đua - Khen thưởng tỉnh. Chịu trách nhiệm chính: Trưởng ban. Địa chỉ: số 9"
    " đường Lê Lợi, thành phố. Điện thoại: 0227 000 000. Ghi rõ nguồn khi phát hành lại thông tin"
    " từ trang này."
)
COUNTER = "Lượt truy cập: {n}"


def segmented(html: str, url: str = BASE + "tin-tuc/bai-1.html") -> Segmented:
    return segment(lxml.html.document_fromstring(html, base_url=url), url)


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def detail_html(paragraphs: list[str], counter: int = 1) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><body><div><a href='/'>Trang chủ</a> <a href='/tin-tuc/'>Tin tức</a></div>"
        f"<div><h1>Tiêu đề</h1>{body}</div>"
        f"<div>{FOOTER}</div><div>{COUNTER.format(n=counter)}</div></body></html>"
    )


# -- blocks ------------------------------------------------------------------------------------------


def test_paragraphs_headings_and_media_become_blocks_in_document_order() -> None:
    page = segmented(
        "<html><body><h2>Kết quả</h2><p>Đoạn   thứ nhất.</p><img src='/Uploads/a.jpg'><p>Đoạn thứ hai.</p>"
        "</body></html>"
    )
    assert [(b.kind, b.text, b.src) for b in page.blocks] == [
        (HEADING, "Kết quả", None),
        (TEXT, "Đoạn thứ nhất.", None),
        (MEDIA, "", BASE + "Uploads/a.jpg"),
        (TEXT, "Đoạn thứ hai.", None),
    ]


def test_a_data_table_gives_one_block_per_row_with_cells_joined() -> None:
    page = segmented(
        "<html><body><table><tr><th>STT</th><th>Họ và tên</th></tr>"
        "<tr><td>1</td><td>Bà Đỗ Thị Hạnh</td></tr></table></body></html>"
    )
    assert [(b.kind, b.text) for b in page.blocks] == [(ROW, "STT | Họ và tên"), (ROW, "1 | Bà Đỗ Thị Hạnh")]


def test_a_layout_table_holding_the_page_is_not_read_as_rows() -> None:
    long_cell = "<p>" + "Nội dung dài của bài viết. " * 30 + "</p>"
    page = segmented(
        f"<html><body><table><tr><td>{long_cell}</td><td><p>Cột bên</p></td></tr></table></body></html>"
    )
    assert {b.kind for b in page.blocks} == {TEXT}
    assert texts(page.blocks)[1] == "Cột bên"


def test_a_menu_entry_is_all_link_and_a_paragraph_is_not() -> None:
    page = segmented(
        "<html><body><div><a href='/gioi-thieu/'>Giới thiệu chung</a></div>"
        "<p>Hội nghị tổng kết <a href='/tin-tuc/b-2.html'>phong trào</a> năm nay.</p></body></html>"
    )
    menu, paragraph = page.blocks
    assert menu.link_share == 1.0
    assert 0 < paragraph.link_share < 0.5


def test_blocks_under_html5_chrome_outside_the_article_are_marked() -> None:
    page = segmented(
        "<html><body><header><p>Cổng thông tin</p></header><article><p>Bài.</p></article>"
        "<footer><p>Bản quyền</p></footer></body></html>"
    )
    assert [(b.text, b.chrome) for b in page.blocks] == [
        ("Cổng thông tin", True),
        ("Bài.", False),
        ("Bản quyền", True),
    ]


def test_numbers_are_folded_out_of_a_blocks_shape_but_not_its_exact_key() -> None:
    one = segmented(f"<html><body><p>{COUNTER.format(n=120)}</p></body></html>").blocks[0]
    two = segmented(f"<html><body><p>{COUNTER.format(n=98765)}</p></body></html>").blocks[0]
    assert one.shape == two.shape
    assert one.exact != two.exact


def test_case_and_tone_marks_written_otherwise_keep_one_key() -> None:
    nfc = segmented("<html><body><p>Thông báo mới</p></body></html>").blocks[0]
    nfd = segmented("<html><body><p>THÔNG BÁO MỚI</p></body></html>").blocks[0]
    assert nfc.exact == nfd.exact


# -- template ----------------------------------------------------------------------------------------


def home_page() -> tuple[Segmented, list[str | None]]:
    html = (
        "<html><body><div><a href='/'>Trang chủ</a> <a href='/tin-tuc/'>Tin tức</a></div>"
        "<ul><li><a href='/tin-tuc/bai-1.html'>Bài một</a>"
        "<p>Tóm tắt của bài một, đủ dài để là một đoạn.</p></li>"
        "<li><a href='/tin-tuc/bai-2.html'>Bài hai</a>"
        "<p>Tóm tắt của bài hai, đủ dài để là một đoạn.</p></li></ul>"
        f"<div>{FOOTER}</div><div>{COUNTER.format(n=5)}</div></body></html>"
    )
    page = segmented(html, BASE)
    doc_anchors = [
        (a, a.get("href").replace("/", BASE, 1)) for a in page.blocks[1].element.getroottree().iter("a")
    ]
    items = [(a, url) for a, url in doc_anchors if "/tin-tuc/bai-" in url]
    return page, teaser_owners(page, items)


def test_the_home_pages_item_entries_are_teasers_and_the_rest_is_listing_furniture() -> None:
    page, owners = home_page()
    owned = {b.text: o for b, o in zip(page.blocks, owners, strict=True)}
    assert owned["Tóm tắt của bài một, đủ dài để là một đoạn."] == BASE + "tin-tuc/bai-1.html"
    assert owned["Bài hai"] == BASE + "tin-tuc/bai-2.html"
    assert owned[FOOTER] is None


def learned_template(detail_pages: int = MATURE_DETAIL_PAGES) -> SiteTemplate:
    template = SiteTemplate()
    page, owners = home_page()
    template.learn_listing(page, owners)
    kinds = ["news", "award", "notice", "legal"]
    for n in range(detail_pages):
        blocks = segmented(detail_html([f"Đoạn riêng số {n} của một bài viết khác."], counter=n)).blocks
        template.learn_detail(blocks, kinds[n % len(kinds)])
    return template


def verdicts_of(template: SiteTemplate, page: Segmented, url: str) -> dict[str, tuple[str | None, bool]]:
    verdicts = template.judge(page.blocks, url=url, learned=False)
    return {b.text: (v.furniture, v.own) for b, v in zip(page.blocks, verdicts, strict=True)}


def test_a_detail_page_is_judged_by_what_the_site_repeats() -> None:
    template = learned_template()
    url = BASE + "tin-tuc/bai-1.html"
    page = segmented(
        detail_html(["Tóm tắt của bài một, đủ dài để là một đoạn.", "Một câu không trang nào khác có."], 77),
        url,
    )
    judged = verdicts_of(template, page, url)
    assert judged == {
        "Trang chủ Tin tức": (LINKS, False),
        "Tiêu đề": (REPEATED, False),
        "Tóm tắt của bài một, đủ dài để là một đoạn.": (None, True),
        "Một câu không trang nào khác có.": (None, True),
        FOOTER: (LISTING, False),
        COUNTER.format(n=77): (LISTING, False),
    }


def test_another_items_teaser_on_a_page_is_furniture() -> None:
    template = learned_template()
    url = BASE + "tin-tuc/bai-9.html"
    page = segmented(detail_html(["Tóm tắt của bài hai, đủ dài để là một đoạn.", "Câu của bài chín."]), url)
    assert verdicts_of(template, page, url)["Tóm tắt của bài hai, đủ dài để là một đoạn."] == (TEASER, False)


def test_a_line_on_most_detail_pages_of_most_kinds_is_repeated_furniture() -> None:
    template = SiteTemplate()
    kinds = ["news", "award", "notice"]
    for n in range(12):
        template.learn_detail(
            segmented(detail_html([f"Riêng {n}.", "Ghi rõ nguồn khi phát hành lại."])).blocks, kinds[n % 3]
        )
    page = segmented(detail_html(["Riêng của trang mới.", "Ghi rõ nguồn khi phát hành lại."]))
    judged = verdicts_of(template, page, BASE + "x.html")
    assert judged["Ghi rõ nguồn khi phát hành lại."] == (REPEATED, False)
    assert judged["Riêng của trang mới."] == (None, True)


CITED = "Việc triển khai Chỉ thị số 34-CT/TW được thực hiện nghiêm túc, đúng tiến độ."
DISCLAIMER = "Thông tin trên trang chỉ để tham khảo, văn bản gốc lưu tại Văn phòng Ban."


def _template_repeating(sentence: str) -> SiteTemplate:
    """A template that has seen `sentence` on every detail page, of three kinds, after an own line."""
    template = SiteTemplate()
    kinds = ["news", "award", "notice"]
    for n in range(12):
        template.learn_detail(segmented(detail_html([f"Riêng {n}.", sentence])).blocks, kinds[n % 3])
    return template


def test_a_repeated_sentence_the_article_goes_on_after_is_the_articles() -> None:
    page = segmented(detail_html(["Riêng của trang mới.", CITED, "Đoạn tiếp theo của bài mới."]))
    judged = verdicts_of(_template_repeating(CITED), page, BASE + "x.html")
    assert judged[CITED] == (None, False)


def test_a_repeated_sentence_after_the_articles_last_paragraph_stays_furniture() -> None:
    page = segmented(detail_html(["Riêng của trang mới.", "Đoạn cuối của bài mới.", DISCLAIMER]))
    judged = verdicts_of(_template_repeating(DISCLAIMER), page, BASE + "x.html")
    assert judged[DISCLAIMER] == (REPEATED, False)


def test_a_repeated_tool_above_the_article_is_not_a_sentence_and_stays_furniture() -> None:
    tool = "Đọc bài Ngừng đọc Tăng / Giảm cỡ chữ TĂNG GIẢM"
    page = segmented(detail_html([tool, "Riêng của trang mới.", "Đoạn tiếp theo của bài mới."]))
    judged = verdicts_of(_template_repeating(tool), page, BASE + "x.html")
    assert judged[tool] == (REPEATED, False)


def test_a_short_repeated_line_inside_the_article_stays_furniture() -> None:
    page = segmented(detail_html(["Riêng của trang mới.", "Ảnh minh họa", "Đoạn tiếp theo của bài mới."]))
    judged = verdicts_of(_template_repeating("Ảnh minh họa"), page, BASE + "x.html")
    assert judged["Ảnh minh họa"] == (REPEATED, False)


def test_a_line_shared_by_one_kind_only_is_not_furniture() -> None:
    """Award decisions all say "Điều 1 …" openings alike; that is content of their kind, not template."""
    template = SiteTemplate()
    for n in range(12):
        kind = "award" if n % 2 else "news"
        shared = ["Căn cứ Luật Thi đua, Khen thưởng."] if kind == "award" else []
        template.learn_detail(segmented(detail_html([f"Riêng {n}.", *shared])).blocks, kind)
    page = segmented(detail_html(["Căn cứ Luật Thi đua, Khen thưởng."]))
    assert verdicts_of(template, page, BASE + "y.html")["Căn cứ Luật Thi đua, Khen thưởng."] == (None, False)


def test_a_template_is_mature_after_a_listing_and_enough_detail_pages() -> None:
    assert not learned_template(MATURE_DETAIL_PAGES - 1).mature
    assert learned_template(MATURE_DETAIL_PAGES).mature
    young = learned_template(1)
    young.force_mature()
    assert young.mature


def test_a_stored_template_judges_as_the_one_that_was_learned() -> None:
    template = learned_template()
    again = SiteTemplate.from_stored(template.summary(), template.rows())
    url = BASE + "tin-tuc/bai-5.html"
    page = segmented(detail_html(["Một đoạn mới của bài năm, không trang nào có."], 3), url)
    expected = verdicts_of(template, page, url)
    expected.pop("Tóm tắt của bài một, đủ dài để là một đoạn.", None)  # teasers are learned anew per run
    assert verdicts_of(again, page, url) == expected


def test_stored_rows_say_why_a_block_is_furniture() -> None:
    rows = learned_template().rows()
    footer = [
        (r["key_kind"], r["listing_pages"], r["detail_pages"], r["furniture"])
        for r in rows
        if r["sample_text"] == FOOTER
    ]
    # Long text is counted by its exact words on detail pages, by its shape on listing pages.
    assert sorted(footer) == [
        ("detail", 0, MATURE_DETAIL_PAGES, LISTING),
        ("shape", 1, MATURE_DETAIL_PAGES, LISTING),
    ]
    rows = {row["sample_text"]: row for row in rows}
    assert rows["Tiêu đề"]["furniture"] == REPEATED
    assert rows["Tiêu đề"]["kinds"] == ["award", "legal", "news", "notice"]


# -- the article run ---------------------------------------------------------------------------------


def test_a_one_sentence_decision_beats_a_longer_footer() -> None:
    url = BASE + "khen-thuong/qd-1.html"
    html = (
        "<html><body><div><a href='/'>Trang chủ</a></div>"
        "<div><p>Tặng Bằng khen cho hai tập thể.</p>"
        "<table><tr><td>1</td><td>Trường Tiểu học Hòa Bình</td></tr>"
        "<tr><td>2</td><td>Hợp tác xã Đông Phong</td></tr></table></div>"
        f"<div>{FOOTER}</div><div>{COUNTER.format(n=1)}</div></body></html>"
    )
    page = segmented(html, url)
    assert len(FOOTER) > sum(len(b.text) for b in page.blocks[1:4])

    def article_with(template: SiteTemplate) -> str | None:
        verdicts = template.judge(page.blocks, url=url, learned=False)
        return body_text(choose_article(page.blocks, verdicts, dropped=set(), breakers=set(), hinted=set()))

    assert FOOTER in (article_with(SiteTemplate()) or "")  # knowing nothing of the site, nothing is furniture
    assert article_with(learned_template()) == (
        "Tặng Bằng khen cho hai tập thể.\n\n1 | Trường Tiểu học Hòa Bình\n\n2 | Hợp tác xã Đông Phong"
    )


def test_a_breaking_block_ends_the_article_and_a_repeated_line_inside_is_only_dropped() -> None:
    page = segmented(
        "<html><body><p>Đoạn một của bài.</p><p>Dòng lặp.</p><p>Đoạn hai của bài.</p>"
        "<p>Tin khác</p><p>Một đoạn rất dài của hộp tin khác, không phải bài này.</p></body></html>"
    )
    verdicts = [
        Verdict(None, True),
        Verdict(REPEATED, False),
        Verdict(None, True),
        Verdict(CHROME, False),
        Verdict(None, False),
    ]
    article = choose_article(page.blocks, verdicts, dropped=set(), breakers=set(), hinted=set())
    assert texts(article.blocks) == ["Đoạn một của bài.", "Đoạn hai của bài."]
    assert (article.start, article.stop) == (0, 2)


def test_a_page_of_nothing_but_furniture_has_no_article() -> None:
    page = segmented(f"<html><body><div>{FOOTER}</div></body></html>")

    article = choose_article(
        page.blocks, [Verdict(LISTING, False)], dropped=set(), breakers=set(), hinted=set()
    )
    assert article.empty
    assert body_text(article) is None


def test_a_caption_repeating_a_title_another_item_shares_does_not_cut_the_article() -> None:
    """Items may bear the same title: this page's caption showing it is this page's, not a teaser."""
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    title = "Kỳ họp thứ ba của Hội đồng Thi đua - Khen thưởng tỉnh"
    template = SiteTemplate()
    for list_url in (BASE, BASE + "tin-tuc/"):
        listing = segmented(
            f"<html><body><ul><li><a href='/tin-tuc/bai-2.html'>{title}</a></li></ul>"
            f"<div>{FOOTER}</div></body></html>",
            list_url,
        )
        root = listing.blocks[0].element.getroottree()
        anchors = [(a, BASE + "tin-tuc/bai-2.html") for a in root.iter("a")]
        template.learn_listing(listing, teaser_owners(listing, anchors))
    template.force_mature()
    url = BASE + "tin-tuc/bai-9.html"
    html = (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<div><p>Đoạn mở đầu của bài chín, kể về kỳ họp.</p>"
        f"<figure><img src='/Uploads/hop.jpg'><figcaption>{title}</figcaption></figure>"
        "<p>Đoạn sau ảnh của bài chín, về các hồ sơ được xét.</p></div>"
        f"<div>{FOOTER}</div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"), template)
    assert page.body_text() == (
        "Đoạn mở đầu của bài chín, kể về kỳ họp.\n\nĐoạn sau ảnh của bài chín, về các hồ sơ được xét."
    )


def test_the_source_line_is_a_field_and_never_body_whether_or_not_the_site_repeats_it() -> None:
    """A run that has seen "Theo: …" close few items must read the page as one that has seen many."""
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    url = BASE + "tin-tuc/bai-7.html"
    html = (
        "<html><head><title>Tuyên dương gương điển hình</title></head><body>"
        "<h1>Tuyên dương gương điển hình</h1><div><p>Sáng nay, huyện Đông Lâm tuyên dương 12 gương.</p>"
        "<p>Theo: Báo Hòa An</p></div>"
        f"<div>{FOOTER}</div></body></html>"
    )
    young = learned_template(2)
    young.force_mature()
    for template in (learned_template(), young):
        page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"), template)
        assert (page.source(), page.body_text()) == (
            "Báo Hòa An",
            "Sáng nay, huyện Đông Lâm tuyên dương 12 gương.",
        )


# -- markup written after the parser (the replica's `portal` theme found these) ----------------------

NOTE = "Cơ quan trình khen chịu trách nhiệm về tính chính xác của báo cáo thành tích đã gửi."


def _portlet_page(main: str, url: str) -> Segmented:
    """A portlet layout: the article's column, then a right column whose note box says NOTE."""
    return segmented(
        "<html><body><div id='col-1'>" + main + "</div><div id='col-2'><div class='box'><h2>Lưu ý</h2>"
        f"<div class='box-body'><p>{NOTE}</p></div></div></div><div class='foot'>{FOOTER}</div>"
        "</body></html>",
        url,
    )


def _template_with_the_note_on_its_lists() -> SiteTemplate:
    template = SiteTemplate()
    for list_url in (BASE, BASE + "tin-tuc/"):
        listing = _portlet_page(
            "<ul><li><a href='/tin-tuc/bai-2.html'>Bài hai của danh sách</a></li></ul>", list_url
        )
        root = listing.blocks[0].element.getroottree()
        anchors = [(a, BASE + "tin-tuc/bai-2.html") for a in root.iter("a")]
        template.learn_listing(listing, teaser_owners(listing, anchors))
    template.force_mature()
    return template


def test_a_furniture_sentence_an_article_also_says_is_the_articles_where_it_stands() -> None:
    template = _template_with_the_note_on_its_lists()
    url = BASE + "tin-tuc/bai-9.html"
    article = (
        "<div class='noi-dung'><p>Hồ sơ khen thưởng năm nay gồm bản báo cáo thành tích và biên bản họp.</p>"
        f"<p>{NOTE}</p></div>"
    )
    page = _portlet_page(article, url)
    verdicts = template.judge(page.blocks, url=url, learned=False)
    said = [
        (b.element.get("class") or b.element.getparent().get("class"), v.furniture)
        for b, v in zip(page.blocks, verdicts, strict=True)
        if b.text == NOTE
    ]
    # the article's sentence is its own; the right column's copy of it is still the site's furniture
    assert said == [("noi-dung", None), ("box-body", LISTING)]


def test_a_furniture_sentence_in_its_usual_place_stays_furniture_even_beside_article_text() -> None:
    template = _template_with_the_note_on_its_lists()
    url = BASE + "tin-tuc/bai-9.html"
    page = segmented(
        "<html><body><div id='col-1'><p>Một đoạn của bài.</p></div><div id='col-2'><div class='box'>"
        f"<div class='box-body'><p>Dòng riêng của trang này trong hộp.</p><p>{NOTE}</p></div></div></div>"
        "</body></html>",
        url,
    )
    verdicts = template.judge(page.blocks, url=url, learned=False)
    assert [v.furniture for b, v in zip(page.blocks, verdicts, strict=True) if b.text == NOTE] == [LISTING]


def test_a_document_shown_only_in_an_embedded_viewer_is_an_attachment() -> None:
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    url = BASE + "thong-bao/bai-3.html"
    html = (
        "<html><head><title>Thông báo số 3</title></head><body><h1>Thông báo số 3</h1>"
        "<div><p>Ban thông báo lịch tiếp nhận hồ sơ khen thưởng của tháng.</p>"
        "<iframe src='/Uploads/files/tb-3.pdf#toolbar=0&amp;view=FitH' width='100%'></iframe>"
        "<iframe src='/viewer/index.html?file=/Uploads/files/phu-luc-3.docx&amp;embedded=true'></iframe>"
        "<iframe src='https://www.youtube.com/embed/abc'></iframe>"
        "<object data='/Uploads/files/bieu-mau-3.pdf' type='application/pdf'></object></div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))
    assert [u for u, _ in page.attachments()] == [
        BASE + "Uploads/files/tb-3.pdf",
        BASE + "Uploads/files/phu-luc-3.docx",
        BASE + "Uploads/files/bieu-mau-3.pdf",
    ]
    assert page.images() == []


def test_a_view_counter_alone_on_its_line_is_not_the_article() -> None:
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage, is_counter_line

    assert [is_counter_line(t) for t in ("Lượt xem: 4.014", "(235 lượt xem)", "Lượt xem", "Xem 3 ảnh")] == [
        True,
        True,
        False,
        False,
    ]
    url = BASE + "tin-tuc/bai-4.html"
    html = (
        "<html><head><title>Gặp mặt điển hình</title></head><body><h1>Gặp mặt điển hình</h1>"
        "<div><span>Lượt xem: 1.056</span></div>"
        "<div><p>Sáng nay, huyện Đông Lâm gặp mặt các điển hình tiên tiến của năm.</p></div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))
    assert page.body_text() == "Sáng nay, huyện Đông Lâm gặp mặt các điển hình tiên tiến của năm."


def test_the_title_is_cut_from_a_document_title_whose_site_name_holds_a_dash() -> None:
    from scraper.pages.title import title_of_document

    full = "Thi đua - Khen thưởng năm 2024 đạt kết quả tốt | Ban Thi đua - Khen thưởng tỉnh Hòa An"
    shown = {"Thi đua - Khen thưởng năm 2024 đạt kết quả tốt"}.__contains__
    assert title_of_document(full, shown) == "Thi đua - Khen thưởng năm 2024 đạt kết quả tốt"
    # a page that does not show its title as a line: the last separator decides, as before
    assert title_of_document("Bài một - Ban Thi đua", lambda _: False) == "Bài một"


def test_a_lead_set_in_bold_by_a_style_is_the_summary() -> None:
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    url = BASE + "tin-tuc/bai-5.html"
    lead = "Sáng 12/6, huyện Đông Lâm tổng kết phong trào thi đua và khen thưởng 30 tập thể."
    html = (
        "<html><head><title>Tổng kết phong trào</title></head><body><h1>Tổng kết phong trào</h1>"
        f"<div><span style='font-weight: bold;'>{lead}</span></div>"
        "<div><p>Hội nghị diễn ra tại hội trường huyện với sự tham dự của các cụm thi đua.</p></div>"
        "</body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))
    assert page.summary() == lead


def test_a_file_lists_heading_before_a_viewer_is_not_the_article() -> None:
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    url = BASE + "tin-tuc/bai-6.html"
    html = (
        "<html><head><title>Kế hoạch thi đua năm</title></head><body><h1>Kế hoạch thi đua năm</h1>"
        "<div><p>Ban ban hành kế hoạch tổ chức phong trào thi đua của năm trên địa bàn tỉnh.</p>"
        "<div><strong>Tài liệu đính kèm:</strong></div>"
        "<div><iframe src='/Uploads/files/ke-hoach-6.pdf'></iframe></div></div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"))
    assert page.body_text() == "Ban ban hành kế hoạch tổ chức phong trào thi đua của năm trên địa bàn tỉnh."
    assert [u for u, _ in page.attachments()] == [BASE + "Uploads/files/ke-hoach-6.pdf"]


def test_a_breadcrumb_ending_with_the_title_is_not_where_the_article_starts() -> None:
    """Portals end the trail with the item's own title; the title shown above the article is where it
    starts, and an item without a summary does not get its own title as one."""
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    title = "Tiêu chuẩn xét tặng danh hiệu Lao động tiên tiến"
    template = SiteTemplate()
    for list_url in (BASE, BASE + "danh-hieu/"):
        listing = segmented(
            "<html><body><ul class='trail'><li><a href='/'>Trang chủ</a></li><li>»</li>"
            f"<li>Tiêu chuẩn</li></ul><ul><li><a href='/danh-hieu/bai-8.html'>{title}</a></li></ul>"
            f"<div>{FOOTER}</div></body></html>",
            list_url,
        )
        root = listing.blocks[0].element.getroottree()
        anchors = [(a, BASE + "danh-hieu/bai-8.html") for a in root.iter("a") if "bai-8" in a.get("href")]
        template.learn_listing(listing, teaser_owners(listing, anchors))
    template.force_mature()
    url = BASE + "danh-hieu/bai-8.html"
    html = (
        f"<html><head><title>{title} | Ban Thi đua</title></head><body>"
        "<ul class='trail'><li><a href='/'>Trang chủ</a></li><li>»</li><li>Tiêu chuẩn</li><li>»</li>"
        f"<li><span>{title}</span></li></ul><div><div><strong>{title}</strong></div>"
        "<div>Ngày đăng: 03/04/2024</div>"
        "<p>Danh hiệu được xét tặng hằng năm cho cá nhân hoàn thành tốt nhiệm vụ được giao.</p></div>"
        f"<div>{FOOTER}</div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"), template)
    assert (page.title(), page.summary()) == (title, None)
    assert page._title_heading == max(page._title_blocks)  # the bold title, not the trail's last step
    assert (
        page.body_text() == "Danh hiệu được xét tặng hằng năm cho cá nhân hoàn thành tốt nhiệm vụ được giao."
    )


def test_a_title_right_below_a_trail_is_still_where_the_article_starts() -> None:
    """Only a title inside the trail is skipped: a heading just below it, with nothing between but the
    trail, heads the article (its figure caption repeating the title comes later)."""
    from scrapy.http import HtmlResponse

    from scraper.pages.detail import DetailPage

    title = "Biểu dương điển hình tiên tiến huyện Đông Lâm"
    template = learned_template()
    url = BASE + "tin-tuc/bai-11.html"
    html = (
        f"<html><head><title>{title}</title></head><body>"
        "<ol><li><a href='/'>Trang chủ</a></li><li><a href='/tin-tuc/'>Tin tức</a></li></ol>"
        f"<article><h1>{title}</h1><p>Đoạn mở đầu của bài mười một, trước tấm ảnh của hội nghị.</p>"
        f"<figure><img src='/Uploads/a11.jpg'><figcaption>{title}</figcaption></figure>"
        "<p>Đoạn sau ảnh của bài mười một.</p></article>"
        f"<div>{FOOTER}</div></body></html>"
    )
    page = DetailPage(HtmlResponse(url=url, body=html.encode(), encoding="utf-8"), template)
    assert page.body_text() == (
        "Đoạn mở đầu của bài mười một, trước tấm ảnh của hội nghị.\n\nĐoạn sau ảnh của bài mười một."
    )
