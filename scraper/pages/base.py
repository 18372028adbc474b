"""What every page class shares: decoding bytes to correct Vietnamese text, an lxml tree, small text helpers.

Scrapy's own decoding trusts the HTTP header over the page; old IIS servers send `iso-8859-1` for UTF-8
pages, so the page classes decode the bytes themselves: BOM, strict UTF-8, the declared charsets (the
page's own meta over a server's default label), then detection.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import lxml.html
from lxml.html import HtmlElement
from scrapy.http import Response

from archive.normalize.text import clean_text, drop_marks, nfc
from scraper.pages.tags import BLOCK_TAGS, MEDIA_TAGS, SKIP_TAGS

if TYPE_CHECKING:
    from scraper.pages.blocks import Block, Segmented

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels servers send by default whatever the page is: the page's own meta is better evidence.
_WEAK_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"})


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    # WHATWG: a page labelled latin-1 is decoded as windows-1252.
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return m[1] if m else None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m[1].decode("ascii", "replace") if m else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(NFC text, encoding used): BOM, then valid UTF-8, then the declared charsets, then detection."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return nfc(body[len(bom) :].decode(name, errors="replace")), name
    declared_header = header_charset(content_type)
    declared_meta = meta_charset(body)
    # Strict UTF-8 almost never succeeds by accident on non-ASCII legacy bytes, so a body that decodes
    # cleanly is UTF-8 whatever a (often wrong) header says.
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return nfc(text), "utf-8"
    candidates = [declared_header, declared_meta]
    if (declared_header or "").lower() in _WEAK_LABELS or _codec(declared_header) == "utf-8":
        candidates = [declared_meta, declared_header]
    for label in candidates:
        name = _codec(label)
        if name and name != "utf-8":
            # cp1258 decodes tones as combining marks: NFC turns them into the precomposed letters.
            return nfc(body.decode(name, errors="replace")), name
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
        if best is not None and best.encoding:
            return nfc(str(best)), best.encoding
    except Exception:  # detection is a fallback; decoding below must still happen
        pass
    return nfc(body.decode("cp1252", errors="replace")), "cp1252"


def text_of(el: HtmlElement | None) -> str:
    """Visible text of an element, whitespace collapsed, scripts and styles skipped, blocks spaced."""
    if el is None:
        return ""
    parts: list[str] = []
    _collect_text(el, parts)
    return clean_text("".join(parts)) or ""


def _collect_text(el: HtmlElement, parts: list[str]) -> None:
    tag = el.tag
    if not isinstance(tag, str) or tag in _TEXT_SKIP:
        return
    block = tag in _TEXT_BREAKS
    if block:
        parts.append(" ")
    if el.text:
        parts.append(el.text)
    for child in el:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


# text_of reads what a reader sees: no scripts, forms or players' fallback text; blocks and <br> spaced.
_TEXT_SKIP = SKIP_TAGS | MEDIA_TAGS
_TEXT_BREAKS = BLOCK_TAGS | {"br"}


_WHITESPACE = re.compile(r"\s+")


def soft_fold(text: str | None) -> str:
    """Lowercase, tone marks and đ folded, punctuation KEPT (labels need their colon)."""
    if not text:
        return ""
    return _soft_fold(text)


# The same menu, sidebar and footer lines come back on every page of a site.
@lru_cache(maxsize=16384)
def _soft_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    bare = drop_marks(decomposed)
    return _WHITESPACE.sub(" ", bare.replace("\u00a0", " ")).strip()


def classid(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def iter_links(root: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            yield a, href


class PageBase:
    """A decoded page: `url`, `encoding`, `doc` (lxml tree with absolute links)."""

    def __init__(self, response: Response) -> None:
        self.url = response.url
        content_type = response.headers.get(b"Content-Type")
        ctype = content_type.decode("latin-1") if content_type else None
        self.text, self.encoding = decode_html(response.body, ctype)
        self.doc = parse_html(self.text, self.url)

    @cached_property
    def segmented(self) -> Segmented:
        """The page's text blocks in document order (read once, shared by every field)."""
        from scraper.pages.blocks import segment

        return segment(self.doc, self.url)

    @property
    def blocks(self) -> list[Block]:
        return self.segmented.blocks

    @property
    def base_url(self) -> str:
        base = self.doc.find(".//base[@href]")
        return base.get("href") if base is not None else self.url


def parse_html(text: str, url: str) -> HtmlElement:
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        text = "<html><body></body></html>"
    # Links stay as written: callers join them with the page URL (cached), which is far cheaper than
    # rewriting every link of every page.
    return lxml.html.document_fromstring(text, base_url=url)
