"""The reading room's pages: Datasette routes (registered in archive/datasette_plugins/reading_room.py).

Every page is read-only, renders a template of archive/datasette_plugins/templates/, and is served
with a Content-Security-Policy that allows no script at all and nothing from another origin.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from datasette.utils.asgi import AsgiFileDownload, BadRequest, NotFound, Response

from archive.datasette_plugins.room import feeds, pages
from archive.datasette_plugins.room.archive import Archive, archive_of, cached, exact_limit
from archive.datasette_plugins.room.files import (
    INLINE_IMAGE_TYPES,
    SANDBOX_CSP,
    StoredFileError,
    download_headers,
    read_capture,
    stored_file,
)
from archive.datasette_plugins.room.labels import CAPTURE_SOURCES, FIELD_LABELS, KIND_LABELS, kind_label
from archive.datasette_plugins.room.search import MAX_RESULTS, PAGE_SIZE, Facet, SearchQuery, run_search
from archive.datasette_plugins.tdkt import fts_words

# The reading room's own pages run no script and load nothing from elsewhere; the as-captured frame
# is the only frame, and it is sandboxed twice (the iframe attribute and SANDBOX_CSP on its bytes).
ROOM_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
T = TypeVar("T")
_YEAR = re.compile(r"^[12][0-9]{3}$")
_SLUG = re.compile(r"^[a-z0-9_-]{1,80}$")
_SINCE = re.compile(r"^[12][0-9]{3}(-[01][0-9](-[0-3][0-9])?)?$")


async def render(
    datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    archive = archive_of(datasette)
    context = {
        "db_name": archive.name,
        "kind_labels": KIND_LABELS,
        "field_labels": FIELD_LABELS,
        "capture_sources": CAPTURE_SOURCES,
        **context,
    }
    html = await datasette.render_template([template], context, request=request)
    return Response.html(html, status=status, headers={"content-security-policy": ROOM_CSP})


def _int(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"{name} phải là số dương / {name} must be a positive number: {value!r}")
    return int(value)


def _id(request: Any, key: str = "id") -> int:
    return int(request.url_vars[key])


async def _found(archive: Archive, fetch: Callable[[sqlite3.Connection], T | None], missing: str) -> T:
    """What `fetch` reads in Datasette's SQL thread; a 404 saying `missing` when it finds nothing."""
    data = await archive.db.execute_fn(fetch)
    if data is None:
        raise NotFound(missing)
    return data


async def _render_found(
    datasette: Any,
    request: Any,
    template: str,
    fetch: Callable[[sqlite3.Connection], dict[str, Any] | None],
    missing: str,
    *,
    as_name: str | None = None,
) -> Response:
    """A page of one row and what hangs on it: `fetch`, a 404 when there is none, else `template` with
    what it read as the context (or as the context's `as_name`)."""
    data = await _found(archive_of(datasette), fetch, missing)
    return await render(datasette, request, template, {as_name: data} if as_name else data)


async def _kinds(archive: Archive) -> list[tuple[str, int]]:
    result: list[tuple[str, int]] = await archive.db.execute_fn(
        lambda conn: cached(archive, "kinds", lambda: pages.kinds(conn))
    )
    return result


async def _checked_kind(archive: Archive, kind: str) -> str:
    if not kind:
        return ""
    known = [k for k, _ in await _kinds(archive)]
    if kind not in known:
        raise BadRequest(
            f"Không có loại bài {kind!r} / unknown kind {kind!r}; "
            f"các loại / kinds: {', '.join(sorted(known))}"
        )
    return kind


async def _search_query(archive: Archive, request: Any) -> SearchQuery:
    args = request.args
    year = (args.get("year") or "").strip()
    if year and not _YEAR.match(year):
        raise BadRequest(f"year phải là một năm, ví dụ 2024 / year must be a year such as 2024: {year!r}")
    category = (args.get("category") or "").strip()
    if category and not _SLUG.match(category):
        raise BadRequest(f"Chuyên mục không hợp lệ / not a category: {category!r}")
    scope = args.get("in") or "pages"
    if scope not in ("pages", "files"):
        raise BadRequest("in phải là pages hoặc files / in must be pages or files")
    page = _int(args.get("page"), "page", 1)
    if (page - 1) * PAGE_SIZE >= MAX_RESULTS:
        raise BadRequest(
            f"Chỉ xem được {MAX_RESULTS} kết quả đầu; hãy thu hẹp tìm kiếm / only the first {MAX_RESULTS} "
            "results can be paged through: narrow the search"
        )
    return SearchQuery(
        text=(args.get("q") or "").strip(),
        kind=await _checked_kind(archive, (args.get("kind") or "").strip()),
        year=year,
        category=category,
        page=page,
        scope=scope,
    )


async def search(datasette: Any, request: Any) -> Response:
    archive = archive_of(datasette)
    query = await _search_query(archive, request)
    fmt = request.url_vars.get("format") or ""
    if fmt == ".atom":
        return await _search_feed(datasette, request, archive, query)
    limit = exact_limit(datasette)

    def work(conn: Any) -> dict[str, Any]:
        result = run_search(conn, query, exact_limit=limit)
        lists = {
            "kinds": cached(archive, "kinds", lambda: pages.kinds(conn)),
            "years": cached(archive, "years", lambda: pages.years(conn)),
            "categories": cached(archive, "categories", lambda: pages.categories(conn)),
        }
        return {"result": result, "lists": lists}

    data = await archive.db.execute_fn(work)
    result = data["result"]
    if not result.exact:
        lists = data["lists"]
        result.facets = [
            Facet("kind", [(k, None) for k, _ in lists["kinds"]]),
            Facet("year", [(y, None) for y, _ in lists["years"]]),
            Facet("category", [(c, None) for c, _ in lists["categories"]]),
        ]
    category_names = dict(data["lists"]["categories"])
    if fmt == ".json":
        return Response.json(_search_json(datasette, request, result, category_names))
    return await render(
        datasette,
        request,
        "room_search.html",
        {
            "query": query,
            "result": result,
            "category_names": category_names,
            "page_link": lambda **change: _link("/search", query, **change),
            "feed_url": _feed_url(query),
            "json_url": _link("/search.json", query),
            "page_size": PAGE_SIZE,
        },
    )


def _params(query: SearchQuery, **change: Any) -> dict[str, str]:
    values = {
        "q": query.text,
        "kind": query.kind,
        "year": query.year,
        "category": query.category,
        "in": "" if query.scope == "pages" else query.scope,
        "page": str(query.page) if query.page > 1 else "",
    }
    for key, value in change.items():
        values[key.rstrip("_")] = "" if value is None else str(value)
    if values.get("page") == "1":
        values["page"] = ""
    return {k: v for k, v in values.items() if v}


def _link(path: str, query: SearchQuery, **change: Any) -> str:
    params = _params(query, **change)
    return path + ("?" + urlencode(params) if params else "")


def _feed_url(query: SearchQuery) -> str:
    if query.has_words:
        return _link("/search.atom", query, page=None, in_=None)
    return "/feed.atom" + ("?" + urlencode({"kind": query.kind}) if query.kind else "")


def _search_json(datasette: Any, request: Any, result: Any, category_names: dict[str, str]) -> dict[str, Any]:
    def text(segments: list[tuple[str, bool]]) -> str:
        return "".join(f"«{piece}»" if hit else piece for piece, hit in segments)

    query = result.query
    return {
        "query": dataclasses.asdict(query),
        "total": result.total,
        "count": result.count,
        "count_is_lower_bound": result.count_is_lower_bound,
        "exact": result.exact,
        "page": query.page,
        "next": datasette.absolute_url(request, _link("/search.json", query, page=query.page + 1))
        if result.has_next
        else None,
        "results": [
            {
                "page_id": r.id,
                "title": r.title,
                "kind": r.kind,
                "category": r.category,
                "published_at": r.published_at,
                "removed_at": r.removed_at,
                "in_title": r.in_title,
                "snippet": text(r.snippet),
                "item": datasette.absolute_url(request, f"/item/{r.id}"),
                "url": r.url,
            }
            for r in result.results
        ],
        "facets": {f.name: [{"value": v, "count": n} for v, n in f.values] for f in result.facets}
        if result.exact
        else {},
        "files_total": result.files_total,
        "files": [
            {
                "attachment_id": f.id,
                "page_id": f.page_id,
                "filename": f.filename,
                "bytes": f.bytes,
                "text_method": f.text_method,
                "ocr_confidence": f.ocr_confidence,
                "snippet": text(f.snippet),
                "attachment": datasette.absolute_url(request, f"/attachment/{f.id}"),
            }
            for f in result.files
        ],
    }


def _server(datasette: Any, request: Any) -> str:
    return datasette.absolute_url(request, "/").rstrip("/")


async def _search_feed(datasette: Any, request: Any, archive: Archive, query: SearchQuery) -> Response:
    if not query.has_words:
        raise BadRequest("Bản tin tìm kiếm cần từ khoá q / a search feed needs words: ?q=")
    rows = await archive.db.execute_fn(
        lambda conn: feeds.newest(conn, kind=query.kind, expression=fts_words(query.text))
    )
    title = f"Tìm “{query.text}” - Ban Thi đua - Khen thưởng tỉnh Thái Bình"
    body = feeds.build_feed(
        rows,
        title=title,
        question=f"search:{query.text}:{query.kind}",
        self_url=datasette.absolute_url(request, _link("/search.atom", query, page=None, in_=None)),
        html_url=datasette.absolute_url(request, _link("/search", query, page=None)),
        server=_server(datasette, request),
    )
    return Response(body, content_type=feeds.ATOM_TYPE)


async def feed(datasette: Any, request: Any) -> Response:
    archive = archive_of(datasette)
    kind = await _checked_kind(archive, (request.args.get("kind") or "").strip())
    rows = await archive.db.execute_fn(lambda conn: feeds.newest(conn, kind=kind))
    what = kind_label(kind) if kind else "Tin mới nhất / Newest items"
    body = feeds.build_feed(
        rows,
        title=f"{what} - Ban Thi đua - Khen thưởng tỉnh Thái Bình",
        question=f"kind:{kind}",
        self_url=datasette.absolute_url(
            request, "/feed.atom" + (f"?{urlencode({'kind': kind})}" if kind else "")
        ),
        html_url=datasette.absolute_url(
            request, "/search" + (f"?{urlencode({'kind': kind})}" if kind else "")
        ),
        server=_server(datasette, request),
    )
    return Response(body, content_type=feeds.ATOM_TYPE)


async def home(datasette: Any, request: Any) -> Response:
    archive = archive_of(datasette)
    overview = await archive.db.execute_fn(
        lambda conn: cached(archive, "overview", lambda: pages.overview(conn))
    )
    kinds = await _kinds(archive)
    return await render(datasette, request, "room_home.html", {"overview": overview, "kinds": kinds})


async def help_page(datasette: Any, request: Any) -> Response:
    return await render(
        datasette, request, "room_help.html", {"page_size": PAGE_SIZE, "max_results": MAX_RESULTS}
    )


async def item(datasette: Any, request: Any) -> Response:
    page_id = _id(request)
    return await _render_found(
        datasette,
        request,
        "room_item.html",
        lambda conn: pages.item(conn, page_id),
        f"Không có bài số {page_id} / no item {page_id}",
    )


async def version(datasette: Any, request: Any) -> Response:
    page_id, number = _id(request), _id(request, "version")
    return await _render_found(
        datasette,
        request,
        "room_version.html",
        lambda conn: pages.version(conn, page_id, number),
        f"Bài {page_id} không có bản {number} / item {page_id} has no version {number}",
    )


async def capture(datasette: Any, request: Any) -> Response:
    record_id = _id(request)
    return await _render_found(
        datasette,
        request,
        "room_capture.html",
        lambda conn: pages.capture(conn, record_id),
        f"Không có bản ghi WARC số {record_id} / no WARC record {record_id}",
    )


async def capture_raw(datasette: Any, request: Any) -> Response:
    """The captured response's bytes exactly as fetched, under a sandbox: no script, no fetch."""
    archive = archive_of(datasette)
    record_id = _id(request)
    record = await _found(
        archive,
        lambda conn: (pages.capture(conn, record_id) or {}).get("body_record"),
        f"Bản ghi WARC {record_id} không có nội dung / WARC record {record_id} holds no body",
    )
    try:
        captured = await asyncio.to_thread(
            read_capture, archive.warc_dir, record["filename"], record["offset"]
        )
    except StoredFileError as exc:
        raise NotFound(str(exc)) from exc
    return Response(
        captured.body,
        content_type=captured.content_type,
        headers={
            "content-security-policy": SANDBOX_CSP,
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        },
    )


def _no_attachment(attachment_id: int) -> str:
    return f"Không có tệp số {attachment_id} / no attachment {attachment_id}"


async def attachment(datasette: Any, request: Any) -> Response:
    attachment_id = _id(request)
    return await _render_found(
        datasette,
        request,
        "room_attachment.html",
        lambda conn: pages.attachment(conn, attachment_id),
        _no_attachment(attachment_id),
        as_name="file",
    )


async def _stored(archive: Archive, row: dict[str, Any]) -> Path:
    try:
        return await asyncio.to_thread(stored_file, archive.files_dir, row["stored_path"], row["sha256"])
    except StoredFileError as exc:
        raise NotFound(str(exc)) from exc


async def download(datasette: Any, request: Any) -> Any:
    archive = archive_of(datasette)
    attachment_id = _id(request)
    row = await _found(
        archive, lambda conn: pages.attachment(conn, attachment_id), _no_attachment(attachment_id)
    )
    path = await _stored(archive, row)
    return AsgiFileDownload(
        path,
        content_type=row["content_type"] or "application/octet-stream",
        headers=download_headers(row["filename"], row["sha256"]),
    )


async def image(datasette: Any, request: Any) -> Any:
    archive = archive_of(datasette)
    image_id = _id(request)
    row = await _found(
        archive, lambda conn: pages.image(conn, image_id), f"Không có ảnh số {image_id} / no image {image_id}"
    )
    path = await _stored(archive, row)
    content_type = (row["content_type"] or "").split(";")[0].strip().lower()
    inline = content_type in INLINE_IMAGE_TYPES
    return AsgiFileDownload(
        path,
        content_type=content_type if inline else "application/octet-stream",
        headers=download_headers(row["url"].rsplit("/", 1)[-1] or None, row["sha256"], inline=inline),
    )


async def decision(datasette: Any, request: Any) -> Response:
    award_id = _id(request)
    return await _render_found(
        datasette,
        request,
        "room_decision.html",
        lambda conn: pages.decision(conn, award_id),
        f"Không có khen thưởng số {award_id} / no award {award_id}",
    )


async def recipient(datasette: Any, request: Any) -> Response:
    archive = archive_of(datasette)
    name = (request.args.get("name") or "").strip()
    page = _int(request.args.get("page"), "page", 1)
    data = (
        await archive.db.execute_fn(lambda conn: pages.recipient(conn, name, page)) if name else {"name": ""}
    )
    return await render(datasette, request, "room_recipient.html", data)


async def document(datasette: Any, request: Any) -> Response:
    legal_id = _id(request)
    return await _render_found(
        datasette,
        request,
        "room_document.html",
        lambda conn: pages.document(conn, legal_id),
        f"Không có văn bản số {legal_id} / no legal document {legal_id}",
    )


async def movements(datasette: Any, request: Any) -> Response:
    archive = archive_of(datasette)
    since = (request.args.get("since") or "").strip()
    if since and not _SINCE.match(since):
        raise BadRequest(
            f"since phải là năm hoặc ngày, ví dụ 2020 / since must be a year or a date: {since!r}"
        )
    page = _int(request.args.get("page"), "page", 1)
    timeline = await datasette.get_canned_query(archive.name, "movements_timeline", request.actor)
    sql = timeline["sql"]
    data = await archive.db.execute_fn(lambda conn: pages.movements(conn, sql, since, page))
    if request.url_vars.get("format") == ".json":
        return Response.json(data)
    return await render(datasette, request, "room_movements.html", data)
