"""A detail page (article, notice, legal text, decision, Q&A, static page): every field found by cues.

The page is read once into blocks (`blocks`); the site's template (`template`) says which of them are
furniture; the article is the best run of the rest (`article`). Each field has its own small module:
title, date line, labels, attached files, breadcrumb. Selectors from `site_profile` are hints only,
tried first or weighed in; visible labels, URL shapes and the site's own repetition decide.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from lxml.html import HtmlElement
from scrapy.http import Response

from archive.normalize.text import fold_key
from scraper import site_profile as profile
from scraper.items import PageItem
from scraper.pages import article as article_mod
from scraper.pages.attachments import attached_files, file_list_blocks
from scraper.pages.base import PageBase, classid, soft_fold, text_of
from scraper.pages.blocks import HEADING as HEADING_BLOCK
from scraper.pages.blocks import MEDIA, ROW, TEXT
from scraper.pages.breadcrumb import breadcrumb, section_of, trail_line
from scraper.pages.dateline import DATE_ANY, find_date_line, time_element_date
from scraper.pages.hints import select
from scraper.pages.labels import Pair, label_pairs, metadata, metadata_block_indices, source_line
from scraper.pages.template import BREAKING, CHROME, SiteTemplate, Verdict
from scraper.pages.title import find_title, meta_content
from scraper.urls import canonicalize, site_id

BOX_HEADING = "heading"  # furniture reason: a box heading the profile knows ("tin cùng chuyên mục")
COUNTER = "counter"  # furniture reason: the page's view counter alone on a line ("Lượt xem: 1.056")
# Class and id words of containers that are never the article: a hint for single pages only, where
# there is no site to learn furniture from.
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|mainmenu|topmenu|header|footer|sidebar|side-bar|aside|breadcrumbs?|banner|"
    r"share|social|comment|related|other|tinkhac|lienquan|widget|copyright|pagination|pager|paging|toolbar|"
    r"font-?size|tools?|print|search|login|advert|ads|marquee|slider|logo)(?:$|[\s_-])"
)
_MIN_SUMMARY = 40
_EMPHASIS = frozenset({"b", "strong", "i", "em"})
# Emphasis an editor writes as a style: `<span style="font-weight: bold;">` (CKEditor, a Word paste).
_EMPHASIS_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)|font-style\s*:\s*italic", re.I)
_MAX_HEADING = 40
# How far below the title its byline may sit (a date line or a tool bar may come first).
_BYLINE_WINDOW = 3
# A breadcrumb trail: at most this many blocks back to its root; lines this short are its separators.
_TRAIL_STEPS = 12
_SEPARATOR_CHARS = 3


@lru_cache(maxsize=4096)
def is_noise_heading(text: str) -> bool:
    key = fold_key(text)
    return bool(key) and any(
        key == h or (key.startswith(h) and len(key) <= len(h) + 12) for h in profile.NOISE_HEADINGS
    )


_COUNTER_NUMBER = re.compile(r"\b\d+\b")


@lru_cache(maxsize=4096)
def is_counter_line(text: str) -> bool:
    """A view or download counter alone on its line: a label the profile knows and a number."""
    if len(text) > _MAX_HEADING:
        return False
    key = fold_key(text)
    words = _COUNTER_NUMBER.sub(" ", key).split()
    return len(words) < len(key.split()) and " ".join(words) in profile.COUNTER_LABELS


_MAX_BYLINE = 160
_BYLINE_START = re.compile(
    r"^(?:" + "|".join(re.escape(x) for x in sorted(profile.BYLINE_LABELS, key=len, reverse=True)) + r")\s*:"
)


def is_byline(text: str) -> bool:
    """A short line opening with a byline label and its colon: "Tác giả: BBT Chuyên mục: Tin tức"."""
    return len(text) <= _MAX_BYLINE and bool(_BYLINE_START.match(soft_fold(text)))


class DetailPage(PageBase):
    """Fields of one item page. Construct from a response (and the crawl's template); each method
    returns one field."""

    def __init__(self, response: Response, template: SiteTemplate | None = None) -> None:
        super().__init__(response)
        self.template = template if template is not None else SiteTemplate()
        self.learned = False

    # ---- what the template says of the blocks -------------------------------------------------------
    def learn(self, kind: str) -> None:
        """Count this page's blocks into the template (once), as a page of this kind of item."""
        if not self.learned:
            self.template.learn_detail(self.blocks, kind)
            self.learned = True

    @cached_property
    def verdicts(self) -> list[Verdict]:
        verdicts = self.template.judge(self.blocks, url=self.url_key, learned=self.learned)
        alone = not self.template.knows_the_site
        chrome_cache: dict[HtmlElement, bool] = {}
        for block, verdict in zip(self.blocks, verdicts, strict=True):
            if verdict.furniture is not None:
                continue
            if block.text and len(block.text) <= _MAX_HEADING and is_noise_heading(block.text):
                verdict.furniture = BOX_HEADING
            elif block.text and is_counter_line(block.text):
                verdict.furniture = COUNTER
            elif alone and self._chrome_hinted(block.element, chrome_cache):
                verdict.furniture = CHROME
        return verdicts

    @staticmethod
    def _chrome_hinted(el: HtmlElement, cache: dict[HtmlElement, bool]) -> bool:
        chain: list[HtmlElement] = []
        node: HtmlElement | None = el
        found = False
        while node is not None and isinstance(node.tag, str):
            known = cache.get(node)
            if known is not None:
                found = known
                break
            if node.tag in ("article", "main"):
                break
            chain.append(node)
            if node.tag not in ("body", "html"):
                cid = classid(node)
                if _CHROME_WORDS.search(cid) and "breadcrumb" not in cid:
                    found = True
                    break
            node = node.getparent()
        for seen in chain:
            cache[seen] = found
        return found

    def _element_is_furniture(self, el: HtmlElement) -> bool:
        """An element whose text is in the site's furniture (its own block, or the block it sits in)."""
        index = self.segmented.element_block.get(el)
        if index is not None:
            return self.verdicts[index].furniture in BREAKING
        own = self._blocks_of.get(el, ())
        return bool(own) and all(self.verdicts[i].furniture in BREAKING for i in own)

    @cached_property
    def _blocks_of(self) -> dict[HtmlElement, list[int]]:
        """Block element → the blocks it holds directly."""
        out: dict[HtmlElement, list[int]] = {}
        for block in self.blocks:
            out.setdefault(block.element, []).append(block.index)
        return out

    # ---- title -------------------------------------------------------------------------------------
    @cached_property
    def _title(self) -> str | None:
        return find_title(
            self.doc,
            is_furniture=self._element_is_furniture,
            is_noise_heading=is_noise_heading,
            shown=self._shows_line,
        )

    def _shows_line(self, text: str) -> bool:
        key = fold_key(text)
        return any(len(b.text) <= len(text) + 20 and fold_key(b.text) == key for b in self.blocks if b.text)

    def title(self) -> str | None:
        return self._title

    @cached_property
    def _title_blocks(self) -> list[int]:
        """Blocks showing the title (its heading, a caption repeating it, a link to it), in page order."""
        title = self._title
        if not title:
            return []
        key = fold_key(title)
        return [
            b.index
            for b in self.blocks
            if b.text and len(b.text) <= len(title) + 20 and fold_key(b.text) == key
        ]

    @cached_property
    def _title_heading(self) -> int | None:
        """Where the article starts: the title's heading, else its first showing that is not furniture."""
        # A breadcrumb ending with the item's own title ("Trang chủ » Tin tức » <title>") shows it
        # before the banner and the boxes: the article starts at another showing.
        shown = [i for i in self._title_blocks if not self._ends_a_trail(i)]
        headings = [i for i in shown if self.blocks[i].kind == HEADING_BLOCK]
        # A box of the latest items may show this page's own teaser, its heading a link to the page,
        # before the article in the source: the article's heading is the one that is not a box's.
        heading = next((i for i in headings if self.verdicts[i].furniture not in BREAKING), None)
        if heading is not None:
            return heading
        if headings:
            return headings[0]
        return next((i for i in shown if self.verdicts[i].furniture not in BREAKING), None)

    def _ends_a_trail(self, index: int) -> bool:
        """The block closes a breadcrumb trail: back from it, over the site's furniture (the trail's
        links and steps) and separators, the next block is the trail's root ("Trang chủ"), and the
        element holding both holds nothing else (a title right below a trail is not in it)."""
        for j in range(index - 1, max(-1, index - _TRAIL_STEPS), -1):
            block = self.blocks[j]
            if fold_key(block.text) in profile.BREADCRUMB_ROOTS:
                return self._holds_only(j, index)
            if len(block.text) > _SEPARATOR_CHARS and self.verdicts[j].furniture is None:
                return False
        return False

    def _holds_only(self, first: int, last: int) -> bool:
        """The nearest element holding blocks `first` and `last` shows no text beyond blocks first..last."""
        around = set(self.blocks[first].element.iterancestors()) | {self.blocks[first].element}
        node: HtmlElement | None = self.blocks[last].element
        while node is not None and node not in around:
            node = node.getparent()
        if node is None:
            return False
        shown = sum(len(b.text) + 1 for b in self.blocks[first : last + 1])
        return len(" ".join(node.text_content().split())) <= shown + _SEPARATOR_CHARS * (last - first + 1)

    # ---- date --------------------------------------------------------------------------------------
    @cached_property
    def _date_line(self) -> tuple[str, int] | None:
        return find_date_line(self.blocks, self.verdicts, self._title_heading)

    @cached_property
    def _byline_blocks(self) -> set[int]:
        """The byline below the title (author, section, counter), when it is a line of its own."""
        if self._title_heading is None:
            return set()
        start = self._title_heading + 1
        return {
            b.index
            for b in self.blocks[start : start + _BYLINE_WINDOW]
            if b.kind == TEXT and is_byline(b.text)
        }

    def published_raw(self) -> str | None:
        """The text the publication date was read from, label included (the date parser strips it)."""
        if self._date_line is not None:
            return self._date_line[0]
        furniture = {
            el
            for el, i in self.segmented.element_block.items()
            if el.tag == "time"
            and (
                self.verdicts[i].furniture in BREAKING
                # the article's own <time> is in its header: one in a box of other items' teasers,
                # before the title or after the article's first lines, dates those items
                or (
                    self._title_heading is not None
                    and not self._title_heading <= i <= self._title_heading + _BYLINE_WINDOW
                )
            )
        }
        found = time_element_date(self.doc, furniture)
        if found:
            return found
        for name in ("article:published_time", "datePublished", "pubdate", "date", "dc.date"):
            value = meta_content(self.doc, name)
            if value:
                return value
        return None

    # ---- labels ------------------------------------------------------------------------------------
    @cached_property
    def _pairs(self) -> list[Pair]:
        return label_pairs(self.blocks, self.verdicts)

    def metadata(self) -> dict[str, str]:
        """Known visible label → value pairs of the article (never the footer's, never a header row's)."""
        return metadata(self._pairs)

    @cached_property
    def _source_line(self) -> tuple[str, int] | None:
        return source_line(self.blocks, self.verdicts, self._title_heading or 0)

    def source(self) -> str | None:
        """The credited source of a "Theo: Báo Thái Bình" / "Nguồn: …" line in the article."""
        return self._source_line[0] if self._source_line else None

    # ---- the article -------------------------------------------------------------------------------
    @cached_property
    def _hinted(self) -> set[int]:
        hint = next(
            (
                el
                for el in select(self.doc, profile.HINT_BODY)
                if len(el.text_content().strip()) >= 20 and not self._element_is_furniture(el)
            ),
            None,
        )
        if hint is None:
            return set()
        inside: set[int] = set()
        for block in self.blocks:
            node: HtmlElement | None = block.element
            while node is not None:
                if node is hint:
                    inside.add(block.index)
                    break
                node = node.getparent()
        return inside

    @cached_property
    def article(self) -> article_mod.Article:
        dropped = (
            metadata_block_indices(self._pairs) | file_list_blocks(self.blocks) | set(self._title_blocks)
        )
        # The date and source lines are fields of their own. Dropped always, they never depend on
        # whether the template has yet seen the line repeat ("Theo: Báo Thái Bình" closes many items,
        # and a run that has seen fewer of them would keep it).
        for field_line in (self._date_line, self._source_line):
            if field_line is not None:
                dropped.add(field_line[1])
        dropped |= self._byline_blocks
        guided = None
        if not self.template.knows_the_site:
            from scraper.pages.guide import guided_blocks

            guided = guided_blocks(self.text, self.url, self.blocks)
        return article_mod.choose_article(
            self.blocks,
            self.verdicts,
            dropped=dropped,
            # The title heads the article: nothing before it is the article's (a caption repeating the
            # title is only dropped).
            breakers=set() if self._title_heading is None else {self._title_heading},
            hinted=self._hinted,
            guided=guided,
            # Items may share a title ("Kỳ họp thứ 3 năm 2017 …"): a caption showing this page's title
            # is this page's, whatever other items' teasers say, and is dropped, not a break.
            unbroken=set(self._title_blocks),
        )

    def body_text(self) -> str | None:
        return article_mod.body_text(self.article)

    def body_html(self) -> str | None:
        return article_mod.body_html(self.article, self.blocks, self.url)

    def images(self) -> list[str]:
        srcs = (b.src for b in self.article.blocks if b.kind == MEDIA and b.element.tag == "img")
        return list(dict.fromkeys(src for src in srcs if src))

    def tables(self) -> list[list[list[str]]]:
        """Rows of cell texts of every data table in the article."""
        tables: dict[HtmlElement | None, list[list[str]]] = {}
        for block in self.article.blocks:
            if block.kind != ROW:
                continue
            table = next(block.element.iterancestors("table"), None)
            cells = [text_of(c) for c in block.element if isinstance(c.tag, str) and c.tag in ("td", "th")]
            tables.setdefault(table, []).append(cells)
        return list(tables.values())

    # ---- summary / section -------------------------------------------------------------------------
    def summary(self) -> str | None:
        for el in select(self.doc, profile.HINT_SUMMARY):
            t = text_of(el)
            if t and not self._element_is_furniture(el):
                return t
        start = -1 if self._title_heading is None else self._title_heading
        for block, verdict in zip(self.blocks[start + 1 :], self.verdicts[start + 1 :], strict=True):
            # The item's own teaser on its list: the list shows its summary.
            if (
                verdict.furniture is None
                and block.index not in self._title_blocks
                and block.kind not in (MEDIA, ROW)
                and len(block.text) >= _MIN_SUMMARY
                and verdict.own
                and block.exact in self.template.teasers
            ):
                return block.text
        lead = self._lead()
        if lead is not None:
            return lead
        return meta_content(self.doc, "description") or meta_content(self.doc, "og:description")

    def _lead(self) -> str | None:
        """The lead paragraph set apart in bold or italics right after the title and date line."""
        start = -1 if self._title_heading is None else self._title_heading
        dateline = self._date_line[1] if self._date_line is not None else None
        for block, verdict in zip(self.blocks[start + 1 :], self.verdicts[start + 1 :], strict=True):
            if (
                block.index == dateline
                or verdict.furniture is not None
                or block.index in self._title_blocks
                or block.index in self._byline_blocks
            ):
                continue
            if block.kind != TEXT or len(block.text) < _MIN_SUMMARY:
                return None  # the first paragraph is not a lead
            emphasised = "".join(
                text_of(el)
                for el in block.inlines
                if el.getparent() is block.element
                and (el.tag in _EMPHASIS or _EMPHASIS_STYLE.search(el.get("style") or ""))
            )
            return block.text if len(emphasised) >= 0.9 * len(block.text) else None
        return None

    @cached_property
    def url_key(self) -> str:
        return canonicalize(self.url)

    def breadcrumb(self) -> list[str]:
        trail = breadcrumb(self.doc)
        if trail:
            return trail
        # A trail written inline, one line of a larger cell: "Trang chủ > Tin tức > Thông báo<br>".
        for block in self.blocks:
            if block.links:
                trail = trail_line(block.text)
                if trail:
                    return trail
        return []

    def section(self) -> str | None:
        return section_of(self.breadcrumb(), self.title())

    # ---- files -------------------------------------------------------------------------------------
    def attachments(self) -> list[tuple[str, str | None]]:
        """(absolute URL, link text) of every attached document: by extension or a labelled download link."""
        return attached_files(self.blocks, self.verdicts)

    # ---- the item ----------------------------------------------------------------------------------
    def to_item(self, *, category: str, kind: str, url: str | None = None, static: bool = False) -> PageItem:
        page_url = canonicalize(url or self.url)
        return PageItem(
            url=page_url,
            category=category,
            kind=kind,
            title=self.title() or "",
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


__all__ = ["DATE_ANY", "DetailPage"]
