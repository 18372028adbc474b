"""Search at scale: an archive of 100,000 pages served by Datasette; latency over HTTP of `_search` on
`pages` and of every canned query, and the archive's size on disk with the full-text index's share.

The archive is built by `bench.bulkload` from the content of `replica.build_site(items=N)`: the rows
`ArchiveStore.save_page` and `enrich_archive` would write, written in bulk (crawling, or the store's
one-transaction-per-page path, would take far more than the benchmark's budget at 100,000 pages).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Stat, percentile

SITE = "http://tdkt.thaibinh.gov.vn"
SEARCHES = [
    "thi đua",
    "thi dua",
    "khen thưởng",
    "khen thuong",
    "huân chương lao động",
    "huan chuong lao dong",
]
# "as served": the table page a reader opens, with its match count and the configured facets (kind,
# category, year), as HTML and as JSON. "API": what a program asks for (the README's Python example):
# `_shape=array` rows, for which Datasette computes neither count nor facets. JSON only.
VARIANTS = {"as served": ({}, ("json", "html")), "API _shape=array": ({"_shape": "array"}, ("json",))}
# A request slower than this on its warm-up is timed once per server start, not `rounds` times, so a
# slow configuration cannot blow the benchmark's time budget (its n is reported).
SLOW_MS = 1500.0
# Values for the canned queries' parameters (a query's other parameters stay empty: "all").
PARAMETERS = {
    "q": "thi đua",
    "name": None,  # filled with a recipient the archive holds
    "authority": "thu tuong",
    "number": "06/2022/QH15",
    "since": "2025-01-01",
    "extension": "pdf",
    "kind": "notice",
    "year": "",
}
TARGET_P95_MS = 50.0
TARGET_MB_PER_1000 = 10.7  # issue 14: the archive's size per 1,000 pages when the reading room came


# -- building the archive --------------------------------------------------------------------------------


def build_archive(db_path: Path, items: int) -> dict[str, float]:
    """The archive of a replica of `items` items; returns the seconds it took."""
    from bench import bulkload

    started = time.perf_counter()
    bulkload.load(db_path, bulkload.page_items(items))
    return {"build": time.perf_counter() - started}


# -- size on disk ----------------------------------------------------------------------------------------


@dataclass
class Size:
    pages: int
    file_bytes: int
    by_object: dict[str, int]  # bytes per table/index from dbstat

    @property
    def fts_bytes(self) -> int:
        return sum(size for name, size in self.by_object.items() if "_fts" in name)

    @property
    def pages_fts_bytes(self) -> int:
        return sum(size for name, size in self.by_object.items() if name.startswith("pages_fts"))


def measure_size(db_path: Path) -> Size:
    with sqlite3.connect(db_path) as conn:
        pages = conn.execute("select count(*) from pages").fetchone()[0]
        try:
            rows = conn.execute("select name, sum(pgsize) from dbstat group by name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat: count pages per b-tree instead
            rows = []
    wal = db_path.with_name(db_path.name + "-wal")
    total = db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return Size(pages, total, {name: int(size) for name, size in rows})


# -- latency ---------------------------------------------------------------------------------------------


@dataclass
class Latencies:
    by_name: dict[str, list[float]] = field(default_factory=dict)  # ms, every request
    rows: dict[str, int] = field(default_factory=dict)

    def all(self, prefix: str) -> list[float]:
        return [v for name, values in self.by_name.items() if name.startswith(prefix) for v in values]


def _get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000, body


def canned_queries(database: str) -> dict[str, list[str]]:
    """Each canned query of datasette_metadata.json with the parameters its SQL names."""
    from archive.publish import load_metadata

    queries = load_metadata().get("databases", {}).get("archive", {}).get("queries", {})
    out: dict[str, list[str]] = {}
    for name, query in queries.items():
        sql = query["sql"] if isinstance(query, dict) else query
        out[name] = sorted(set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql)))
    return out


def _recipient_name(db_path: Path) -> str:
    with sqlite3.connect(db_path) as conn:
        try:
            row = conn.execute(
                "select name from award_recipients where kind = 'individual' group by name_key "
                "order by count(*) desc limit 1"
            ).fetchone()
        except sqlite3.OperationalError:
            row = None
    return row[0] if row else "Nguyễn Văn An"


def _item_ids(db_path: Path) -> dict[str, int]:
    """Pages of each shape a reader opens: the one with most files, most recipients, and a plain one."""
    picks = {
        "files": "select page_id from attachments group by page_id order by count(*) desc limit 1",
        "recipients": "select page_id from award_recipients group by page_id order by count(*) desc limit 1",
        "plain": "select id from pages order by id limit 1 offset (select count(*) / 2 from pages)",
    }
    out: dict[str, int] = {}
    with sqlite3.connect(db_path) as conn:
        for name, sql in picks.items():
            try:
                row = conn.execute(sql).fetchone()
            except sqlite3.OperationalError:
                row = None
            if row:
                out[name] = row[0]
    return out


def room_targets(base_url: str, recipient: str, items: dict[str, int]) -> dict[str, str]:
    """The reading room's pages as a reader's browser asks them (issue 14's targets)."""
    targets: dict[str, str] = {}
    for words in SEARCHES:
        query = urllib.parse.urlencode({"q": words})
        targets[f"room /search html: {words}"] = f"{base_url}/search?{query}"
        targets[f"room /search.json: {words}"] = f"{base_url}/search.json?{query}"
    for shape, page_id in items.items():
        targets[f"room /item ({shape})"] = f"{base_url}/item/{page_id}"
    targets["room /recipient"] = f"{base_url}/recipient?" + urllib.parse.urlencode({"name": recipient})
    targets["room /movements since 2020"] = f"{base_url}/movements?since=2020"
    targets["room /feed.atom"] = f"{base_url}/feed.atom"
    targets["room /feed.atom search"] = f"{base_url}/feed.atom?q=thi+dua"
    targets["room / (home)"] = f"{base_url}/"
    return targets


def search_targets(base_url: str, database: str, recipient: str) -> dict[str, str]:
    targets: dict[str, str] = {}
    for variant, (extra, formats) in VARIANTS.items():
        for fmt in formats:
            for words in SEARCHES:
                query = urllib.parse.urlencode({"_search": words, "_size": "20", **extra})
                suffix = ".json" if fmt == "json" else ""
                targets[f"_search {variant} {fmt}: {words}"] = f"{base_url}/{database}/pages{suffix}?{query}"
    params = dict(PARAMETERS, name=recipient)
    for name, names in canned_queries(database).items():
        values = {key: params.get(key) or "" for key in names}
        query = urllib.parse.urlencode(values)
        targets[f"canned: {name}"] = f"{base_url}/{database}/{name}.json?{query}"
    return targets


def measure_latency(base_url: str, db_path: Path, rounds: int) -> Latencies:
    result = Latencies()
    recipient = _recipient_name(db_path)
    targets = search_targets(base_url, db_path.stem, recipient)
    targets |= room_targets(base_url, recipient, _item_ids(db_path))
    warm: dict[str, float] = {}
    for name, url in targets.items():  # warm the page cache and Datasette's connections once
        warm[name], body = _get(url)
        if url.split("?")[0].endswith(".json"):
            data = json.loads(body)
            result.rows[name] = len(
                data if isinstance(data, list) else data.get("rows", data.get("results", []))
            )
    for round_no in range(rounds):
        for name, url in targets.items():
            if round_no > 0 and warm[name] > SLOW_MS:
                continue
            ms, _ = _get(url)
            result.by_name.setdefault(name, []).append(ms)
    return result


@dataclass
class SearchResult:
    items: int
    build: dict[str, float]
    size: Size
    latencies: list[Latencies]  # one per server start (fresh process, cold connections)


def run(*, items: int, repeats: int, rounds: int, scratch: Path, log: list[str]) -> SearchResult:
    from archive.publish import running_datasette

    db_path = scratch / "search" / "archive.sqlite"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    build = build_archive(db_path, items)
    log.append(f"  built the {items:,}-item archive in {build['build']:.0f} s")
    print(log[-1], flush=True)
    size = measure_size(db_path)
    latencies = []
    for _ in range(repeats):
        with running_datasette(db_path) as base_url:
            latencies.append(measure_latency(base_url, db_path, rounds))
        log.append(
            f"  datasette start {len(latencies)}: {sum(map(len, latencies[-1].by_name.values()))} requests"
        )
        print(log[-1], flush=True)
    return SearchResult(items, build, size, latencies)


def _pcts(values: list[float]) -> tuple[float, float]:
    return percentile(values, 0.5), percentile(values, 0.95)


def report(result: SearchResult) -> list[str]:
    size = result.size
    per_1000 = size.file_bytes / max(size.pages, 1) * 1000
    lines = [
        f"Archive of {size.pages:,} pages built by `bench.bulkload` from `replica.build_site"
        f"(items={result.items:,})` content: the rows `save_page` + `enrich_archive` write, written in bulk "
        f"({result.build['build']:.0f} s; not crawled). Datasette started "
        f"{len(result.latencies)}× exactly as `tdkt serve` runs it; each start: one warm-up request per URL, "
        "then timed rounds. "
        "Latency = wall time of a urllib GET on loopback, body read.",
        "",
        f"Size on disk: {size.file_bytes / 1e6:,.1f} MB for {size.pages:,} pages = "
        f"**{per_1000 / 1e6:.2f} MB per 1,000 pages**; full-text index tables (all `*_fts*`): "
        f"{size.fts_bytes / 1e6:,.1f} MB = **{size.fts_bytes / max(size.file_bytes, 1):.0%}** of the file "
        f"(`pages_fts*` alone {size.pages_fts_bytes / max(size.file_bytes, 1):.0%}: its index only, the text "
        "is read from `pages`, see archive/db.py). Target ≤ "
        f"{TARGET_MB_PER_1000:.1f} MB per 1,000 pages: "
        f"{'met' if per_1000 / 1e6 <= TARGET_MB_PER_1000 else 'MISSED'}.",
        "",
        "Largest objects (dbstat):",
        "",
        "| object | MB | share |",
        "|---|---|---|",
    ]
    for name, n_bytes in sorted(size.by_object.items(), key=lambda kv: -kv[1])[:8]:
        lines.append(f"| {name} | {n_bytes / 1e6:,.1f} | {n_bytes / max(size.file_bytes, 1):.0%} |")
    lines += [
        "",
        "Latency in ms: median over the server starts of each start's p50 / p95 (min–max over starts); "
        f"n = timed requests in all (a URL slower than {SLOW_MS:.0f} ms on its warm-up is timed once per "
        "start). `_search` on the `pages` table page, 20 rows, as JSON and as the HTML page a reader sees; "
        "canned queries as JSON with realistic parameters.",
        "",
        "| request | rows | n | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    names = list(result.latencies[0].by_name)
    groups = [
        (f"all `_search`, {variant} ({' + '.join(formats)})", f"_search {variant} ")
        for variant, (_, formats) in VARIANTS.items()
    ]
    groups.append(("all canned queries", "canned: "))
    groups.append(("reading room: all /search (html + json), target < 50", "room /search"))
    groups.append(("reading room: all /item, target < 30", "room /item"))
    groups.append(("reading room: every page", "room "))
    for label, prefix in groups:
        p50 = Stat([_pcts(lat.all(prefix))[0] for lat in result.latencies])
        p95 = Stat([_pcts(lat.all(prefix))[1] for lat in result.latencies])
        count = sum(len(lat.all(prefix)) for lat in result.latencies)
        lines.append(f"| **{label}** | | {count} | {p50.fmt(1)} | **{p95.fmt(1)}** |")
    for name in names:
        p50 = Stat([_pcts(lat.by_name[name])[0] for lat in result.latencies])
        p95 = Stat([_pcts(lat.by_name[name])[1] for lat in result.latencies])
        rows = result.latencies[0].rows.get(name, "")
        count = sum(len(lat.by_name[name]) for lat in result.latencies)
        lines.append(f"| {name} | {rows} | {count} | {p50.fmt(1)} | {p95.fmt(1)} |")
    search_p95 = Stat([_pcts(lat.all("_search as served "))[1] for lat in result.latencies])
    api_p95 = Stat([_pcts(lat.all("_search API _shape=array "))[1] for lat in result.latencies])
    canned_p95 = Stat([_pcts(lat.all("canned: "))[1] for lat in result.latencies])
    slow = [
        name
        for name in names
        if Stat([_pcts(lat.by_name[name])[1] for lat in result.latencies]).median >= TARGET_P95_MS
    ]
    lines += [
        "",
        f"Target p95 < {TARGET_P95_MS:.0f} ms: `_search` as served {search_p95.median:.1f} ms "
        f"({'met' if search_p95.median < TARGET_P95_MS else 'MISSED'}); as the JSON API's rows "
        f"{api_p95.median:.1f} ms ({'met' if api_p95.median < TARGET_P95_MS else 'MISSED'}); "
        "canned queries "
        f"{canned_p95.median:.1f} ms ({'met' if canned_p95.median < TARGET_P95_MS else 'MISSED'})."
        + (f" Requests with p95 ≥ {TARGET_P95_MS:.0f} ms: {', '.join(slow)}." if slow else ""),
    ]
    return lines
