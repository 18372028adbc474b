"""Recrawl cost: after a full crawl of the replica's state 1, an incremental run and a `--full` run on its
state 2 ("a few weeks later": new, edited and removed items), as ratios of the first full crawl.

The first full crawls are the crawl section's runs of `tdkt crawl` (same replica size, same port). The
server is restarted in state 2 on that port, so the archive's URLs stay the same. Both later runs start
from their own copy of a state-1 archive, so neither sees what the other did. Every run is stopped once
its crawl run is recorded, before the post-crawl enrich step, so times compare crawling with crawling.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Stat, replica_server
from bench.crawl import ToolRun, run_ours


@dataclass
class RecrawlRun:
    first: ToolRun
    incremental: ToolRun
    full: ToolRun
    first_db_requests: int
    incremental_db_requests: int
    full_db_requests: int
    new_found: int  # state-2 new items the incremental run stored
    new_total: int


@dataclass
class RecrawlResult:
    items: int
    runs: list[RecrawlRun] = field(default_factory=list)

    def ratio(self, which: str, what: str) -> Stat:
        values = []
        for run in self.runs:
            later: ToolRun = getattr(run, which)
            if what == "requests":
                values.append(later.requests / run.first.requests)
            else:
                values.append(later.elapsed / run.first.elapsed)
        return Stat(values)


def _db_requests(db_path: Path, run: int | None = None) -> int:
    """`crawl_runs.requests` of run `run` (default: the newest): the crawler's own count."""
    with sqlite3.connect(db_path) as conn:
        if run is None:
            row = conn.execute("select requests from crawl_runs order by id desc limit 1").fetchone()
        else:
            row = conn.execute("select requests from crawl_runs where id = ?", (run,)).fetchone()
    return int(row[0] or 0) if row else 0


def _stored_urls(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute("select url from pages")}


def run_once(
    items: int, first: ToolRun, archive: Path, port: int, concurrency: int, scratch: Path
) -> RecrawlRun:
    from replica.content import build_model

    base = Path(tempfile.mkdtemp(prefix="recrawl-", dir=scratch))
    try:
        inc_dir, full_dir = base / "incremental", base / "full"
        # Copies of the closed archive (with its WAL, if any, and its files/ folder).
        shutil.copytree(archive, inc_dir)
        shutil.copytree(archive, full_dir)
        log_path = scratch / f"recrawl-{port}.log"
        with replica_server(items=items, state=2, port=port, log_path=log_path) as server:
            incremental = run_ours(server, inc_dir, concurrency, stop_after_crawl=True)
            full = run_ours(server, full_dir, concurrency, full=True, stop_after_crawl=True)
            base_url = server.base_url.rstrip("/")
        new_paths = build_model(items=items, state=2).changes["new"]
        stored = {url.split("?")[0] for url in _stored_urls(inc_dir / "tdkt.sqlite")}
        found = sum(1 for path in new_paths if base_url + path in stored)
        return RecrawlRun(
            first=first,
            incremental=incremental,
            full=full,
            first_db_requests=_db_requests(archive / "tdkt.sqlite", run=1),
            incremental_db_requests=_db_requests(inc_dir / "tdkt.sqlite"),
            full_db_requests=_db_requests(full_dir / "tdkt.sqlite"),
            new_found=found,
            new_total=len(new_paths),
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run(
    *,
    items: int,
    firsts: list[tuple[ToolRun, Path]],
    port: int,
    concurrency: int,
    scratch: Path,
    log: list[str],
) -> RecrawlResult:
    """`firsts`: the crawl section's full crawls of state 1 (run, archive), made on `port`."""
    result = RecrawlResult(items)
    for rep, (first, archive) in enumerate(firsts):
        one = run_once(items, first, archive, port, concurrency, scratch)
        result.runs.append(one)
        log.append(
            f"  recrawl run {rep + 1}: first {one.first.requests} req / {one.first.elapsed:.1f} s; "
            f"incremental {one.incremental.requests} req / {one.incremental.elapsed:.1f} s "
            f"({one.new_found}/{one.new_total} new items found); full {one.full.requests} req / "
            f"{one.full.elapsed:.1f} s"
        )
        print(log[-1], flush=True)
    return result


def report(result: RecrawlResult) -> list[str]:
    inc_req = result.ratio("incremental", "requests")
    lines = [
        f"Replica of {result.items:,} items: full crawl of state 1, then the server restarts in state 2 "
        "(~30 new, ~12 edited, ~6 removed items) and each later run starts from a copy of that archive "
        "(all runs stopped before the enrich step). "
        "Requests counted by the replica's log (the crawler's own `crawl_runs.requests` in brackets).",
        "",
        "| run | requests | wall s | requests ÷ first | time ÷ first |",
        "|---|---|---|---|---|",
    ]

    def row(label: str, which: str, db_attr: str) -> str:
        reqs = Stat([float(getattr(r, which).requests) for r in result.runs])
        db = Stat([float(getattr(r, db_attr)) for r in result.runs])
        secs = Stat([getattr(r, which).elapsed for r in result.runs])
        if which == "first":
            return f"| {label} | {reqs.fmt(0)} [{db.median:,.0f}] | {secs.fmt(1)} | 1 | 1 |"
        return (
            f"| {label} | {reqs.fmt(0)} [{db.median:,.0f}] | {secs.fmt(1)} | "
            f"{result.ratio(which, 'requests').fmt(3)} | {result.ratio(which, 'elapsed').fmt(3)} |"
        )

    lines.append(row("first full crawl (state 1)", "first", "first_db_requests"))
    lines.append(row("incremental (state 2)", "incremental", "incremental_db_requests"))
    lines.append(row("`--full` (state 2)", "full", "full_db_requests"))
    found = [f"{r.new_found}/{r.new_total}" for r in result.runs]
    lines += [
        "",
        f"Incremental requests ÷ first full crawl: **{inc_req.fmt(3)}** (target ≤ 0.15: "
        f"{'met' if inc_req.values and inc_req.median <= 0.15 else 'MISSED'}); new items the incremental "
        f"run archived, per run: {', '.join(found)}.",
    ]
    return lines
