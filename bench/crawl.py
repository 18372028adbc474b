"""Crawl throughput: `tdkt crawl` against `wget --mirror` and a bare Scrapy spider, on one replica server.

Requests are counted by the replica's own request log (the same counter for all three tools), so
"pages/s" is answered requests per second of the tool's wall time, start-up and shutdown included.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import PYTHON, Measured, ReplicaServer, Stat, load_site, mb, replica_server, run_measured

TOOLS = ("tdkt crawl", "bare Scrapy spider", "wget --mirror")
CRAWL_TIMEOUT = 900.0


@dataclass
class ToolRun:
    tool: str
    elapsed: float
    peak_rss: int
    requests: int  # answered by the replica during the run (its log)
    fetched_by: float  # seconds from start to the last request: the rest is post-processing
    stored: int | None = None  # pages the archive holds afterwards (ours only)
    enrich_skipped: bool = False  # stopped once the crawl run was recorded, before enrich
    cpu: float = 0.0  # CPU seconds of the tool's process tree: steadier than wall time on a shared box
    stopped_by_window: bool = False  # a time-boxed run: rates over its first `window` seconds

    @property
    def cpu_per_request_ms(self) -> float:
        return self.cpu / self.requests * 1000 if self.requests else 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    @property
    def fetch_rate(self) -> float:
        return self.requests / self.fetched_by if self.fetched_by else 0.0


@dataclass
class SizeResult:
    items: int
    runs: dict[str, list[ToolRun]] = field(default_factory=dict)
    window: float | None = None

    def stat(self, tool: str, what: str) -> Stat:
        runs = self.runs.get(tool, [])
        if what == "rate":
            return Stat([r.rate for r in runs])
        if what == "rss":
            return Stat([mb(r.peak_rss) for r in runs])
        if what == "elapsed":
            return Stat([r.elapsed for r in runs])
        if what == "fetch_rate":
            return Stat([r.fetch_rate for r in runs])
        if what == "fetched_by":
            return Stat([r.fetched_by for r in runs])
        if what == "cpu_ms":
            return Stat([r.cpu_per_request_ms for r in runs])
        if what == "requests":
            return Stat([float(r.requests) for r in runs])
        raise ValueError(what)

    def ratio(self, tool: str, baseline: str, what: str = "rate") -> Stat:
        """Run-by-run ratio (runs are interleaved, so each pair saw the same machine load)."""
        mine, theirs = self.runs.get(tool, []), self.runs.get(baseline, [])
        if what == "rate":
            return Stat([a.rate / b.rate for a, b in zip(mine, theirs, strict=False) if b.rate])
        if what == "fetch_rate":
            return Stat(
                [a.fetch_rate / b.fetch_rate for a, b in zip(mine, theirs, strict=False) if b.fetch_rate]
            )
        return Stat([a.elapsed / b.elapsed for a, b in zip(mine, theirs, strict=False) if b.elapsed])


def greater_than(n: int) -> str:
    """A regex (POSIX ERE and Python alike: wget has no lookahead) matching the numbers above `n`."""
    digits = str(n)
    options = [f"[1-9][0-9]{{{len(digits)},}}"]  # more digits
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            options.append(digits[:i] + f"[{int(d) + 1}-9]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(" + "|".join(options) + ")"


def endless_deny(server: ReplicaServer) -> str:
    """The one bound the naive tools get: the list whose "next" link never ends is cut a page past its
    real end (ours finds that end by itself). Without it wget and the bare spider never finish."""
    from replica.content import ENDLESS_PAGINATION, PAGE_SIZE

    listed = len(load_site(items=server.items, state=server.state).list_entries(ENDLESS_PAGINATION))
    last = -(-listed // PAGE_SIZE) + 1
    return rf"/{ENDLESS_PAGINATION}/?([?]page=|trang-){greater_than(last)}([^0-9]|$)"


def latest_run_id(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.5) as conn:
            row = conn.execute("select max(id) from crawl_runs").fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


def run_finished(db_path: Path, after_run: int = 0) -> bool:
    """A crawl run newer than `after_run` is recorded as ended (enrich comes after it)."""
    if not db_path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0.5) as conn:
            row = conn.execute(
                "select status from crawl_runs where id > ? order by id desc limit 1", (after_run,)
            ).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] != "running"


class Stopper:
    """When to end a run early: once the crawl run is recorded (before enrich), or after `window` s.

    A windowed run's requests are counted at the moment it is stopped, so requests ÷ window is its rate
    while it ran at full speed (whatever it does while shutting down is not counted).
    """

    def __init__(self, server: ReplicaServer, *, window: float | None, db_path: Path | None = None) -> None:
        self.server = server
        self.window = window
        self.db_path = db_path
        # An archive that already holds runs (a recrawl) must not look finished before this run starts.
        self.after_run = latest_run_id(db_path) if db_path is not None else 0
        self.started = time.perf_counter()
        self.requests_at_stop: int | None = None

    def __call__(self) -> bool:
        if self.db_path is not None and run_finished(self.db_path, self.after_run):
            return True
        if self.window is not None and time.perf_counter() - self.started >= self.window:
            self.requests_at_stop = self.server.logged_requests()
            return True
        return False

    def requests(self, before: int) -> int:
        if self.requests_at_stop is not None:
            return self.requests_at_stop - before
        return _settled_requests(self.server, before)


def _fetched_by(measured: Measured) -> float:
    return measured.last_growth if measured.last_growth is not None else measured.elapsed


def run_ours(
    server: ReplicaServer,
    workdir: Path,
    concurrency: int,
    *,
    full: bool = False,
    timeout: float = CRAWL_TIMEOUT,
    stop_after_crawl: bool = False,
    window: float | None = None,
) -> ToolRun:
    """`tdkt crawl` into a fresh archive in `workdir` (or the one there). With `stop_after_crawl` the
    command is stopped once its crawl run is recorded as finished, before the post-crawl enrich step
    (which resumes on the next run by design)."""
    db_path = workdir / "tdkt.sqlite"
    before = server.logged_requests()
    args = [PYTHON, "-m", "archive.cli", "crawl", "--site", server.base_url, "--db", db_path, "--delay", "0"]
    args += ["--quiet", "--concurrency", str(concurrency)]
    if full:
        args.append("--full")
    stop = Stopper(server, window=window, db_path=db_path if stop_after_crawl else None)
    measured = run_measured(args, timeout=timeout, watch_file=server.log_path, stop_when=stop).check()
    requests = stop.requests(before)
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("select count(*) from pages").fetchone()[0]
    return ToolRun(
        "tdkt crawl",
        measured.elapsed,
        measured.peak_rss,
        requests,
        _fetched_by(measured),
        stored,
        enrich_skipped=measured.stopped_at is not None and stop.requests_at_stop is None,
        cpu=measured.cpu,
        stopped_by_window=stop.requests_at_stop is not None,
    )


def run_bare(
    server: ReplicaServer, workdir: Path, concurrency: int, deny: str, *, window: float | None = None
) -> ToolRun:
    out = workdir / "bare"
    before = server.logged_requests()
    args = [PYTHON, "-m", "bench.bare_spider", "--site", server.base_url, "--out", out]
    args += ["--concurrency", str(concurrency), "--deny", deny]
    stop = Stopper(server, window=window)
    measured = run_measured(args, timeout=CRAWL_TIMEOUT, watch_file=server.log_path, stop_when=stop).check()
    if measured.stopped_at is None:
        json.loads(measured.stdout.strip().splitlines()[-1])  # the spider reached its end
    requests = stop.requests(before)
    return ToolRun(
        "bare Scrapy spider",
        measured.elapsed,
        measured.peak_rss,
        requests,
        _fetched_by(measured),
        cpu=measured.cpu,
        stopped_by_window=stop.requests_at_stop is not None,
    )


def run_wget(server: ReplicaServer, workdir: Path, deny: str, *, window: float | None = None) -> ToolRun:
    out = workdir / "wget"
    before = server.logged_requests()
    args = ["wget", "--mirror", "-e", "robots=on", "--no-verbose", "--no-host-directories", "-P", out]
    args += ["--reject-regex", deny, "--tries", "3", "--timeout", "30", server.base_url]
    stop = Stopper(server, window=window)
    measured = run_measured(args, timeout=CRAWL_TIMEOUT, watch_file=server.log_path, stop_when=stop)
    # 8: "server issued an error response" — the replica's dead links answer 404 on purpose.
    if measured.returncode not in (0, 8):
        measured.check()
    requests = stop.requests(before)
    return ToolRun(
        "wget --mirror",
        measured.elapsed,
        measured.peak_rss,
        requests,
        _fetched_by(measured),
        cpu=measured.cpu,
        stopped_by_window=stop.requests_at_stop is not None,
    )


def _settled_requests(server: ReplicaServer, before: int) -> int:
    """Requests logged since `before`, once the log has stopped growing (its writes may trail the client)."""
    count = server.logged_requests()
    for _ in range(20):
        time.sleep(0.05)
        again = server.logged_requests()
        if again == count:
            break
        count = again
    return count - before


def run_size(
    items: int,
    *,
    repeats: int,
    concurrency: int,
    scratch: Path,
    log: list[str],
    stop_after_crawl: bool = False,
    window: float | None = None,
    port: int | None = None,
    keep_archives: Path | None = None,
) -> SizeResult:
    """Every tool `repeats` times on one replica of `items` items. `window`: time-box each run to that
    many seconds. `keep_archives`: keep each of our runs' archive there (the recrawl section reuses
    them as its first full crawl)."""
    result = SizeResult(items, {tool: [] for tool in TOOLS}, window=window)
    with replica_server(items=items, port=port, log_path=scratch / f"replica-{items}.log") as server:
        deny = endless_deny(server)
        # The replica renders attachments on first request and caches them: one unmeasured pass first,
        # so no measured run pays for the server's work that the others then skip.
        warm = Path(tempfile.mkdtemp(prefix="warm-", dir=scratch))
        try:
            warm_run = run_bare(server, warm, concurrency, deny, window=window * 1.5 if window else None)
        finally:
            shutil.rmtree(warm, ignore_errors=True)
        log.append(f"  {items} items, warm-up pass: {warm_run.requests} requests in {warm_run.elapsed:.1f} s")
        print(log[-1], flush=True)
        for rep in range(repeats):
            # Rotate the order so no tool always runs first or last.
            order = TOOLS[rep % 3 :] + TOOLS[: rep % 3]
            for tool in order:
                workdir = Path(tempfile.mkdtemp(prefix="crawl-", dir=scratch))
                try:
                    if tool == "tdkt crawl":
                        run = run_ours(
                            server, workdir, concurrency, stop_after_crawl=stop_after_crawl, window=window
                        )
                        if keep_archives is not None:
                            shutil.move(workdir, keep_archives / f"run-{rep + 1}")
                    elif tool == "bare Scrapy spider":
                        run = run_bare(server, workdir, concurrency, deny, window=window)
                    else:
                        run = run_wget(server, workdir, deny, window=window)
                finally:
                    shutil.rmtree(workdir, ignore_errors=True)
                result.runs[tool].append(run)
                log.append(
                    f"  {items} items, run {rep + 1}, {tool}: {run.requests} requests in {run.elapsed:.1f} s "
                    f"(last request at {run.fetched_by:.1f} s) = {run.rate:.0f}/s, CPU {run.cpu:.0f} s, "
                    f"peak RSS {mb(run.peak_rss):.0f} MB"
                    + (f", {run.stored} pages stored" if run.stored is not None else "")
                    + (", stopped before enrich" if run.enrich_skipped else "")
                    + (f", time-boxed to {window:.0f} s" if run.stopped_by_window else "")
                )
                print(log[-1], flush=True)
    return result


def report(results: list[SizeResult], concurrency: int) -> list[str]:
    lines = [
        f"All three crawl the same replica server (`tdkt replica` in its own process), `--delay 0`, "
        f"concurrency {concurrency} for both Scrapy crawlers (wget uses one connection), after one "
        "unmeasured warm-up pass (the replica renders each attachment on first request). Requests are "
        "counted by the replica's log. pages/s = requests answered ÷ wall time of the whole command "
        "(start-up, crawl and, for `tdkt crawl`, the post-crawl enrich step); fetch pages/s = requests ÷ "
        "time until the last request; CPU = user + system time of the tool's process tree (steadier "
        "than wall time on this shared machine). Peak RSS: the tool's process tree, polled every 100 ms.",
        "",
        "| items | tool | requests | wall s | last request at s | pages/s | fetch pages/s | CPU ms/request "
        "| peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for tool in TOOLS:
            runs = res.runs.get(tool)
            if not runs:
                continue
            label = tool + (" (stopped before enrich)" if any(r.enrich_skipped for r in runs) else "")
            if any(r.stopped_by_window for r in runs):
                label += f" (first {res.window:.0f} s only)"
            lines.append(
                f"| {res.items:,} | {label} | {res.stat(tool, 'requests').fmt(0)} | "
                f"{res.stat(tool, 'elapsed').fmt(1)} | {res.stat(tool, 'fetched_by').fmt(1)} | "
                f"{res.stat(tool, 'rate').fmt(1)} | {res.stat(tool, 'fetch_rate').fmt(1)} | "
                f"{res.stat(tool, 'cpu_ms').fmt(1)} | {res.stat(tool, 'rss').fmt(0)} |"
            )
    lines.append("")
    for res in results:
        ours = res.runs.get("tdkt crawl", [])
        stopped = any(r.enrich_skipped for r in ours)
        ratio = res.ratio("tdkt crawl", "bare Scrapy spider")
        fetch_ratio = res.ratio("tdkt crawl", "bare Scrapy spider", "fetch_rate")
        wget_ratio = res.ratio("tdkt crawl", "wget --mirror")
        rss = res.stat("tdkt crawl", "rss")
        cpu_ratio = Stat(
            [
                b.cpu_per_request_ms / a.cpu_per_request_ms
                for a, b in zip(ours, res.runs.get("bare Scrapy spider", []), strict=False)
                if a.cpu_per_request_ms
            ]
        )
        verdict = "met" if ratio.values and ratio.median >= 0.66 else "MISSED"
        what = "crawl without enrich" if stopped else "whole command"
        if res.window:
            what = f"first {res.window:.0f} s of each run"
        lines.append(
            f"- {res.items:,} items: `tdkt crawl` pages/s ÷ bare spider's ({what}) = **{ratio.fmt(2, '×')}** "
            f"(target ≥ 0.66×: {verdict}); fetch phase only: {fetch_ratio.fmt(2, '×')}; per CPU second: "
            f"{cpu_ratio.fmt(2, '×')}; ÷ wget's pages/s: {wget_ratio.fmt(2, '×')}; "
            f"peak RSS {rss.fmt(0, ' MB')}"
            + (
                f" (target < 300 MB: {'met' if rss.values and rss.median < 300 else 'MISSED'})"
                if res.items >= 10_000
                else ""
            )
            + "."
        )
    return lines
