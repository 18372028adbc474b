"""Datasette plugin: the reading room's routes, its error pages, links in Datasette's own tables, and the
security headers every response carries.

The pages themselves are in archive/datasette_plugins/room/ (one module per concern) and
archive/datasette_plugins/templates/.
"""

from __future__ import annotations

import sys
import traceback
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup, escape

from archive.datasette_plugins.room import labels, views

ROUTES = [
    (r"^/$", views.home),
    (r"^/search(?P<format>\.json|\.atom)?$", views.search),
    (r"^/feed\.atom$", views.feed),
    (r"^/help$", views.help_page),
    (r"^/item/(?P<id>[0-9]{1,18})$", views.item),
    (r"^/item/(?P<id>[0-9]{1,18})/versions/(?P<version>[0-9]{1,9})$", views.version),
    (r"^/capture/(?P<id>[0-9]{1,18})$", views.capture),
    (r"^/capture/(?P<id>[0-9]{1,18})/raw$", views.capture_raw),
    (r"^/attachment/(?P<id>[0-9]{1,18})$", views.attachment),
    (r"^/attachment/(?P<id>[0-9]{1,18})/download$", views.download),
    (r"^/image/(?P<id>[0-9]{1,18})$", views.image),
    (r"^/decision/(?P<id>[0-9]{1,18})$", views.decision),
    (r"^/recipient$", views.recipient),
    (r"^/document/(?P<id>[0-9]{1,18})$", views.document),
    (r"^/movements(?P<format>\.json)?$", views.movements),
]

# Datasette's own pages (tables, rows, queries, charts) run its inline scripts and the chart builder's
# bundled code, so they may run scripts from this origin; like the reading room's pages they load
# nothing from anywhere else, so an archived image URL in a cell is never fetched from the original site.
DATASETTE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return ROUTES


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["show_date"] = labels.show_date
    env.filters["number"] = labels.number
    env.filters["file_size"] = labels.file_size
    env.filters["kind_label"] = labels.kind_label
    env.filters["kind_label_vi"] = labels.kind_label_vi


@hookimpl
def asgi_wrapper() -> Any:
    def wrap(app: Any) -> Any:
        async def with_headers(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return

            async def send_with_headers(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers") or [])
                    present = {name.lower() for name, _ in headers}
                    for name, value in (
                        (b"content-security-policy", DATASETTE_CSP.encode()),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"no-referrer"),
                    ):
                        if name not in present:
                            headers.append((name, value))
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, send_with_headers)

        return with_headers

    return wrap


@hookimpl(hookwrapper=True)
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """Every error as a page (or JSON) with its proper status: this answer replaces all the others.

    Datasette 0.65.5 awaits the answer of every handle_exception hook, its own default included, and
    that default calls rich's print_exception outside an `except` block whenever rich is installed:
    rich raises, and an unknown address four segments deep (/db/table/1/x) became a 500 with a long
    traceback instead of a 404. As a hook wrapper this replaces the list of answers with its own, so
    the default never runs. Only real faults (500) are logged, with their traceback.
    """
    outcome = yield
    outcome.force_result([_error_response(datasette, request, exception)])


def _error_response(datasette: Any, request: Any, exception: Exception) -> Any:
    async def inner() -> Response:
        title = None
        if isinstance(exception, Base400):
            status, message = exception.status, str(exception.args[0]) if exception.args else ""
        elif isinstance(exception, DatasetteError):
            status, message, title = exception.status, exception.message, exception.title
            if exception.message_is_html:
                message = Markup(message)
        else:
            status, message = 500, f"{type(exception).__name__}: {exception}"
            traceback.print_exception(exception, file=sys.stderr)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(
                {"ok": False, "error": str(message), "status": status, "title": title}, status=status
            )
        if request.path.split("?")[0].endswith(".atom"):
            return Response.text(f"{status}: {message}\n", status=status)
        html = await datasette.render_template(
            ["room_error.html"],
            {
                "status": status,
                "message": message if isinstance(message, Markup) else escape(message),
                "title": title,
            },
            request=request,
        )
        return Response.html(html, status=status, headers={"content-security-policy": views.ROOM_CSP})

    return inner


# -- links from Datasette's own tables and canned queries into the reading room -------------------------

# A column of these names holds the key of a reading-room page, in every table and canned query.
_KEY_COLUMNS = {
    "page_id": "/item/{}",
    "citing_page_id": "/item/{}",
    "cited_page_id": "/item/{}",
    "award_id": "/decision/{}",
    "attachment_id": "/attachment/{}",
}
# Text longer than this is folded in a table page's cell (room.css).
_CELL_TEXT = 300
_LONG_TEXT = {"body_text", "body_html", "text", "summary", "tables_json", "metadata_json", "abstract"}


# Columns of Datasette's tables that open a reading-room page for their row.
_ROW_LINKS = {
    ("pages", "title"): "/item/{}",
    ("pages", "url"): "/item/{}",
    ("awards", "decision_number"): "/decision/{}",
    ("attachments", "filename"): "/attachment/{}",
    ("attachments", "stored_path"): "/attachment/{}",
    ("attachments", "sha256"): "/attachment/{}",
    ("legal_documents", "number"): "/document/{}",
    ("images", "url"): "/image/{}",
}
_READ = "mở trong kho lưu trữ / open the archive's copy"


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None) -> Any:
    if value is None:
        return None
    if table == "award_recipients" and column == "name":
        return Markup(
            f'<a href="/recipient?{escape(urlencode({"name": value}))}" title="{_READ}">{escape(value)}</a>'
        )
    if table == "warc_records" and column == "record_id":
        return _link(f"/capture/{row['id']}", value)
    if (table, column) in _ROW_LINKS:
        return _link(_ROW_LINKS[(table, column)].format(row["id"]), value)
    if column in _KEY_COLUMNS:
        key = value["value"] if isinstance(value, dict) else value
        shown = (value.get("label") or key) if isinstance(value, dict) else key
        return _link(_KEY_COLUMNS[column].format(key), shown)
    if column in _LONG_TEXT and isinstance(value, str) and len(value) > _CELL_TEXT:
        # Whole in the cell; a table page's stylesheet (room.css) shows its first lines only, so a row
        # fits on the screen, while the row page shows it all.
        return Markup(f'<div class="cell-long">{escape(value)}</div>')
    return None


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/room/room.css"]


def _link(href: str, shown: Any) -> Markup:
    return Markup(f'<a href="{escape(href)}" title="{_READ}">{escape(str(shown))}</a>')
