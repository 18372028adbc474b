"""Datasette plugin: the archive's Vietnamese folding as SQL functions, a facet by year, and `_search`.

Canned queries call `fold_key(:name)` so "nguyen van an" finds the `name_key` the store derived from
"Nguyễn Văn An" with the very same Python function, never a second SQL approximation of it.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.database import Database, QueryInterrupted
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import BadRequest

from archive.normalize.text import fold_for_search, fold_key


def fold_query(text: str | None) -> str:
    """An FTS5 query for the folded columns: each word quoted (no FTS syntax errors), đ→d.

    Empty input gives '""', which matches nothing instead of raising an FTS syntax error.
    """
    words = [word.replace('"', "") for word in fold_for_search(text).split()]
    quoted = [f'"{word}"' for word in words if word]
    return " ".join(quoted) or '""'


def fts_words(text: str | None) -> str:
    """An FTS5 query of the words as typed, each quoted: tone marks and đ kept, no FTS syntax errors.

    Matched against the original and the đ→d columns alike, "đua" finds only "đua" while "dua" also
    finds "dừa" (README, "Search, with or without diacritics"). Empty input gives '""', which matches
    nothing.
    """
    words = [word.replace('"', "") for word in (text or "").split()]
    quoted = [f'"{word}"' for word in words if word]
    return " ".join(quoted) or '""'


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return fold_key(word)


def query_keys(query: str | None) -> frozenset[str]:
    """The folded words of a query, as `context_segments` compares them."""
    return frozenset(_word_key(word) for word in _WORD.findall(query or ""))


def marked_segments(text: str, wanted: frozenset[str]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is a query word) pairs: every word whose fold_key is wanted is marked."""
    segments: list[tuple[str, bool]] = []
    cursor = 0
    for match in _WORD.finditer(text):
        if _word_key(match.group()) in wanted:
            if match.start() > cursor:
                segments.append((text[cursor : match.start()], False))
            segments.append((match.group(), True))
            cursor = match.end()
    if cursor < len(text):
        segments.append((text[cursor:], False))
    return segments


def context_segments(text: str | None, query: str | None, width: int = 160) -> list[tuple[str, bool]]:
    """The stretch of the original text around the first query word, as (piece, is a match) pairs.

    FTS5's snippet() can only show the copy the query matched (for "thi dua", the đ→d copy); this reads
    the original text and compares words by fold_key, so accents are shown as published. A leading or
    trailing "…" is its own unmarked piece.
    """
    if not text:
        return []
    wanted = query_keys(query)
    first = next((m for m in _WORD.finditer(text) if _word_key(m.group()) in wanted), None)
    if first is None:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    # Start on a word boundary a little before the first match.
    start = text.rfind(" ", 0, max(0, first.start() - width // 3)) + 1
    end = min(len(text), start + width)
    # A word cut by the window's end is left out rather than shown in part.
    if end < len(text) and text[end - 1 : end + 1].isalnum():
        end = max(first.end(), text.rfind(" ", start, end))
    segments = marked_segments(text[start:end], wanted)
    return ([("…", False)] if start else []) + segments + ([("…", False)] if end < len(text) else [])


def search_context(text: str | None, query: str | None, width: int = 160) -> str | None:
    """`context_segments` as one string with the matches marked «like this» (the canned search's column)."""
    if not text:
        return None
    return "".join(f"«{piece}»" if hit else piece for piece, hit in context_segments(text, query, width))


# Canned queries fold a column on every row (`fold_key(a.conferred_by)`), and those columns repeat a
# few values over and over: 15,000 awards name 5 authorities, 106,000 citations 12,000 numbers.
# Folding is pure, so a cache returns the very same keys ~10x faster (bench section 4).
_cached_fold_key = functools.lru_cache(maxsize=65536)(fold_key)
_cached_fold_for_search = functools.lru_cache(maxsize=65536)(fold_for_search)

# Reads through a memory map instead of copying each page into SQLite's small cache: a search for a
# common word ("thi đua" is on most pages) visits tens of thousands of wide `pages` rows, and this
# halved it (850 -> 440 ms at 100,000 pages, bench/notes.md). Address space only: nothing is loaded.
MMAP_BYTES = 4 * 1024**3


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    conn.create_function("fold_key", 1, _cached_fold_key, deterministic=True)
    conn.create_function("fold_for_search", 1, _cached_fold_for_search, deterministic=True)
    conn.create_function("fold_query", 1, fold_query, deterministic=True)
    conn.create_function("fts_words", 1, fts_words, deterministic=True)
    conn.create_function("search_context", 2, search_context, deterministic=True)


class YearFacet(Facet):
    """Counts per year of an ISO date column (`{"year": "published_at"}`); picks filter by prefix."""

    type = "year"

    async def suggest(self) -> list[dict[str, Any]]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        facet_results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        args = dict(self.get_querystring_pairs())
        facet_size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            facet_sql = f"""
                select substr({col}, 1, 4) as value, count(*) as count from ({self.sql})
                where {col} glob '[12][0-9][0-9][0-9]*'
                group by value order by value desc limit {facet_size + 1}
            """
            try:
                rows = await self.ds.execute(
                    self.database,
                    facet_sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            filter_key = f"{column}__startswith"
            values = []
            for row in rows.rows[:facet_size]:
                selected = args.get(filter_key) == row["value"]
                if selected:
                    toggle_path = path_with_removed_args(self.request, {filter_key: row["value"]})
                else:
                    toggle_path = path_with_added_args(self.request, {filter_key: row["value"]})
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, toggle_path),
                        "selected": selected,
                    }
                )
            facet_results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
                    "truncated": len(rows.rows) > facet_size,
                }
            )
        return facet_results, timed_out


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [YearFacet]


# -- search ----------------------------------------------------------------------------------------
#
# `?_search=` on a table whose metadata names its index as plugins.tdkt {"fts_table", "fts_pk"} (and not
# as Datasette's own `fts_table`, whose filter would then add a second clause). The query string is
# Datasette's: `_search`, or `_search_<column>` for one column, `_searchmode=raw|escaped` over the
# table's `searchmode`; the rows matched are Datasette's too, `pk in (select rowid from fts where ...)`.
#
# What differs is one character, for searches that match most of the table. Datasette's clause makes
# SQLite look every match up by primary key, in the rows query, the count and each facet: for
# "thi đua", on 94% of the pages, that is five passes over 94,000 wide rows. Written `+pk in (...)`, the
# same test is applied while SQLite walks a narrow index instead: the date index for the newest rows
# (stopping after a page of them), the kind or category index for a facet (bench section 4). For a
# narrow search the lookups are cheaper than any walk, so the form is chosen per search, from a count
# of its matches in the full-text index alone (a few milliseconds).
BROAD_SEARCH_SHARE = 0.3  # of the table's rows; where the walk starts to beat the lookups (measured)


@hookimpl(trylast=True)  # after Datasette's own search filter, so that `supports_search` here stands
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    config = datasette.plugin_config("tdkt", database=database, table=table, fallback=False) or {}
    fts_table = config.get("fts_table")
    if not fts_table:
        return None

    async def inner() -> FilterArguments:
        db = datasette.get_database(database)
        fts_pk = escape_sqlite(config.get("fts_pk", "rowid"))
        raw = datasette.table_metadata(database, table).get("searchmode") == "raw"
        if request.args.get("_searchmode") in ("raw", "escaped"):
            raw = request.args.get("_searchmode") == "raw"
        searches = {
            k: request.args[k] for k in request.args if k.startswith("_search") and k != "_searchmode"
        }
        if "_search" in searches:  # as in Datasette: the all-columns search wins over column searches
            searches = {"_search": searches["_search"]}
        where: list[str] = []
        params: dict[str, str] = {}
        descriptions: list[str] = []
        context: dict[str, Any] = {"supports_search": True}
        for i, (key, text) in enumerate(searches.items()):
            if key == "_search":
                target, param, description = fts_table, "search", f'search matches "{text}"'
            else:
                column = key.removeprefix("_search_")
                if column not in await db.table_columns(fts_table):
                    raise BadRequest("Cannot search by that column")
                target, param = column, f"search_{i}"
                description = f'search column "{column}" matches "{text}"'
            match = f":{param}" if raw else f"escape_fts(:{param})"
            matching = (
                f"select rowid from {escape_sqlite(fts_table)} where {escape_sqlite(target)} match {match}"
            )
            broad = await is_broad_search(db, table, matching, {param: text})
            where.append(f"{'+' if broad else ''}{fts_pk} in ({matching})")
            params[param] = text
            descriptions.append(description)
            context["search"] = text
        return FilterArguments(where, params, descriptions, context)

    return inner


async def is_broad_search(db: Database, table: str, matching: str, params: dict[str, str]) -> bool:
    """Whether a search matches more than BROAD_SEARCH_SHARE of the table's rows.

    Rows are counted as the largest rowid: exact for pages (never deleted), an over-count for tables
    that are re-derived, which only keeps more searches on Datasette's own plan.
    """
    try:
        rows = (await db.execute(f"select max(rowid) from {escape_sqlite(table)}")).first()[0] or 0
        threshold = int(BROAD_SEARCH_SHARE * rows)
        # Counting stops one past the threshold: a common word need not be counted to its end.
        counted = await db.execute(
            f"select count(*) from (select 1 from ({matching}) limit :tdkt_cap)",
            {**params, "tdkt_cap": threshold + 1},
        )
    except (sqlite3.Error, QueryInterrupted):
        return False  # a malformed raw query: the rows query reports it, as Datasette would
    return bool(counted.first()[0] > threshold)
