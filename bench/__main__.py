"""`make bench`: run every benchmark and write bench/results.md.

    python -m bench                 # the full run (sized to finish in under 20 minutes on 2 cores)
    python -m bench --quick         # tiny sizes, to check the harness (a minute or two)
    python -m bench --only dates,search

Sections: crawl (throughput vs wget and a bare Scrapy spider), recrawl (incremental and --full cost),
dates (to_iso vs dateparser), content (body recall and precision per replica theme, ours vs
trafilatura), search (Datasette latency and size at 100,000 pages), profile.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from bench import common

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.md"
OUT_DIR = BENCH_DIR / "out"
# Cheapest first, so that a run cut short still reports the most sections.
SECTIONS = ("dates", "content", "ocr", "crawl", "recrawl", "profile", "search")


@dataclass(frozen=True)
class Sizes:
    crawl_items: tuple[int, ...]
    crawl_windows: dict[int, float]  # items -> seconds each run of that size is time-boxed to
    crawl_repeats: int
    recrawl_items: int
    recrawl_repeats: int
    date_repeats: int
    search_items: int
    search_servers: int
    search_rounds: int
    profile_items: int
    profile_window: float | None
    concurrency: int
    content_items: int  # replica items per theme, for the body quality section
    ocr_scans: int  # scanned decisions read by OCR (seconds a page)


# Sized for the 20-minute budget on 2 cores: our crawler fetches ~45 pages/s here, so a complete
# 10,000-item crawl (~16,000 requests) would take ~6 minutes a run, 9 runs in all; at 10,000 items each run is
# time-boxed and its rate taken over the window (20 s: three tools x three runs x 20 s, plus warm-up,
# is what the 20-minute budget leaves for it). Crawls stop before the post-crawl enrich step, whose
# cost is timed in the profile section (hot paths).
FULL = Sizes(
    crawl_items=(1_000, 10_000),
    crawl_windows={10_000: 20.0},
    crawl_repeats=3,
    recrawl_items=1_000,
    recrawl_repeats=3,
    date_repeats=3,
    search_items=100_000,
    search_servers=3,
    search_rounds=3,
    profile_items=10_000,
    profile_window=40.0,
    concurrency=8,
    content_items=300,
    ocr_scans=8,
)
QUICK = Sizes(
    crawl_items=(90, 200),
    crawl_windows={200: 8.0},
    crawl_repeats=3,
    recrawl_items=90,
    recrawl_repeats=3,
    date_repeats=3,
    search_items=300,
    search_servers=3,
    search_rounds=3,
    profile_items=200,
    profile_window=8.0,
    concurrency=8,
    content_items=90,
    ocr_scans=1,
)


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (make interrupted, a CI timeout) must unwind through the `finally` blocks that stop the
    # servers and crawls this run started.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="Tiny sizes: checks the harness, figures mean little."
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"Comma-separated subset of {SECTIONS}.")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to write the results (Markdown).")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    signal.signal(signal.SIGTERM, _terminate)

    machine = common.machine_info()
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="tdkt-bench-"))
    sections: list[tuple[str, float, list[str]]] = []
    progress: list[str] = []
    ctx = Context(sizes, scratch, progress)
    try:
        for name in SECTIONS:
            if name not in wanted:
                continue
            print(f"== {name}", flush=True)
            section_started = time.perf_counter()
            try:
                lines = RUNNERS[name](ctx)
            except KeyboardInterrupt:
                raise
            except Exception:  # one broken section must not cost the figures of the others
                lines = ["**This section failed:**", "", "```", traceback.format_exc()[-3000:], "```"]
                print(traceback.format_exc(), file=sys.stderr, flush=True)
            elapsed = time.perf_counter() - section_started
            sections.append((name, elapsed, lines))
            print(f"== {name}: {elapsed:.0f} s", flush=True)
            _write(args.output, machine, sizes, sections, progress, time.perf_counter() - started, done=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    total = time.perf_counter() - started
    _write(args.output, machine, sizes, sections, progress, total, done=True)
    print(f"wrote {args.output} ({total / 60:.1f} min)")
    return 0


@dataclass
class Context:
    sizes: Sizes
    scratch: Path
    log: list[str]
    # The crawl section's full crawls of the recrawl size (run, archive) and their replica's port.
    firsts: list[tuple[object, Path]] = field(default_factory=list)
    firsts_port: int | None = None


def run_crawl(ctx: Context) -> list[str]:
    from bench import crawl

    sizes = ctx.sizes
    results = []
    for items in sizes.crawl_items:
        keep = None
        port = None
        if items == sizes.recrawl_items:
            keep = ctx.scratch / "first-crawls"
            keep.mkdir(exist_ok=True)
            port = common.free_port()
        result = crawl.run_size(
            items,
            repeats=sizes.crawl_repeats,
            concurrency=sizes.concurrency,
            scratch=ctx.scratch,
            log=ctx.log,
            stop_after_crawl=True,
            window=sizes.crawl_windows.get(items),
            port=port,
            keep_archives=keep,
        )
        results.append(result)
        if keep is not None:
            ours = result.runs["tdkt crawl"]
            ctx.firsts = [(run, keep / f"run-{n}") for n, run in enumerate(ours, 1)]
            ctx.firsts_port = port
    return crawl.report(results, sizes.concurrency)


def run_recrawl(ctx: Context) -> list[str]:
    from bench import crawl, recrawl

    sizes = ctx.sizes
    if not ctx.firsts:  # the crawl section did not run: make the first full crawls here
        keep = ctx.scratch / "first-crawls"
        keep.mkdir(exist_ok=True)
        port = common.free_port()
        with common.replica_server(
            items=sizes.recrawl_items, port=port, log_path=ctx.scratch / "first.log"
        ) as server:
            for n in range(1, sizes.recrawl_repeats + 1):
                run = crawl.run_ours(server, keep / f"run-{n}", sizes.concurrency, stop_after_crawl=True)
                ctx.firsts.append((run, keep / f"run-{n}"))
        ctx.firsts_port = port
    assert ctx.firsts_port is not None
    result = recrawl.run(
        items=sizes.recrawl_items,
        firsts=ctx.firsts[: sizes.recrawl_repeats],  # type: ignore[arg-type]
        port=ctx.firsts_port,
        concurrency=sizes.concurrency,
        scratch=ctx.scratch,
        log=ctx.log,
    )
    return recrawl.report(result)


def run_dates(ctx: Context) -> list[str]:
    from bench import dates

    return dates.report(dates.run(repeats=ctx.sizes.date_repeats))


def run_content(ctx: Context) -> list[str]:
    from bench import content

    return content.report(content.run(items=ctx.sizes.content_items))


def run_ocr(ctx: Context) -> list[str]:
    from bench import ocr

    # Both hands: the office's scans the replica serves, then another office's (issue 17's "scans made
    # by other hands"), so neither figure is read without the other.
    rows = ocr.report(ocr.run(scans=ctx.sizes.ocr_scans, hand="office"))
    return [*rows, "", *ocr.report(ocr.run(scans=ctx.sizes.ocr_scans, hand="other"))]


def run_search(ctx: Context) -> list[str]:
    from bench import search

    result = search.run(
        items=ctx.sizes.search_items,
        repeats=ctx.sizes.search_servers,
        rounds=ctx.sizes.search_rounds,
        scratch=ctx.scratch,
        log=ctx.log,
    )
    return search.report(result)


def run_profile(ctx: Context) -> list[str]:
    from bench import hotpaths, profile

    result = profile.run(
        items=ctx.sizes.profile_items,
        concurrency=ctx.sizes.concurrency,
        scratch=ctx.scratch,
        out_dir=OUT_DIR,
        log=ctx.log,
        stop_after_crawl=True,
        window=ctx.sizes.profile_window,
    )
    hot = hotpaths.run(repeats=3)
    return [
        *profile.report(result),
        "",
        "### Hot paths timed against the same work done without the overhead",
        "",
        *hotpaths.report(hot),
    ]


RUNNERS: dict[str, Callable[[Context], list[str]]] = {
    "crawl": run_crawl,
    "recrawl": run_recrawl,
    "dates": run_dates,
    "content": run_content,
    "ocr": run_ocr,
    "search": run_search,
    "profile": run_profile,
}
TITLES = {
    "crawl": "1. Crawl throughput",
    "recrawl": "2. Recrawl cost",
    "dates": "3. Date normalisation",
    "search": "4. Search at scale",
    "profile": "5. Profile of the crawl",
    "content": "6. Body quality per replica theme",
    "ocr": "7. OCR of scanned decisions",
}


def _write(
    path: Path,
    machine: dict[str, str],
    sizes: Sizes,
    sections: list[tuple[str, float, list[str]]],
    progress: list[str],
    total: float,
    *,
    done: bool,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`" + (" --quick" if sizes is QUICK else "") + "). "
        "Each figure: median (min–max, n = runs). Absolute times drift on shared machines; ratios "
        "measured in the same run hold better.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in machine.items()],
        f"| total run time | {total / 60:.1f} min{'' if done else ' (run still in progress)'} |",
        "",
    ]
    for name, elapsed, body in sorted(sections, key=lambda section: TITLES[section[0]]):
        lines += [f"## {TITLES[name]}", "", f"_Section time: {elapsed:.0f} s._", "", *body, ""]
    notes = BENCH_DIR / "notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    if progress:
        lines += ["## Run log", "", "```", *[line.strip() for line in progress], "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
