"""A pyinstrument profile of `tdkt crawl` on the replica: where the crawler's process spends its time.

Reported two ways: the 10 functions with the most self time (where the CPU actually is), and the time
per package (which layer pays: our store, SQLAlchemy, Scrapy/Twisted, lxml…). Attachment text is
extracted in child processes, which pyinstrument does not follow; their cost shows as waiting.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import PYTHON, mb, replica_server, run_measured
from bench.crawl import run_finished

SAMPLE_INTERVAL = 0.005  # seconds; coarser than pyinstrument's 1 ms default to keep its overhead low


@dataclass
class ProfileResult:
    items: int
    stopped_before_enrich: bool
    elapsed: float
    peak_rss: int
    pages: int
    duration: float  # seconds the profiler recorded
    top_self: list[tuple[str, float]]  # (function at file:line, seconds)
    top_total: list[tuple[str, float]]  # our own functions by inclusive time
    by_package: list[tuple[str, float]]
    text_path: Path | None


def _package(file_path: str) -> str:
    path = file_path.replace("\\", "/")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    for own in ("archive", "scraper", "replica", "bench"):
        if f"/{own}/" in path or path.startswith(f"{own}/"):
            return f"{own} (ours)"
    if "/lib/python" in path or path.startswith("<frozen"):
        return "python stdlib"
    return "other"


def _walk(frame: Any) -> Any:
    stack = [frame]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def summarize(session_path: Path, top: int = 10) -> tuple[float, list[Any], list[Any], list[Any]]:
    from pyinstrument.session import Session

    session = Session.load(str(session_path))
    root = session.root_frame()
    if root is None:
        return 0.0, [], [], []
    by_function: dict[str, float] = {}
    by_package: dict[str, float] = {}
    inclusive: dict[str, float] = {}
    for frame in _walk(root):
        self_time = frame.total_self_time
        where = f"`{frame.function}` {frame.file_path_short}:{frame.line_no}"
        by_function[where] = by_function.get(where, 0.0) + self_time
        package = _package(frame.file_path or "")
        by_package[package] = by_package.get(package, 0.0) + self_time
        if package.endswith("(ours)") and not frame.is_synthetic:
            # Inclusive time, counted once per call path: recursion would double-count, so skip a
            # frame whose ancestors hold the same function.
            parent, recursive = frame.parent, False
            while parent is not None:
                if parent.function == frame.function and parent.file_path == frame.file_path:
                    recursive = True
                    break
                parent = parent.parent
            if not recursive:
                inclusive[where] = inclusive.get(where, 0.0) + frame.time
    ranked = sorted(by_function.items(), key=lambda kv: -kv[1])[:top]
    ours = sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]
    packages = sorted(by_package.items(), key=lambda kv: -kv[1])
    return root.time, ranked, ours, packages


def run(
    *,
    items: int,
    concurrency: int,
    scratch: Path,
    out_dir: Path | None,
    log: list[str],
    stop_after_crawl: bool = False,
) -> ProfileResult:
    workdir = Path(tempfile.mkdtemp(prefix="profile-", dir=scratch))
    try:
        session_path = workdir / "crawl.pyisession"
        db_path = workdir / "tdkt.sqlite"
        with replica_server(items=items, log_path=scratch / f"profile-{items}.log") as server:
            args = [PYTHON, "-m", "pyinstrument", "-i", str(SAMPLE_INTERVAL), "-r", "pyisession"]
            args += ["-o", session_path, "-m", "archive.cli", "crawl", "--site", server.base_url]
            args += ["--db", db_path, "--delay", "0", "--quiet", "--concurrency", str(concurrency)]
            stop = (lambda: run_finished(db_path)) if stop_after_crawl else None
            # SIGINT: pyinstrument catches the KeyboardInterrupt and still writes its session.
            measured = run_measured(args, timeout=1200, stop_when=stop, stop_signal=signal.SIGINT).check()
        with sqlite3.connect(db_path) as conn:
            pages = conn.execute("select count(*) from pages").fetchone()[0]
        duration, top_self, top_total, by_package = summarize(session_path)
        text_path = None
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            text_path = out_dir / f"profile-crawl-{items}.txt"
            rendered = run_measured(
                [
                    PYTHON,
                    "-m",
                    "pyinstrument",
                    "--load",
                    session_path,
                    "-r",
                    "text",
                    "--no-color",
                    "-o",
                    text_path,
                ],
                timeout=300,
            )
            if rendered.returncode != 0:
                text_path = None
        log.append(f"  profiled crawl of {items:,} items: {measured.elapsed:.0f} s, {pages:,} pages")
        print(log[-1], flush=True)
        return ProfileResult(
            items,
            measured.elapsed,
            measured.peak_rss,
            pages,
            duration,
            top_self,
            top_total,
            by_package,
            text_path,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(result: ProfileResult) -> list[str]:
    total = result.duration or 1.0
    lines = [
        f"`tdkt crawl` of the {result.items:,}-item replica under pyinstrument (sampling every "
        f"{SAMPLE_INTERVAL * 1000:.0f} ms): {result.elapsed:.0f} s wall (profiled, so slower than the "
        f"throughput runs), {result.pages:,} pages, peak RSS {mb(result.peak_rss):.0f} MB."
        + (
            " Stopped once the crawl run was recorded, before the enrich step."
            if result.stopped_before_enrich
            else ""
        )
        + (f" Full call tree: `{result.text_path.name}` in bench/out/." if result.text_path else ""),
        "",
        "Top 10 functions by self time:",
        "",
        "| # | function | self s | share |",
        "|---|---|---|---|",
    ]
    for n, (where, seconds) in enumerate(result.top_self, 1):
        lines.append(f"| {n} | {where} | {seconds:.1f} | {seconds / total:.1%} |")
    lines += ["", "Time by package (self time summed):", "", "| package | s | share |", "|---|---|---|"]
    for package, seconds in result.by_package[:10]:
        lines.append(f"| {package} | {seconds:.1f} | {seconds / total:.1%} |")
    lines += ["", "Our own functions by inclusive time:", "", "| function | s | share |", "|---|---|---|"]
    for where, seconds in result.top_total:
        lines.append(f"| {where} | {seconds:.1f} | {seconds / total:.1%} |")
    return lines
