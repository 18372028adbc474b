"""Files a page attaches: links to documents by extension, or labelled links to a download handler.

A file linked from the site's furniture (a sidebar of new documents, another item's entry) belongs to
another item and is not this page's.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml.html import HtmlElement

from archive.normalize.text import clean_text, fold_key
from scraper import site_profile as profile
from scraper.pages.base import text_of
from scraper.pages.blocks import Block
from scraper.pages.template import BREAKING, Verdict
from scraper.urls import is_image_url

_DOWNLOAD_PATH_WORDS = ("download", "tai-ve", "taive", "getfile", "file", "attach")
_DOWNLOAD_PARAMS = frozenset({"file", "fileid", "attachment", "filename"})
_LABEL_LINE = 40  # "File đính kèm:" alone, heading a list of files


def _label_of(a: HtmlElement) -> str | None:
    return clean_text(text_of(a) or a.get("title")) or None


def labelled_download(a: HtmlElement, url: str) -> bool:
    """A "Tải về" / "File đính kèm" link to a download handler (no file extension in the URL)."""
    if is_image_url(url):
        return False
    parts = urlsplit(url)
    path = unquote(parts.path).lower()
    downloadish = any(w in path for w in _DOWNLOAD_PATH_WORDS) or any(
        k.lower() in _DOWNLOAD_PARAMS for k, _ in parse_qsl(parts.query)
    )
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


def attached_files(blocks: Sequence[Block], verdicts: Sequence[Verdict]) -> list[tuple[str, str | None]]:
    """(absolute URL, link text) of every file the page attaches, in page order, each once."""
    out: dict[str, str | None] = {}
    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict.furniture in BREAKING:  # a line every item repeats ("File đính kèm: Tải về") is its own
            continue
        for url, a in block.files:
            out.setdefault(url, _label_of(a))
        for url, a in block.links:
            if labelled_download(a, url):
                out.setdefault(url, _label_of(a))
    return list(out.items())


def file_list_blocks(blocks: Sequence[Block]) -> set[int]:
    """Blocks that only list attached files ("File đính kèm:", "qd-12.pdf Tải về"): not article text."""
    out: set[int] = set()
    for block in blocks:
        if not block.text or len(block.text) > (300 if block.files else _LABEL_LINE):
            continue
        rest = fold_key(block.text)
        for url, a in block.files:
            # The link's text, and the file's name as a list may print it beside the link.
            rest = rest.replace(fold_key(text_of(a)), " ")
            rest = rest.replace(fold_key(unquote(urlsplit(url).path.rsplit("/", 1)[-1])), " ")
        for label in profile.ATTACHMENT_LABELS:
            rest = rest.replace(label, " ")
        if block.files and len(rest.strip()) <= 3:
            out.add(block.index)
        elif not block.files and not rest.strip():
            out.add(block.index)  # the list's own heading: "File đính kèm:"
    return out
