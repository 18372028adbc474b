"""The article of a detail page: the best run of blocks that are not the site's furniture.

Furniture that breaks (what repeats on list pages, other items' teasers, links, HTML5 chrome) splits
the page's blocks into runs; other furniture (lines every article repeats, known box headings) is
only dropped; the article is the run with the most prose, counting a page's own blocks (its
teaser on a list, text no other page shows) double. Within it the title, the date line, labelled
metadata and the list of attached files are dropped: they are fields of their own. A short award
decision — one sentence and a recipients table — is a run like a long story, only shorter.

Without any knowledge of the site (a single saved page), a text guide weighs in: the blocks
`trafilatura` keeps (the best single-page extractor on a public benchmark of real article pages) count
triple, and short lines it left out at the run's ends are trimmed.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import lxml.html
from lxml.html import HtmlElement

from scraper.pages.blocks import HEADING, MEDIA, ROW, Block, ancestors_within
from scraper.pages.template import BREAKING, Verdict

_OWN_WEIGHT = 2.0
_HINT_WEIGHT = 1.5
_MEDIA_WEIGHT = 5.0
_SENTENCE_END = (".", "!", "?", ":", ";", "…", '"', "”", ")", "»")
# A guide that names nearly all of the page's text has not chosen anything.
_GUIDE_MAX_SHARE = 0.85
_GUIDE_MIN_CHARS = 50
_GUIDED_WEIGHT = 3.0
_GUIDE_SHORT = 80


def heading_like(block: Block) -> bool:
    """A box heading or label line rather than prose: short, no sentence ending."""
    if block.kind == HEADING:
        return True
    if block.kind in (ROW, MEDIA):
        return False
    text = block.text.rstrip()
    return len(text) <= 60 and not text.endswith(_SENTENCE_END) and len(text.split()) <= 10


@dataclass
class Article:
    """The chosen run of a page's blocks, and the body blocks within it."""

    blocks: list[Block]  # body blocks in document order
    start: int  # the run's first and last block index (the article region: metadata, files, source)
    stop: int

    @property
    def empty(self) -> bool:
        return not self.blocks


def choose_article(
    blocks: Sequence[Block],
    verdicts: Sequence[Verdict],
    *,
    dropped: set[int],
    breakers: set[int],
    hinted: set[int],
    guided: set[int] | None = None,
) -> Article:
    """`dropped`: blocks that are fields of their own (date line, labels, file lists); `breakers`: blocks
    no article spans (the title); `hinted`: inside an element a CSS hint names as the body; `guided`:
    blocks a text guide chose (single pages only)."""
    if guided is not None and not _guide_is_informative(blocks, verdicts, guided):
        guided = None
    best: tuple[float, int, int] | None = None
    start: int | None = None
    score = 0.0
    for i in range(len(blocks) + 1):
        breaking = i == len(blocks) or verdicts[i].furniture in BREAKING or i in breakers
        if breaking:
            if start is not None and (best is None or score > best[0]):
                best = (score, start, i)
            start, score = None, 0.0
            continue
        if start is None:
            start = i
        if i not in dropped and verdicts[i].furniture is None:
            score += _weight(blocks[i], verdicts[i], i in hinted, guided is not None and i in guided)
    if best is None or best[0] <= 0:
        return Article([], 0, -1)
    _, first, end = best
    last = end - 1
    ended_by_furniture = end < len(blocks)
    # A trailing short heading before furniture heads the next box ("Bài viết cùng chủ đề").
    while last >= first and ended_by_furniture and _box_heading(blocks[last], verdicts[last], last, dropped):
        last -= 1
    while first <= last and _box_heading(blocks[first], verdicts[first], first, dropped):
        first += 1
    if guided:
        # Short lines the guide left out at either end: a byline, tags, a share prompt.
        while first <= last and _unguided_short(blocks[last], last, guided):
            last -= 1
        while first <= last and _unguided_short(blocks[first], first, guided):
            first += 1
    body = [blocks[i] for i in range(first, last + 1) if i not in dropped and verdicts[i].furniture is None]
    return Article(body, first, last)


def _box_heading(block: Block, verdict: Verdict, index: int, dropped: set[int]) -> bool:
    """A short heading-like line at the run's edge, or a line dropped anyway (furniture, a label)."""
    return index in dropped or verdict.furniture is not None or (not verdict.own and heading_like(block))


def _unguided_short(block: Block, index: int, guided: set[int]) -> bool:
    return index not in guided and block.kind != MEDIA and len(block.text) < _GUIDE_SHORT


def _weight(block: Block, verdict: Verdict, hinted: bool, guided: bool) -> float:
    weight = _MEDIA_WEIGHT if block.kind == MEDIA else len(block.text) * (1.0 - block.link_share)
    if verdict.own:
        weight *= _OWN_WEIGHT
    if hinted:
        weight *= _HINT_WEIGHT
    if guided:
        weight *= _GUIDED_WEIGHT
    return weight


def _guide_is_informative(blocks: Sequence[Block], verdicts: Sequence[Verdict], guided: set[int]) -> bool:
    total = sum(len(b.text) for b, v in zip(blocks, verdicts, strict=True) if v.furniture is None)
    chosen = sum(len(blocks[i].text) for i in guided)
    return chosen >= _GUIDE_MIN_CHARS and total > 0 and chosen / total <= _GUIDE_MAX_SHARE


# -- rendering ---------------------------------------------------------------------------------------


def body_text(article: Article) -> str | None:
    """Paragraphs separated by a blank line; a table row is one line, its cells joined by " | "."""
    text = "\n\n".join(b.text for b in article.blocks if b.text)
    return text or None


def body_html(article: Article, page_blocks: Sequence[Block], base_url: str) -> str | None:
    """The body's own markup: each largest element all of whose blocks are in the body, in order.

    Text sitting directly in an element that also holds dropped or furniture blocks becomes a plain
    paragraph of its own, so nothing chosen is lost and nothing dropped comes back.
    """
    if article.empty:
        return None
    chosen_blocks = {b.index for b in article.blocks}
    # Keyed by the elements themselves: lxml's proxies stay unique while referenced (an id() would not).
    total: dict[HtmlElement, int] = {}
    selected: dict[HtmlElement, int] = {}
    for block in page_blocks:
        picked = block.index in chosen_blocks
        for el in ancestors_within(block.element):
            total[el] = total.get(el, 0) + 1
            if picked:
                selected[el] = selected.get(el, 0) + 1

    def pure(el: HtmlElement | None) -> bool:
        return el is not None and total.get(el, 0) == selected.get(el, -1)

    parts: list[tuple[int, str]] = []
    emitted: set[HtmlElement] = set()
    # Rows of a table only partly chosen (its label rows dropped, say) are emitted as a table of their own.
    partial_tables: dict[HtmlElement, tuple[int, HtmlElement, list[HtmlElement]]] = {}
    for block in article.blocks:
        el = block.element
        if not pure(el):
            parts.append((block.index, f"<p>{escape(block.text)}</p>" if block.text else ""))
            continue
        top = el
        parent = top.getparent()
        while pure(parent):
            top = parent
            parent = top.getparent()
        if top in emitted:
            continue
        emitted.add(top)
        if top.tag == "tr":
            table = next(top.iterancestors("table"), None)
            if table is not None:
                partial_tables.setdefault(table, (block.index, table, []))[2].append(top)
                continue
        parts.append((block.index, _markup(top, base_url)))
    for index, table, rows in partial_tables.values():
        fragment = lxml.html.fromstring("<table></table>")
        for key in ("class", "border"):
            if table.get(key):
                fragment.set(key, table.get(key))
        for row in rows:
            fragment.append(copy.deepcopy(row))
        parts.append((index, _markup(fragment, base_url)))
    html = "".join(markup for _, markup in sorted(parts, key=lambda p: p[0]))
    return html.strip() or None


def _markup(el: HtmlElement, base_url: str) -> str:
    piece = copy.deepcopy(el)
    piece.tail = None
    if piece.tag in ("td", "th"):
        piece.tag = "div"  # a layout cell holding the article: its content, not a lone cell
    wrapper = lxml.html.fromstring("<div></div>")
    wrapper.append(piece)
    wrapper.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    return lxml.html.tostring(piece, encoding="unicode")
