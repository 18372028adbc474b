"""`make bench`: run every benchmark and write bench/results.md.

    python -m bench                 # the full run (sized to finish in under 20 minutes on 2 cores)
    python -m bench --quick         # tiny sizes, to check the harness (a minute or two)
    python -m bench --only dates,search

Sections: crawl (throughput vs wget and a bare Scrapy spider), recrawl (incremental and --full cost),
dates (to_iso vs dateparser), search (Datasette latency and size at 100,000 pages), profile.
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
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from bench import common

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.md"
OUT_DIR = BENCH_DIR / "out"
SECTIONS = ("crawl", "recrawl", "dates", "search", "profile")


@dataclass(frozen=True)
class Sizes:
    crawl_items: tuple[int, ...]
    whole_command_max: int  # larger crawls are stopped before the post-crawl enrich step
    crawl_repeats: int
    recrawl_items: int
    recrawl_repeats: int
    date_repeats: int
    search_items: int
    search_servers: int
    search_rounds: int
    profile_items: int
    concurrency: int


FULL = Sizes(
    crawl_items=(1_000, 10_000),
    whole_command_max=1_000,
    crawl_repeats=3,
    recrawl_items=1_000,
    recrawl_repeats=3,
    date_repeats=3,
    search_items=100_000,
    search_servers=3,
    search_rounds=5,
    profile_items=10_000,
    concurrency=8,
)
QUICK = Sizes(
    crawl_items=(90,),
    whole_command_max=90,
    crawl_repeats=3,
    recrawl_items=90,
    recrawl_repeats=3,
    date_repeats=3,
    search_items=300,
    search_servers=3,
    search_rounds=3,
    profile_items=90,
    concurrency=8,
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
    try:
        for name in SECTIONS:
            if name not in wanted:
                continue
            print(f"== {name}", flush=True)
            section_started = time.perf_counter()
            try:
                lines = RUNNERS[name](sizes, scratch, progress)
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


def run_crawl(sizes: Sizes, scratch: Path, log: list[str]) -> list[str]:
    from bench import crawl

    results = [
        crawl.run_size(
            items,
            repeats=sizes.crawl_repeats,
            concurrency=sizes.concurrency,
            scratch=scratch,
            log=log,
            stop_after_crawl=items > sizes.whole_command_max,
        )
        for items in sizes.crawl_items
    ]
    return crawl.report(results, sizes.concurrency)


def run_recrawl(sizes: Sizes, scratch: Path, log: list[str]) -> list[str]:
    from bench import recrawl

    result = recrawl.run(
        items=sizes.recrawl_items,
        repeats=sizes.recrawl_repeats,
        concurrency=sizes.concurrency,
        scratch=scratch,
        log=log,
    )
    return recrawl.report(result)


def run_dates(sizes: Sizes, scratch: Path, log: list[str]) -> list[str]:
    from bench import dates

    return dates.report(dates.run(repeats=sizes.date_repeats))


def run_search(sizes: Sizes, scratch: Path, log: list[str]) -> list[str]:
    from bench import search

    result = search.run(
        items=sizes.search_items,
        repeats=sizes.search_servers,
        rounds=sizes.search_rounds,
        scratch=scratch,
        log=log,
    )
    return search.report(result)


def run_profile(sizes: Sizes, scratch: Path, log: list[str]) -> list[str]:
    from bench import profile

    result = profile.run(
        items=sizes.profile_items,
        concurrency=sizes.concurrency,
        scratch=scratch,
        out_dir=OUT_DIR,
        log=log,
        stop_after_crawl=sizes.profile_items > sizes.whole_command_max,
    )
    from bench import hotpaths

    hot = hotpaths.run(repeats=3)
    return [
        *profile.report(result),
        "",
        "### Hot paths timed against the same work done without the overhead",
        "",
        *hotpaths.report(hot),
    ]


RUNNERS: dict[str, Callable[[Sizes, Path, list[str]], list[str]]] = {
    "crawl": run_crawl,
    "recrawl": run_recrawl,
    "dates": run_dates,
    "search": run_search,
    "profile": run_profile,
}
TITLES = {
    "crawl": "1. Crawl throughput",
    "recrawl": "2. Recrawl cost",
    "dates": "3. Date normalisation",
    "search": "4. Search at scale",
    "profile": "5. Profile of the crawl",
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
    for name, elapsed, body in sections:
        lines += [f"## {TITLES[name]}", "", f"_Section time: {elapsed:.0f} s._", "", *body, ""]
    notes = BENCH_DIR / "notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    if progress:
        lines += ["## Run log", "", "```", *[line.strip() for line in progress], "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
