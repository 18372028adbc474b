"""The site's template, learned from the site itself: which blocks are furniture, never the article.

A "densest block" heuristic cannot know that a block is furniture; the site can. Its footer, menus,
sidebars and boxes come back on every page, and the home page and list pages show them with no article
at all. So blocks are counted across the crawl's pages (by text, tone marks and case folded; numbers
folded too for listing pages, so a visit counter or a box's timestamps keep one shape):

- a block that a home or list page shows outside any item's own entry is furniture once two pages
  showed it (a listing page and one more page of any kind);
- a block that is another item's teaser (its title or summary as a list shows it) is furniture on this
  page; an item's own teaser is not (its summary belongs to its article);
- a block that comes back on many detail pages of most kinds of item (news, notices, legal texts,
  decisions…) is furniture even though no list shows it (read-aloud and font-size tools, share bars,
  "tin cùng chuyên mục" headings); it is dropped where it stands but does not end the article, so a
  caption every article repeats ("Ảnh minh họa") costs the article nothing;
- a block made of links to other pages, or inside HTML5's nav/header/footer/aside, is furniture.

Lines that many items of one kind share ("Danh sách tập thể, cá nhân được khen thưởng như sau:", a
legal text's "Trích yếu" label) are never furniture: no list page shows them and they stay within one
or two kinds.

The spider feeds every home, list and detail page; detail pages are judged only once the template has
seen enough of the site (`mature`), so the first article is read as well as the last. The learned
counts are stored with the run (`template_blocks`) so each choice can be explained, and the next run
starts from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from scraper.pages.blocks import MEDIA, Block, Segmented

# Detail pages the template must have seen before its judgement is trusted (fewer: the crawl's end).
MATURE_DETAIL_PAGES = 30
# "Many detail pages, of most kinds": shares of the detail pages and of the item kinds seen so far.
_DETAIL_SHARE = 0.25
_KIND_SHARE = 0.5
_MIN_DETAIL_REPEATS = 3
_MIN_KINDS = 3
# A block this much made of links (or script controls) is navigation.
NAV_LINK_SHARE = 0.6
# Texts shorter than this are keyed by shape on detail pages too ("Lượt xem: 1234").
_SHORT = 40
# Teasers shorter than this ("(13/06/2022)") are too generic to say whose they are.
_MIN_TEASER = 20
_MAX_KINDS = 32
# A furniture sentence this long may be quoted by an article (shorter lines are labels and headings);
# the places a listing shows it in are kept up to this many.
_QUOTABLE = 40
_MAX_PLACES = 8
# How a sentence ends: a repeated line that does not end so is a tool or a label, never the article's.
_SENTENCE_ENDS = (".", "!", "?", "…", ":")
# A teaser text shared by this many items ("Video do Đài … thực hiện.") says nothing of whose it is.
_MAX_TEASER_URLS = 4
# Keys seen on one detail page only are kept in a plain dict until they come back; past this many they
# are forgotten (recurring furniture has come back long before).
_MAX_SEEN_ONCE = 2_000_000

LISTING = "listing"  # furniture reasons, stored with the run
TEASER = "teaser"
REPEATED = "repeated"
LINKS = "links"
CHROME = "chrome"
# Furniture that ends the article where it stands; other furniture (a line every article repeats, a
# known box heading) is dropped but the article goes on past it.
BREAKING = frozenset({LISTING, TEASER, LINKS, CHROME})


@dataclass
class Seen:
    """How often one block (by key) was seen, and where."""

    sample: str
    listing: int = 0  # listing pages showing it outside any item's entry
    detail: int = 0  # detail pages showing it
    kinds: set[str] = field(default_factory=set)  # kinds of item of those detail pages
    detail_key: int | None = None  # a listing block's key among detail pages (its exact key if long)
    places: set[int] = field(default_factory=set)  # where listing pages show it (Block.place), a few


@dataclass
class Verdict:
    """What the template says of one block of one page."""

    furniture: str | None  # the reason (LISTING, TEASER, REPEATED, LINKS, CHROME), or None
    own: bool  # this page's own: its teaser on a list, or a text no other page shows


def detail_key(block: Block) -> int:
    return block.shape if len(block.text) < _SHORT else block.exact


class SiteTemplate:
    """Counts of blocks across the crawl's pages, and the furniture verdicts they support."""

    def __init__(self) -> None:
        self.listing_pages = 0
        self.detail_pages = 0
        self.kinds: set[str] = set()
        self.listing: dict[int, Seen] = {}  # shape key → seen outside entries on listing pages
        self.detail: dict[int, Seen] = {}  # detail key → seen on ≥ 2 detail pages (or known before)
        self._detail_once: dict[int, str] = {}  # detail key → the kind of the one page showing it
        self.teasers: dict[int, set[str]] = {}  # exact key → the items it is a teaser of
        self._forced = False

    # -- learning ------------------------------------------------------------------------------------
    def learn_listing(self, segmented: Segmented, teaser_of: list[str | None]) -> None:
        """A home or list page: its blocks, each with the item URL whose entry holds it (or None)."""
        keys: dict[int, tuple[str, int]] = {}
        places: dict[int, set[int]] = {}
        for block, url in zip(segmented.blocks, teaser_of, strict=True):
            if url is not None:
                if len(block.text) >= _MIN_TEASER:
                    urls = self.teasers.setdefault(block.exact, set())
                    if len(urls) < _MAX_TEASER_URLS:
                        urls.add(url)
            else:
                keys.setdefault(block.shape, (block.text or block.src or "", detail_key(block)))
                if block.text and len(block.text) >= _QUOTABLE:
                    places.setdefault(block.shape, set()).add(block.place)
        for key, (sample, key_among_details) in keys.items():
            seen = self.listing.get(key)
            if seen is None:
                seen = self.listing[key] = Seen(sample)
            seen.listing += 1
            seen.detail_key = key_among_details
            if len(seen.places) < _MAX_PLACES:
                seen.places |= places.get(key, set())
        self.listing_pages += 1

    def learn_detail(self, blocks: Iterable[Block], kind: str) -> None:
        keys: dict[int, str] = {}
        for block in blocks:
            keys.setdefault(detail_key(block), block.text or block.src or "")
        for key, sample in keys.items():
            seen = self.detail.get(key)
            if seen is None:
                first = self._detail_once.pop(key, None)
                if first is None:
                    if len(self._detail_once) >= _MAX_SEEN_ONCE:
                        self._detail_once.clear()
                    self._detail_once[key] = kind
                    continue
                seen = self.detail[key] = Seen(sample, detail=1, kinds={first})
            seen.detail += 1
            if len(seen.kinds) < _MAX_KINDS:
                seen.kinds.add(kind)
        self.detail_pages += 1
        self.kinds.add(kind)

    @property
    def mature(self) -> bool:
        return self._forced or (self.listing_pages >= 1 and self.detail_pages >= MATURE_DETAIL_PAGES)

    def force_mature(self) -> None:
        """The crawl has fetched every page it will: judge with what has been seen."""
        self._forced = True

    @property
    def knows_the_site(self) -> bool:
        """Anything to judge by: at least one listing page, or detail pages to compare."""
        return self.listing_pages > 0 or self.detail_pages >= _MIN_DETAIL_REPEATS + 1

    # -- judging -------------------------------------------------------------------------------------
    def _repeated(self, seen: Seen, count: int, others: int) -> bool:
        """On many detail pages besides this one, of most kinds of item."""
        kinds_needed = max(_MIN_KINDS, int(_KIND_SHARE * len(self.kinds) + 0.5))
        return (
            count >= max(_MIN_DETAIL_REPEATS, int(_DETAIL_SHARE * others)) and len(seen.kinds) >= kinds_needed
        )

    def judge(self, blocks: list[Block], *, url: str, learned: bool) -> list[Verdict]:
        """A verdict per block of the page at `url` (`learned`: its blocks are in the detail counts)."""
        others = self.detail_pages - (1 if learned else 0)
        verdicts = []
        for block in blocks:
            reason: str | None = None
            own = False
            teased = self.teasers.get(block.exact) if block.text else None
            if teased is not None and (url in teased or len(teased) >= _MAX_TEASER_URLS):
                own = True
            if block.chrome:
                reason = CHROME
            elif block.link_share >= NAV_LINK_SHARE and (block.links or block.control_chars):
                reason = LINKS
            elif teased and not own and len(teased) < _MAX_TEASER_URLS:
                reason = TEASER
            if reason is None and not own:
                listed = self.listing.get(block.shape)
                if listed is not None and listed.listing >= 1:
                    seen = self.detail.get(detail_key(block))
                    detail_others = (seen.detail - (1 if learned else 0)) if seen else 0
                    if listed.listing >= 2 or detail_others >= 1:
                        reason = LISTING
            seen = self.detail.get(detail_key(block))
            count = (seen.detail - (1 if learned else 0)) if seen else 0
            if reason is None and not own and seen is not None and self._repeated(seen, count, others):
                reason = REPEATED
            if reason is None and count <= 0 and block.text:
                own = True  # no other page shows it
            verdicts.append(Verdict(reason, own))
        self._quoted_in_place(blocks, verdicts)
        self._said_in_place(blocks, verdicts)
        self._pictured_in_place(blocks, verdicts)
        return verdicts

    @staticmethod
    def _pictured_in_place(blocks: list[Block], verdicts: list[Verdict]) -> None:
        """An image a box of the latest items shows on every page (an item's thumbnail) is the
        article's on that item's own page where it stands among the article's paragraphs: right
        next to a block that is not furniture, inside that block's container."""
        for i, (block, verdict) in enumerate(zip(blocks, verdicts, strict=True)):
            if block.kind != MEDIA or verdict.furniture != REPEATED:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(blocks) or verdicts[j].furniture is not None or not blocks[j].text:
                    continue
                container = blocks[j].element.getparent()
                if container is not None and container in block.element.iterancestors():
                    verdict.furniture = None
                    break

    @staticmethod
    def _said_in_place(blocks: list[Block], verdicts: list[Verdict]) -> None:
        """A sentence many detail pages repeat ("Việc triển khai Chỉ thị số … được thực hiện nghiêm
        túc.") is the article's where the article goes on after it: followed, in the same container, by
        a paragraph that is not furniture. Furniture that detail pages repeat inside the article's
        container (a disclaimer, a comment box's note) comes after the article's last paragraph; tools
        above it ("Đọc bài Ngừng đọc Tăng / Giảm cỡ chữ") and short lines (captions, "Tin cùng chuyên
        mục") are not sentences, and stay furniture wherever they stand. Whether a
        sentence is repeated is a share of the pages seen so far, so without this a sentence near the
        share would be kept or dropped by the order of the crawl."""
        for i in range(len(blocks) - 2, -1, -1):
            block, verdict, after = blocks[i], verdicts[i], blocks[i + 1]
            if verdict.furniture != REPEATED or len(block.text) < _QUOTABLE or block.control_chars:
                continue
            if not block.text.rstrip("\"”’)").endswith(_SENTENCE_ENDS):
                continue
            if verdicts[i + 1].furniture is None and after.text and after.place == block.place:
                verdict.furniture = None

    def _quoted_in_place(self, blocks: list[Block], verdicts: list[Verdict]) -> None:
        """A sentence of the furniture that an article also says ("… trân trọng cảm ơn ông (bà) đã quan
        tâm." closing answers, and the footer) is the article's where it stands among the article's own
        paragraphs: in the same container as a neighbouring block that is not furniture, a place where
        no listing page ever showed it. Where the place is unknown (a template read back from storage),
        the text decides alone, as before."""
        changed = True
        while changed:
            changed = False
            for i, (block, verdict) in enumerate(zip(blocks, verdicts, strict=True)):
                if verdict.furniture != LISTING or len(block.text) < _QUOTABLE:
                    continue
                listed = self.listing.get(block.shape)
                if listed is None or not listed.places or block.place in listed.places:
                    continue
                neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
                if any(
                    verdicts[j].furniture is None and blocks[j].text and blocks[j].place == block.place
                    for j in neighbours
                ):
                    verdict.furniture = None
                    changed = True

    # -- storage -------------------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """What the run stores: every block seen on a listing page outside entries, and every block seen
        on several detail pages, with its counts and verdict."""
        out: list[dict[str, Any]] = []
        listed_by_detail_key = {seen.detail_key: seen for seen in self.listing.values() if seen.detail_key}
        for key, seen in self.listing.items():
            detail = self.detail.get(seen.detail_key if seen.detail_key is not None else key)
            furniture = seen.listing >= 2 or (detail is not None and detail.detail >= 1)
            out.append(
                {
                    "key_kind": "shape",
                    "block_key": f"{key:016x}",
                    "sample_text": seen.sample[:500],
                    "listing_pages": seen.listing,
                    "detail_pages": detail.detail if detail else 0,
                    "kinds": sorted(detail.kinds) if detail else [],
                    "furniture": LISTING if furniture else None,
                }
            )
        for key, seen in self.detail.items():
            if key in self.listing:
                continue
            listed = listed_by_detail_key.get(key)
            if listed is not None:
                reason = LISTING  # a long block of the listing pages, counted by its exact text here
            else:
                reason = REPEATED if self._repeated(seen, seen.detail, self.detail_pages) else None
            out.append(
                {
                    "key_kind": "detail",
                    "block_key": f"{key:016x}",
                    "sample_text": seen.sample[:500],
                    "listing_pages": 0,
                    "detail_pages": seen.detail,
                    "kinds": sorted(seen.kinds),
                    "furniture": reason,
                }
            )
        return out

    @classmethod
    def from_stored(cls, summary: dict[str, Any] | None, rows: Iterable[dict[str, Any]]) -> SiteTemplate:
        """A template starting from what a run stored (`rows()` and `summary()`), or an empty one."""
        template = cls()
        if not summary:
            return template
        template.listing_pages = int(summary.get("listing_pages") or 0)
        template.detail_pages = int(summary.get("detail_pages") or 0)
        template.kinds = set(summary.get("kinds") or ())
        for row in rows:
            key = int(str(row["block_key"]), 16)
            sample, detail = row["sample_text"], int(row["detail_pages"] or 0)
            if row["key_kind"] == "shape":
                template.listing[key] = Seen(sample, listing=int(row["listing_pages"]))
            if detail:
                template.detail[key] = Seen(sample, detail=detail, kinds=set(row.get("kinds") or ()))
        return template

    def summary(self) -> dict[str, Any]:
        return {
            "listing_pages": self.listing_pages,
            "detail_pages": self.detail_pages,
            "kinds": sorted(self.kinds),
        }


def teaser_owners(segmented: Segmented, item_anchors: Iterable[tuple[HtmlElement, str]]) -> list[str | None]:
    """For each block of a listing page, the item whose entry holds it (None outside every entry).

    An item's entry is the largest element around its link that links to no other item: the list row
    holding its title, date and summary.
    """
    under: dict[HtmlElement, set[str]] = {}
    anchors = list(item_anchors)
    for a, url in anchors:
        node: HtmlElement | None = a
        while node is not None:
            urls = under.setdefault(node, set())
            if len(urls) < 2:
                urls.add(url)
            node = node.getparent()
    entry_of: dict[HtmlElement, str] = {}
    for a, url in anchors:
        node = a
        parent = node.getparent()
        while parent is not None and parent.tag not in ("body", "html") and len(under.get(parent, ())) == 1:
            node = parent
            parent = node.getparent()
        entry_of.setdefault(node, url)
    owners: list[str | None] = []
    for block in segmented.blocks:
        owner = None
        node = block.element
        depth = 0
        while node is not None and depth < 12:
            owner = entry_of.get(node)
            if owner is not None:
                break
            node = node.getparent()
            depth += 1
        owners.append(owner)
    return owners
