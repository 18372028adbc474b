"""Search as a reader asks it: ranked, a page at a time, as fast for a word on most pages as for a rare one.

The ranking: pages whose title holds every word come first, then every other match; newest first
within each (undated pages last, ties in id order). Both lists are read by walking the newest-first
date index (`ix_pages_published_at_id_kind`) and stop after the page asked for, so no request scores
or counts every match of a common word: "thi đua" is on 94% of the pages of the 100,000-page benchmark,
and scoring those with bm25 alone takes longer than the whole page may (bench/notes.md).

Words are matched as typed against the original text and its đ→d copy (`fts_words`), exactly like the
tables' `?_search=`. Counts and facet counts are exact when the search has at most `exact_limit`
matches, which are then all read (a few milliseconds); above that only the index's own count of
matches (exact, and cheap) is given, and with filters no count at all: the pages still go on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from archive.datasette_plugins.tdkt import context_segments, fts_words, marked_segments, query_keys

PAGE_SIZE = 20
# Deep pages cost a walk past every earlier result; a reader who needs more narrows the search.
MAX_RESULTS = 1000
# Up to this many matches a search reads them all: exact counts per filter value, cheap lookups.
EXACT_LIMIT = 2000
# A filtered count of a broad search stops here ("more than 1,000").
COUNT_CAP = 1000
SNIPPET_WIDTH = 240
# The stretch of a body a snippet is looked for in: the first match is nearly always early, and a
# 100-page body must not cost every result's reader.
SNIPPET_SCAN = 20_000
FILE_PREVIEW = 5


@dataclass(frozen=True)
class SearchQuery:
    text: str
    kind: str = ""
    year: str = ""
    category: str = ""
    page: int = 1
    scope: str = "pages"  # or "files": attachments whose text matches

    @property
    def expression(self) -> str:
        return fts_words(self.text)

    @property
    def title_expression(self) -> str:
        return "{title title_folded} : (" + self.expression + ")"

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def has_words(self) -> bool:
        return bool(self.text.split())

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("kind", self.kind), ("year", self.year), ("category", self.category)) if v}


@dataclass
class Result:
    id: int
    title: str
    title_segments: list[tuple[str, bool]]
    url: str
    kind: str
    category: str
    published_at: str | None
    published_raw: str | None
    removed_at: str | None
    in_title: bool
    snippet: list[tuple[str, bool]]


@dataclass
class FileResult:
    id: int
    page_id: int
    page_title: str
    filename: str | None
    extension: str | None
    bytes: int | None
    text_method: str | None
    ocr_confidence: float | None
    snippet: list[tuple[str, bool]]


@dataclass
class Facet:
    name: str
    values: list[tuple[str, int | None]]  # (value, count) — count None when not counted


@dataclass
class SearchPage:
    query: SearchQuery
    results: list[Result] = field(default_factory=list)
    total: int = 0  # matches before the filters (the index's own count: exact)
    count: int | None = None  # matches with the filters; None when it was not counted
    count_is_lower_bound: bool = False  # "more than `count`"
    exact: bool = False  # every match was read: facet counts are exact
    facets: list[Facet] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    files_total: int = 0
    has_next: bool = False

    @property
    def shown_count(self) -> int:
        return self.count if self.count is not None else self.total


def _filter_sql(query: SearchQuery, alias: str = "p") -> tuple[str, dict[str, str]]:
    clauses: list[str] = []
    params: dict[str, str] = {}
    if query.kind:
        # Unary + keeps SQLite on the date index, which holds kind: its kind index would make it read
        # every row of that kind from the wide table and sort them by date.
        clauses.append(f"+{alias}.kind = :kind")
        params["kind"] = query.kind
    if query.category:
        clauses.append(f"{alias}.category = :category")
        params["category"] = query.category
    if query.year:
        # A range on the date index, not substr(): the year's dates are one stretch of it.
        clauses.append(f"{alias}.published_at >= :year_from and {alias}.published_at < :year_to")
        params["year_from"] = query.year
        params["year_to"] = str(int(query.year) + 1)
    return "".join(f" and {c}" for c in clauses), params


def _count(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> int:
    value: int = conn.execute(sql, params).fetchone()[0]
    return value


def run_search(conn: sqlite3.Connection, query: SearchQuery, *, exact_limit: int = EXACT_LIMIT) -> SearchPage:
    """One page of results for `query`; runs inside Datasette's SQL thread (`Database.execute_fn`)."""
    page = SearchPage(query)
    if not query.has_words:
        return _browse(conn, query, page) if query.filters() else page
    params: dict[str, Any] = {"expr": query.expression, "title": query.title_expression}
    page.total = _count(conn, "select count(*) from pages_fts where pages_fts match :expr", params)
    page.files_total = _count(
        conn, "select count(*) from attachments_fts where attachments_fts match :expr", params
    )
    if query.scope == "files":
        page.files = _file_results(conn, query, PAGE_SIZE, query.offset) if page.files_total else []
        page.count = page.files_total
        page.has_next = query.offset + PAGE_SIZE < min(page.files_total, MAX_RESULTS)
        return page
    if page.total <= exact_limit:
        hits = _exact(conn, query, page, params)
    else:
        hits = _broad(conn, query, page, params)
    page.results = _details(conn, query, hits)
    page.files = _file_results(conn, query, FILE_PREVIEW, 0) if query.page == 1 and page.files_total else []
    return page


def _exact(
    conn: sqlite3.Connection, query: SearchQuery, page: SearchPage, params: dict[str, Any]
) -> list[tuple[int, bool]]:
    """Read every match (there are few): exact counts per filter value, then the requested page."""
    page.exact = True
    rows = conn.execute(
        "select p.id, p.published_at, p.kind, p.category from pages p "
        "where p.id in (select rowid from pages_fts where pages_fts match :expr)",
        params,
    ).fetchall()
    in_title = {
        r[0] for r in conn.execute("select rowid from pages_fts where pages_fts match :title", params)
    }
    matches = [
        {"id": r[0], "published_at": r[1], "kind": r[2], "category": r[3], "year": (r[1] or "")[:4]}
        for r in rows
    ]

    def keep(row: dict[str, Any], skip: str = "") -> bool:
        return all(
            row[name] == value
            for name, value in (("kind", query.kind), ("category", query.category), ("year", query.year))
            if value and name != skip
        )

    for name in ("kind", "year", "category"):
        counts: dict[str, int] = {}
        for row in matches:
            if keep(row, skip=name) and row[name]:
                counts[row[name]] = counts.get(row[name], 0) + 1
        order = sorted(
            counts.items(), key=lambda kv: (-int(kv[0]), kv[0]) if name == "year" else (-kv[1], kv[0])
        )
        page.facets.append(Facet(name, [(value, n) for value, n in order]))
    kept = [row for row in matches if keep(row)]
    page.count = len(kept)
    # The broad path's SQL order, written as sort keys: title matches first, then newest first with
    # undated pages last, then id.
    kept.sort(key=lambda row: row["id"])
    kept.sort(key=lambda row: row["published_at"] or "", reverse=True)
    kept.sort(key=lambda row: (row["id"] not in in_title, row["published_at"] is None))
    end = min(query.offset + PAGE_SIZE, MAX_RESULTS)
    page.has_next = end < min(len(kept), MAX_RESULTS)
    return [(row["id"], row["id"] in in_title) for row in kept[query.offset : end]]


_WALK = (
    "select p.id from pages p where +p.id in (select rowid from pages_fts where pages_fts match {match})"
    "{extra}{filters} order by p.published_at desc, p.id limit :n offset :o"
)


def _broad(
    conn: sqlite3.Connection, query: SearchQuery, page: SearchPage, params: dict[str, Any]
) -> list[tuple[int, bool]]:
    """Walk the date index for the title matches, then for the others; stop after the page asked for."""
    filters, filter_params = _filter_sql(query)
    params = {**params, **filter_params}
    # With filters the count is left out: it would read every match once more (page.count stays None
    # and the page shows the index's total of matches before the filters).
    limit = min(PAGE_SIZE, MAX_RESULTS - query.offset)
    if limit <= 0:
        return []
    # One more than the page, to know whether there is a next one.
    wanted = limit + 1
    first = [
        r[0]
        for r in conn.execute(
            _WALK.format(match=":title", extra="", filters=filters),
            {**params, "n": wanted, "o": query.offset},
        )
    ]
    hits = [(page_id, True) for page_id in first]
    if len(first) < wanted:
        if first or query.offset == 0:
            title_count = query.offset + len(first)
        else:
            title_count = _count(
                conn,
                "select count(*) from pages p where +p.id in "
                f"(select rowid from pages_fts where pages_fts match :title){filters}",
                params,
            )
        rest = conn.execute(
            _WALK.format(
                match=":expr",
                extra=" and +p.id not in (select rowid from pages_fts where pages_fts match :title)",
                filters=filters,
            ),
            {**params, "n": wanted - len(first), "o": max(0, query.offset - title_count)},
        )
        hits += [(r[0], False) for r in rest]
    page.has_next = len(hits) > limit and query.offset + limit < MAX_RESULTS
    return hits[:limit]


def _browse(conn: sqlite3.Connection, query: SearchQuery, page: SearchPage) -> SearchPage:
    """No words, only filters: the newest items under them, walked in the date index's order."""
    filters, params = _filter_sql(query)
    limit = min(PAGE_SIZE, MAX_RESULTS - query.offset)
    ids = [
        r[0]
        for r in conn.execute(
            f"select p.id from pages p where 1{filters} "
            "order by p.published_at desc, p.id limit :n offset :o",
            {**params, "n": limit + 1, "o": query.offset},
        )
    ]
    capped = _count(
        conn,
        f"select count(*) from (select 1 from pages p where 1{filters} limit :cap)",
        {**params, "cap": COUNT_CAP + 1},
    )
    page.count = min(capped, COUNT_CAP)
    page.count_is_lower_bound = capped > COUNT_CAP
    page.has_next = len(ids) > limit and query.offset + limit < MAX_RESULTS
    page.results = _details(conn, query, [(page_id, False) for page_id in ids[:limit]])
    return page


def _details(conn: sqlite3.Connection, query: SearchQuery, hits: list[tuple[int, bool]]) -> list[Result]:
    if not hits:
        return []
    ids = [page_id for page_id, _ in hits]
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        "select id, url, title, kind, category, published_at, published_raw, removed_at, summary, "
        f"substr(body_text, 1, {SNIPPET_SCAN}) from pages where id in ({marks})",
        ids,
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    wanted = query_keys(query.text)
    results = []
    for page_id, in_title in hits:
        r = by_id[page_id]
        text = " ".join(part for part in (r[8], r[9]) if part)
        results.append(
            Result(
                id=r[0],
                url=r[1],
                title=r[2],
                title_segments=marked_segments(r[2] or "", wanted),
                kind=r[3],
                category=r[4],
                published_at=r[5],
                published_raw=r[6],
                removed_at=r[7],
                in_title=in_title,
                snippet=context_segments(text, query.text, SNIPPET_WIDTH),
            )
        )
    return results


def _file_results(conn: sqlite3.Connection, query: SearchQuery, limit: int, offset: int) -> list[FileResult]:
    """Attachments whose name or text holds every word, newest download first (highest id)."""
    limit = min(limit, MAX_RESULTS - offset)
    if limit <= 0:
        return []
    rows = conn.execute(
        "select a.id, a.page_id, p.title, a.filename, a.extension, a.bytes, a.text_method, a.ocr_confidence, "
        f"substr(a.text, 1, {SNIPPET_SCAN}) "
        "from (select rowid from attachments_fts where attachments_fts match :expr "
        "order by rowid desc limit :n offset :o) hit "
        "join attachments a on a.id = hit.rowid join pages p on p.id = a.page_id order by a.id desc",
        {"expr": query.expression, "n": limit, "o": offset},
    ).fetchall()
    return [
        FileResult(
            id=r[0],
            page_id=r[1],
            page_title=r[2],
            filename=r[3],
            extension=r[4],
            bytes=r[5],
            text_method=r[6],
            ocr_confidence=r[7],
            snippet=context_segments(r[8], query.text, SNIPPET_WIDTH),
        )
        for r in rows
    ]
