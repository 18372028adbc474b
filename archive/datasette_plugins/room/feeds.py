"""Atom feeds (RFC 4287) of the newest items: everything, one kind, or one search.

Each feed has the elements RFC 4287 requires (feed id, title, updated, author, a self link; entry id,
title, updated, an alternate link, content), and is served as application/atom+xml. Entry ids are the
items' addresses on the original site, which never change; the links point at the archive's copies.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from lxml import etree

from archive.datasette_plugins.room.body import rewrite_body
from archive.datasette_plugins.room.labels import kind_label
from archive.datasette_plugins.room.pages import page_links, site_of

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_ENTRIES = 50
AUTHOR = "Ban Thi đua - Khen thưởng tỉnh Thái Bình"
AUTHOR_URI = "https://tdkt.thaibinh.gov.vn/"
# Namespace of the feeds' ids: a feed's id is a UUID of its question, the same on every server.
_FEED_IDS = uuid.UUID("6f1d3c2e-5b7a-4c1e-9d2f-3a8b0c4e7f61")


def atom_time(published_at: str | None, fallback: str) -> str:
    """An RFC 3339 timestamp for an ISO value the archive stores: a bare date is midnight in Vietnam."""
    value = published_at or ""
    if len(value) == 10:
        return value + "T00:00:00+07:00"
    if len(value) >= 19 and value[10] == "T":
        if value.endswith("Z") or value[-6] in "+-":
            return value
        return value + "+07:00"
    return fallback


def newest(
    conn: sqlite3.Connection, *, kind: str = "", expression: str | None = None, limit: int = FEED_ENTRIES
) -> list[dict[str, Any]]:
    """The newest items (still on the site), of one kind or matching a search, newest first."""
    clauses = ["p.removed_at is null"]
    params: dict[str, Any] = {"n": limit}
    if kind:
        clauses.append("p.kind = :kind")
        params["kind"] = kind
    if expression:
        clauses.append("+p.id in (select rowid from pages_fts where pages_fts match :expr)")
        params["expr"] = expression
    cursor = conn.execute(
        "select p.id, p.url, p.title, p.kind, p.summary, p.body_html, p.published_at, p.first_seen_at, "
        "p.last_changed_at from pages p where " + " and ".join(clauses) + " "
        # The date index's own order (undated last in a descending walk): no sort of every page.
        "order by p.published_at desc, p.id limit :n",
        params,
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    site = site_of(conn)
    for row in rows:
        row["links"] = page_links(conn, row, site)
    return rows


def feed_id(question: str) -> str:
    return uuid.uuid5(_FEED_IDS, question).urn


def build_feed(
    rows: list[dict[str, Any]], *, title: str, question: str, self_url: str, html_url: str, server: str
) -> bytes:
    """The Atom document; `server` (scheme and host of this reading room) makes its links absolute."""
    E = "{%s}" % ATOM_NS  # noqa: UP031 - Clark notation for lxml
    feed = etree.Element(E + "feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "vi")
    etree.SubElement(feed, E + "id").text = feed_id(question)
    etree.SubElement(feed, E + "title").text = title
    entries_updated = [atom_time(r["published_at"], r["first_seen_at"]) for r in rows]
    etree.SubElement(feed, E + "updated").text = (
        max(entries_updated) if entries_updated else "1970-01-01T00:00:00Z"
    )
    author = etree.SubElement(feed, E + "author")
    etree.SubElement(author, E + "name").text = AUTHOR
    etree.SubElement(author, E + "uri").text = AUTHOR_URI
    etree.SubElement(feed, E + "link", rel="self", type="application/atom+xml", href=self_url)
    etree.SubElement(feed, E + "link", rel="alternate", type="text/html", href=html_url)
    etree.SubElement(
        feed, E + "generator", uri="https://github.com/tdkt-archive/tdkt-archive"
    ).text = "tdkt-archive"
    for row, updated in zip(rows, entries_updated, strict=True):
        entry = etree.SubElement(feed, E + "entry")
        etree.SubElement(entry, E + "id").text = row["url"]
        etree.SubElement(entry, E + "title").text = row["title"]
        etree.SubElement(entry, E + "updated").text = updated
        if row["published_at"]:
            etree.SubElement(entry, E + "published").text = updated
        etree.SubElement(
            entry, E + "link", rel="alternate", type="text/html", href=f"{server}/item/{row['id']}"
        )
        etree.SubElement(entry, E + "link", rel="via", href=row["url"])
        etree.SubElement(entry, E + "category", term=row["kind"], label=kind_label(row["kind"]))
        if row["summary"]:
            etree.SubElement(entry, E + "summary", type="text").text = row["summary"]
        body = rewrite_body(row["body_html"], row["url"], row["links"], absolute_prefix=server)
        content = etree.SubElement(entry, E + "content", type="html")
        content.text = body or (row["summary"] or row["title"])
    xml: bytes = etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml
