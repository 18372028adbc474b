"""A detail page (article, notice, legal text, decision, Q&A, static page): every field found by cues.

Selectors from `site_profile` are tried first; when they miss, visible labels, URL shapes and text
density decide, so a page with other class names and wrappers still parses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from scrapy.http import Response

from archive.normalize.text import clean_text, fold_key
from scraper import site_profile as profile
from scraper.items import PageItem
from scraper.pages.base import PageBase, classid, iter_links, soft_fold, text_of
from scraper.urls import canonicalize, is_file_url, is_image_url, site_id

_DATE_NUM = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
_DATE_WORDS = r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
_DATE_ANY = re.compile(rf"(?:{_DATE_NUM}|{_DATE_WORDS}|\d{{4}}-\d{{2}}-\d{{2}})")
# Visible date labels come from the site profile, folded like the text they are matched against.
_LABELS_RE = "|".join(re.escape(x) for x in sorted(profile.DATE_LABELS, key=len, reverse=True))
_DATE_LABEL = re.compile(rf"^(?:{_LABELS_RE})\s*:?\s*(?:luc\s*)?(?=\S)")
_TIME_TAIL = re.compile(
    r"^[\s,|-]*(?:luc\s*)?\d{1,2}\s*(?::|h|gio)\s*\d{0,2}(?:\s*(?::|phut)\s*\d{1,2})?\s*(?:am|pm|sa|ch)?"
)
_WEEKDAY = re.compile(r"^(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat)\b")
# Containers that are never the article: navigation, chrome, sharing, comment forms.
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|mainmenu|topmenu|header|footer|sidebar|side-bar|aside|breadcrumbs?|banner|"
    r"share|social|comment|related|other|tinkhac|lienquan|widget|copyright|pagination|pager|paging|toolbar|"
    r"font-?size|tools?|print|search|login|advert|ads|marquee|slider|logo)(?:$|[\s_-])"
)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{3,}$")
_SOURCE_LINE = re.compile(
    "^(?:" + "|".join(re.escape(fold_key(x)) for x in profile.SOURCE_LABELS) + r")\s*:\s*\S"
)


@lru_cache(maxsize=64)
def _selectors(css: tuple[str, ...]) -> tuple[CSSSelector, ...]:
    return tuple(CSSSelector(x) for x in css)


def _select(root: HtmlElement, css: tuple[str, ...]) -> Iterator[HtmlElement]:
    """Elements matching the hints, hint by hint in order of preference.

    Lazy: callers stop at the first good match, and every hint is one walk of the whole tree.
    """
    for sel in _selectors(css):
        yield from sel(root)


_BODY_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        "select",
        "button",
        "input",
        "textarea",
    }
)
_LINE_BREAKERS = frozenset(
    {
        "p",
        "div",
        "li",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "blockquote",
        "section",
        "article",
        "dl",
        "dd",
        "dt",
        "figure",
        "figcaption",
        "br",
        "tbody",
        "thead",
        "header",
        "footer",
        "main",
    }
)
_CONTENT_TAGS = frozenset({"article", "main"})
_BOX_TAGS = frozenset(
    {"div", "section", "aside", "td", "table", "tbody", "tr", "dl", "nav", "center", "form"}
)
_NOT_PROSE = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "li",
        "ul",
        "ol",
        "b",
        "strong",
        "em",
        "i",
        "u",
        "span",
        "font",
        "small",
        "sup",
        "sub",
    }
)
_INLINE_TAGS = frozenset({"b", "strong", "span", "em", "i", "label", "font", "time", "small", "u"})


@lru_cache(maxsize=4096)
def _matches_noise_heading(text: str) -> bool:
    key = fold_key(text)
    return bool(key) and any(
        key == h or (key.startswith(h) and len(key) <= len(h) + 12) for h in profile.NOISE_HEADINGS
    )


class DetailPage(PageBase):
    """Fields of one item page. Construct from a response; each method returns one field."""

    def __init__(self, response: Response) -> None:
        super().__init__(response)
        self._content: HtmlElement | None = None
        self._content_done = False
        self._noise_cache: dict[HtmlElement, bool] = {}
        self._memo: dict[str, object] = {}
        self._lines: list[tuple[Any, str, HtmlElement]] | None = None

    # ---- title -------------------------------------------------------------------------------------
    def title(self) -> str | None:
        if "title" not in self._memo:
            self._memo["title"] = self._find_title()
        return self._memo["title"]  # type: ignore[return-value]

    def _find_title(self) -> str | None:
        for el in _select(self.doc, profile.HINT_TITLE):
            if not self._in_chrome(el):
                t = text_of(el)
                if t:
                    return t
        og = self._meta("og:title")
        if og:
            return self._strip_site_name(og)
        for tag in ("h1", "h2", "h3"):
            for el in self.doc.iter(tag):
                t = text_of(el)
                if (
                    t
                    and not self._in_chrome(el)
                    and not _matches_noise_heading(t)
                    and not self._is_site_name(t)
                ):
                    return t
        title = self.doc.find(".//title")
        return self._strip_site_name(text_of(title)) if title is not None else None

    def _strip_site_name(self, text: str | None) -> str | None:
        text = clean_text(text)
        if not text:
            return None
        m = _SITE_SUFFIX.search(text)
        if m and self._is_site_name(m[0].strip(" |–—-")):
            text = text[: m.start()].strip()
        return text

    @staticmethod
    def _is_site_name(text: str) -> bool:
        key = fold_key(text)
        return any(h in key for h in profile.SITE_NAME_HINTS) and len(key) < 80

    def _meta(self, name: str) -> str | None:
        for el in self.doc.iter("meta"):
            if (el.get("property") or el.get("name") or el.get("itemprop") or "").lower() == name.lower():
                value = clean_text(el.get("content"))
                if value:
                    return value
        return None

    # ---- date --------------------------------------------------------------------------------------
    def published_raw(self) -> str | None:
        """The text the publication date was read from, label included (the date parser strips it)."""
        for _node, line, context in self._short_lines():
            folded = soft_fold(line)
            if not (_DATE_LABEL.match(folded) or _WEEKDAY.match(folded)):
                continue
            if context.tag == "a" or not self._valid_date_line(line):
                continue
            if not self._in_noise_box(context):
                return line
        for el in self.doc.iter("time"):
            if self._in_noise_box(el):
                continue
            t = text_of(el)
            if t and _DATE_ANY.search(soft_fold(t)):
                return t
            if el.get("datetime"):
                return clean_text(el.get("datetime"))
        for name in ("article:published_time", "datePublished", "pubdate", "date", "dc.date"):
            value = self._meta(name)
            if value:
                return value
        return None

    @staticmethod
    def _valid_date_line(line: str) -> bool:
        """A label (or weekday) and a date, and little else: "Ngày 2/10/2020, UBND tỉnh…" is prose."""
        folded = soft_fold(line)
        m = _DATE_ANY.search(folded)
        if len(line) > 160 or not m:
            return False
        rest = _TIME_TAIL.sub("", folded[m.end() :]).strip(" ,.-|)(")
        if len(rest) > 12:
            return False
        if _DATE_LABEL.match(folded):
            after = _DATE_LABEL.sub("", folded, count=1)
            return bool(after[:1].isdigit() or _WEEKDAY.match(after) or after.startswith("ngay "))
        return bool(_WEEKDAY.match(folded))

    @staticmethod
    def _tail_line(el: HtmlElement) -> str:
        """The text after `el` up to the next line break: `<br>Ngày: 13/06/2022<br>`."""
        parts: list[str] = [el.tail or ""]
        sib = el.getnext()
        while sib is not None and not (isinstance(sib.tag, str) and sib.tag in _LINE_BREAKERS):
            if isinstance(sib.tag, str):
                parts.append(text_of(sib))
            parts.append(sib.tail or "")
            sib = sib.getnext()
        return clean_text(" ".join(parts)) or ""

    def _date_line(self, el: HtmlElement) -> str | None:
        """The element's text when it is only a date line ("Ngày: 13/06/2022")."""
        raw = el.text_content()
        if len(raw) > 160:
            return None
        line = clean_text(raw) or ""
        return line if self._valid_date_line(line) else None

    @staticmethod
    def _line_text(el: HtmlElement) -> str:
        parts: list[str] = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and child.tag in ("br", "p", "div", "li", "tr", "table"):
                break
            parts.append(text_of(child))
            if child.tail:
                parts.append(child.tail)
        return clean_text(" ".join(parts)) or ""

    # ---- chrome / noise ----------------------------------------------------------------------------
    def _in_chrome(self, el: HtmlElement) -> bool:
        """Inside navigation, header, footer or tool bars (a header inside the article does not count)."""
        node: HtmlElement | None = el
        while node is not None and isinstance(node.tag, str):
            if node.tag in _CONTENT_TAGS:
                return False
            if node.tag in ("nav", "header", "footer", "aside"):
                return True
            if node.tag not in ("body", "html") and _CHROME_WORDS.search(classid(node)):
                return True
            node = node.getparent()
        return False

    def _is_noise_node(self, node: HtmlElement) -> bool:
        cached = self._noise_cache.get(node)
        if cached is None:
            cid = classid(node)
            cached = (
                node.tag in ("nav", "footer", "aside")
                or (
                    node.tag not in ("body", "html")
                    and bool(_CHROME_WORDS.search(cid))
                    and "breadcrumb" not in cid
                )
                or self._box_heading_is_noise(node)
            )
            self._noise_cache[node] = cached
        return cached

    def _in_noise_box(self, el: HtmlElement) -> bool:
        node: HtmlElement | None = el
        while node is not None and isinstance(node.tag, str):
            if self._is_noise_node(node):
                return True
            node = node.getparent()
        return False

    @staticmethod
    def _box_heading_is_noise(node: HtmlElement) -> bool:
        """A box whose first element is a heading like "tin cùng chuyên mục" or "Thông báo"."""
        if node.tag not in _BOX_TAGS:
            return False
        first = next((c for c in node if isinstance(c.tag, str)), None)
        if first is None or first.tag in ("ul", "ol", "table", "p", "script", "style"):
            return False
        raw = first.text_content()
        if len(raw) > 80:
            return False
        t = clean_text(raw) or ""
        return len(t) <= 40 and _matches_noise_heading(t)

    # ---- content block -----------------------------------------------------------------------------
    def _cleaned_doc(self) -> HtmlElement:
        doc = copy.deepcopy(self.doc)
        body = doc.find("body")
        root = body if body is not None else doc
        self._noise_cache = {}
        doomed = [
            el
            for el in root.iter()
            if isinstance(el.tag, str)
            and el is not root
            and (el.tag in _BODY_SKIP_TAGS or self._is_noise_node(el))
        ]
        for el in doomed:
            if el.getparent() is not None:
                el.drop_tree()
        self._noise_cache = {}
        return root

    def content_element(self) -> HtmlElement | None:
        """The main content block: a hint if it matches, else the densest block of paragraph text."""
        if self._content_done:
            return self._content
        self._content_done = True
        root = self._cleaned_doc()
        found = next(
            (el for el in _select(root, profile.HINT_BODY) if len(el.text_content().strip()) >= 20), None
        )
        if found is not None:
            self._content = found
            return self._content
        scores: dict[HtmlElement, float] = {}
        title = self.title()
        for el in root.iter():
            # Inline elements count inside their parent's own text; headings and lists are not prose.
            if not isinstance(el.tag, str) or el.tag in _NOT_PROSE:
                continue
            own = (el.text or "") + "".join(
                (text_of(c) if c.tag in ("b", "strong", "em", "i", "span", "u", "font", "sup", "sub") else "")
                + (c.tail or "")
                for c in el
                if isinstance(c.tag, str)
            )
            own_clean = clean_text(own) or ""
            own_len = len(own_clean)
            if own_len < 25 or own_clean == title:
                continue
            score = 1 + own_len / 100 + own.count(",") * 0.3
            parent = el.getparent() if el.tag == "p" else el
            for weight, target in ((1.0, parent), (0.5, parent.getparent() if parent is not None else None)):
                if target is not None and isinstance(target.tag, str):
                    scores[target] = scores.get(target, 0.0) + score * weight
        if not scores:
            self._content = None
            return None
        # Link density only for the front runners: computing it is the expensive part.
        leaders = sorted(scores, key=scores.__getitem__, reverse=True)[:6]
        best = max(leaders, key=lambda e: scores[e] * (1 - self._link_density(e)))
        self._content = best
        return best

    @staticmethod
    def _link_density(el: HtmlElement) -> float:
        total = len(el.text_content()) or 1
        links = sum(len(a.text_content()) for a in el.iter("a"))
        return min(links / total, 1.0)

    def _body_element(self) -> HtmlElement | None:
        """The content block without the title and the date line when they sit inside it."""
        if "body" in self._memo:
            return self._memo["body"]  # type: ignore[return-value]
        content = self.content_element()
        body = None
        if content is not None:
            body = copy.deepcopy(content)
            title = self.title()
            doomed = [
                el
                for el in body.iter()
                if isinstance(el.tag, str)
                and el is not body
                and (
                    (el.tag in ("h1", "h2", "h3") and title and text_of(el) == title)
                    or (len(el.text_content()) < 80 and self._date_line(el))
                )
            ]
            for el in doomed:
                if el.getparent() is not None:
                    el.drop_tree()
        self._memo["body"] = body
        return body

    def body_html(self) -> str | None:
        body = self._body_element()
        if body is None:
            return None
        body = copy.deepcopy(body)
        body.make_links_absolute(self.url, resolve_base_href=False, handle_failures="ignore")
        inner = (body.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in body)
        return inner.strip() or None

    def body_text(self) -> str | None:
        body = self._body_element()
        if body is None:
            return None
        lines: list[str] = []
        self._text_lines(body, lines)
        text = "\n\n".join(x for x in (clean_text(line) for line in lines) if x)
        return text or None

    def _text_lines(self, el: HtmlElement, lines: list[str]) -> None:
        buf: list[str] = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):
                buf.append(child.tail or "")
                continue
            if child.tag in _LINE_BREAKERS:
                lines.append("".join(buf))
                buf = []
                if child.tag == "tr":
                    lines.append(" | ".join(text_of(c) for c in child if isinstance(c.tag, str)))
                elif child.tag != "br":
                    self._text_lines(child, lines)
            else:
                buf.append(text_of(child))
            buf.append(child.tail or "")
        lines.append("".join(buf))

    # ---- summary / source / section ----------------------------------------------------------------
    def summary(self) -> str | None:
        for el in _select(self.doc, profile.HINT_SUMMARY):
            t = text_of(el)
            if t and not self._in_noise_box(el):
                return t
        return self._meta("description") or self._meta("og:description")

    def source(self) -> str | None:
        """The credited source of a "Theo: Báo Thái Bình" / "Nguồn: …" line in the article."""
        for _node, line, context in self._short_lines():
            if ":" not in line:  # the pattern needs the label's colon, and folding never adds one
                continue
            folded = soft_fold(line)
            if not _SOURCE_LINE.match(folded) or (self._in_noise_box(context) and context.tag != "footer"):
                continue
            value = line.split(":", 1)[1].strip(" .")
            if value and not value.lower().startswith(("http", "www")) and len(value) < 100:
                return clean_text(value)
        return None

    def _short_lines(self) -> Iterator[tuple[Any, str, HtmlElement]]:
        """(text node, its line, the element holding it) for every short line of the page body.

        The date and the source both walk these lines: one scan serves both.
        """
        if self._lines is None:
            self._lines = list(self._scan_short_lines())
        return iter(self._lines)

    def _scan_short_lines(self, limit: int = 160) -> Iterator[tuple[Any, str, HtmlElement]]:
        body = self.doc.find("body")
        for node in (body if body is not None else self.doc).xpath(".//text()"):
            raw = str(node)
            if len(raw) > limit or not raw.strip():
                continue
            el = node.getparent()
            if el is None or not isinstance(el.tag, str) or el.tag in ("script", "style", "title", "option"):
                continue
            if node.is_tail:
                context = el.getparent()
                if context is not None:
                    yield node, self._tail_line(el), context
                continue
            line = self._line_text(el)
            yield node, line, el
            parent = el.getparent()
            if el.tag in _INLINE_TAGS and parent is not None and len(el.text_content()) < 40:
                # <p><b>Ngày đăng:</b> 13/06/2022</p>: the label's line is its parent's
                yield node, self._line_text(parent), parent

    def breadcrumb(self) -> list[str]:
        for el in _select(self.doc, profile.HINT_BREADCRUMB):
            trail = self._trail(el)
            if trail:
                return trail
        for el in self.doc.iter():
            if isinstance(el.tag, str) and "breadcrumb" in classid(el):
                trail = self._trail(el)
                if trail:
                    return trail
        # A trail starting "Trang chủ" followed by separators or nested links.
        for el in self.doc.iter("ul", "ol", "div", "p", "nav"):
            if len(el.text_content()) > 250:
                continue
            items = [text_of(a) for a in el.iter("a", "li", "span")]
            items = [x for x in items if x and x not in ("»", ">", "/", "›")]
            if (
                2 <= len(items) <= 6
                and fold_key(items[0]) in profile.BREADCRUMB_ROOTS
                and len(text_of(el)) < 200
                and not self._is_menu_like(el)
            ):
                return self._dedupe(items)
        return []

    @staticmethod
    def _is_menu_like(el: HtmlElement) -> bool:
        return any(isinstance(c.tag, str) and c.tag in ("ul", "ol") for li in el.iter("li") for c in li)

    def _trail(self, el: HtmlElement) -> list[str]:
        items = [text_of(x) for x in el.iter("a", "li", "span") if len(x) == 0 or x.tag == "a"]
        items = [x for x in items if x and x not in ("»", ">", "/", "›", "|")]
        if not items:
            items = [x.strip() for x in re.split(r"[»>/›|]", text_of(el)) if x.strip()]
        return self._dedupe(items)

    @staticmethod
    def _dedupe(items: list[str]) -> list[str]:
        out: list[str] = []
        for x in items:
            if x not in out:
                out.append(x)
        return out

    def section(self) -> str | None:
        """The last breadcrumb step that is not the home page nor the item's own title."""
        trail = [x for x in self.breadcrumb() if fold_key(x) not in profile.BREADCRUMB_ROOTS]
        title = self.title()
        trail = [x for x in trail if x != title]
        return trail[-1] if trail else None

    # ---- media and files ---------------------------------------------------------------------------
    def images(self) -> list[str]:
        content = self.content_element()
        root = content if content is not None else self.doc
        out: list[str] = []
        for img in root.iter("img"):
            src = img.get("src") or img.get("data-src") or ""
            if src and not src.startswith("data:"):
                url = canonicalize(src, self.url)
                if url not in out:
                    out.append(url)
        return out

    def attachments(self) -> list[tuple[str, str | None]]:
        """(absolute URL, link text) of every attached document: by extension or a labelled download link."""
        out: dict[str, str | None] = {}
        for a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            if is_file_url(url):
                # a file linked from a sidebar belongs to another item
                if self._in_noise_box(a) and not self._in_content(a):
                    continue
            elif not self._labelled_download(a, url):
                continue
            out.setdefault(url, clean_text(text_of(a) or a.get("title")) or None)
        return list(out.items())

    def _in_content(self, a: HtmlElement) -> bool:
        return any(isinstance(p.tag, str) and "content" in classid(p) for p in a.iterancestors())

    @staticmethod
    def _labelled_download(a: HtmlElement, url: str) -> bool:
        """A "Tải về" / "File đính kèm" link to a download handler (no file extension in the URL)."""
        if is_image_url(url):
            return False
        parts = urlsplit(url)
        path = unquote(parts.path).lower()
        downloadish = any(
            w in path for w in ("download", "tai-ve", "taive", "getfile", "file", "attach")
        ) or any(k.lower() in ("file", "fileid", "attachment", "filename") for k, _ in parse_qsl(parts.query))
        if not downloadish:
            return False
        label = fold_key(text_of(a) or a.get("title") or "")
        if any(label.startswith(x) for x in profile.ATTACHMENT_LABELS):
            return True
        for holder in list(a.iterancestors())[:2]:
            raw = holder.text_content()
            if len(raw) < 300 and any(fold_key(raw).startswith(x) for x in profile.ATTACHMENT_LABELS):
                return True
        return False

    # ---- label/value metadata and tables -----------------------------------------------------------
    def metadata(self) -> dict[str, str]:
        """Known visible label → value pairs, from table rows, definition lists and "Label: value" lines."""
        found: dict[str, str] = {}

        def add(label: str, value: str) -> None:
            label = clean_text(label.strip().rstrip(":").strip()) or ""
            value = clean_text(value.strip().lstrip(":").strip()) or ""
            key = fold_key(label)
            if key in profile.METADATA_LABELS and value and label not in found:
                found[label] = value

        for tr in self.doc.iter("tr"):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            for i in range(0, len(cells) - 1, 2):
                if len(cells[i].text_content()) < 60:
                    add(text_of(cells[i]), text_of(cells[i + 1]))
        for dl in self.doc.iter("dl"):
            label: str | None = None
            for c in dl:
                if c.tag == "dt":
                    label = text_of(c)
                elif c.tag == "dd" and label:
                    add(label, text_of(c))
                    label = None
        for el in self.doc.iter("p", "div", "td"):
            # Old portals list every label in one block, one "Label: value" per <br>-separated line.
            if any(isinstance(c.tag, str) and c.tag == "br" for c in el):
                for line in _br_lines(el):
                    if ":" in line and len(line) < 300:
                        label_text, _, value = line.partition(":")
                        add(label_text, value)
        for el in self.doc.iter("p", "li", "div", "span", "td"):
            raw = el.text_content()
            if len(raw) >= 300 or ":" not in raw:
                continue
            first = next((c for c in el if isinstance(c.tag, str)), None)
            if (
                first is not None
                and first.tag in ("b", "strong", "label", "span", "th")
                and not (el.text or "").strip()
            ):
                label_text = text_of(first)
                rest = (first.tail or "") + "".join(
                    text_of(c) + (c.tail or "") for c in el[1:] if isinstance(c.tag, str)
                )
                if label_text.endswith(":") or rest.strip().startswith(":"):
                    add(label_text, rest)
                    continue
            line = text_of(el)
            if (
                ":" in line
                and len(line) < 300
                and not any(isinstance(c.tag, str) and c.tag in BLOCKS for c in el)
            ):
                label_text, _, value = line.partition(":")
                add(label_text, value)
        return found

    def tables(self) -> list[list[list[str]]]:
        content = self.content_element()
        if content is None:
            return []
        out: list[list[list[str]]] = []
        for table in content.iter("table"):
            if any(t is not table for t in table.iter("table")):
                continue  # layout table wrapping others: its rows are the inner tables
            rows = []
            for tr in table.iter("tr"):
                cells = [text_of(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if any(cells):
                    rows.append(cells)
            if rows:
                out.append(rows)
        return out

    # ---- the item ----------------------------------------------------------------------------------
    def to_item(self, *, category: str, kind: str, url: str | None = None, static: bool = False) -> PageItem:
        page_url = canonicalize(url or self.url)
        title = self.title() or ""
        return PageItem(
            url=page_url,
            category=category,
            kind=kind,
            title=title,
            site_id=None if static else site_id(page_url),
            section=self.section(),
            published_raw=self.published_raw(),
            published_order="DMY",
            summary=self.summary(),
            body_text=self.body_text(),
            body_html=self.body_html(),
            source=self.source(),
            images=self.images(),
            attachment_urls=self.attachments(),
            metadata=self.metadata(),
            tables=self.tables(),
            encoding=self.encoding,
        )


BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "table", "tr", "td", "br", "dl", "section", "article"})


def _br_lines(el: Any) -> list[str]:
    """The element's text split where it has <br> children (inline markup kept within a line)."""
    lines = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag == "br":
            lines.append(child.tail or "")
        elif isinstance(child.tag, str) and child.tag in BLOCKS:
            return []  # a block inside: its own lines are read on their own
        else:
            lines[-1] += (child.text_content() if isinstance(child.tag, str) else "") + (child.tail or "")
    return [line.strip() for line in lines if line.strip()]
