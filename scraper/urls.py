"""URL-shape cues: what is an item, a list, a file, and which host we crawl.

The canonical form of a URL and what names an item live in archive.site (one canonical form per item
means one row per item, whichever list, sidebar or pager linked it); file types in archive.filetypes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from archive.defaults import SITE_HOST_NAMES
from archive.filetypes import is_document_url, is_image_url
from archive.site import ID_IN_PATH, ID_PARAMS, canonicalize, item_number, slug_of

__all__ = [
    "canonicalize",
    "category_slug",
    "host_of",
    "is_file_url",
    "is_image_url",
    "is_item_url",
    "is_root",
    "path_segments",
    "same_site",
    "site_id",
    "slug_of",
]

# Path words that mark pages which are never items, whatever their shape.
NON_ITEM_WORDS = frozenset(
    {
        "search",
        "tim-kiem",
        "timkiem",
        "rss",
        "feed",
        "login",
        "dang-nhap",
        "logout",
        "register",
        "dang-ky",
        "sitemap",
        "lien-he",
        "contact",
        "print",
        "in-bai",
        "tag",
        "tags",
    }
)
_PAGER_PATH = re.compile(r"/(?:trang|page|p)[-/]?\d+(?:\.html?)?$", re.I)


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower().removeprefix("www.")


def _host_family(host: str) -> str:
    """The site's host names are one site: either stands for both."""
    return SITE_HOST_NAMES[0] if host in SITE_HOST_NAMES else host


@lru_cache(maxsize=65536)
def same_site(url: str, site: str) -> bool:
    """Same host as the crawl's --site (www. or not, or the site's other host name); offsite links are
    never followed."""
    return urlsplit(url).scheme in ("http", "https") and _host_family(host_of(url)) == _host_family(
        host_of(site)
    )


def path_segments(url: str) -> list[str]:
    return [unquote(s) for s in urlsplit(url).path.split("/") if s]


@lru_cache(maxsize=65536)
def is_file_url(url: str) -> bool:
    """A document download (archive.filetypes decides)."""
    return is_document_url(url)


@lru_cache(maxsize=65536)
def category_slug(url: str) -> str | None:
    """First path segment without its page suffix: the category of a list or of an item under it."""
    segments = path_segments(url)
    if not segments:
        return None
    return slug_of(segments[0])


def site_id(url: str) -> int | None:
    """The numeric id at the end of an item URL (`/<category>/<slug>-4419.html`), or an id= parameter."""
    return item_number(url)


@lru_cache(maxsize=65536)
def _is_pager_url(url: str) -> bool:
    parts = urlsplit(url)
    if _PAGER_PATH.search(parts.path):
        return True
    return any(k.lower() in ("page", "p", "trang", "pageindex", "pg") for k, _ in parse_qsl(parts.query))


@lru_cache(maxsize=65536)
def is_item_url(url: str, site: str) -> bool:
    """An article/document page: same host, the `/<category>/<title-slug>-<id>.html` shape or lenient kin.

    List pages, pagers, the home page, search, rss and login are not items.
    """
    if not same_site(url, site) or is_file_url(url) or is_image_url(url):
        return False
    segments = path_segments(url)
    if not segments or _is_pager_url(url):
        return False
    folded = {slug_of(s).lower() for s in segments}
    if folded & NON_ITEM_WORDS:
        return False
    last = segments[-1]
    if len(segments) >= 2:
        m = ID_IN_PATH.search(last)
        # A title slug has words: "-4419" alone or a bare number is more likely a pager or a date folder.
        if m and re.search(r"[a-z]", slug_of(last), re.I):
            return True
    parts = urlsplit(url)
    return any(k.lower() in ID_PARAMS and v.isdigit() for k, v in parse_qsl(parts.query))


def is_root(url: str) -> bool:
    path = urlsplit(url).path
    return path in ("", "/") or slug_of(path.strip("/")).lower() in ("index", "default", "trang-chu", "home")
