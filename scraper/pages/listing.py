"""Home page (menu, notices box) and list pages (item links, pagination), found by cues not class names.

The menu is recognised as nested lists (or any container) of same-host links carrying the known labels;
item links by URL shape; the next page by rel=next, a "Trang sau"/"»" label, or the pager number after
the current one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from archive.normalize.text import clean_text, fold_key
from scraper import site_profile as profile
from scraper.pages.base import PageBase, classid, iter_links, text_of
from scraper.urls import (
    canonicalize,
    category_slug,
    is_file_url,
    is_image_url,
    is_item_url,
    is_root,
    same_site,
)

_TIMESTAMP = re.compile(r"\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?", re.I)
_PAGE_IN_URL = (
    re.compile(r"[?&](?:page|p|trang|pageindex|pg|pagenumber)=(\d+)", re.I),
    re.compile(r"/(?:trang|page|p)[-/]?(\d+)(?:\.html?)?/?$", re.I),
    re.compile(r"-(?:trang|page|p)-?(\d+)(?:\.html?)?$", re.I),
)


_PAGER_SELECTORS = tuple(CSSSelector(css) for css in profile.HINT_PAGER)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    group: str | None
    kind: str

    @property
    def slug(self) -> str:
        return category_slug(self.url) or ""


@dataclass(frozen=True)
class ItemLink:
    url: str
    text: str
    date_text: str | None = None  # a machine timestamp shown next to the link (notices box)


def _shape(el: HtmlElement) -> tuple[object, ...]:
    """Tag and class of an element and of its element children: rows of one menu level share it."""
    children = tuple((c.tag, c.get("class")) for c in el if isinstance(c.tag, str))
    return (el.tag, el.get("class"), children[:2])


def page_number(url: str) -> int:
    for pattern in _PAGE_IN_URL:
        m = pattern.search(url)
        if m:
            return int(m[1])
    return 1


class ListingPage(PageBase):
    """Any page of the site seen as a source of links: the home page and every list page."""

    def __init__(self, response, site: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(response)
        self.site = site

    # ---- menu ---------------------------------------------------------------------------------------
    def menu(self) -> list[MenuEntry]:
        """Every menu leaf whose label (or group label) is known, once, in menu order."""
        entries: dict[str, MenuEntry] = {}
        for a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            label = clean_text(text_of(a) or a.get("title")) or ""
            if not label or not same_site(url, self.site) or is_file_url(url) or is_root(url):
                continue
            if fold_key(label) in profile.NAV_LABELS or not self._is_menu_leaf(a):
                continue
            group = self._group_label(a)
            kind = profile.kind_for(label, group)
            if kind is None or (is_item_url(url, self.site) and kind not in profile.STATIC_KINDS):
                continue
            entry = MenuEntry(label=label, url=url, group=group, kind=kind)
            if url not in entries:
                entries[url] = entry
        return list(entries.values())

    def _is_menu_leaf(self, a: HtmlElement) -> bool:
        """A link in a list item with no sub-list of its own (a group heading is not a leaf)."""
        li = next(a.iterancestors("li"), None)
        if li is None:
            return self._in_menu_container(a)
        return li.find(".//ul//a") is None and li.find(".//ol//a") is None

    def _in_menu_container(self, a: HtmlElement) -> bool:
        """Table-layout menus: a link in a container showing several known menu labels (links or headers)."""
        for container in list(a.iterancestors())[:4]:
            if container.tag in ("body", "html"):
                return False
            labels = {
                key
                for el in container.iter("a", "b", "strong", "span", "font", "td", "th", "div", "p")
                if len(el.text_content()) < 60 and (key := fold_key(el.text_content())) in profile.LABEL_KINDS
            }
            if len(labels) >= 3:
                return True
        return False

    def _group_label(self, a: HtmlElement) -> str | None:
        lis = list(a.iterancestors("li"))
        if len(lis) >= 2:
            parent_li = lis[1]
            head = next((x for x in parent_li.iter("a", "span", "strong", "b")), None)
            text = text_of(head) if head is not None else ""
            return text or None
        if lis:
            return None
        # Non-list menus: the nearest preceding row holding a known group label and no link, reached
        # through rows shaped like this one (a top-level row in between means this link has no group).
        for container in list(a.iterancestors())[:3]:
            shape = _shape(container)
            prev = container.getprevious()
            steps = 0
            while prev is not None and steps < 12:
                if isinstance(prev.tag, str):
                    text = text_of(prev)
                    if text and len(text) < 60 and prev.find(".//a") is None and profile.kind_for_label(text):
                        return text
                    if _shape(prev) != shape:
                        break
                prev = prev.getprevious()
                steps += 1
        return None

    # ---- notices box --------------------------------------------------------------------------------
    def notice_box(self) -> tuple[MenuEntry | None, list[ItemLink]]:
        """The "Thông báo" box: its "xem tất cả" list (a category) and its entries with machine timestamps.

        Several blocks may carry the heading (a home-page section, the sidebar box); the one whose
        entries show timestamps, or that links to the full list, wins.
        """
        candidates: list[tuple[MenuEntry | None, list[ItemLink]]] = []
        for el in self.doc.iter():
            if not isinstance(el.tag, str) or el.tag in ("a", "li", "html", "body", "ul", "ol", "table"):
                continue
            own = text_of(el)
            if not own or len(own) > 40 or fold_key(own) not in profile.NOTICE_BOX_HEADINGS:
                continue
            box = el.getparent()
            for _ in range(3):
                if box is None:
                    break
                if len(list(iter_links(box))) >= 2:
                    break
                box = box.getparent()
            if box is None:
                continue
            see_all: MenuEntry | None = None
            links: list[ItemLink] = []
            for a, href in iter_links(box):
                url = canonicalize(href, self.url)
                label = text_of(a)
                if not same_site(url, self.site):
                    continue
                if (
                    fold_key(label) in profile.SEE_ALL_LABELS
                    or fold_key(a.get("title")) in profile.SEE_ALL_LABELS
                ):
                    see_all = MenuEntry(label=own, url=url, group=None, kind="notice")
                elif is_item_url(url, self.site):
                    links.append(ItemLink(url=url, text=label, date_text=self._timestamp_near(a)))
            if see_all is not None or any(link.date_text for link in links):
                return see_all, links
            if links:
                candidates.append((see_all, links))
        return candidates[0] if candidates else (None, [])

    @staticmethod
    def _timestamp_near(a: HtmlElement) -> str | None:
        holder = next(a.iterancestors("li", "tr", "div", "p"), None)
        if holder is None:
            return None
        text = text_of(holder).replace(text_of(a), " ")
        m = _TIMESTAMP.search(text)
        return m[0] if m else None

    # ---- items and pagination -----------------------------------------------------------------------
    def teasers(self) -> list[str | None]:
        """For each block, the item whose entry on this page holds it (None: the page's own or the
        site's furniture), for the site's template."""
        from scraper.pages.template import teaser_owners

        here = canonicalize(self.url)
        anchors = []
        for a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            if url != here and is_item_url(url, self.site):
                anchors.append((a, url))
        return teaser_owners(self.segmented, anchors)

    def item_links(self) -> list[ItemLink]:
        out: dict[str, ItemLink] = {}
        for a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            if url != canonicalize(self.url) and is_item_url(url, self.site) and url not in out:
                out[url] = ItemLink(url=url, text=text_of(a))
        return list(out.values())

    def other_links(self) -> list[str]:
        """Same-site links that are neither items, lists of the menu, files nor images (link checking)."""
        menu = {e.url for e in self.menu()}
        out: dict[str, None] = {}
        for _a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            if (
                same_site(url, self.site)
                and url not in menu
                and not is_root(url)
                and not is_item_url(url, self.site)
                and not is_file_url(url)
                and not is_image_url(url)
                and category_slug(url) not in {category_slug(m) for m in menu}
            ):
                out.setdefault(url)
        return list(out)

    def next_page(self) -> str | None:
        """The next page of this list: rel=next, a "next" label, or the pager link numbered current + 1."""
        current = canonicalize(self.url)
        here = page_number(current)
        for el in self.doc.iter("link", "a"):
            if "next" in (el.get("rel") or "").lower().split() and el.get("href"):
                url = canonicalize(el.get("href"), self.url)
                if self._same_list(url) and url != current:
                    return url
        numbered: dict[int, str] = {}
        # Links inside a pager the profile knows by class; other pagers are recognised by their numbers.
        pager_links = {a for sel in _PAGER_SELECTORS for box in sel(self.doc) for a in box.iter("a")}
        for a, href in iter_links(self.doc):
            url = canonicalize(href, self.url)
            if url == current or not self._same_list(url):
                continue
            label = fold_key(text_of(a)) or fold_key(a.get("title") or a.get("aria-label"))
            raw = (text_of(a) or "").strip()
            if raw in ("»", "›", ">", ">>", "→") or (label and label in profile.NEXT_LABELS):
                if raw == ">>" or fold_key(raw) in ("cuoi", "trang cuoi", "last"):
                    continue
                number = page_number(url)
                if number > here or (number == 1 and not any(p.search(url) for p in _PAGE_IN_URL)):
                    return url
            if raw.isdigit():
                numbered.setdefault(int(raw), url)
            elif (a in pager_links or self._in_pager(a)) and page_number(url) > 1:
                numbered.setdefault(page_number(url), url)
        return numbered.get(here + 1)

    def _same_list(self, url: str) -> bool:
        if not same_site(url, self.site) or is_item_url(url, self.site) or is_file_url(url):
            return False
        # Pager variants keep the list's first path segment: ?page=2, /trang-2.html, /tin-tuc/p/2.
        return category_slug(url) == category_slug(self.url)

    @staticmethod
    def _in_pager(a: HtmlElement) -> bool:
        return any(
            isinstance(p.tag, str) and re.search(r"pag|trang", classid(p))
            for p in list(a.iterancestors())[:3]
        )
