"""HTML of the replica's pages in two markup themes over the same content.

`classic` imitates the ASP.NET portal the real site runs on (div/table layout, `?page=N` paging with
numbers and "»"); `modern` uses HTML5 nav/article/time elements, other class names and wrappers,
`/<slug>/trang-N.html` paging with "Trang sau", an `<ol>` breadcrumb and `<dl>` metadata. A crawler
tuned to one theme's markup fails on the other, which is the point.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from replica.content import (
    CATEGORY_BY_SLUG,
    ENDLESS_PAGINATION,
    MENU,
    PAGE_SIZE,
    SCRIPT_PARAGRAPH,
    WEEKDAYS,
    BodyTable,
    Category,
    Item,
    us_timestamp,
    vi_date,
)

if TYPE_CHECKING:
    from replica.site import Site

THEMES = ("classic", "modern", "legacy", "soup", "cells", "portal", "press")
SCRIPT_BODY = "<script>document.write('<b>Chào mừng</b>');var tdktCounter = 1;</script><p>{}</p>".format(
    SCRIPT_PARAGRAPH.replace("xem thêm tại đây", "<a href=\"javascript:alert('tdkt')\">xem thêm tại đây</a>")
)
# The seed page's own footer, line by line, as the real site prints it on every page.
SEED_FOOTER = (
    "Thống kê truy cập:1660011",
    "Số người trực tuyến: 172",
    "BAN THI ĐUA KHEN THƯỞNG TỈNH THÁI BÌNH",
    "Địa chỉ: Số 8, Phố Lê Lợi – TP. Thái Bình – Thái Bình",
    "Điện thoại: 0277.3834.292",
    "Email: bantdkt@thaibinh.gov.vn",
    "(Giấy phép thiết lập Trang thông tin điện tử tổng hợp số: xx/GP-STTTT ngày 29/07/2019)",
    'Ghi rõ nguồn: "http://tdkt.thaibinh.gov.vn" khi phát lại thông tin từ website này',
)
# Furniture longer than most articles: prose about the board, shown on every page of the harder themes.
ABOUT_BOX = (
    "Ban Thi đua - Khen thưởng là cơ quan trực thuộc Sở Nội vụ, có chức năng tham mưu, giúp Giám đốc Sở "
    "Nội vụ tham mưu Ủy ban nhân dân tỉnh quản lý nhà nước về công tác thi đua, khen thưởng trên địa bàn "
    "tỉnh, đồng thời là cơ quan thường trực của Hội đồng Thi đua - Khen thưởng tỉnh.",
    "Ban có nhiệm vụ hướng dẫn, kiểm tra các cơ quan, đơn vị, địa phương tổ chức các phong trào thi đua, "
    "thẩm định hồ sơ đề nghị khen thưởng, tổng hợp và nhân rộng các điển hình tiên tiến, mô hình mới, "
    "nhân tố mới trong các tầng lớp nhân dân.",
    "Mọi ý kiến đóng góp, phản ánh về công tác thi đua, khen thưởng xin gửi về địa chỉ thư điện tử của "
    "Ban hoặc liên hệ trực tiếp với bộ phận tiếp nhận hồ sơ vào giờ hành chính các ngày làm việc trong "
    "tuần; Ban sẽ trả lời trong thời gian sớm nhất theo quy định.",
)
WEEK_SCHEDULE = (
    "Thứ Hai (17/02/2025): Giao ban công tác tuần của Ban Thi đua - Khen thưởng",
    "Thứ Tư (19/02/2025): Thẩm định hồ sơ khen thưởng cấp Nhà nước",
    "Thứ Sáu (21/02/2025): Họp Hội đồng Thi đua - Khen thưởng tỉnh",
)
POLL = (
    "Bạn đánh giá thế nào về thủ tục khen thưởng hiện nay?",
    "Rất thuận tiện",
    "Thuận tiện",
    "Còn phức tạp",
)
EXTERNAL_LINKS = [
    ("Cổng thông tin điện tử tỉnh Thái Bình", "https://thaibinh.gov.vn/"),
    ("Facebook Ban Thi đua - Khen thưởng", "https://www.facebook.com/bantdkt.thaibinh"),
    ("Ban Thi đua - Khen thưởng Trung ương", "https://thiduakhenthuongvn.org.vn/"),
]


def e(text: str | None) -> str:
    return escape(text or "", quote=True)


class Theme:
    name = "classic"

    def __init__(self, site: Site) -> None:
        self.site = site

    # -- URLs ----------------------------------------------------------------------------------------------

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}?page={page}"

    # -- shared pieces ---------------------------------------------------------------------------------------

    def menu(self, css: str) -> str:
        out = [f'<ul class="{css}">']
        for label, children in MENU:
            if label == "Trang chủ":
                out.append('<li><a href="/">Trang chủ</a></li>')
                continue
            if (
                len(children) == 1
                and children[0].name.lower() == label.lower()
                and children[0].parent is None
            ):
                out.append(f'<li><a href="{children[0].list_url}">{e(label)}</a></li>')
                continue
            out.append(f'<li class="has-sub">{self.menu_parent(label)}<ul class="sub">')
            for c in children:
                out.append(f'<li><a href="{c.list_url}">{e(c.name)}</a></li>')
            out.append("</ul></li>")
        out.append("</ul>")
        return "".join(out)

    def menu_parent(self, label: str) -> str:
        return f'<a href="javascript:void(0);">{e(label)}</a>'

    def date_text(self, it: Item) -> str:
        return it.published_raw or ""

    def sidebar(self, current: Item | None) -> str:
        s = self.site
        latest = "".join(
            f'<li><a href="{it.url}?utm_source=sidebar&amp;utm_medium=tinmoi">{e(it.title)}</a></li>'
            for it in s.latest_news
        )
        notices = "".join(
            f'<li><a href="{it.url}">{e(it.title)}</a><span class="time">{us_timestamp(it.when)}</span></li>'
            for it in s.latest_notices
        )
        videos = "".join(
            f'<li><a href="{it.url}">{e(it.title[:48] + "..." if len(it.title) > 51 else it.title)}</a></li>'
            for it in s.latest_videos
        )
        return self.sidebar_frame(latest, notices, videos)

    def sidebar_frame(self, latest: str, notices: str, videos: str) -> str:
        return (
            '<div class="col-right">'
            '<div class="box"><div class="title-box">tin mới đăng</div>'
            f'<ul class="list-new">{latest}</ul></div>'
            '<div class="box box-thongbao"><div class="title-box">Thông báo</div>'
            f'<ul class="list-tb">{notices}</ul></div>'
            f'<div class="box box-video"><div class="title-box">video</div><ul>{videos}</ul></div>'
            '<div class="box"><div class="title-box">Liên kết website</div><ul>'
            + "".join(f'<li><a href="{u}" target="_blank">{e(t)}</a></li>' for t, u in EXTERNAL_LINKS)
            + '<li><a href="/lien-ket/chuyen-huong.aspx">Trang liên kết cũ</a></li></ul></div></div>'
        )

    def footer(self) -> str:
        return (
            '<div class="footer"><div class="counter">Thống kê truy cập:<span>1660011</span><br>'
            "Số người trực tuyến: <span>172</span></div>"
            "<h3>BAN THI ĐUA KHEN THƯỞNG TỈNH THÁI BÌNH</h3><ul>"
            "<li>Địa chỉ: Số 8, Phố Lê Lợi – TP. Thái Bình – Thái Bình</li><li>Điện thoại: 0277.3834.292</li>"
            "<li>Email: bantdkt@thaibinh.gov.vn</li></ul>"
            "<p>(Giấy phép thiết lập Trang thông tin điện tử tổng hợp số: xx/GP-STTTT ngày 29/07/2019)</p>"
            '<p>Ghi rõ nguồn: "http://tdkt.thaibinh.gov.vn" khi phát lại thông tin từ website này</p>'
            '<p><a href="/dang-nhap.html">Đăng nhập</a> | <a href="/admin/login.aspx">Quản trị</a> | '
            '<a href="/rss.xml">RSS</a></p></div>'
        )

    def head(self, title: str, og_title: str | None, charset: str) -> str:
        meta = (
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            if charset != "utf-8"
            else '<meta charset="utf-8">'
        )
        og = f'<meta property="og:title" content="{e(og_title)}">' if og_title else ""
        return (
            f'<!DOCTYPE html><html lang="vi"><head>{meta}<title>{e(title)}</title>{og}'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
            '<link rel="stylesheet" href="/Portals/_default/skin.css"></head>'
        )

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        return (
            self.head(title, og_title, charset)
            + '<body><div id="wrapper"><div class="header"><div class="logo"><span>DUKDN</span>'
            '<p class="slogan">Thi đua yêu nước</p><p>Thái Bình thi đua yêu nước</p></div>'
            '<form class="search" action="/tim-kiem" method="get">'
            '<input name="tukhoa"><button>Tìm kiếm</button></form>'
            f'</div><div id="menu-top">{self.menu("menu")}</div>'
            f'<div class="main"><div class="col-left">{self.breadcrumb(crumbs)}{main}</div>'
            f"{self.sidebar(current)}</div>"
            f'<div id="menu-mobile">{self.menu("menu-mb")}</div>{self.footer()}</div></body></html>'
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [f'<a href="{u}">{e(t)}</a>' if u else f"<span>{e(t)}</span>" for t, u in crumbs]
        return '<div class="breadcrumb">' + " &raquo; ".join(parts) + "</div>"

    def crumbs_for(self, cat: Category) -> list[tuple[str, str | None]]:
        crumbs: list[tuple[str, str | None]] = [("Trang chủ", "/")]
        if cat.parent:
            crumbs.append((cat.parent, None))
        crumbs.append((cat.name, cat.list_url))
        return crumbs

    # -- home ----------------------------------------------------------------------------------------------

    def home(self) -> str:
        s = self.site
        featured = "".join(
            f'<div class="item-hot"><a href="{it.url}?utm_source=home&amp;utm_medium=featured">'
            f"{e(it.title)}</a>"
            f"<p>{e(it.summary)}</p></div>"
            for it in s.featured
        )
        blocks = []
        for cat in s.model.categories:
            items = s.model.by_category[cat.slug][:4]
            if cat.static or not items:
                continue
            links = "".join(f'<li><a href="{it.url}">{e(it.title)}</a></li>' for it in items)
            blocks.append(
                f'<div class="home-cat"><h2><a href="{cat.list_url}">{e(cat.name)}</a></h2>'
                f"<ul>{links}</ul></div>"
            )
        return self.page(
            "Ban Thi đua - Khen thưởng tỉnh Thái Bình",
            [("Trang chủ", "/")],
            f'<div class="hot-news">{featured}</div>{"".join(blocks)}',
        )

    # -- lists ---------------------------------------------------------------------------------------------

    def list_page(self, cat: Category, page: int) -> str | None:
        entries = self.site.list_entries(cat.slug)
        pages = max(1, -(-len(entries) // PAGE_SIZE))
        endless = cat.slug == ENDLESS_PAGINATION
        if page < 1 or (page > pages and not endless):
            return None
        chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        if page > pages and self.name == "modern":
            chunk = entries[(pages - 1) * PAGE_SIZE :]  # the modern theme repeats the last page forever
        body = self.legal_table(chunk) if cat.kind == "legal_text" else self.entry_list(cat, chunk)
        pager = self.pager(cat, page, pages, endless)
        title = cat.name if page == 1 else f"{cat.name} - Trang {page}"
        return self.page(title, self.crumbs_for(cat), self.list_frame(cat, body + pager))

    def list_frame(self, cat: Category, inner: str) -> str:
        return f'<div class="list-news"><h2 class="title-cat">{e(cat.name)}</h2>{inner}</div>'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        out = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                shown = us_timestamp(when) if cat.kind == "notice" else f"({vi_date(when)})"
                out.append(
                    f'<div class="item-news"><h3><a href="{path}">{e(title)}</a></h3>'
                    f'<span class="date">{shown}</span></div>'
                )
                continue
            it = entry
            if cat.kind == "notice":
                date = f'<span class="date">{us_timestamp(it.when)}</span>'
            else:
                date = f'<span class="date">({vi_date(it.when)})</span>' if it.date_form != "none" else ""
            img = f'<a class="img" href="{it.url}"><img src="{it.images[0]}" alt=""></a>' if it.images else ""
            sapo = f'<p class="sapo">{e(it.summary)}</p>' if it.summary else ""
            out.append(
                f'<div class="item-news">{img}<h3><a href="{it.url}">{e(it.title)}</a></h3>{date}{sapo}</div>'
            )
        return "".join(out)

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        rows = ["<tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Tải về</th></tr>"]
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                rows.append(
                    f'<tr><td><a href="{path}">—</a></td><td>{vi_date(when)}</td>'
                    f'<td><a href="{path}">{e(title)}</a></td><td></td></tr>'
                )
                continue
            it = entry
            assert it.legal is not None
            issued = datetime.fromisoformat(it.legal["issued_on"])
            dl = "".join(f'<a href="{a.url}">Tải về</a>' for a in it.attachments[:1])
            rows.append(
                f'<tr><td><a href="{it.url}">{e(it.legal["number"])}</a></td><td>{vi_date(issued)}</td>'
                f'<td><a href="{it.url}">{e(it.legal["abstract"])}</a></td><td>{dl}</td></tr>'
            )
        return f'<table class="tbl-vanban" border="1" cellpadding="4">{"".join(rows)}</table>'

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        if pages <= 1 and not endless:
            return ""
        links = []
        for n in range(1, pages + 1):
            links.append(
                f'<span class="current">{n}</span>'
                if n == page
                else f'<a href="{self.list_url(cat, n)}">{n}</a>'
            )
        if page < pages or endless:
            links.append(f'<a class="next" href="{self.list_url(cat, page + 1)}">&raquo;</a>')
        return f'<div class="paging">{" ".join(links)}</div>'

    # -- details -------------------------------------------------------------------------------------------

    def detail(self, it: Item, charset: str = "utf-8") -> str:
        cat = CATEGORY_BY_SLUG[it.category]
        parts = [self.title_block(it), self.tools(), self.date_block(it)]
        if it.summary:
            parts.append(self.summary_block(it.summary))
        if it.label_rows():
            parts.append(self.metadata(it.label_rows()))
        parts.append(self.body(it))
        if it.source:
            parts.append(f'<div class="source"><b>Theo: {e(it.source)}</b></div>')
        if it.attachments:
            parts.append(self.attachments(it))
        related = [x for x in self.site.model.by_category[it.category] if x is not it][:5]
        main = self.detail_frame("".join(parts)) + self.related(related)
        crumbs = self.crumbs_for(cat)
        return self.page(it.title, crumbs, main, current=it, og_title=it.title, charset=charset)

    def detail_frame(self, inner: str) -> str:
        return f'<div class="detail-news">{inner}</div>'

    def title_block(self, it: Item) -> str:
        return f'<h1 class="title-detail">{e(it.title)}</h1>'

    def tools(self) -> str:
        return (
            '<div class="toolbar"><a href="javascript:void(0);" class="read">Đọc bài</a> '
            '<a href="javascript:void(0);" class="stop">Ngừng đọc</a> <span>Tăng / Giảm cỡ chữ</span> '
            '<a href="javascript:void(0);">TĂNG</a> <a href="javascript:void(0);">GIẢM</a></div>'
        )

    def date_block(self, it: Item) -> str:
        return f'<div class="date-detail">{e(it.published_raw)}</div>' if it.published_raw else ""

    def summary_block(self, summary: str) -> str:
        return f'<div class="sapo-detail"><strong>{e(summary)}</strong></div>'

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        # older pages of the portal print "Label: value" lines, newer ones a table
        if self.site.line_style_metadata(rows[0][1]):
            return (
                '<div class="vb-info">' + "".join(f"<p><b>{e(k)}:</b> {e(v)}</p>" for k, v in rows) + "</div>"
            )
        cells = "".join(f'<tr><td class="lbl">{e(k)}</td><td>{e(v)}</td></tr>' for k, v in rows)
        return f'<table class="tbl-thuoctinh" border="1">{cells}</table>'

    def body(self, it: Item) -> str:
        out = []
        for n, para in enumerate(it.paragraphs):
            if it.kind == "qa" and para.startswith(("Hỏi:", "Trả lời:")):
                label, rest = para.split(":", 1)
                out.append(f"<p><strong>{e(label)}:</strong>{e(rest)}</p>")
            else:
                out.append(f"<p>{e(para)}</p>")
            if n == 0:
                for src in it.images:
                    if "loi-anh" in src:
                        out.append(
                            f'<p><img src="{src}" onerror="this.onerror=null;alert(document.cookie)"></p>'
                        )
                    else:
                        out.append(self.figure(src, it.title))
                if "script" in it.quirks:
                    out.append(SCRIPT_BODY)
        for table in it.body_tables():
            out.append(self.table(table))
        if "video" in it.extra:
            src = it.extra["video"]
            if src.startswith("http"):
                out.append(
                    f'<div class="video"><iframe width="560" height="315" src="{src}" allowfullscreen>'
                    "</iframe></div>"
                )
            else:
                out.append(f'<div class="video"><video controls width="560" src="{src}"></video></div>')
        return f'<div class="content-detail" id="divContent">{"".join(out)}</div>'

    def figure(self, src: str, alt: str) -> str:
        return f'<p class="img-center"><img src="{src}" alt="{e(alt)}"></p>'

    def table(self, table: BodyTable) -> str:
        cell = "th" if table.header_in_th else "td"
        head = "".join(
            "<tr>" + "".join(f"<{cell}>{e(v)}</{cell}>" for v in row) + "</tr>" for row in table.header
        )
        body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in table.rows)
        return f'<table class="{table.css}" border="1">{head}{body}</table>'

    def attachments(self, it: Item) -> str:
        lis = "".join(
            f'<li><a href="{a.url}">{e(a.url.rsplit("/", 1)[-1].replace("%20", " "))}</a> '
            f'<a class="dl" href="{a.url}">{e(a.label)}</a></li>'
            for a in it.attachments
        )
        return f'<div class="file-attach"><b>File đính kèm:</b><ul>{lis}</ul></div>'

    def related(self, items: list[Item]) -> str:
        lis = "".join(f'<li><a href="{x.url}">{e(x.title)}</a></li>' for x in items)
        return f'<div class="other-news"><div class="title-box">tin cùng chuyên mục</div><ul>{lis}</ul></div>'

    # -- misc ----------------------------------------------------------------------------------------------

    def simple(self, title: str, text: str) -> str:
        return self.page(
            title,
            [("Trang chủ", "/"), (title, None)],
            f'<div class="detail-news"><h1>{e(title)}</h1><p>{e(text)}</p></div>',
        )


class ModernTheme(Theme):
    name = "modern"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}trang-{page}.html"

    def menu(self, css: str) -> str:
        return f'<nav class="nav nav--{css}" aria-label="Menu">{super().menu("nav__list")}</nav>'

    def menu_parent(self, label: str) -> str:
        return f'<span class="nav__group">{e(label)}</span>'

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        return (
            self.head(title, og_title, charset)
            + '<body class="site"><header class="site-header"><a class="brand" href="/">DUKDN '
            "<small>Thái Bình thi đua yêu nước</small></a>"
            '<form role="search" action="/tim-kiem"><input type="search" name="q"></form>'
            f"{self.menu('primary')}</header>"
            f'<div class="layout"><main class="layout__main">{self.breadcrumb(crumbs)}{main}</main>'
            f"{self.sidebar(current)}</div>"
            f"{self.menu('offcanvas')}{self.footer()}</body></html>"
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        lis = "".join(f'<li><a href="{u}">{e(t)}</a></li>' if u else f"<li>{e(t)}</li>" for t, u in crumbs)
        return f'<nav aria-label="breadcrumb"><ol class="crumbs">{lis}</ol></nav>'

    def sidebar_frame(self, latest: str, notices: str, videos: str) -> str:
        notices = notices.replace('<span class="time">', '<small class="stamp">').replace(
            "</span></li>", "</small></li>"
        )
        return (
            '<aside class="layout__aside">'
            f'<section class="widget"><h2 class="widget__title">tin mới đăng</h2><ul>{latest}</ul></section>'
            '<section class="widget widget--notices"><h2 class="widget__title">Thông báo</h2>'
            f"<ul>{notices}</ul></section>"
            '<section class="widget widget--video"><h2 class="widget__title">video</h2>'
            f"<ul>{videos}</ul></section>"
            '<section class="widget"><h2 class="widget__title">Liên kết website</h2><ul>'
            + "".join(f'<li><a rel="external" href="{u}">{e(t)}</a></li>' for t, u in EXTERNAL_LINKS)
            + '<li><a href="/lien-ket/chuyen-huong.aspx">Trang liên kết cũ</a></li></ul></section></aside>'
        )

    def footer(self) -> str:
        return (
            super()
            .footer()
            .replace('<div class="footer">', '<footer class="site-footer">')
            .removesuffix("</div>")
            + "</footer>"
        )

    def list_frame(self, cat: Category, inner: str) -> str:
        heading = f'<header><h1 class="archive__title">{e(cat.name)}</h1></header>'
        return f'<section class="archive">{heading}{inner}</section>'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        out = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                out.append(
                    f'<article class="card"><h2 class="card__title"><a href="{path}">{e(title)}</a></h2>'
                    f'<time datetime="{when.date().isoformat()}">'
                    f"{us_timestamp(when) if cat.kind == 'notice' else vi_date(when)}</time></article>"
                )
                continue
            it = entry
            if cat.kind == "notice":
                stamp = us_timestamp(it.when)
                date = f'<time class="card__time" datetime="{it.when.isoformat()}">{stamp}</time>'
            elif it.date_form != "none":
                day = it.when.date().isoformat()
                date = f'<time class="card__time" datetime="{day}">{vi_date(it.when)}</time>'
            else:
                date = ""
            fig = (
                f'<figure class="card__media"><img src="{it.images[0]}" alt=""></figure>' if it.images else ""
            )
            sapo = f'<p class="card__excerpt">{e(it.summary)}</p>' if it.summary else ""
            out.append(
                f'<article class="card">{fig}<h2 class="card__title">'
                f'<a href="{it.url}">{e(it.title)}</a></h2>'
                f"{date}{sapo}</article>"
            )
        return f'<div class="cards">{"".join(out)}</div>'

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        return (
            super()
            .legal_table(chunk)
            .replace(
                '<table class="tbl-vanban" border="1" cellpadding="4">', '<table class="doc-table"><thead>', 1
            )
            .replace("</th></tr>", "</th></tr></thead><tbody>", 1)
            .replace("</table>", "</tbody></table>")
        )

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        links = []
        if page > 1:
            links.append(
                f'<a rel="prev" class="pager__prev" href="{self.list_url(cat, page - 1)}">Trang trước</a>'
            )
        links.append(f'<span class="pager__info">Trang {page}/{pages}</span>')
        if page < pages or endless:
            links.append(
                f'<a rel="next" class="pager__next" href="{self.list_url(cat, page + 1)}">Trang sau</a>'
            )
        return f'<nav class="pager" aria-label="Phân trang">{"".join(links)}</nav>'

    def detail_frame(self, inner: str) -> str:
        return f'<article class="post">{inner}</article>'

    def title_block(self, it: Item) -> str:
        return f'<header class="post__header"><h1 class="post__title">{e(it.title)}</h1></header>'

    def tools(self) -> str:
        return (
            '<div class="post__tools"><button type="button" data-tts="start">Đọc bài</button>'
            '<button type="button" data-tts="stop">Ngừng đọc</button> <span>Tăng / Giảm cỡ chữ</span>'
            '<button type="button" data-font="+">TĂNG</button>'
            '<button type="button" data-font="-">GIẢM</button></div>'
        )

    def date_block(self, it: Item) -> str:
        if not it.published_raw:
            return ""
        iso = it.published_at or ""
        return f'<p class="post__meta"><time datetime="{iso}">{e(it.published_raw)}</time></p>'

    def summary_block(self, summary: str) -> str:
        return f'<p class="post__lead">{e(summary)}</p>'

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
        return f'<dl class="doc-meta">{items}</dl>'

    def body(self, it: Item) -> str:
        return (
            super()
            .body(it)
            .replace('<div class="content-detail" id="divContent">', '<div class="post__body">', 1)
        )

    def figure(self, src: str, alt: str) -> str:
        image = f'<img src="{src}" alt="{e(alt)}">'
        return f'<figure class="post__figure">{image}<figcaption>{e(alt)}</figcaption></figure>'

    def attachments(self, it: Item) -> str:
        lis = "".join(
            f'<li class="files__item"><span>{e(a.url.rsplit("/", 1)[-1].replace("%20", " "))}</span> '
            f'<a class="files__link" href="{a.url}" download>{e(a.label)}</a></li>'
            for a in it.attachments
        )
        return f'<section class="files"><h2>File đính kèm</h2><ul>{lis}</ul></section>'

    def related(self, items: list[Item]) -> str:
        lis = "".join(f'<li><a href="{x.url}">{e(x.title)}</a></li>' for x in items)
        return f'<section class="related"><h2>tin cùng chuyên mục</h2><ul>{lis}</ul></section>'


class LegacyTheme(Theme):
    """A third markup, kept as a hold-out: an older table-layout portal with `?trang=N` paging ("Trang
    tiếp"), a slash-separated path line, and metadata as "Label: value" lines on every page."""

    name = "legacy"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}?trang={page}"

    def menu(self, css: str) -> str:
        return f'<div class="mnu-{css}">{super().menu("tree")}</div>'

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        return (
            self.head(title, og_title, charset)
            + '<body><table id="khung" width="100%" cellspacing="0"><tr><td colspan="2" class="banner">'
            "<b>DUKDN</b> Thái Bình thi đua yêu nước"
            '<form action="/tim-kiem"><input name="tu"></form></td></tr>'
            f'<tr><td colspan="2" class="topmenu">{self.menu("top")}</td></tr>'
            f'<tr><td class="noidung" valign="top">{self.breadcrumb(crumbs)}{main}</td>'
            f'<td class="cotphai" valign="top">{self.sidebar(current)}</td></tr>'
            f'<tr><td colspan="2">{self.menu("bottom")}{self.footer()}</td></tr></table></body></html>'
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [f'<a href="{u}">{e(t)}</a>' if u else e(t) for t, u in crumbs]
        return '<p class="duongdan">' + " / ".join(parts) + "</p>"

    def list_frame(self, cat: Category, inner: str) -> str:
        return f'<div class="dm"><div class="dm-ten">{e(cat.name)}</div>{inner}</div>'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        rows = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                shown = us_timestamp(when) if cat.kind == "notice" else vi_date(when)
                rows.append(f'<li><a href="{path}">{e(title)}</a> <i>{shown}</i></li>')
                continue
            it = entry
            if cat.kind == "notice":
                shown = us_timestamp(it.when)
            else:
                shown = vi_date(it.when) if it.date_form != "none" else ""
            lead = f"<br><small>{e(it.summary)}</small>" if it.summary else ""
            rows.append(f'<li><a href="{it.url}">{e(it.title)}</a> <i>{shown}</i>{lead}</li>')
        return f'<ul class="ds-tin">{"".join(rows)}</ul>'

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        return (
            super()
            .legal_table(chunk)
            .replace('class="tbl-vanban" border="1" cellpadding="4"', 'class="grid"', 1)
        )

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        links = []
        if page > 1:
            links.append(f'<a href="{self.list_url(cat, 1)}">Trang đầu</a>')
        if page < pages or endless:
            links.append(f'<a href="{self.list_url(cat, page + 1)}">Trang tiếp</a>')
        if page < pages:
            links.append(f'<a href="{self.list_url(cat, pages)}">Trang cuối</a>')
        return f'<div class="phantrang">{" | ".join(links)}</div>'

    def detail_frame(self, inner: str) -> str:
        return f'<div id="baiviet">{inner}</div>'

    def title_block(self, it: Item) -> str:
        return f'<h1 class="tieude">{e(it.title)}</h1>'

    def date_block(self, it: Item) -> str:
        return f'<span class="ngay">{e(it.published_raw)}</span>' if it.published_raw else ""

    def summary_block(self, summary: str) -> str:
        return f'<p class="tomtat"><b>{e(summary)}</b></p>'

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        return '<div class="thuoctinh">' + "<br>".join(f"{e(k)}: {e(v)}" for k, v in rows) + "</div>"

    def body(self, it: Item) -> str:
        return (
            super()
            .body(it)
            .replace('<div class="content-detail" id="divContent">', '<div class="noidung-bai">', 1)
        )

    def attachments(self, it: Item) -> str:
        links = ", ".join(f'<a href="{a.url}">{e(a.label)}</a>' for a in it.attachments)
        return f"<p>File đính kèm: {links}</p>"

    def related(self, items: list[Item]) -> str:
        lis = "".join(f'<li><a href="{x.url}">{e(x.title)}</a></li>' for x in items)
        return f'<div class="cungchuyenmuc"><b>tin cùng chuyên mục</b><ul>{lis}</ul></div>'


class SoupTheme(Theme):
    """Plain div soup, as a page builder writes it: no header/footer/article/nav elements, class names
    that say nothing, every part of the page (sidebar boxes first, then the article, its related box,
    a long prose box and the seed's real footer) a sibling `div` of one container, paragraphs as `div`s,
    labels and values in separate `div`s, box headings no label table knows, a week's schedule whose
    lines start with weekdays and dates, and a sidebar of other items' PDFs."""

    name = "soup"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}?p={page}"

    def menu(self, css: str) -> str:
        return (
            super()
            .menu(f"k{len(css)}")
            .replace('class="has-sub"', 'class="k2"')
            .replace('class="sub"', 'class="k3"')
        )

    def menu_parent(self, label: str) -> str:
        return f'<a href="#">{e(label)}</a>'

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        return (
            self.head(title, og_title, charset)
            + '<body><div class="w0"><div class="a1"><span class="a2">DUKDN</span> Thái Bình thi đua yêu nước'
            '</div><div class="a3"><input name="k"> <a href="#" class="a4">Tìm</a></div>'
            f'<div class="a5">{self.menu("top")}</div>'
            f"{self.sidebar(current)}{self.breadcrumb(crumbs)}{main}{self.about_box()}"
            f'<div class="a6">{self.menu("mobile")}</div>{self.footer()}</div></body></html>'
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [f'<a href="{u}">{e(t)}</a>' if u else f"<span>{e(t)}</span>" for t, u in crumbs]
        return '<div class="m1">' + " › ".join(parts) + "</div>"

    def sidebar(self, current: Item | None) -> str:
        s = self.site
        latest = "".join(
            f'<div class="b3"><a href="{it.url}">{e(it.title)}</a></div>' for it in s.latest_news
        )
        notices = "".join(
            f'<div class="b3"><a href="{it.url}">{e(it.title)}</a> <span>{us_timestamp(it.when)}</span></div>'
            for it in s.latest_notices
        )
        documents = "".join(
            f'<div class="b3"><a href="{it.url}">{e(it.title)}</a> '
            f'<a href="{it.attachments[0].url}">[PDF]</a></div>'
            for it in s.latest_documents
        )
        schedule = "".join(f'<div class="b4">{e(line)}</div>' for line in WEEK_SCHEDULE)
        question, *options = POLL
        poll = "".join(f'<div class="b4"><input type="radio" name="v"> {e(o)}</div>' for o in options)
        return (
            f'<div class="b1">Tin nổi bật</div>{latest}'
            f'<div class="b1">Văn bản mới ban hành</div>{documents}'
            f'<div class="b1">Lịch công tác tuần</div>{schedule}'
            f'<div class="b1">Thông báo</div>{notices}'
            f'<div class="b1">Thăm dò ý kiến</div><div class="b4">{e(question)}</div>{poll}'
            '<div class="b4"><a href="#" class="b5">Bình chọn</a> <a href="#">Xem kết quả</a></div>'
        )

    def about_box(self) -> str:
        return '<div class="b1">Giới thiệu chung</div>' + "".join(
            f'<div class="b6">{e(x)}</div>' for x in ABOUT_BOX
        )

    def footer(self) -> str:
        lines = "".join(f'<div class="f{n}">{e(line)}</div>' for n, line in enumerate(SEED_FOOTER))
        return (
            lines
            + '<div class="f9"><a href="/dang-nhap.html">Đăng nhập</a> | <a href="/rss.xml">RSS</a></div>'
        )

    def list_frame(self, cat: Category, inner: str) -> str:
        return f'<div class="c1">{e(cat.name)}</div>{inner}'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        out = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                shown = us_timestamp(when) if cat.kind == "notice" else f"({vi_date(when)})"
                out.append(
                    f'<div class="e1"><div class="e2"><a href="{path}">{e(title)}</a></div>'
                    f'<div class="e3">{shown}</div></div>'
                )
                continue
            it = entry
            if cat.kind == "notice":
                date = f'<div class="e3">{us_timestamp(it.when)}</div>'
            else:
                date = f'<div class="e3">({vi_date(it.when)})</div>' if it.date_form != "none" else ""
            img = f'<div class="e5"><img src="{it.images[0]}" alt=""></div>' if it.images else ""
            sapo = f'<div class="e4">{e(it.summary)}</div>' if it.summary else ""
            link = f'<div class="e2"><a href="{it.url}">{e(it.title)}</a></div>'
            out.append(f'<div class="e1">{img}{link}{date}{sapo}</div>')
        return "".join(out)

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        if pages <= 1 and not endless:
            return ""
        links = [
            f"<span>{n}</span>" if n == page else f'<a href="{self.list_url(cat, n)}">{n}</a>'
            for n in range(1, pages + 1)
        ]
        if page < pages or endless:
            links.append(f'<a href="{self.list_url(cat, page + 1)}">›</a>')
        return f'<div class="g1">{" ".join(links)}</div>'

    def detail_frame(self, inner: str) -> str:
        return inner

    def title_block(self, it: Item) -> str:
        return f'<div class="t1">{e(it.title)}</div>'

    def tools(self) -> str:
        return (
            '<div class="t2"><a href="#">Đọc bài</a> <a href="#">Ngừng đọc</a> Cỡ chữ '
            '<a href="#">A+</a> <a href="#">A-</a> <a href="#">In bài</a></div>'
        )

    def date_block(self, it: Item) -> str:
        return f'<div class="t3">{e(it.published_raw)}</div>' if it.published_raw else ""

    def summary_block(self, summary: str) -> str:
        return f'<div class="t4"><b>{e(summary)}</b></div>'

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        cells = "".join(
            f'<div class="r1"><div class="r2">{e(k)}</div><div class="r3">{e(v)}</div></div>' for k, v in rows
        )
        return f'<div class="r0">{cells}</div>'

    def body(self, it: Item) -> str:
        html = (
            super()
            .body(it)
            .replace('<div class="content-detail" id="divContent">', "", 1)
            .removesuffix("</div>")
        )
        return (
            html.replace("<p>", '<div class="p0">')
            .replace("</p>", "</div>")
            .replace('<p class="img-center">', '<div class="p1">')
        )

    def attachments(self, it: Item) -> str:
        links = " ".join(
            f'<a href="{a.url}">{e(a.url.rsplit("/", 1)[-1].replace("%20", " "))}</a>' for a in it.attachments
        )
        return f'<div class="t5">Tệp đính kèm: {links}</div>'

    def related(self, items: list[Item]) -> str:
        entries = "".join(
            f'<div class="o2"><a href="{x.url}">{e(x.title)}</a> <span>({vi_date(x.when)})</span></div>'
            for x in items
        )
        return f'<div class="o1">Bài viết cùng chủ đề</div>{entries}'


class CellsTheme(Theme):
    """An old portal laid out in table cells with no class names at all: banner, menu, a left column of
    boxes, the article cell (title, date and paragraphs as `<br>`-broken text in the one cell, labels in
    a two-column table), a right column, and the seed's footer in the last row."""

    name = "cells"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}?page={page}"

    def menu(self, css: str) -> str:
        return (
            super()
            .menu(css)
            .replace(' class="has-sub"', "")
            .replace(' class="sub"', "")
            .replace(f' class="{css}"', "")
        )

    def menu_parent(self, label: str) -> str:
        return f"<b>{e(label)}</b>"

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        s = self.site
        left = (
            "<b>Tin nổi bật</b><br>"
            + "".join(f'<a href="{it.url}">{e(it.title)}</a><br>' for it in s.latest_news)
            + "<br><b>Lịch công tác tuần</b><br>"
            + "".join(f"{e(line)}<br>" for line in WEEK_SCHEDULE)
        )
        right = (
            "<b>Thông báo</b><br>"
            + "".join(
                f'<a href="{it.url}">{e(it.title)}</a> <font size="1">{us_timestamp(it.when)}</font><br>'
                for it in s.latest_notices
            )
            + "<br><b>Giới thiệu chung</b><br>"
            + "<br><br>".join(e(x) for x in ABOUT_BOX)
        )
        footer = "<br>".join(e(line) for line in SEED_FOOTER)
        return (
            self.head(title, og_title, charset)
            + '<body><table width="1000" align="center" cellspacing="0" cellpadding="4">'
            '<tr><td colspan="3"><font size="5">DUKDN</font> Thái Bình thi đua yêu nước</td></tr>'
            f'<tr><td colspan="3">{self.menu("m")}</td></tr>'
            f'<tr><td width="200" valign="top">{left}</td>'
            f'<td width="600" valign="top">{self.breadcrumb(crumbs)}{main}</td>'
            f'<td width="200" valign="top">{right}</td></tr>'
            f'<tr><td colspan="3">{self.menu("m2")}</td></tr>'
            f'<tr><td colspan="3" align="center">{footer}</td></tr></table></body></html>'
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [f'<a href="{u}">{e(t)}</a>' if u else e(t) for t, u in crumbs]
        return " &gt; ".join(parts) + "<br>"

    def list_frame(self, cat: Category, inner: str) -> str:
        return f'<font size="4"><b>{e(cat.name)}</b></font><br>{inner}'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        rows = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                shown = us_timestamp(when) if cat.kind == "notice" else vi_date(when)
                rows.append(f'<tr><td><a href="{path}">{e(title)}</a><br><i>{shown}</i></td></tr>')
                continue
            it = entry
            shown = (
                us_timestamp(it.when)
                if cat.kind == "notice"
                else (vi_date(it.when) if it.date_form != "none" else "")
            )
            lead = f"<br>{e(it.summary)}" if it.summary else ""
            rows.append(f'<tr><td><a href="{it.url}">{e(it.title)}</a><br><i>{shown}</i>{lead}</td></tr>')
        return f'<table width="100%">{"".join(rows)}</table>'

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        return super().legal_table(chunk).replace(' class="tbl-vanban"', "", 1)

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        links = []
        if page < pages or endless:
            links.append(f'<a href="{self.list_url(cat, page + 1)}">Trang sau</a>')
        return " ".join(links) + "<br>"

    def detail_frame(self, inner: str) -> str:
        return inner

    def title_block(self, it: Item) -> str:
        return f'<font size="4" color="#003399"><b>{e(it.title)}</b></font><br>'

    def tools(self) -> str:
        return '<a href="javascript:window.print()">In trang</a> | <a href="#">Gửi bạn bè</a><br>'

    def date_block(self, it: Item) -> str:
        return f'<font size="1">{e(it.published_raw)}</font><br><br>' if it.published_raw else "<br>"

    def summary_block(self, summary: str) -> str:
        return f"<i>{e(summary)}</i><br><br>"

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        cells = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in rows)
        return f'<table border="1" width="100%">{cells}</table><br>'

    def body(self, it: Item) -> str:
        html = (
            super()
            .body(it)
            .replace('<div class="content-detail" id="divContent">', "", 1)
            .removesuffix("</div>")
        )
        return html.replace("<p>", "").replace("</p>", "<br><br>")

    def figure(self, src: str, alt: str) -> str:
        return f'<center><img src="{src}" alt="{e(alt)}"></center>'

    def attachments(self, it: Item) -> str:
        return "".join(f'<a href="{a.url}">{e(a.label)}</a><br>' for a in it.attachments)

    def related(self, items: list[Item]) -> str:
        return "<br><b>Tin đã đưa</b><br>" + "".join(
            f'<a href="{x.url}">{e(x.title)}</a> ({vi_date(x.when)})<br>' for x in items
        )


# The portal theme's own furniture: another CMS's footer, with its own wording (invented) and one
# sentence that some articles also say in their own text, which must stay in those articles.
PORTAL_FOOTER = (
    "Cơ quan chủ quản: Sở Nội vụ tỉnh Thái Bình",
    "Bản quyền thuộc Ban Thi đua - Khen thưởng tỉnh Thái Bình",
    "Địa chỉ: Số 8 Lê Lợi, phường Lê Hồng Phong, thành phố Thái Bình, tỉnh Thái Bình",
    "Điện thoại: (0227) 3 834 292 - Fax: (0227) 3 834 293 - Email: bantdkt@thaibinh.gov.vn",
    "Chịu trách nhiệm chính: Trưởng Ban Thi đua - Khen thưởng tỉnh",
    "Ghi rõ nguồn Cổng thông tin Ban Thi đua - Khen thưởng tỉnh Thái Bình khi phát hành lại thông tin.",
)
# A sentence the footer shares with the answers of the Q&A pages (replica.content writes it there).
PORTAL_FOOTER_QUOTE = "Ban Thi đua - Khen thưởng trân trọng cảm ơn ông (bà) đã quan tâm."
# A sidebar note that repeats, word for word, a sentence many award guidance pages end with.
PORTAL_SIDEBAR_NOTE = (
    "Hồ sơ đề nghị khen thưởng gửi qua Bộ phận Một cửa của Sở Nội vụ trước ngày 15 hằng tháng.",
    "Cơ quan, đơn vị trình khen chịu trách nhiệm về tính chính xác của báo cáo thành tích.",
)
PORTAL_TODAY = "Hôm nay: Thứ Năm, 05/06/2025"


class PortalTheme(Theme):
    """Another CMS's rendering of the same content, in the way of the provincial portals built on
    portlet frameworks (Liferay-, SharePoint- and VNPT-style): every box a nested portlet whose
    `<header>` is the box's title bar, the article's title in a bold `div` (the portlet's own heading
    says "Chi tiết tin"), the page's `<title>` carrying the site's name and no og:title, today's date in
    the banner, a "Lượt xem" counter beside the date, share/print/font-size tools, body text in `div`s
    and `span style`s with `&nbsp;`, short lines as bold paragraphs, tables pasted from a word processor
    (each cell a paragraph), "Nguồn:" instead of "Theo:", files offered as "Tải về" links or only
    as an embedded viewer, a right column of boxes longer than the short articles (other items' titles
    with their teasers and dates), "Tin liên quan" and "Các tin khác" lists, a footer with address,
    copyright and a visitor counter, the menu again as a site map, and `?cur=N` paging with
    "Đầu / Trước / Tiếp / Cuối" around a window of page numbers."""

    name = "portal"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}?cur={page}"

    def menu(self, css: str) -> str:
        return (
            super()
            .menu(f"nav-{css}")
            .replace('class="has-sub"', 'class="dropdown"')
            .replace('class="sub"', 'class="dropdown-menu"')
        )

    def menu_parent(self, label: str) -> str:
        return f'<a href="#" class="dropdown-toggle">{e(label)} <b class="caret"></b></a>'

    def head(self, title: str, og_title: str | None, charset: str) -> str:
        # The CMS writes the site's name into every <title> and no Open Graph tags.
        full = (
            title
            if title.startswith("Ban Thi đua")
            else f"{title} | Ban Thi đua - Khen thưởng tỉnh Thái Bình"
        )
        return (
            super()
            .head(full, None, charset)
            .replace(
                '<link rel="stylesheet" href="/Portals/_default/skin.css">',
                '<link rel="stylesheet" href="/html/themes/portal-tdkt/css/main.css">',
            )
        )

    def portlet(self, pid: str, heading: str, inner: str) -> str:
        return (
            f'<div class="portlet-boundary" id="p_p_id_{pid}_"><section class="portlet">'
            '<header class="portlet-topper">'
            f'<h2 class="portlet-title"><span>{e(heading)}</span></h2></header>'
            f'<div class="portlet-content"><div class="portlet-body">{inner}</div></div></section></div>'
        )

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        crumb = self.portlet("73_INSTANCE_bc", "Đường dẫn", self.breadcrumb(crumbs))
        return (
            self.head(title, og_title, charset)
            + '<body class="portal-body"><div id="wrapper"><header id="banner" role="banner">'
            '<div class="site-name">BAN THI ĐUA - KHEN THƯỞNG TỈNH THÁI BÌNH</div>'
            f'<div class="today">{e(PORTAL_TODAY)}</div>'
            '<form action="/tim-kiem" class="search"><input name="keywords" placeholder="Tìm kiếm...">'
            "</form></header>"
            f'<nav id="navigation">{self.menu("main")}</nav>'
            '<div id="content"><div class="columns-2-1" id="main-content" role="main">'
            '<div class="portlet-layout">'
            f'<div class="portlet-column portlet-column-first">{crumb}{main}</div>'
            f'<div class="portlet-column portlet-column-last">{self.sidebar(current)}</div></div>'
            "</div></div>"
            f"{self.footer()}</div></body></html>"
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [
            f'<li><a href="{u}">{e(t)}</a></li>' if u else f"<li><span>{e(t)}</span></li>" for t, u in crumbs
        ]
        return '<ul class="breadcrumbs">' + '<li class="divider">»</li>'.join(parts) + "</ul>"

    def most_viewed(self) -> list[Item]:
        ranked = sorted(
            (x for x in self.site.model.items if x.site_id is not None),
            key=lambda x: hashlib.md5(x.url.encode()).hexdigest(),
        )
        return ranked[:6]  # the page's own item among them, when it is one of the most read

    @staticmethod
    def count(key: str) -> int:
        # counters differ from page to page, as a live CMS's do
        return int(hashlib.md5(key.encode()).hexdigest()[:6], 16) % 5000 + 37

    def views(self, key: str) -> str:
        return f"{self.count(key):,}".replace(",", ".")

    def sidebar(self, current: Item | None) -> str:
        s = self.site
        latest = "".join(
            f'<div class="news-item"><div class="title"><a href="{it.url}">{e(it.title)}</a></div>'
            f'<div class="date">Ngày đăng: {vi_date(it.when)}</div>'
            + (f'<div class="sapo">{e(it.summary)}</div>' if it.summary else "")
            + "</div>"
            for it in s.latest_news  # the page's own item too, as a portal's box does not know the page
        )
        viewed = "".join(
            f'<li><a href="{x.url}">{e(x.title)}</a> '
            f'<span class="views">({self.views(x.url)} lượt xem)</span></li>'
            for x in self.most_viewed()
        )
        notices = "".join(
            f'<li><a href="{it.url}">{e(it.title)}</a> <span class="date">({vi_date(it.when)})</span></li>'
            for it in s.latest_notices
        )
        documents = "".join(f'<li><a href="{it.url}">{e(it.title)}</a></li>' for it in s.latest_documents)
        note = "".join(f"<p>{e(x)}</p>" for x in PORTAL_SIDEBAR_NOTE)
        links = "".join(f'<option value="{u}">{e(t)}</option>' for t, u in EXTERNAL_LINKS)
        counter = (
            f"<ul><li>Đang truy cập: {self.count('online' + (current.url if current else '')) % 90 + 5}</li>"
            f"<li>Hôm nay: {self.views('today' + (current.url if current else ''))}</li>"
            "<li>Tổng lượt truy cập: 1.660.011</li></ul>"
        )
        return (
            self.portlet("101_INSTANCE_moi", "Tin mới nhất", latest)
            + self.portlet("101_INSTANCE_xem", "Xem nhiều nhất", f"<ul>{viewed}</ul>")
            + self.portlet("101_INSTANCE_tb", "Thông báo", f"<ul>{notices}</ul>")
            + self.portlet("110_INSTANCE_vb", "Văn bản mới", f"<ul>{documents}</ul>")
            + self.portlet("56_INSTANCE_luuy", "Lưu ý khi lập hồ sơ", note)
            + self.portlet(
                "56_INSTANCE_lk",
                "Liên kết website",
                '<select onchange="window.open(this.value)"><option>-- Chọn liên kết --</option>'
                f"{links}</select>",
            )
            + self.portlet("86_INSTANCE_tk", "Thống kê truy cập", counter)
        )

    def footer(self) -> str:
        lines = "".join(f"<p>{e(x)}</p>" for x in (*PORTAL_FOOTER[:5], PORTAL_FOOTER_QUOTE, PORTAL_FOOTER[5]))
        return (
            f'<footer id="footer" role="contentinfo"><div class="sitemap"><b>Sơ đồ cổng</b>'
            f'{self.menu("sitemap")}</div><div class="footer-info">{lines}</div>'
            '<div class="footer-links"><a href="/dang-nhap.html">Đăng nhập</a> | <a href="/rss.xml">RSS</a>'
            "</div></footer>"
        )

    def home(self) -> str:
        s = self.site
        featured = "".join(
            f'<div class="news-item"><div class="title"><a href="{it.url}">{e(it.title)}</a></div>'
            f'<div class="sapo">{e(it.summary)}</div></div>'
            for it in s.featured
        )
        blocks = [self.portlet("101_INSTANCE_noibat", "Tin nổi bật", featured)]
        for cat in s.model.categories:
            items = s.model.by_category[cat.slug][:4]
            if cat.static or not items:
                continue
            links = "".join(
                f'<li><a href="{it.url}">{e(it.title)}</a> <span class="date">{vi_date(it.when)}</span></li>'
                for it in items
            )
            more = f'<a class="more" href="{cat.list_url}">Xem tất cả »</a>'
            blocks.append(self.portlet(f"101_INSTANCE_{cat.slug[:12]}", cat.name, f"<ul>{links}</ul>{more}"))
        return self.page("Ban Thi đua - Khen thưởng tỉnh Thái Bình", [("Trang chủ", "/")], "".join(blocks))

    def list_frame(self, cat: Category, inner: str) -> str:
        return self.portlet("101_INSTANCE_ds", cat.name, inner)

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        out = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                shown = us_timestamp(when) if cat.kind == "notice" else f"Ngày đăng: {vi_date(when)}"
                out.append(
                    f'<div class="news-item"><div class="title"><a href="{path}">{e(title)}</a></div>'
                    f'<div class="date">{shown}</div></div>'
                )
                continue
            it = entry
            if cat.kind == "notice":
                date = f'<div class="date"><span>{us_timestamp(it.when)}</span></div>'
            elif it.date_form != "none":
                date = f'<div class="date">Ngày đăng: {vi_date(it.when)}</div>'
            else:
                date = ""
            img = (
                f'<div class="img"><a href="{it.url}"><img src="{it.images[0]}" alt=""></a></div>'
                if it.images
                else ""
            )
            sapo = f'<div class="sapo">{e(it.summary)}</div>' if it.summary else ""
            more = f'<a class="more" href="{it.url}">Xem tiếp »</a>'
            out.append(
                f'<div class="news-item">{img}<div class="title"><a href="{it.url}">{e(it.title)}</a></div>'
                f"{date}{sapo}{more}</div>"
            )
        return "".join(out)

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        rows = [
            "<tr><td><b>STT</b></td><td><b>Số/Ký hiệu</b></td><td><b>Ngày ban hành</b></td>"
            "<td><b>Trích yếu nội dung</b></td><td><b>File</b></td></tr>"
        ]
        for n, entry in enumerate(chunk, 1):
            if isinstance(entry, tuple):
                path, title, when = entry
                rows.append(
                    f"<tr><td>{n}</td><td></td><td>{vi_date(when)}</td>"
                    f'<td><a href="{path}">{e(title)}</a></td><td></td></tr>'
                )
                continue
            it = entry
            assert it.legal is not None
            issued = datetime.fromisoformat(it.legal["issued_on"])
            dl = "".join(f'<a href="{a.url}" title="Tải về">Tải về</a>' for a in it.attachments[:1])
            rows.append(
                f'<tr><td>{n}</td><td><a href="{it.url}">{e(it.legal["number"])}</a></td>'
                f"<td>{vi_date(issued)}</td>"
                f'<td><a href="{it.url}">{e(it.legal["abstract"])}</a></td><td>{dl}</td></tr>'
            )
        return f'<table class="table table-bordered">{"".join(rows)}</table>'

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        if pages <= 1 and not endless:
            return ""
        first = (page - 1) * PAGE_SIZE + 1
        total = len(self.site.list_entries(cat.slug))
        shown = f"Hiển thị {first} - {min(page * PAGE_SIZE, total)} của {total} kết quả"
        links = []
        if page > 1:
            links.append(f'<a href="{self.list_url(cat, 1)}">Đầu</a>')
            links.append(f'<a href="{self.list_url(cat, page - 1)}">Trước</a>')
        for n in range(max(1, page - 2), min(pages, page + 2) + 1):
            links.append(
                f"<strong>{n}</strong>" if n == page else f'<a href="{self.list_url(cat, n)}">{n}</a>'
            )
        if page < pages or endless:
            links.append(f'<a href="{self.list_url(cat, page + 1)}">Tiếp</a>')
        if page < pages:
            links.append(f'<a href="{self.list_url(cat, pages)}">Cuối</a>')
        info = f'<div class="search-results">{shown}</div>'
        return f'<div class="taglib-page-iterator">{info}{" ".join(links)}</div>'

    def detail(self, it: Item, charset: str = "utf-8") -> str:
        cat = CATEGORY_BY_SLUG[it.category]
        parts = [self.title_block(it), self.date_block(it), self.tools(it)]
        if it.summary:
            parts.append(self.summary_block(it.summary))
        if it.label_rows():
            parts.append(self.metadata(it.label_rows()))
        parts.append(self.body(it))
        if it.source:
            parts.append(f'<div style="text-align: right;"><strong>Nguồn: {e(it.source)}</strong></div>')
        if it.attachments:
            parts.append(self.attachments(it))
        siblings = [x for x in self.site.model.by_category[it.category] if x is not it]
        article = f'<div class="journal-content-article">{"".join(parts)}</div>'
        main = self.portlet("56_INSTANCE_ct", "Chi tiết tin", article)
        main += self.portlet("101_INSTANCE_lq", "Tin liên quan", self.related(siblings[:3]))
        main += self.portlet("101_INSTANCE_khac", "Các tin khác", self.related(siblings[3:8]))
        # The trail ends with the article's own title, as a portal's breadcrumb portlet writes it.
        crumbs = [*self.crumbs_for(cat), (it.title, None)]
        return self.page(it.title, crumbs, main, current=it, charset=charset)

    def title_block(self, it: Item) -> str:
        return f'<div class="news-title"><strong>{e(it.title)}</strong></div>'

    def tools(self, it: Item | None = None) -> str:  # type: ignore[override]
        url = it.url if it else "/"
        return (
            '<div class="news-tools"><a href="javascript:window.print()">In trang</a> | '
            f'<a href="mailto:?subject={e(it.title if it else "")}">Gửi email</a> | '
            "Chia sẻ: "
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank">Facebook</a> '
            f'<a href="https://zalo.me/share?u={url}" target="_blank">Zalo</a> | Cỡ chữ: '
            '<a href="javascript:void(0)">A-</a> <a href="javascript:void(0)">A</a> '
            '<a href="javascript:void(0)">A+</a></div>'
        )

    def date_text(self, it: Item) -> str:
        d = it.when
        match it.date_form:
            case "ngay":
                return f"Ngày đăng: {vi_date(d)}"
            case "capnhat":
                return f"Cập nhật lúc {d.hour:02d}:{d.minute:02d} ngày {vi_date(d)}"
            case "thu":
                return f"{WEEKDAYS[d.weekday()]}, ngày {vi_date(d)}"
            case "ngaydang":
                return f"{WEEKDAYS[d.weekday()]}, {vi_date(d)} - {d.hour:02d}:{d.minute:02d}"
            case "dangngay":
                return f"Ngày xuất bản: {d.day:02d}-{d.month:02d}-{d.year}"
        return ""

    def date_block(self, it: Item) -> str:
        shown = self.date_text(it)
        date = f'<span class="date">{e(shown)}</span> | ' if shown else ""
        return f'<div class="news-date">{date}<span class="views">Lượt xem: {self.views(it.url)}</span></div>'

    def summary_block(self, summary: str) -> str:
        return f'<div class="news-sapo"><span style="font-weight: bold;">{e(summary)}</span></div>'

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        if self.site.line_style_metadata(rows[0][1]):
            return "".join(f"<p><strong>{e(k)}</strong>: {e(v)}</p>" for k, v in rows)
        cells = "".join(f'<tr><td width="30%"><b>{e(k)}:</b></td><td>{e(v)}</td></tr>' for k, v in rows)
        return f'<table class="table table-striped" width="100%">{cells}</table>'

    def paragraph(self, n: int, text: str) -> str:
        # short lines without a full stop are typed as bold "headings"; the rest as justified divs
        if len(text) < 90 and not text.rstrip().endswith((".", ":", ";", "?", "!")):
            return f'<p style="text-align: justify;"><strong>{e(text)}</strong></p>'
        span = f'<span style="font-size: 14px; font-family: arial, helvetica, sans-serif;">{e(text)}</span>'
        if n % 3 == 2:
            return f'<p style="text-align: justify;">&nbsp;&nbsp;&nbsp; {span}</p><p>&nbsp;</p>'
        return f'<div style="text-align: justify;">&nbsp;&nbsp;&nbsp; {span}</div>'

    def body(self, it: Item) -> str:
        out = []
        for n, para in enumerate(it.paragraphs):
            if it.kind == "qa" and para.startswith(("Hỏi:", "Trả lời:")):
                label, rest = para.split(":", 1)
                css = "qa-question" if label == "Hỏi" else "qa-answer"
                out.append(f'<div class="{css}"><strong>{e(label)}:</strong>{e(rest)}</div>')
            else:
                out.append(self.paragraph(n, para))
            if n == 0:
                for src in it.images:
                    if "loi-anh" in src:
                        out.append(
                            f'<p><img src="{src}" onerror="this.onerror=null;alert(document.cookie)"></p>'
                        )
                    else:
                        out.append(self.figure(src, it.title))
                if "script" in it.quirks:
                    out.append(SCRIPT_BODY)
        for table in it.body_tables():
            out.append(self.table(table))
        if "video" in it.extra:
            src = it.extra["video"]
            if src.startswith("http"):
                out.append(
                    f'<div><iframe width="100%" height="400" src="{src}" frameborder="0"></iframe></div>'
                )
            else:
                out.append(
                    '<div><video controls="controls" width="100%">'
                    f'<source src="{src}" type="video/mp4"></video></div>'
                )
        return f'<div class="news-content">{"".join(out)}</div>'

    def figure(self, src: str, alt: str) -> str:
        return (
            '<table align="center" class="image-caption"><tbody>'
            f'<tr><td><img src="{src}" alt="" style="width: 500px;"></td></tr>'
            f"<tr><td><em>{e(alt)}</em></td></tr></tbody></table>"
        )

    def table(self, table: BodyTable) -> str:
        # pasted from a word processor: every cell holds a paragraph and a styled span
        def cell(v: str, bold: bool) -> str:
            inner = f"<strong>{e(v)}</strong>" if bold else e(v)
            span = f'<span style="font-size: 13px;">{inner}</span>'
            return f'<td valign="top"><p style="text-align: center;">{span}</p></td>'

        head = "".join("<tr>" + "".join(cell(v, True) for v in row) + "</tr>" for row in table.header)
        body = "".join("<tr>" + "".join(cell(v, False) for v in row) + "</tr>" for row in table.rows)
        frame = '<table border="1" width="100%" style="border-collapse: collapse">'
        return f"{frame}<tbody>{head}{body}</tbody></table>"

    def attachments(self, it: Item) -> str:
        # a PDF of a document page is shown in a viewer only, every other file as a "Tải về" link
        out = ['<div class="attachments"><strong>Tài liệu đính kèm:</strong>']
        for n, a in enumerate(it.attachments):
            if a.content_type == "application/pdf" and (it.index + n) % 2 == 0:
                out.append(
                    f'<div class="viewer"><iframe src="{a.url}#toolbar=0&amp;view=FitH" width="100%" '
                    'height="700"></iframe></div>'
                )
            else:
                out.append(f'<div class="file"><a href="{a.url}" target="_blank">Tải về</a></div>')
        return "".join(out) + "</div>"

    def related(self, items: list[Item]) -> str:
        lis = "".join(
            f'<li><a href="{x.url}">{e(x.title)}</a> <span class="date">({vi_date(x.when)})</span></li>'
            for x in items
        )
        return f'<ul class="list-news">{lis}</ul>'

    def simple(self, title: str, text: str) -> str:
        heading = f'<div class="news-title"><strong>{e(title)}</strong></div>'
        inner = f'<div class="journal-content-article">{heading}<p>{e(text)}</p></div>'
        return self.page(
            title, [("Trang chủ", "/"), (title, None)], self.portlet("56_INSTANCE_ct", title, inner)
        )


# The press theme's own furniture (invented wording, in the forms of Vietnamese WordPress sites).
PRESS_MONTHS = (
    "Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
    "Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai",
)  # fmt: skip
# The site-wide running notice ("chữ chạy"): a real sentence, with a date of its own.
PRESS_MARQUEE = (
    "Thực hiện Kế hoạch số 27/KH-HĐTĐKT ngày 03/03/2025, các cơ quan, đơn vị, địa phương gửi hồ sơ đề "
    "nghị khen thưởng tổng kết năm về Ban Thi đua - Khen thưởng tỉnh trước ngày 10/12/2025."
)
PRESS_COOKIE = (
    "Trang web sử dụng cookie để ghi nhớ cỡ chữ và chế độ tương phản bạn đã chọn. Tiếp tục truy cập "
    "nghĩa là bạn đồng ý với việc sử dụng cookie."
)
# "Giới thiệu", printed in the footer of every page: longer than the short articles.
PRESS_ABOUT = (
    "Trang thông tin điện tử Ban Thi đua - Khen thưởng tỉnh Thái Bình đăng tải tin tức, văn bản chỉ đạo, "
    "điều hành và kết quả công tác thi đua, khen thưởng của tỉnh, phục vụ cán bộ, công chức và nhân dân "
    "tra cứu, theo dõi.",
    "Các quyết định khen thưởng, thông báo và văn bản hướng dẫn được cập nhật ngay sau khi ban hành; "
    "toàn văn các văn bản có thể tải về ở cuối mỗi bài viết dưới dạng tệp đính kèm.",
    "Mọi thắc mắc về thủ tục, hồ sơ đề nghị khen thưởng, xin gửi vào mục Hỏi đáp hoặc gọi số điện "
    "thoại đường dây nóng của Ban trong giờ hành chính.",
)
PRESS_TAGS = ("thi đua", "khen thưởng", "điển hình tiên tiến", "Thái Bình", "hồ sơ khen thưởng")
PRESS_LAZY = "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%20800%20450'%3E%3C/svg%3E"


def press_slug(text: str) -> str:
    """A WordPress slug: tone marks and đ dropped, spaces as hyphens ("thi đua" → "thi-dua")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower().replace(" ", "-")


class PressTheme(Theme):
    """A WordPress site with a page builder, written before its author read the parser: every teaser is
    an `<article>` with a `<figure>`/`<figcaption>` and a `<time>`, and the left column (teasers of
    other items, a calendar table, an archive list, tags) comes before the post in the source; the
    site's name is an `<h1>` on every page; a cookie banner, a contrast/font bar and a running notice
    whose text is a real dated sentence open every page; the footer carries a long "Giới thiệu" blurb;
    dates in WordPress's Vietnamese forms ("12 Tháng Sáu, 2024", "9:15 chiều"); the `<title>` is
    "Title – Site"; images load lazily (a data: placeholder, the file in `data-lazy-src` and
    `<noscript>`); short lines are `<h2>`/`<h3>` subheadings; a "Chia sẻ" bar and a tag list sit
    inside the post's content `div`, the source line too; Q&A questions in `<blockquote>`; files as
    Gutenberg file blocks (some only as an `<object>` preview); "Bài viết liên quan" cards; a comment
    form; `/slug/page/N/` paging."""

    name = "press"

    def list_url(self, cat: Category, page: int = 1) -> str:
        return cat.list_url if page == 1 else f"{cat.list_url}page/{page}/"

    def menu(self, css: str) -> str:
        return (
            super()
            .menu(f"menu menu-{css}")
            .replace('class="has-sub"', 'class="menu-item menu-item-has-children"')
            .replace('class="sub"', 'class="sub-menu"')
        )

    def menu_parent(self, label: str) -> str:
        return f'<a href="#">{e(label)}</a>'

    def head(self, title: str, og_title: str | None, charset: str) -> str:
        site = "Ban Thi đua – Khen thưởng tỉnh Thái Bình"
        full = title if title.startswith("Ban Thi đua") else f"{title} – {site}"
        og = f"{og_title} - Ban TĐKT Thái Bình" if og_title else None
        return (
            super()
            .head(full, og, charset)
            .replace(
                '<link rel="stylesheet" href="/Portals/_default/skin.css">',
                '<link rel="stylesheet" href="/wp-content/themes/tdkt-child/style.css?ver=6.4.3">'
                '<meta property="og:site_name" content="Ban TĐKT Thái Bình">',
            )
        )

    @staticmethod
    def wp_date(d: datetime) -> str:
        return f"{d.day} {PRESS_MONTHS[d.month - 1]}, {d.year}"

    @staticmethod
    def wp_time(d: datetime) -> str:
        half = "sáng" if d.hour < 12 else "chiều"
        return f"{d.hour % 12 or 12}:{d.minute:02d} {half}"

    def widget(self, heading: str, inner: str) -> str:
        return (
            '<div class="elementor-element elementor-widget"><div class="elementor-widget-container">'
            f'<h2 class="widget-title"><span>{e(heading)}</span></h2>{inner}</div></div>'
        )

    def image(self, src: str, alt: str = "") -> str:
        return (
            f'<img src="{PRESS_LAZY}" data-lazy-src="{src}" alt="{e(alt)}" width="800" height="450">'
            f'<noscript><img src="{src}" alt="{e(alt)}"></noscript>'
        )

    def teaser(self, it: Item, heading: str = "h3", excerpt: bool = True) -> str:
        fig = (
            f'<figure class="post-thumb"><a href="{it.url}">{self.image(it.images[0])}</a>'
            f"<figcaption>{e(it.title)}</figcaption></figure>"
            if it.images
            else ""
        )
        sapo = f'<div class="excerpt"><p>{e(it.summary)}</p></div>' if excerpt and it.summary else ""
        return (
            f'<article class="post-item">{fig}<{heading} class="post-title"><a href="{it.url}">'
            f"{e(it.title)}</a></{heading}><time>{self.wp_date(it.when)}</time>{sapo}</article>"
        )

    def calendar(self) -> str:
        rows = ["<tr>" + "".join(f"<th>{d}</th>" for d in ("H", "B", "T", "N", "S", "B", "C")) + "</tr>"]
        days = [""] * 6 + [str(n) for n in range(1, 31)]
        for start in range(0, len(days), 7):
            rows.append("<tr>" + "".join(f"<td>{d}</td>" for d in days[start : start + 7]) + "</tr>")
        return f'<table id="wp-calendar"><caption>Tháng Sáu 2025</caption>{"".join(rows)}</table>'

    def sidebar(self, current: Item | None) -> str:
        s = self.site
        latest = "".join(self.teaser(it, "h3", excerpt=True) for it in s.latest_news)
        notices = "".join(self.teaser(it, "h4", excerpt=False) for it in s.latest_notices)
        archive = "".join(
            f'<li><a href="/{y}/{m:02d}/">{PRESS_MONTHS[m - 1]} {y}</a></li>'
            for y, m in ((2025, 6), (2025, 5), (2025, 4), (2025, 3))
        )
        tags = " ".join(f'<a href="/tag/{press_slug(t)}/">{e(t)}</a>' for t in PRESS_TAGS)
        links = "".join(f'<li><a href="{u}">{e(t)}</a></li>' for t, u in EXTERNAL_LINKS)
        return (
            '<aside id="secondary" class="elementor-column elementor-col-33">'
            + self.widget("Bài viết mới", latest)
            + self.widget("Thông báo", notices)
            + self.widget("Lịch", self.calendar())
            + self.widget("Lưu trữ", f"<ul>{archive}</ul>")
            + self.widget("Từ khóa", f'<div class="tagcloud">{tags}</div>')
            + self.widget("Liên kết", f"<ul>{links}</ul>")
            + "</aside>"
        )

    def footer(self) -> str:
        about = "".join(f"<p>{e(x)}</p>" for x in PRESS_ABOUT)
        return (
            '<footer class="site-footer elementor-section"><div class="elementor-container">'
            + self.widget("Giới thiệu", about)
            + self.widget(
                "Liên hệ",
                "<p>Ban Thi đua – Khen thưởng tỉnh Thái Bình<br>Số 8 Lê Lợi, TP. Thái Bình<br>"
                "Điện thoại: 0227 3834 292<br>Thư điện tử: bantdkt@thaibinh.gov.vn</p>",
            )
            + '</div><div class="copyright"><p>© 2025 Ban Thi đua – Khen thưởng tỉnh Thái Bình. '
            'Thiết kế bởi <a href="https://example.vn/">Công ty Giải pháp Số</a>.</p></div></footer>'
        )

    def page(
        self,
        title: str,
        crumbs: list[tuple[str, str | None]],
        main: str,
        current: Item | None = None,
        og_title: str | None = None,
        charset: str = "utf-8",
    ) -> str:
        return (
            self.head(title, og_title, charset) + '<body class="wp-singular elementor-default">'
            f'<div id="cookie-notice" role="dialog"><p>{e(PRESS_COOKIE)}</p>'
            '<a href="#" class="cn-accept">Đồng ý</a> <a href="#">Tìm hiểu thêm</a></div>'
            '<div class="a11y-bar">Cỡ chữ: <a href="#">A-</a> <a href="#">A</a> <a href="#">A+</a> | '
            '<a href="#">Tương phản cao</a> | <a href="#">Đọc to</a></div>'
            '<header id="masthead" class="site-header"><h1 class="site-title"><a href="/">'
            "Ban Thi đua – Khen thưởng tỉnh Thái Bình</a></h1>"
            '<p class="site-description">Thi đua là yêu nước, yêu nước thì phải thi đua</p>'
            f'<nav class="main-navigation">{self.menu("primary")}</nav>'
            f'<div class="running-notice"><marquee scrollamount="4">{e(PRESS_MARQUEE)}</marquee></div>'
            "</header>"
            '<div id="content" class="site-content elementor-section"><div class="elementor-container">'
            f"{self.sidebar(current)}"
            '<div id="primary" class="elementor-column elementor-col-66">'
            f"{self.breadcrumb(crumbs)}{main}</div></div></div>"
            f"{self.footer()}</body></html>"
        )

    def breadcrumb(self, crumbs: list[tuple[str, str | None]]) -> str:
        parts = [
            f'<span><a href="{u}">{e(t)}</a></span>' if u else f'<span class="breadcrumb_last">{e(t)}</span>'
            for t, u in crumbs
        ]
        return '<p id="breadcrumbs"><span>' + " » ".join(parts) + "</span></p>"

    def home(self) -> str:
        s = self.site
        blocks = [self.widget("Tin nổi bật", "".join(self.teaser(it, "h2") for it in s.featured))]
        for cat in s.model.categories:
            items = s.model.by_category[cat.slug][:4]
            if cat.static or not items:
                continue
            inner = "".join(self.teaser(it, "h3", excerpt=False) for it in items)
            blocks.append(self.widget(cat.name, inner + f'<a href="{cat.list_url}">Xem thêm</a>'))
        return self.page("Ban Thi đua – Khen thưởng tỉnh Thái Bình", [("Trang chủ", "/")], "".join(blocks))

    def list_frame(self, cat: Category, inner: str) -> str:
        heading = f'<h1 class="page-title">Chuyên mục: {e(cat.name)}</h1>'
        return f'<header class="page-header">{heading}</header>{inner}'

    def entry_list(self, cat: Category, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        out = []
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                out.append(
                    f'<article class="post"><h2 class="entry-title"><a href="{path}">{e(title)}</a></h2>'
                    f"<time>{self.wp_date(when)}</time></article>"
                )
                continue
            it = entry
            if cat.kind == "notice":
                # notices imported from the board's older CMS keep its machine timestamps as text
                date = f"<time>{us_timestamp(it.when)}</time>"
            else:
                date = f"<time>{self.wp_date(it.when)}</time>" if it.date_form != "none" else ""
            fig = f'<figure><a href="{it.url}">{self.image(it.images[0])}</a></figure>' if it.images else ""
            sapo = f"<p>{e(it.summary)}</p>" if it.summary else ""
            out.append(
                f'<article class="post">{fig}<h2 class="entry-title"><a href="{it.url}">{e(it.title)}</a>'
                f'</h2>{date}{sapo}<a class="more-link" href="{it.url}">Đọc tiếp »</a></article>'
            )
        return "".join(out)

    def legal_table(self, chunk: list[Item | tuple[str, str, datetime]]) -> str:
        rows = [
            "<thead><tr><th>Số hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Tải về</th></tr></thead>"
        ]
        for entry in chunk:
            if isinstance(entry, tuple):
                path, title, when = entry
                rows.append(
                    f"<tr><td></td><td>{vi_date(when)}</td>"
                    f'<td><a href="{path}">{e(title)}</a></td><td></td></tr>'
                )
                continue
            it = entry
            assert it.legal is not None
            issued = datetime.fromisoformat(it.legal["issued_on"])
            dl = "".join(f'<a href="{a.url}" download>Tải xuống</a>' for a in it.attachments[:1])
            rows.append(
                f'<tr><td><a href="{it.url}">{e(it.legal["number"])}</a></td><td>{vi_date(issued)}</td>'
                f'<td><a href="{it.url}">{e(it.legal["abstract"])}</a></td><td>{dl}</td></tr>'
            )
        return f'<table class="tablepress">{"".join(rows)}</table>'

    def pager(self, cat: Category, page: int, pages: int, endless: bool) -> str:
        if pages <= 1 and not endless:
            return ""
        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{self.list_url(cat, page - 1)}">« Trước</a>')
        for n in range(1, pages + 1):
            if n == page:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            elif n <= 2 or n >= pages - 1 or abs(n - page) <= 1:
                links.append(f'<a class="page-numbers" href="{self.list_url(cat, n)}">{n}</a>')
            elif not links[-1].endswith("…</span>"):
                links.append('<span class="page-numbers dots">…</span>')
        if page < pages or endless:
            links.append(f'<a class="next page-numbers" href="{self.list_url(cat, page + 1)}">Sau »</a>')
        return f'<nav class="navigation pagination"><div class="nav-links">{"".join(links)}</div></nav>'

    def date_text(self, it: Item) -> str:
        d = it.when
        match it.date_form:
            case "ngay":
                return self.wp_date(d)
            case "capnhat":
                return f"Cập nhật: {self.wp_time(d)}, {vi_date(d)}"
            case "thu":
                return f"{WEEKDAYS[d.weekday()]}, {self.wp_date(d)}"
            case "ngaydang":
                return f"{vi_date(d)} lúc {self.wp_time(d)}"
            case "dangngay":
                return f"Ngày đăng: {d.day:02d}-{d.month:02d}-{d.year}"
        return ""

    def detail(self, it: Item, charset: str = "utf-8") -> str:
        cat = CATEGORY_BY_SLUG[it.category]
        shown = self.date_text(it)
        date = f'<span class="posted-on"><time class="entry-date">{e(shown)}</time></span> ' if shown else ""
        meta = (
            f'<div class="entry-meta">{date}<span class="byline">Tác giả: <a href="/author/bbt/">BBT</a>'
            f'</span> <span class="cat-links">Chuyên mục: <a href="{cat.list_url}">{e(cat.name)}</a></span>'
            f' <span class="views">{PortalTheme.count(it.url)} lượt xem</span></div>'
        )
        head = f'<header class="entry-header"><h1 class="entry-title">{e(it.title)}</h1>{meta}</header>'
        parts = []
        if it.summary:
            parts.append(f'<p class="has-medium-font-size"><strong>{e(it.summary)}</strong></p>')
        if it.label_rows():
            parts.append(self.metadata(it.label_rows()))
        parts.append(self.body(it))
        if it.source:
            parts.append(f'<p style="text-align: right;"><strong><em>Nguồn: {e(it.source)}</em></strong></p>')
        if it.attachments:
            parts.append(self.attachments(it))
        parts.append(self.share(it))
        tags = ", ".join(f'<a href="/tag/{press_slug(t)}/" rel="tag">{e(t)}</a>' for t in PRESS_TAGS[:3])
        parts.append(f'<div class="post-tags">Từ khóa: {tags}</div>')
        content = f'<div class="elementor-widget-container">{"".join(parts)}</div>'
        siblings = [x for x in self.site.model.by_category[it.category] if x is not it]
        related = "".join(self.teaser(x, "h3") for x in siblings[:3])
        comments = (
            '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Để lại bình luận</h3>'
            '<form action="/wp-comments-post.php" method="post"><p>Email của bạn sẽ không được hiển thị '
            "công khai. Các trường bắt buộc được đánh dấu *</p>"
            '<p><label for="comment">Bình luận *</label><textarea id="comment" name="comment"></textarea></p>'
            '<p><label for="author">Tên *</label><input id="author" name="author"></p>'
            '<p><label for="email">Email *</label><input id="email" name="email"></p>'
            '<p><input type="submit" value="Phản hồi"></p></form></div>'
        )
        main = (
            f'<article id="post-{it.site_id or it.index}" class="post type-post status-publish">{head}'
            f"{content}</article>"
            f'<section class="related-posts"><h2>Bài viết liên quan</h2>{related}</section>{comments}'
        )
        crumbs = [*self.crumbs_for(cat), (it.title, None)]
        return self.page(it.title, crumbs, main, current=it, og_title=it.title, charset=charset)

    def share(self, it: Item) -> str:
        return (
            '<div class="share-bar"><span>Chia sẻ:</span> '
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={it.url}">Facebook</a> '
            f'<a href="https://zalo.me/share?u={it.url}">Zalo</a> '
            '<a href="javascript:window.print()">In bài viết</a></div>'
        )

    def metadata(self, rows: list[tuple[str, str]]) -> str:
        if self.site.line_style_metadata(rows[0][1]):
            return "<ul>" + "".join(f"<li><strong>{e(k)}:</strong> {e(v)}</li>" for k, v in rows) + "</ul>"
        cells = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
        return f'<figure class="wp-block-table"><table><tbody>{cells}</tbody></table></figure>'

    def paragraph(self, text: str) -> str:
        if len(text) < 90 and not text.rstrip().endswith((".", ":", ";", "?", "!")):
            level = "h2" if len(text) < 40 else "h3"
            return f'<{level} class="wp-block-heading">{e(text)}</{level}>'
        return f"<p>{e(text)}</p>"

    def body(self, it: Item) -> str:
        out = []
        for n, para in enumerate(it.paragraphs):
            if it.kind == "qa" and para.startswith("Hỏi:"):
                out.append(
                    '<blockquote class="wp-block-quote">'
                    f"<p><strong>Hỏi:</strong>{e(para[4:])}</p></blockquote>"
                )
            elif it.kind == "qa" and para.startswith("Trả lời:"):
                out.append(f"<p><strong>Trả lời:</strong>{e(para[8:])}</p>")
            else:
                out.append(self.paragraph(para))
            if n == 0:
                for src in it.images:
                    if "loi-anh" in src:
                        out.append(
                            f'<p><img src="{src}" onerror="this.onerror=null;alert(document.cookie)"></p>'
                        )
                    else:
                        out.append(self.figure(src, it.title))
                if "script" in it.quirks:
                    out.append(SCRIPT_BODY)
        for table in it.body_tables():
            out.append(self.table(table))
        if "video" in it.extra:
            src = it.extra["video"]
            if src.startswith("http"):
                out.append(
                    '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">'
                    f'<iframe width="640" height="360" src="{src}" allowfullscreen></iframe></div></figure>'
                )
            else:
                out.append(f'<figure class="wp-block-video"><video controls src="{src}"></video></figure>')
        return "".join(out)

    def figure(self, src: str, alt: str) -> str:
        caption = f"<figcaption>{e(alt)}</figcaption>"
        return f'<figure class="wp-block-image aligncenter">{self.image(src)}{caption}</figure>'

    def table(self, table: BodyTable) -> str:
        head = "".join("<tr>" + "".join(f"<th>{e(v)}</th>" for v in row) + "</tr>" for row in table.header)
        body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in table.rows)
        inner = f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"
        return f'<figure class="wp-block-table">{inner}</figure>'

    def attachments(self, it: Item) -> str:
        out = []
        for n, a in enumerate(it.attachments):
            name = a.url.rsplit("/", 1)[-1].replace("%20", " ")
            if a.content_type == "application/pdf" and (it.index + n) % 2 == 1:
                out.append(
                    f'<div class="wp-block-file"><object class="wp-block-file__embed" data="{a.url}" '
                    'type="application/pdf" style="width:100%;height:600px"></object></div>'
                )
            else:
                out.append(
                    f'<div class="wp-block-file"><a href="{a.url}">{e(name)}</a>'
                    f'<a href="{a.url}" class="wp-block-file__button" download>Tải xuống</a></div>'
                )
        return "".join(out)

    def simple(self, title: str, text: str) -> str:
        inner = f'<article class="page"><h1 class="entry-title">{e(title)}</h1><p>{e(text)}</p></article>'
        return self.page(title, [("Trang chủ", "/"), (title, None)], inner)


def make_theme(name: str, site: Site) -> Theme:
    themes = {
        "classic": Theme,
        "modern": ModernTheme,
        "legacy": LegacyTheme,
        "soup": SoupTheme,
        "cells": CellsTheme,
        "portal": PortalTheme,
        "press": PressTheme,
    }
    if name not in themes:
        raise ValueError(f"unknown theme {name!r}; choose from {THEMES}")
    return themes[name](site)
