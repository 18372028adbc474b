"""Canonical URLs and URL-shape cues: what is an item, a list, a file, and which host we crawl.

One canonical form per item means one row per item, whichever list, sidebar or pager linked it.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that only say where a visitor came from; they never select content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "zarsrc",  # Zalo, the Vietnamese messenger, tags every shared link
        "zaloid",
        "sessionid",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
        "sid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

FILE_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".ppt", ".pptx", ".7z", ".odt", ".ods", ".rtf"}
)
# Script endings that serve downloads on portals of this kind ("download.aspx?file=..").
DOWNLOAD_HANDLER = re.compile(r"(?:^|/)(?:download|tai-?ve|getfile|file|attach\w*)(?:\.\w+)?$", re.I)

PAGE_SUFFIXES = (".html", ".htm", ".aspx", ".asp", ".php", ".jsp", ".shtml")
_ID_IN_PATH = re.compile(r"-(\d+)(?:\.(?:html?|aspx?|php|jsp|shtml))?$", re.I)
_ID_PARAMS = ("id", "newsid", "itemid", "articleid", "postid", "docid", "nid", "aid")
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
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg"})


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize(url: str, base: str | None = None) -> str:
    """Absolute URL without fragment or tracking parameters; scheme/host lowercased, default port dropped.

    Content-selecting parameters keep their order: some portals care, and the order on the page is stable.
    """
    if base is not None and url.startswith("/") and not url.startswith("//"):
        # A root-relative link resolves the same from every page of the site: key the cache on the
        # site root, not on the page, so the menu's links are worked out once per crawl, not per page.
        base = _site_root(base)
    return _canonicalize(url, base)


@lru_cache(maxsize=1024)
def _site_root(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=65536)  # menus and sidebars repeat the same links on every page
def _canonicalize(url: str, base: str | None) -> str:
    if base is not None:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is not None and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    path = parts.path or "/"
    if ".." in path or "/./" in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if trailing and not path.endswith("/"):
            path += "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


@lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower().removeprefix("www.")


@lru_cache(maxsize=65536)
def same_site(url: str, site: str) -> bool:
    """Same host as the crawl's --site (www. or not); offsite links are never followed."""
    return urlsplit(url).scheme in ("http", "https") and host_of(url) == host_of(site)


def path_segments(url: str) -> list[str]:
    return [unquote(s) for s in urlsplit(url).path.split("/") if s]


def extension(url: str) -> str:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return posixpath.splitext(last)[1].lower()


@lru_cache(maxsize=65536)
def is_file_url(url: str) -> bool:
    """A document download: by extension, or a download handler carrying a file name in its query."""
    if extension(url) in FILE_EXTENSIONS:
        return True
    parts = urlsplit(url)
    if DOWNLOAD_HANDLER.search(parts.path):
        return any(posixpath.splitext(v)[1].lower() in FILE_EXTENSIONS for _, v in parse_qsl(parts.query))
    return False


def is_image_url(url: str) -> bool:
    return extension(url) in IMAGE_EXTENSIONS


def slug_of(segment: str) -> str:
    for suffix in PAGE_SUFFIXES:
        if segment.lower().endswith(suffix):
            return segment[: -len(suffix)]
    return segment


@lru_cache(maxsize=65536)
def category_slug(url: str) -> str | None:
    """First path segment without its page suffix: the category of a list or of an item under it."""
    segments = path_segments(url)
    if not segments:
        return None
    return slug_of(segments[0])


@lru_cache(maxsize=65536)
def site_id(url: str) -> int | None:
    """The numeric id at the end of an item URL (`/<category>/<slug>-4419.html`), or an id= parameter."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        m = _ID_IN_PATH.search(segments[-1])
        if m and re.search(r"[a-z]", slug_of(segments[-1]), re.I):
            return int(m[1])
    for key, value in parse_qsl(parts.query):
        if key.lower() in _ID_PARAMS and value.isdigit():
            return int(value)
    return None


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
        m = _ID_IN_PATH.search(last)
        # A title slug has words: "-4419" alone or a bare number is more likely a pager or a date folder.
        if m and re.search(r"[a-z]", slug_of(last), re.I):
            return True
    parts = urlsplit(url)
    return any(k.lower() in _ID_PARAMS and v.isdigit() for k, v in parse_qsl(parts.query))


def is_root(url: str) -> bool:
    path = urlsplit(url).path
    return path in ("", "/") or slug_of(path.strip("/")).lower() in ("index", "default", "trang-chu", "home")
