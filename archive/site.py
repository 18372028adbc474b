"""The site an archive holds: the canonical form of its URLs, what names an item, which addresses are it.

An archive is one site. Its items are keyed by what the site itself names them by, never by the scheme,
host or port they were fetched from: the same site crawled from another address — its other host name,
http or https, a mirror, the replica on another port — adds no row. Two questions answer every case,
for the crawler, the store and importers of other captures alike:

- `SiteIdentity.is_alias(url)`: is this URL an address of the archive's site?
- `SiteIdentity.item_key(url)`: which item of the site does it name (None when it is not the site)?

Where each capture came from is kept as provenance (`page_versions.url`, `crawl_runs.origin`), and every
`url` column of the archive's content tables holds the item's address at the site's canonical origin.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from archive.defaults import SITE_HOST_NAMES

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

# An article address: `<title-slug>-<id>` and an optional page suffix, the slug holding at least a letter
# (a bare "-4419" or number is more likely a pager or a date folder).
ID_IN_PATH = re.compile(r"-(\d+)(?:\.(?:html?|aspx?|php|jsp|shtml))?$", re.I)
PAGE_SUFFIXES = (".html", ".htm", ".aspx", ".asp", ".php", ".jsp", ".shtml")
ID_PARAMS = ("id", "newsid", "itemid", "articleid", "postid", "docid", "nid", "aid")

# Two items of the archive at most on a strange address's home page prove nothing; three shown at the
# very paths (title slugs included) the archive holds them under do: another site on the same software
# shares the menu's slugs, never the titles' ones.
MIN_SHARED_ITEMS = 3


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
def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, canonical: lowercased, the scheme's default port dropped."""
    parts = urlsplit(canonicalize(url))
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


@lru_cache(maxsize=65536)
def path_and_query(url: str) -> str:
    """The part of a canonical URL that the site itself chooses: `/path?content=query`."""
    parts = urlsplit(canonicalize(url))
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def slug_of(segment: str) -> str:
    for suffix in PAGE_SUFFIXES:
        if segment.lower().endswith(suffix):
            return segment[: -len(suffix)]
    return segment


@lru_cache(maxsize=65536)
def item_number(url: str) -> int | None:
    """The site's numeric id of an item: the end of `/<category>/<slug>-4419.html`, or an id= parameter."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        m = ID_IN_PATH.search(segments[-1])
        if m and re.search(r"[a-z]", slug_of(segments[-1]), re.I):
            return int(m[1])
    for key, value in parse_qsl(parts.query):
        if key.lower() in ID_PARAMS and value.isdigit():
            return int(value)
    return None


@lru_cache(maxsize=65536)
def item_key(url: str) -> str:
    """What names an item on its site, whatever address it was fetched from.

    An article address `/<section>/<title-slug>-<id>.html` gives `<section>/<id>` (lowercased, no
    leading slash): the slug follows the title and changes when the title is edited, the id does not.
    Every other address gives its path and content-selecting query, which start with "/":
    `/gioi-thieu.html`, `/Pages/news.aspx?ItemID=77`. Tracking parameters and fragments never count.
    """
    parts = urlsplit(canonicalize(url))
    path = parts.path or "/"
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2 and not parts.query:
        last = segments[-1]
        m = ID_IN_PATH.search(last)
        if m and re.search(r"[a-z]", slug_of(last), re.I):
            return "/".join(s.lower() for s in segments[:-1]) + "/" + m[1]
    return path + (f"?{parts.query}" if parts.query else "")


def _is_domain_name(host: str) -> bool:
    name = host.split(":", 1)[0]
    return "." in name and any(c.isalpha() for c in name) and not name.replace(".", "").isdigit()


def alias_origins(origin: str) -> dict[str, str]:
    """The origins that are one site with `origin` by their names alone, each with why.

    http and https of a host, the host with and without "www.", and the site's other host name
    (`archive.defaults.SITE_HOST_NAMES`) when it is the board's site.
    """
    origin = origin_of(origin)
    netloc = origin.partition("://")[2]
    host, _, port = netloc.partition(":")
    bare = host.removeprefix("www.")
    family = SITE_HOST_NAMES if bare in SITE_HOST_NAMES else (bare,)
    out: dict[str, str] = {}
    for name in family:
        for variant in (name, f"www.{name}") if _is_domain_name(name) else (name,):
            for other in ("http", "https"):
                candidate = origin_of(f"{other}://{variant}{':' + port if port else ''}/")
                if candidate == origin:
                    continue
                if name != bare:
                    out[candidate] = "another host name of the site"
                elif variant != host:
                    out.setdefault(candidate, "the same host with or without www.")
                else:
                    out.setdefault(candidate, "the same host over the other scheme")
    return out


@dataclass(frozen=True)
class SiteIdentity:
    """The archive's site: a key that never changes, where it lives now, and every address that is it."""

    key: str  # the host it was first archived from, e.g. "tdkt.thaibinh.gov.vn"
    canonical_origin: str  # e.g. "http://tdkt.thaibinh.gov.vn"; changes only when the site moves
    aliases: frozenset[str] = field(default_factory=frozenset)  # origins that are this site, canonical too

    @classmethod
    def first(cls, url: str) -> SiteIdentity:
        """The identity an archive takes from the first address it is crawled from."""
        origin = origin_of(url)
        return cls(origin.split("://", 1)[1], origin, frozenset({origin, *alias_origins(origin)}))

    def is_alias(self, url: str) -> bool:
        """Whether `url` is an address of this site: an http(s) URL at one of its known origins."""
        return urlsplit(url).scheme.lower() in ("http", "https") and origin_of(url) in self.aliases

    def item_key(self, url: str) -> str | None:
        """The item of this site that `url` names (see `item_key`), or None when it is not this site's URL."""
        return item_key(url) if self.is_alias(url) else None

    def canonical_url(self, url: str) -> str:
        """The address of what `url` names at the site's canonical origin; other sites' URLs unchanged."""
        if not self.is_alias(url):
            return canonicalize(url)
        return self.canonical_origin + path_and_query(url)

    def canonical_html(self, html: str | None) -> str | None:
        """HTML whose links were made absolute at another address of the site, linking the canonical one.

        Attribute values only (`="http://alias/…`): the sanitised body HTML quotes every attribute so.
        """
        if not html:
            return html
        for origin in self.aliases:
            if origin != self.canonical_origin and origin in html:
                html = html.replace(f'="{origin}/', f'="{self.canonical_origin}/')
        return html

    def at_origin(self, url: str, origin: str) -> str:
        """The same address at `origin` (where this run crawls); other sites' URLs unchanged."""
        if not self.is_alias(url):
            return canonicalize(url)
        return origin_of(origin) + path_and_query(url)

    def with_alias(self, origin: str) -> SiteIdentity:
        origin = origin_of(origin)
        return SiteIdentity(self.key, self.canonical_origin, self.aliases | {origin, *alias_origins(origin)})

    def moved_to(self, origin: str) -> SiteIdentity:
        origin = origin_of(origin)
        return SiteIdentity(self.key, origin, self.aliases | {origin, *alias_origins(origin)})


@dataclass(frozen=True)
class Admission:
    """Whether a crawl from an address may write into the archive, and what that address becomes."""

    verdict: str  # "first" | "alias" | "mirror" | "moved" | "refused"
    reason: str


def admit(
    identity: SiteIdentity | None,
    url: str,
    home_links: Iterable[str],
    known_paths: Iterable[str],
    *,
    moved: bool = False,
) -> Admission:
    """May the site answering at `url` (its home page linking `home_links`) be crawled into this archive?

    Yes when the archive has no site yet or holds no item, when `url` is a known address of the site,
    or when its home page links at least MIN_SHARED_ITEMS items at the very paths the archive holds them
    under (a mirror, the replica on another port). Otherwise only the operator can say it is the same
    site at a new address (`moved`); without that it is refused.
    """
    known = set(known_paths)
    if identity is None or not known:
        return Admission("first", "first crawl of this archive")
    if identity.is_alias(url):
        return Admission("alias", "a known address of the site")
    if moved:
        return Admission("moved", "the operator said the site moved here (--site-moved)")
    shown = {path_and_query(link) for link in home_links}
    shared = len(shown & known)
    if shared >= min(MIN_SHARED_ITEMS, len(known)):
        return Admission("mirror", f"its home page links {shared} items at the archive's own paths")
    return Admission(
        "refused",
        f"its home page links {shared} of the archive's {len(known)} items at their paths",
    )
