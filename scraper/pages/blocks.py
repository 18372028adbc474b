"""A page as a reader sees it: a sequence of text blocks (lines and paragraphs) in document order.

Every content decision works on this one sequence: the site's template learns which blocks recur, the
article is the best run of blocks that are not furniture, and labels, dates and files are read from
blocks. A block is the text between two block boundaries (a paragraph, a list item, a heading, one line
of a `<br>`-broken block), one row of a data table, or one image. Layout tables are walked through like
`div`s, so an article in a table cell is found like one in a `div`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement

from archive.normalize.text import clean_text
from scraper.pages.base import soft_fold, text_of
from scraper.pages.tags import (
    BLOCK_TAGS,
    CHROME_TAGS,
    CONTENT_TAGS,
    EMBED_TAGS,
    HEADING_TAGS,
    LAZY_SRC_ATTRIBUTES,
    MEDIA_TAGS,
    SKIP_TAGS,
    TABLE_LAYOUT_TAGS,
)
from scraper.urls import canonicalize, is_file_url, is_image_url

TEXT = "text"
HEADING = "heading"
ROW = "row"  # one row of a data table: its cells joined by " | "
MEDIA = "media"  # an image or video: no text, its source URL

_DIGITS = re.compile(r"\d+")
# A cell longer than this, or holding more paragraphs than this, is a layout cell, not data.
_DATA_CELL_CHARS = 400
_DATA_CELL_BLOCKS = 3


def _key(text: str) -> int:
    """A stable 64-bit key (the same in every process, unlike hash()), for counting across pages."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def media_src(el: HtmlElement) -> str:
    """The file an image or video shows: lazy loaders keep it in another attribute and put a
    placeholder (a data: URI, a blank gif) in `src` until the page is scrolled."""
    for name in LAZY_SRC_ATTRIBUTES:
        value = (el.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return ""


@dataclass(eq=False)
class Block:
    index: int
    element: HtmlElement  # the element holding the text: its block container, a table row, or the media
    text: str  # as shown: NFC, whitespace collapsed ("" for media)
    kind: str = TEXT
    nav_chars: int = 0  # characters of links to other pages (menus, lists of items, external sites)
    control_chars: int = 0  # characters of script links and buttons ("Đọc bài", "In bài", "TĂNG")
    links: list[tuple[str, HtmlElement]] = field(default_factory=list)  # (absolute URL, <a>) of page links
    files: list[tuple[str, HtmlElement]] = field(default_factory=list)  # (absolute URL, <a>) of file links
    chrome: bool = False  # under nav/header/footer/aside, outside any article/main
    src: str | None = None  # media only: the absolute source URL
    inlines: list[HtmlElement] = field(default_factory=list)  # inline elements whose text is in the block

    @cached_property
    def folded(self) -> str:
        return soft_fold(self.text)

    @cached_property
    def exact(self) -> int:
        """Key of the text as written (case, tone marks and spacing folded)."""
        return _key(self.folded) if self.text else _key("\x00media " + (self.src or ""))

    @cached_property
    def shape(self) -> int:
        """Key with every number folded to 0: a visit counter or a box's timestamps keep one shape."""
        return _key(_DIGITS.sub("0", self.folded)) if self.text else self.exact

    @cached_property
    def place(self) -> int:
        """Key of where the block sits: its container's chain of tags, ids and classes up to the body
        (numbers folded, a cell's column kept), never its position among siblings, which moves with the
        length of the article. A sentence the site's furniture shows in one place and an article quotes
        in another has two places."""
        parts: list[str] = []
        node = self.element.getparent()
        while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html"):
            column = ""
            if node.tag in ("td", "th"):
                row = node.getparent()
                column = str(row.index(node)) if row is not None else ""
            parts.append(f"{node.tag}#{node.get('id') or ''}.{node.get('class') or ''}:{column}")
            node = node.getparent()
        return _key(_DIGITS.sub("0", "/".join(parts)))

    @property
    def link_share(self) -> float:
        """Share of the text inside links or controls: 1.0 for a menu entry, ~0 for a paragraph."""
        return min(1.0, (self.nav_chars + self.control_chars) / len(self.text)) if self.text else 0.0


@lru_cache(maxsize=65536)  # menus and sidebars link the same pages from every page
def _link_kind(url: str) -> str:
    if is_file_url(url):
        return "file"
    return "other" if is_image_url(url) else "nav"


def _is_data_table(table: HtmlElement) -> bool:
    """A table of data (label/value rows, a recipients list), not a layout grid holding the page.

    One column is layout too: a data table's row has several cells, a page frame stacks one per row.
    """
    cells = 0
    wide = False
    for tr in _rows(table):
        own = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        wide = wide or len(own) > 1
    if not wide:
        return False
    for cell in table.iter("td", "th"):
        if _nearest_table(cell) is not table:
            continue
        cells += 1
        if len(cell.text_content()) > _DATA_CELL_CHARS:
            return False
        paragraphs = 0
        for inner in cell.iter():
            if inner is cell or not isinstance(inner.tag, str):
                continue
            if inner.tag in TABLE_LAYOUT_TAGS:
                return False
            if inner.tag in ("p", "div"):
                paragraphs += 1
                if paragraphs > _DATA_CELL_BLOCKS:
                    return False
    return cells > 0


def _nearest_table(el: HtmlElement) -> HtmlElement | None:
    node = el.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows (those of nested tables excluded), in order."""
    return [tr for tr in table.iter("tr") if _nearest_table(tr) is table]


def embedded_file(el: HtmlElement, base_url: str) -> str | None:
    """The document an iframe/embed/object shows: its own source, or the file a viewer is given
    (`/viewer?file=/x.pdf`, `…/viewer?url=https://…/x.pdf&embedded=true`)."""
    src = (el.get("src") or el.get("data") or "").strip()
    if not src or src.startswith(("data:", "javascript:", "about:")):
        return None
    url = canonicalize(src, base_url)
    if is_file_url(url):
        return url
    for _, value in parse_qsl(urlsplit(url).query):
        if value.startswith(("/", "http://", "https://")):
            inner = canonicalize(value, url)
            if is_file_url(inner):
                return inner
    return None


class _Segmenter:
    """One walk of the tree; text is buffered until a block boundary closes it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.element_block: dict[HtmlElement, int] = {}  # inline element → index of the block holding it
        self._buf: list[str] = []
        self._nav = 0
        self._control = 0
        self._links: list[tuple[str, HtmlElement]] = []
        self._files: list[tuple[str, HtmlElement]] = []
        self._inlines: list[HtmlElement] = []
        self._chrome = 0  # depth inside chrome elements
        self._content = 0  # depth inside article/main
        self._link: str | None = None  # the kind of link being walked: "nav" | "control" | "file" | None

    # -- text ----------------------------------------------------------------------------------------
    def _add(self, text: str | None) -> None:
        if not text:
            return
        self._buf.append(text)
        if self._link == "nav":
            self._nav += len(text.strip())
        elif self._link == "control":
            self._control += len(text.strip())

    def _flush(self, container: HtmlElement) -> None:
        if not self._buf and not self._inlines:
            return
        text = clean_text("".join(self._buf)) or ""
        if text:
            index = len(self.blocks)
            kind = HEADING if container.tag in HEADING_TAGS else TEXT
            self.blocks.append(
                Block(
                    index,
                    container,
                    text,
                    kind,
                    nav_chars=self._nav,
                    control_chars=self._control,
                    links=self._links,
                    files=self._files,
                    chrome=self._chrome > 0 and self._content == 0,
                    inlines=self._inlines,
                )
            )
            for el in self._inlines:
                self.element_block[el] = index
        self._buf, self._nav, self._control = [], 0, 0
        self._links, self._files, self._inlines = [], [], []

    # -- links ---------------------------------------------------------------------------------------
    def _classify_link(self, a: HtmlElement) -> str:
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript:"):
            return "control"
        low = href.lower()
        if low.startswith(("mailto:", "tel:", "data:")):
            return "other"
        url = canonicalize(href, self.base_url)
        kind = _link_kind(url)
        if kind == "file":
            self._files.append((url, a))
        elif kind == "nav":
            self._links.append((url, a))
        return kind

    # -- the walk ------------------------------------------------------------------------------------
    def walk(self, el: HtmlElement, container: HtmlElement) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag in EMBED_TAGS:
            shown = embedded_file(el, self.base_url)
            if shown is not None:
                # A document shown in a viewer is a file of the page, like a "Tải về" link to it.
                self._flush(container)
                chrome = self._chrome > 0 and self._content == 0
                self.blocks.append(
                    Block(len(self.blocks), el, "", MEDIA, files=[(shown, el)], chrome=chrome, src=shown)
                )
                return
        if tag in MEDIA_TAGS:
            src = media_src(el)
            if src:
                self._flush(container)
                index = len(self.blocks)
                url = canonicalize(src, self.base_url)
                self.blocks.append(
                    Block(index, el, "", MEDIA, chrome=self._chrome > 0 and self._content == 0, src=url)
                )
            return
        if tag in SKIP_TAGS:
            return
        if tag == "br":
            self._flush(container)
            return
        chrome = tag in CHROME_TAGS
        content = tag in CONTENT_TAGS
        self._chrome += chrome
        self._content += content
        try:
            if tag == "table" and _is_data_table(el):
                self._flush(container)
                self._table(el)
            elif tag in BLOCK_TAGS:
                self._flush(container)
                self._children(el, el)
                self._flush(el)
            elif tag == "a":
                outer = self._link
                kind = self._classify_link(el)
                self._inlines.append(el)
                self._link = kind if outer is None else outer
                self._children(el, container)
                self._link = outer
            elif tag == "button":
                outer = self._link
                self._link = "control"
                self._children(el, container)
                self._link = outer
            else:
                self._inlines.append(el)
                self._children(el, container)
        finally:
            self._chrome -= chrome
            self._content -= content

    def _children(self, el: HtmlElement, container: HtmlElement) -> None:
        self._add(el.text)
        for child in el:
            self.walk(child, container)
            self._add(child.tail)

    def _table(self, table: HtmlElement) -> None:
        for tr in _rows(table):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            texts = [text_of(c) for c in cells]
            if not any(texts):
                continue
            for a in tr.iter("a"):
                kind = self._classify_link(a)
                self._inlines.append(a)
                if kind == "nav":
                    self._nav += len(text_of(a))
                elif kind == "control":
                    self._control += len(text_of(a))
            self._buf = [" | ".join(texts)]
            index = len(self.blocks)
            self._flush(tr)
            if index < len(self.blocks):
                self.blocks[index].kind = ROW
            for img in tr.iter(*MEDIA_TAGS):
                self.walk(img, tr)


@dataclass
class Segmented:
    blocks: list[Block]
    element_block: dict[HtmlElement, int]  # every inline element (links included) → its block's index


def segment(doc: HtmlElement, base_url: str) -> Segmented:
    """The blocks of a page's body in document order."""
    body = doc.find("body")
    root = body if body is not None else doc
    walker = _Segmenter(base_url)
    walker.walk(root, root)
    walker._flush(root)
    return Segmented(walker.blocks, walker.element_block)


def ancestors_within(el: HtmlElement, stop: Any = None) -> list[HtmlElement]:
    """`el` and its ancestors up to (not including) `stop`, nearest first."""
    out = []
    node: HtmlElement | None = el
    while node is not None and node is not stop:
        out.append(node)
        node = node.getparent()
    return out
