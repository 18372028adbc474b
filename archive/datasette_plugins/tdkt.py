"""Datasette plugin: the archive's Vietnamese folding as SQL functions, and a facet by year.

Canned queries call `fold_key(:name)` so "nguyen van an" finds the `name_key` the store derived from
"Nguyễn Văn An" with the very same Python function, never a second SQL approximation of it.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from archive.normalize.text import fold_for_search, fold_key


def fold_query(text: str | None) -> str:
    """An FTS5 query for the folded columns: each word quoted (no FTS syntax errors), đ→d.

    Empty input gives '""', which matches nothing instead of raising an FTS syntax error.
    """
    words = [word.replace('"', "") for word in fold_for_search(text).split()]
    quoted = [f'"{word}"' for word in words if word]
    return " ".join(quoted) or '""'


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return fold_key(word)


def search_context(text: str | None, query: str | None, width: int = 160) -> str | None:
    """The stretch of the original text around the first query word, matches marked «like this».

    FTS5's snippet() can only show the folded copy the query matched (đ written as d); this reads
    the original text and compares words by fold_key, so accents are shown as published.
    """
    if not text:
        return None
    wanted = {_word_key(word) for word in _WORD.findall(query or "")}
    first = next((m for m in _WORD.finditer(text) if _word_key(m.group()) in wanted), None)
    if first is None:
        return text[:width] + ("…" if len(text) > width else "")
    # Start on a word boundary a little before the first match.
    start = text.rfind(" ", 0, max(0, first.start() - width // 3)) + 1
    end = min(len(text), start + width)
    hits = [m for m in _WORD.finditer(text, start, end) if _word_key(m.group()) in wanted]
    start = max(0, hits[0].start() - width // 3)
    end = min(len(text), start + width)
    parts, cursor = [], start
    for hit in hits:
        if hit.start() < start or hit.end() > end:
            continue
        parts += [text[cursor : hit.start()], "«", hit.group(), "»"]
        cursor = hit.end()
    parts.append(text[cursor:end])
    return ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")


# Canned queries fold a column on every row (`fold_key(a.conferred_by)`), and those columns repeat a
# few values over and over: 15,000 awards name 5 authorities, 106,000 citations 12,000 numbers.
# Folding is pure, so a cache returns the very same keys ~10x faster (bench section 4).
_cached_fold_key = functools.lru_cache(maxsize=65536)(fold_key)
_cached_fold_for_search = functools.lru_cache(maxsize=65536)(fold_for_search)

# Reads through a memory map instead of read() into SQLite's small page cache: a search for a common
# word ("thi đua" is on most pages) visits tens of thousands of wide `pages` rows, and copying each
# 4 KiB page is most of its time (bench section 4). Address space only: nothing is loaded up front.
MMAP_BYTES = 4 * 1024**3


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    conn.create_function("fold_key", 1, _cached_fold_key, deterministic=True)
    conn.create_function("fold_for_search", 1, _cached_fold_for_search, deterministic=True)
    conn.create_function("fold_query", 1, fold_query, deterministic=True)
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
