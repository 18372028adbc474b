"""What each reading-room page reads: plain functions of one SQLite connection.

Each runs whole inside Datasette's SQL thread (`Database.execute_fn`), so a page costs one hop to that
thread however many small queries it makes, and every query is an index lookup: no page of this
module reads a table from end to end, except the short lists `archive.cached` keeps.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from typing import Any

from archive.datasette_plugins.room.body import Links, linked_urls, rewrite_body
from archive.normalize.text import fold_key
from archive.site import SiteIdentity, origin_of

_FILES_OF_PAGE = (
    "select id, filename, extension, bytes, sha256, text_method, ocr_confidence from attachments "
    "where page_id = ? order by id"
)
# An item page lists this many recipients of each award; the decision page lists them all.
RECIPIENTS_ON_ITEM = 30
CAPTURES_ON_ITEM = 10
TEXT_PREVIEW = 3000


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _row(conn: sqlite3.Connection, sql: str, params: Any = ()) -> dict[str, Any] | None:
    rows = _rows(conn, sql, params)
    return rows[0] if rows else None


def site_of(conn: sqlite3.Connection) -> SiteIdentity | None:
    """The archive's site as the store recorded it (tables `site`, `site_aliases`), None before it has one."""
    try:
        row = conn.execute("select key, canonical_origin from site").fetchone()
        aliases = {r[0] for r in conn.execute("select origin from site_aliases")}
    except sqlite3.OperationalError:  # an archive made before it kept its site, not yet opened by the store
        return None
    if row is None:
        return None
    return SiteIdentity(row[0], row[1], frozenset({*aliases, row[1]}))


def page_links(conn: sqlite3.Connection, page: dict[str, Any], site: SiteIdentity | None) -> Links:
    """Where the article's images and links are served from in the archive."""
    links = Links(site)
    for image in _rows(
        conn, "select id, url from images where page_id = ? and sha256 is not null", (page["id"],)
    ):
        links.images[image["url"]] = f"/image/{image['id']}"
    for file in _rows(conn, "select id, url from attachments where page_id = ?", (page["id"],)):
        links.files[file["url"]] = f"/attachment/{file['id']}"
    linked = linked_urls(page.get("body_html"), page["url"])
    keys = sorted({k for url in linked if links.file(url) is None and (k := links.key(url)) is not None})
    column = "item_key" if site else "url"
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for other in _rows(conn, f"select id, {column} as k from pages where {column} in ({marks})", chunk):
            links.pages[other["k"]] = f"/item/{other['id']}"
    return links


def fetched_from(conn: sqlite3.Connection, page: dict[str, Any], site: SiteIdentity | None) -> list[str]:
    """Every address the item's captures may lie under: its address at each origin of the site (a crawl
    from the other host name or a mirror records what it fetched), and each address a version came from
    (an earlier slug)."""
    urls = {page["url"]}
    if site is not None:
        urls |= {site.at_origin(page["url"], origin) for origin in site.aliases}
    for (url,) in conn.execute(
        "select distinct url from page_versions where page_id = ? and url is not null", (page["id"],)
    ):
        urls.add(url)
    return sorted(urls)


def item(conn: sqlite3.Connection, page_id: int) -> dict[str, Any] | None:
    page = _row(conn, "select * from pages where id = ?", (page_id,))
    if page is None:
        return None
    site = site_of(conn)
    links = page_links(conn, page, site)
    page["body"] = rewrite_body(page["body_html"], page["url"], links)
    page["metadata"] = json.loads(page["metadata_json"]) if page["metadata_json"] else {}
    page["image_urls"] = json.loads(page["images"]) if page["images"] else []
    images = _rows(
        conn,
        "select id, url, content_type, bytes, sha256, stored_path from images where page_id = ? order by id",
        (page_id,),
    )
    archived_images = {i["url"] for i in images if i["sha256"]}
    page["images_missing"] = [u for u in page["image_urls"] if links.canonical(u) not in archived_images]
    attachments = _rows(
        conn,
        "select id, url, filename, extension, content_type, bytes, sha256, fetched_at, text_error, "
        "text_method, ocr_confidence, ocr_engine, length(text) as text_length, "
        f"substr(text, 1, {TEXT_PREVIEW}) as text_preview from attachments where page_id = ? order by id",
        (page_id,),
    )
    legal = _row(conn, "select * from legal_documents where page_id = ?", (page_id,))
    citing: list[dict[str, Any]] = []
    if legal and legal["number"]:
        citing = _rows(
            conn,
            "select p.id, p.title, p.kind, p.published_at from citations c join pages p on p.id = c.page_id "
            "where c.cited_number = ? and c.page_id != ? order by p.published_at desc, p.id",
            (legal["number"], page_id),
        )
    cited = _rows(
        conn,
        "select c.cited_number, ld.id as legal_id, ld.page_id, cp.title from citations c "
        "left join legal_documents ld on ld.number = c.cited_number "
        "left join pages cp on cp.id = ld.page_id where c.page_id = ? order by c.cited_number",
        (page_id,),
    )
    if legal:  # a document naming its own number is not citing itself
        cited = [c for c in cited if c["cited_number"] != legal["number"]]
    awards = _rows(conn, "select * from awards where page_id = ? order by id", (page_id,))
    for award in awards:
        award["recipients"] = _rows(
            conn,
            "select id, name, name_key, kind, unit, position, award, source from award_recipients "
            f"where award_id = ? order by id limit {RECIPIENTS_ON_ITEM + 1}",
            (award["id"],),
        )
    movements = _rows(
        conn,
        "select name, name_key, launched_on, launched_by, period_start, period_end from movements "
        "where page_id = ? order by id",
        (page_id,),
    )
    versions = item_versions(conn, page_id)
    addresses = fetched_from(conn, page, site)
    marks = ", ".join("?" * len(addresses))
    captures = _rows(
        conn,
        "select id, url, warc_type, warc_date, filename, payload_digest from warc_records "
        f"where url in ({marks}) order by id desc limit {CAPTURES_ON_ITEM}",
        addresses,
    )
    return {
        "page": page,
        "images": images,
        "attachments": attachments,
        "legal": legal,
        "citing": citing,
        "cited": cited,
        "awards": awards,
        "recipients_shown": RECIPIENTS_ON_ITEM,
        "movements": movements,
        "versions": versions,
        "captures": captures,
        "captures_total": conn.execute(
            f"select count(*) from warc_records where url in ({marks})", addresses
        ).fetchone()[0],
    }


_COMPARED = ("title", "published_at", "published_raw", "summary", "body_text")
# Each version beside the one before it, compared in SQL: the item page lists what changed without
# carrying every version's text out of SQLite.
_VERSIONS = (
    "select v.version, v.fetched_at, v.run_id, v.content_sha256, v.title, v.url, v.capture_id, "
    "c.source as capture_source, c.source_uri as capture_source_uri, c.captured_at, r.origin as run_origin, "
    + ", ".join(
        f"v.{name} is not lag(v.{name}) over w as {name}_changed" for name in (*_COMPARED, "body_html")
    )
    + " from page_versions v left join captures c on c.id = v.capture_id "
    "left join crawl_runs r on r.id = v.run_id where v.page_id = ? window w as (order by v.version) "
    "order by v.version desc"
)


def version_origin(row: dict[str, Any]) -> str:
    """Where a version was read from: the site's address it was fetched at (host name, scheme and port
    kept), else its run's."""
    if row.get("url"):
        return origin_of(row["url"])
    return row.get("run_origin") or ""


def item_versions(conn: sqlite3.Connection, page_id: int) -> list[dict[str, Any]]:
    """Every version of an item, newest first (versions are numbered in capture order), each with where
    it came from and the fields that changed since the version before it (none listed for the first)."""
    versions = _rows(conn, _VERSIONS, (page_id,))
    for n, v in enumerate(versions):
        flags = {name: v.pop(f"{name}_changed") for name in (*_COMPARED, "body_html")}
        first = n == len(versions) - 1
        v["origin"] = version_origin(v)
        v["changed"] = [] if first else [name for name in _COMPARED if flags[name]]
        v["html_changed"] = not first and bool(flags["body_html"])
    return versions


def version(conn: sqlite3.Connection, page_id: int, number: int) -> dict[str, Any] | None:
    """One version of a page beside the one before it: which fields changed, and how the text did."""
    page = _row(conn, "select id, title, url from pages where id = ?", (page_id,))
    this = _row(
        conn,
        "select v.*, c.source as capture_source, c.source_uri as capture_source_uri, c.captured_at, "
        "r.origin as run_origin from page_versions v left join captures c on c.id = v.capture_id "
        "left join crawl_runs r on r.id = v.run_id where v.page_id = ? and v.version = ?",
        (page_id, number),
    )
    if page is None or this is None:
        return None
    this["origin"] = version_origin(this)
    before = _row(
        conn,
        "select * from page_versions where page_id = ? and version < ? order by version desc limit 1",
        (page_id, number),
    )
    changes = []
    for name in _COMPARED:
        old = (before or {}).get(name)
        new = this.get(name)
        if before is None or old != new:
            changes.append(
                {
                    "field": name,
                    "old": old,
                    "new": new,
                    "diff": list(
                        difflib.unified_diff(
                            _lines(old),
                            _lines(new),
                            f"bản {before['version']}" if before else "",
                            f"bản {number}",
                            n=1,
                            lineterm="",
                        )
                    )
                    if before is not None and name in ("summary", "body_text")
                    else [],
                }
            )
    html_changed = before is not None and before.get("body_html") != this.get("body_html")
    return {"page": page, "version": this, "before": before, "changes": changes, "html_changed": html_changed}


def _lines(text: str | None) -> list[str]:
    """Text as diff lines: one a sentence, so that a one-word edit in a long paragraph stays readable."""
    if not text:
        return []
    out: list[str] = []
    for paragraph in text.splitlines():
        out += [part.strip() for part in paragraph.replace(". ", ".\n").splitlines() if part.strip()]
    return out


def capture(conn: sqlite3.Connection, record_id: int) -> dict[str, Any] | None:
    """A WARC index row and, for a revisit, the earlier response record holding the same payload."""
    record = _row(conn, "select * from warc_records where id = ?", (record_id,))
    if record is None:
        return None
    body_record = record
    if record["warc_type"] == "revisit":
        body_record = _row(
            conn,
            "select * from warc_records where url = ? and warc_type = 'response' and payload_digest = ? "
            "and id < ? order by id desc limit 1",
            (record["url"], record["payload_digest"], record_id),
        )
    site = site_of(conn)
    key = site.item_key(record["url"]) if site else None
    if key is not None:  # fetched from any address of the site: the item it names
        page = _row(conn, "select id, title from pages where item_key = ?", (key,))
    else:
        page = _row(conn, "select id, title from pages where url = ?", (record["url"],))
    return {"record": record, "body_record": body_record, "page": page}


def attachment(conn: sqlite3.Connection, attachment_id: int) -> dict[str, Any] | None:
    row = _row(
        conn,
        "select a.*, p.title as page_title, p.kind as page_kind from attachments a "
        "join pages p on p.id = a.page_id where a.id = ?",
        (attachment_id,),
    )
    if row is None:
        return None
    row["tables"] = json.loads(row["tables_json"]) if row["tables_json"] else []
    row["awards"] = _rows(
        conn, "select id, decision_number, award from awards where page_id = ? order by id", (row["page_id"],)
    )
    return row


def image(conn: sqlite3.Connection, image_id: int) -> dict[str, Any] | None:
    return _row(conn, "select * from images where id = ?", (image_id,))


def decision(conn: sqlite3.Connection, award_id: int) -> dict[str, Any] | None:
    award = _row(conn, "select * from awards where id = ?", (award_id,))
    if award is None:
        return None
    page = _row(
        conn,
        "select id, title, url, kind, published_at, published_raw, removed_at from pages where id = ?",
        (award["page_id"],),
    )
    recipients = _rows(
        conn,
        "select r.id, r.name, r.name_key, r.kind, r.unit, r.position, r.award, r.source, "
        "(select count(*) from award_recipients o where o.name_key = r.name_key) as awards_held "
        "from award_recipients r where r.award_id = ? order by r.id",
        (award_id,),
    )
    others = _rows(
        conn,
        "select id, decision_number, award from awards where page_id = ? and id != ? order by id",
        (award["page_id"], award_id),
    )
    files = _rows(
        conn,
        _FILES_OF_PAGE,
        (award["page_id"],),
    )
    return {"award": award, "page": page, "recipients": recipients, "others": others, "files": files}


AWARDS_PER_PAGE = 100


def recipient(
    conn: sqlite3.Connection, name: str, page: int = 1, per_page: int = AWARDS_PER_PAGE
) -> dict[str, Any]:
    """Every award of the recipients whose name folds to the same key: one person across spellings, a
    page of the awards at a time (a name many people share can have thousands: rendering them all was
    most of the page's time, bench section 4); the spellings and units count every award."""
    key = fold_key(name)
    joined = (
        "from award_recipients r join awards a on a.id = r.award_id join pages p on p.id = r.page_id "
        "where r.name_key = :key"
    )
    awards = _rows(
        conn,
        "select r.id, r.name, r.kind, r.position, r.unit, coalesce(r.award, a.award) as award, r.source, "
        "a.id as award_id, a.decision_number, a.decided_on, a.decided_raw, a.conferred_by, "
        f"p.id as page_id, p.title as page_title {joined} "
        "order by a.decided_on is null, a.decided_on, a.decision_number, r.id limit :n offset :o",
        {"key": key, "n": per_page, "o": (page - 1) * per_page},
    )
    counted = conn.execute(
        f"select r.name, r.unit, count(*) {joined} group by r.name, r.unit order by min(r.id)", {"key": key}
    ).fetchall()
    spellings: dict[str, int] = {}
    units: dict[str, int] = {}
    for spelling, unit, n in counted:
        spellings[spelling] = spellings.get(spelling, 0) + n
        if unit:
            units[unit] = units.get(unit, 0) + n
    total = sum(spellings.values())
    similar: list[dict[str, Any]] = []
    if not total and key:
        # Nobody by that exact name: names holding every word, to pick from.
        words = " ".join(f'"{w}"' for w in key.split())
        similar = _rows(
            conn,
            "select r.name, r.name_key, count(*) as awards from award_recipients r where r.id in "
            "(select rowid from award_recipients_fts where award_recipients_fts match ? limit 500) "
            "group by r.name_key order by awards desc, r.name limit 20",
            ("{name folded} : (" + words + ")",),
        )
    return {
        "name": name,
        "key": key,
        "shown_name": _shown_name(name, spellings),
        "awards": awards,
        "total": total,
        "page": page,
        "per_page": per_page,
        "has_next": page * per_page < total,
        "spellings": spellings,
        "units": units,
        "similar": similar,
    }


def _shown_name(typed: str, spellings: dict[str, int]) -> str:
    """The heading of a recipient's page: the spelling the reader typed when the archive has it, else the
    one most often written with diacritics in ordinary case (a list in capitals or without accents is
    a way of printing the name, not the name)."""
    if typed.strip() in spellings:
        return typed.strip()
    if not spellings:
        return typed

    def rank(spelling: str) -> tuple[bool, bool, int]:
        return (not spelling.isupper(), not spelling.isascii(), spellings[spelling])

    return max(spellings, key=rank)


def document(conn: sqlite3.Connection, legal_id: int) -> dict[str, Any] | None:
    legal = _row(conn, "select * from legal_documents where id = ?", (legal_id,))
    if legal is None:
        return None
    page = _row(
        conn, "select id, title, url, published_at, removed_at from pages where id = ?", (legal["page_id"],)
    )
    citing = []
    if legal["number"]:
        citing = _rows(
            conn,
            "select p.id, p.title, p.kind, p.published_at, own.id as legal_id, own.number "
            "from citations c join pages p on p.id = c.page_id "
            "left join legal_documents own on own.page_id = p.id "
            "where c.cited_number = ? and c.page_id != ? order by p.published_at desc, p.id",
            (legal["number"], legal["page_id"]),
        )
    cites = _rows(
        conn,
        "select c.cited_number, ld.id as legal_id, cp.title from citations c "
        "left join legal_documents ld on ld.number = c.cited_number "
        "left join pages cp on cp.id = ld.page_id where c.page_id = ? order by c.cited_number",
        (legal["page_id"],),
    )
    files = _rows(
        conn,
        _FILES_OF_PAGE,
        (legal["page_id"],),
    )
    return {"legal": legal, "page": page, "citing": citing, "cites": cites, "files": files}


LAUNCHES_PER_PAGE = 200


def movements(conn: sqlite3.Connection, timeline_sql: str, since: str, page: int) -> dict[str, Any]:
    """A page of every launch (the canned query movements_timeline: one definition), and the movements
    mentioned without any launch date."""
    launches = _rows(
        conn,
        f"select * from ({timeline_sql}) limit :n offset :o",
        {"since": since, "n": LAUNCHES_PER_PAGE, "o": (page - 1) * LAUNCHES_PER_PAGE},
    )
    total = conn.execute(
        "select count(*) from (select 1 from movements where launched_on >= :since "
        "group by launched_on, name_key, launched_by)",
        {"since": since},
    ).fetchone()[0]
    # A movement is undated when none of its rows has a launch date: its rows are the null-launch rows
    # of a name no dated row has. Both sides read ix_movements_launches; grouping every row of the
    # table by name to test max(launched_on) read all of them (bench section 4).
    undated = _rows(
        conn,
        "select min(m.name) as name, m.name_key, count(distinct m.page_id) as mentions, "
        "min(m.page_id) as page_id from movements m where m.launched_on is null and m.name_key not in "
        "(select name_key from movements where launched_on is not null) "
        "group by m.name_key order by mentions desc, name",
    )
    return {
        "launches": launches,
        "total": total,
        "undated": undated,
        "since": since,
        "page": page,
        "per_page": LAUNCHES_PER_PAGE,
        "has_next": page * LAUNCHES_PER_PAGE < total,
    }


def kinds(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return [
        (r[0], r[1]) for r in conn.execute("select kind, count(*) from pages group by kind order by 2 desc")
    ]


def years(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = conn.execute(
        "select substr(published_at, 1, 4) as year, count(*) from pages "
        "where published_at glob '[12][0-9][0-9][0-9]*' group by year order by year desc"
    )
    return [(r[0], r[1]) for r in rows]


def categories(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(slug, menu label) of the site's categories, as the crawl recorded them."""
    return [(r[0], r[1]) for r in conn.execute("select slug, name from categories order by name")]


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """What the home page says the archive holds; every count comes from an index or a small table."""

    def one(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    latest = _rows(
        conn,
        "select id, title, kind, published_at from pages where removed_at is null "
        "order by published_at desc, id limit 8",
    )
    return {
        "pages": one("select count(*) from pages"),
        "files": one("select count(*) from attachments where sha256 is not null"),
        "versions": one("select count(*) from page_versions"),
        "recipients": one("select count(*) from award_recipients"),
        "launches": one("select count(*) from movements where launched_on is not null"),
        "last_run": _row(
            conn,
            "select id, site, mode, started_at, finished_at, status from crawl_runs order by id desc limit 1",
        ),
        "latest": latest,
    }
