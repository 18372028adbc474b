"""The replica as a function from request to response, with no server: `build_site(...).respond(path)`.

Tests and saved-page fixtures use it directly; `replica.server` puts it behind HTTP and adds faults.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from replica import files
from replica.content import (
    CATEGORY_BY_SLUG,
    Attachment,
    Item,
    SiteModel,
    build_model,
    ground_truth,
)
from replica.render import Theme, make_theme

ICT = timedelta(hours=7)
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\nDisallow: /tim-kiem\n"
FAULT_KINDS = ("status_500", "status_503", "stall", "truncated", "redirect_loop", "wrong_charset")
FAULT_SHARE = 10  # percent of paths that fail on their first request


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    stall: float = 0.0  # seconds the server waits before answering (faults)
    truncate_to: int | None = None  # bytes actually sent while Content-Length promises all (faults)

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self) -> str:
        ctype = self.header("Content-Type") or ""
        charset = ctype.split("charset=")[-1] if "charset=" in ctype else "utf-8"
        return self.body.decode({"windows-1258": "cp1258"}.get(charset, charset))


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in windows-1258: base letters precomposed, tone marks as combining bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in "\u0300\u0301\u0303\u0309\u0323")
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        composed = unicodedata.normalize("NFC", base)
        try:
            out += (composed + tones).encode("cp1258")
        except UnicodeEncodeError:
            out += ch.encode("ascii", "xmlcharrefreplace")
    return bytes(out)


def http_date(dt: datetime) -> str:
    """Site times are Vietnam local time (UTC+7)."""
    return format_datetime((dt - ICT).replace(tzinfo=UTC), usegmt=True)


@dataclass
class Site:
    state: int = 1
    items: int | None = None
    theme: str = "classic"
    seed: int = 2022
    scans: int = 0  # award decisions served as scanned PDFs (replica/scans.py)
    hostile_scans: bool = False  # one decision also links two PDFs whose page image is a bomb
    _models: dict[int, SiteModel] = field(default_factory=dict, repr=False)
    _truth: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.renderer: Theme = make_theme(self.theme, self)
        self._index: dict[int, Any] = {}
        self.set_state(self.state)

    # -- state ---------------------------------------------------------------------------------------------

    def set_state(self, state: int) -> None:
        if state not in (1, 2):
            raise ValueError("state must be 1 or 2")
        with self._lock:
            if state not in self._models:
                self._models[state] = build_model(
                    seed=self.seed,
                    state=state,
                    items=self.items,
                    scans=self.scans,
                    hostile_scans=self.hostile_scans,
                )
            self.state = state
            self._index[state] = self._index.get(state) or _Index(self._models[state])

    @property
    def model(self) -> SiteModel:
        return self._models[self.state]

    @property
    def index(self) -> _Index:
        return self._index[self.state]

    def ground_truth(self) -> dict[str, Any]:
        if self.state not in self._truth:
            facts = {spec: self.file_facts(spec) for spec in self.index.spec_owner}
            tracked = {it.url for it in self.latest_news} | {it.url for it in self.featured}
            self._truth[self.state] = ground_truth(self.model, self.theme, facts, tracked)
        return self._truth[self.state]

    def file_facts(self, spec: tuple[Any, ...]) -> tuple[int, str]:
        data = self.attachment_bytes(spec)
        return len(data), hashlib.sha256(data).hexdigest()

    def attachment_bytes(self, spec: tuple[Any, ...]) -> bytes:
        owner = self.index.spec_owner.get(spec)
        total = self.items or 420
        return files.attachment_bytes(self.seed, total, spec, owner)

    # -- boxes shared by every page --------------------------------------------------------------------------

    @property
    def latest_news(self) -> list[Item]:
        return self.index.latest_news

    @property
    def latest_notices(self) -> list[Item]:
        return self.index.latest_notices

    @property
    def latest_videos(self) -> list[Item]:
        return self.index.latest_videos

    @property
    def latest_documents(self) -> list[Item]:
        return self.index.latest_documents

    @property
    def featured(self) -> list[Item]:
        return self.index.featured

    def list_entries(self, slug: str) -> list[Any]:
        return self.index.list_entries[slug]

    def line_style_metadata(self, first_value: str) -> bool:
        return int(hashlib.md5(first_value.encode()).hexdigest(), 16) % 4 == 0

    def all_paths(self) -> list[str]:
        """Every path the site serves with 200 in this state: pages, lists (first pages), files, images."""
        paths = ["/", "/robots.txt", "/rss.xml"]
        paths += [c.list_url for c in self.model.categories if not c.static]
        paths += [it.url for it in self.model.items]
        paths += list(self.index.files)
        paths += list(self.index.images)
        return paths

    # -- responses -----------------------------------------------------------------------------------------

    def respond(self, target: str, headers: Mapping[str, str] | None = None, method: str = "GET") -> Response:
        headers = headers or {}
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        resp = self._route(path, query)
        if resp.status == 200 and ("ETag" in resp.headers) and self._not_modified(resp, headers):
            resp = Response(304, {k: v for k, v in resp.headers.items() if k in ("ETag", "Last-Modified")})
        if method == "HEAD":
            resp.body = b""
        return resp

    @staticmethod
    def _not_modified(resp: Response, headers: Mapping[str, str]) -> bool:
        lower = {k.lower(): v for k, v in headers.items()}
        inm = lower.get("if-none-match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return resp.headers["ETag"] in tags or "*" in tags
        ims = lower.get("if-modified-since")
        if ims and "Last-Modified" in resp.headers:
            try:
                return parsedate_to_datetime(resp.headers["Last-Modified"]) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _route(self, path: str, query: dict[str, list[str]]) -> Response:
        idx = self.index
        if path in ("/", "/index.html", "/default.aspx"):
            return self.html(self.renderer.home())
        if path == "/robots.txt":
            return Response(200, {"Content-Type": "text/plain; charset=utf-8"}, ROBOTS_TXT.encode())
        if path == "/rss.xml":
            return Response(200, {"Content-Type": "application/rss+xml; charset=utf-8"}, self.rss().encode())
        if path.startswith("/tim-kiem"):
            return self.html(self.renderer.simple("Tìm kiếm", "Không tìm thấy kết quả phù hợp."))
        if path.startswith("/admin"):
            return self.html(self.renderer.simple("Quản trị", "Bạn không có quyền truy cập."), status=403)
        if path in self.model.decoys:
            return self.redirect(self.decoy_target(path))
        if path in self.model.removed:
            status = self.model.removed[path]
            return self.html(
                self.renderer.simple("Không tìm thấy", "Bài viết không tồn tại hoặc đã bị xóa."),
                status=status,
            )
        item = self.model.by_url.get(path)
        if item is not None:
            return self.detail(item)
        plain = unquote(path)
        if plain in idx.files:
            return self.file(*idx.files[plain])
        if plain in idx.images:
            data = files.cached((self.seed, "img", plain), lambda: files.make_image(self.seed, plain))
            return self.binary(data, "image/jpeg", idx.images[plain].last_modified)
        if plain in idx.videos:
            return self.binary(files.MP4_STUB, "video/mp4", idx.videos[plain].last_modified)
        listing = self.parse_list(path, query)
        if listing is not None:
            cat, page = listing
            html = self.renderer.list_page(cat, page)
            if html is not None:
                return self.html(html)
        return self.not_found()

    def parse_list(self, path: str, query: dict[str, list[str]]) -> tuple[Any, int] | None:
        segments = [s for s in path.split("/") if s]
        if not segments or segments[0] not in CATEGORY_BY_SLUG:
            return None
        cat = CATEGORY_BY_SLUG[segments[0]]
        if cat.static:
            return None
        if self.theme == "modern":
            if path == cat.list_url:
                return cat, 1
            if len(segments) == 2 and segments[1].startswith("trang-") and segments[1].endswith(".html"):
                number = segments[1][6:-5]
                return (cat, int(number)) if number.isdigit() else None
            return None
        if self.theme == "press":
            if path == cat.list_url:
                return cat, 1
            rest = segments[1:]
            if len(rest) == 2 and rest[0] == "page" and rest[1].isdigit() and path.endswith("/"):
                return cat, int(rest[1])
            return None
        if path != cat.list_url:
            return None
        if self.theme == "legacy":
            page = query.get("trang", ["1"])[0]
            return (cat, int(page)) if page.isdigit() else None
        if self.theme == "portal":
            page = query.get("cur", ["1"])[0]
            return (cat, int(page)) if page.isdigit() else None
        if self.theme == "soup":
            page = query.get("p", ["1"])[0]
            return (cat, int(page)) if page.isdigit() else None
        page = query.get("page", ["1"])[0]
        return (cat, int(page)) if page.isdigit() else None

    def decoy_target(self, path: str) -> str:
        decoys = self.model.decoys
        if path == decoys[-1]:
            return path  # redirects to itself
        return decoys[(decoys.index(path) + 1) % (len(decoys) - 1)]

    # -- response builders ---------------------------------------------------------------------------------

    def html(self, text: str, status: int = 200) -> Response:
        body = text.encode("utf-8")
        return Response(
            status, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}, body
        )

    def not_found(self) -> Response:
        return self.html(
            self.renderer.simple("Không tìm thấy trang", "Trang bạn yêu cầu không tồn tại."), status=404
        )

    def redirect(self, location: str) -> Response:
        return Response(
            302, {"Location": location, "Content-Type": "text/html; charset=utf-8", "Content-Length": "0"}
        )

    def detail(self, it: Item) -> Response:
        return self.index.cached_detail(self, it)

    def render_detail(self, it: Item) -> Response:
        if "cp1258" in it.quirks:
            text = self.renderer.detail(it, charset="windows-1258")
            body = encode_cp1258(text)
            ctype = "text/html; charset=windows-1258"
        else:
            text = self.renderer.detail(it)
            if "nfd" in it.quirks:
                text = unicodedata.normalize("NFD", text)
            body = (
                text.encode("ascii", "xmlcharrefreplace") if "entities" in it.quirks else text.encode("utf-8")
            )
            ctype = "text/html; charset=utf-8"
        return Response(
            200,
            {
                "Content-Type": ctype,
                "Content-Length": str(len(body)),
                "ETag": self.item_etag(it),
                "Last-Modified": http_date(it.last_modified),
            },
            body,
        )

    def item_etag(self, it: Item) -> str:
        """The article's version, not the page's bytes: like a CMS, the boxes around the article (latest
        news, notices) change without changing the article, and an unchanged article answers 304."""
        version = repr((it.url, it.title, it.paragraphs, it.summary, it.last_modified, self.theme, it.quirks))
        return '"' + hashlib.sha1(version.encode()).hexdigest()[:20] + '"'

    def binary(self, data: bytes, ctype: str, modified: datetime, disposition: str | None = None) -> Response:
        headers = {
            "Content-Type": ctype,
            "Content-Length": str(len(data)),
            "ETag": '"' + hashlib.sha1(data).hexdigest()[:20] + '"',
            "Last-Modified": http_date(modified),
        }
        if disposition:
            headers["Content-Disposition"] = disposition
        return Response(200, headers, data)

    def file(self, it: Item, att: Attachment) -> Response:
        data = self.attachment_bytes(att.spec)
        name = att.filename
        ascii_name = name.encode("ascii", "replace").decode().replace('"', "")
        disposition = f'attachment; filename="{ascii_name}"'
        if ascii_name != name:
            disposition += f"; filename*=UTF-8''{quote(name)}"
        return self.binary(data, att.content_type, it.when, disposition)

    def rss(self) -> str:
        entries = []
        for it in self.latest_news[:5] + self.model.items[:15]:
            entries.append(
                f"<item><title>{_xml(it.title)}</title><link>{it.url}</link>"
                f"<pubDate>{http_date(it.when)}</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Ban Thi đua - Khen thưởng tỉnh Thái Bình</title><link>/</link>"
            f"<description>Tin mới</description>{''.join(entries)}</channel></rss>"
        )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Index:
    """Lookups derived from one state's model."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.files: dict[str, tuple[Item, Attachment]] = {}
        self.images: dict[str, Item] = {}
        self.videos: dict[str, Item] = {}
        self.spec_owner: dict[tuple[Any, ...], Item | None] = {}
        for it in model.items:
            for a in it.attachments:
                self.files[unquote(a.url)] = (it, a)
                self.spec_owner[a.spec] = None if a.spec[1] == "pool" else it
            for src in it.images:
                self.images[src] = it
            video = it.extra.get("video")
            if video and video.startswith("/"):
                self.videos[video] = it
        news = [it for it in model.items if it.kind == "news" and it.category == "tin-tuc-su-kien"]
        self.latest_news = news[:5]
        self.featured = news[5:9]
        self.latest_notices = [it for it in model.items if it.kind == "notice"][:7]
        self.latest_videos = [it for it in model.items if it.kind == "video"][:5]
        self.latest_documents = [it for it in model.items if it.kind == "legal_text" and it.attachments][:5]
        self.list_entries: dict[str, list[Any]] = {}
        dead = {slug: (path, title) for slug, title, path in model.dead_links}
        for slug, items in model.by_category.items():
            entries: list[Any] = list(items)
            if slug in dead and len(entries) > 3:
                path, title = dead[slug]
                entries.insert(3, (path, title, entries[3].when))
            self.list_entries[slug] = entries
        self._details: dict[str, Response] = {}
        self._lock = threading.Lock()

    def cached_detail(self, site: Site, it: Item) -> Response:
        # Small sites keep rendered details; big ones render every time (lazy, bounded memory).
        if len(self.model.items) > 5000:
            return site.render_detail(it)
        with self._lock:
            hit = self._details.get(it.url)
        if hit is None:
            hit = site.render_detail(it)
            with self._lock:
                self._details[it.url] = hit
        return Response(hit.status, dict(hit.headers), hit.body)


def build_site(
    state: int = 1,
    items: int | None = None,
    theme: str = "classic",
    seed: int = 2022,
    scans: int = 0,
    hostile_scans: bool = False,
) -> Site:
    """The replica without a server. `.ground_truth()` gives the truth, `.respond(path)` a Response."""
    return Site(state=state, items=items, theme=theme, seed=seed, scans=scans, hostile_scans=hostile_scans)
