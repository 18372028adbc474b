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
from bench.crawl import Stopper

SAMPLE_INTERVAL = 0.005  # seconds; coarser than pyinstrument's 1 ms default to keep its overhead low


@dataclass
class ProfileResult:
    items: int
    stopped_before_enrich: bool
    window: float | None
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


def _self_time(frame: Any) -> float:
    """Time in the frame itself: its time minus its real (non-synthetic) children's."""
    return max(0.0, frame.time - sum(child.time for child in frame.children if not child.is_synthetic))


def summarize(session_path: Path, top: int = 10) -> tuple[float, list[Any], list[Any], list[Any]]:
    """(seconds recorded, top functions by self time, our functions by inclusive time, time per package).

    C functions (`<built-in>`) count towards the package of the Python code that called them, so
    `Cursor.execute` under SQLAlchemy is SQLAlchemy's time.
    """
    from pyinstrument.session import Session

    session = Session.load(str(session_path))
    root = session.root_frame()
    if root is None:
        return 0.0, [], [], []
    by_function: dict[str, float] = {}
    by_package: dict[str, float] = {}
    inclusive: dict[str, float] = {}
    stack: list[tuple[Any, str, frozenset[str]]] = [(root, "python stdlib", frozenset())]
    while stack:
        frame, caller_package, on_path = stack.pop()
        if frame.is_synthetic:  # "[self]", "[await]": already in the parent's self time
            stack.extend((child, caller_package, on_path) for child in frame.children)
            continue
        path = frame.file_path or ""
        package = caller_package if path.startswith("<built-in>") or not path else _package(path)
        where = f"`{frame.function}` {frame.file_path_short}:{frame.line_no}"
        own = _self_time(frame)
        by_function[where] = by_function.get(where, 0.0) + own
        by_package[package] = by_package.get(package, 0.0) + own
        if package.endswith("(ours)") and where not in on_path:  # recursion counted once
            inclusive[where] = inclusive.get(where, 0.0) + frame.time
        child_path = on_path | {where}
        stack.extend((child, package, child_path) for child in frame.children)
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
    window: float | None = None,
) -> ProfileResult:
    workdir = Path(tempfile.mkdtemp(prefix="profile-", dir=scratch))
    try:
        session_path = workdir / "crawl.pyisession"
        db_path = workdir / "tdkt.sqlite"
        with replica_server(items=items, log_path=scratch / f"profile-{items}.log") as server:
            args = [PYTHON, "-m", "pyinstrument", "-i", str(SAMPLE_INTERVAL), "-r", "pyisession"]
            args += ["-o", session_path, "-m", "archive.cli", "crawl", "--site", server.base_url]
            args += ["--db", db_path, "--delay", "0", "--quiet", "--concurrency", str(concurrency)]
            stop = Stopper(server, window=window, db_path=db_path if stop_after_crawl else None)
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
            items=items,
            stopped_before_enrich=measured.stopped_at is not None and stop.requests_at_stop is None,
            window=window if stop.requests_at_stop is not None else None,
            elapsed=measured.elapsed,
            peak_rss=measured.peak_rss,
            pages=pages,
            duration=duration,
            top_self=top_self,
            top_total=top_total,
            by_package=by_package,
            text_path=text_path,
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
