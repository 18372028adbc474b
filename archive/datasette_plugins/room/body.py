"""An article's archived HTML as the reading room shows it: sanitised again, pointing at the archive.

`pages.body_html` was sanitised with nh3 when it was stored (scraper/pipelines.py); it is cleaned once
more here with a narrower list, so a row written by any other path still cannot carry a script. While
cleaning, every address is rewritten: an image the archive holds is shown from its stored copy
(`/image/<id>`), one it does not hold loses its `src` (nothing is ever fetched from the original site);
a link to an archived page or file opens the archive's copy; any other link stays, marked as leaving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import nh3

from archive.site import SiteIdentity

_TAGS = set(nh3.ALLOWED_TAGS) - {"nav", "header", "footer", "aside", "map", "area", "form", "input", "button"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in _TAGS},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"rowspan", "colspan", "align"},
    "th": {"rowspan", "colspan", "align", "scope"},
}
_DROP_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed"}


@dataclass
class Links:
    """Where an archived address is served from.

    Files and images are looked up by their address at the site's canonical origin (as the store keeps
    them), pages by their item key: an article may link the site's other host name, http for https, or a
    slug its title has since changed, and still name an item the archive holds.
    """

    site: SiteIdentity | None = None  # None: an archive that does not yet know its site (exact URLs)
    images: dict[str, str] = field(default_factory=dict)  # canonical image URL → /image/<id>
    pages: dict[str, str] = field(default_factory=dict)  # item key → /item/<id>
    files: dict[str, str] = field(default_factory=dict)  # canonical attachment URL → /attachment/<id>

    def canonical(self, url: str) -> str:
        return self.site.canonical_url(url) if self.site else url

    def key(self, url: str) -> str | None:
        """The item key `url` names, None when it is not an address of the archive's site."""
        return self.site.item_key(url) if self.site else url

    def image(self, url: str) -> str | None:
        return self.images.get(self.canonical(url))

    def file(self, url: str) -> str | None:
        return self.files.get(self.canonical(url))

    def page(self, url: str) -> str | None:
        key = self.key(_without_fragment(url))
        return self.pages.get(key) if key is not None else None


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None]) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def linked_urls(html: str | None, base_url: str) -> set[str]:
    """The absolute addresses the article's links point at (to look up which of them are archived)."""
    found: set[str] = set()

    def collect(tag: str, attribute: str, value: str) -> str:
        if tag == "a" and attribute == "href":
            found.add(_absolute(base_url, value))
        return value

    if html:
        _clean(html, collect)
    return found


def rewrite_body(html: str | None, base_url: str, links: Links, *, absolute_prefix: str = "") -> str:
    """The sanitised article with archived addresses rewritten; `absolute_prefix` (e.g. for a feed)
    makes the archive's own addresses absolute."""
    if not html:
        return ""

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            stored = links.image(_absolute(base_url, value))
            return absolute_prefix + stored if stored else None
        if tag == "a" and attribute == "href":
            url = _absolute(base_url, value)
            archived = links.file(url) or links.page(url)
            if archived:
                return absolute_prefix + archived
            return url if urlsplit(url).scheme in ("http", "https", "mailto") else None
        return value

    return _clean(html, rewrite)


def _absolute(base_url: str, value: str) -> str:
    return urljoin(base_url, value.strip())


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
