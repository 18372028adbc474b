"""The hot paths the profile points at, each timed against the cheaper way that gives the same result,
so the expected gain of each suggested change is a figure of this run, not a guess.

1. Attachment text: what ships, `extract_files` (one long-lived limited child for a batch, its
   start-up included), beside `extract_file` (a fresh Python child per file, what shipped before) and
   the same parse in a process that has already imported the parsers (no isolation at all).
2. Writing pages: `ArchiveStore.save_page` + `enrich_archive` (SQLAlchemy, a transaction per page and
   per derive) against `bench.bulkload` (the same rows — the smoke test checks it — with sqlite3
   executemany in one transaction).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Stat, load_site


@dataclass
class HotPaths:
    files: int
    extract_child_ms: Stat  # per file, a fresh child each
    extract_batch_ms: Stat  # per file, one child for the batch (start-up included)
    extract_inline_ms: Stat
    pages: int
    store_ms: Stat  # per page, save_page + enrich (derive) through ArchiveStore
    store_cpu_ms: Stat
    bulk_ms: Stat  # per page, same rows via bench.bulkload, one worker


def _sample_files(count: int, directory: Path) -> list[Path]:
    site = load_site(items=None)
    paths: list[Path] = []
    seen: set[str] = set()
    for it in site.model.items:
        for attachment in it.attachments:
            ext = attachment.url.rsplit(".", 1)[-1].lower()
            if ext not in ("pdf", "docx") or attachment.spec in seen:
                continue
            seen.add(attachment.spec)
            data = site.attachment_bytes(attachment.spec)
            if len(data) > 2_000_000:
                continue  # the one huge file would dominate a small sample
            path = directory / f"{len(paths)}.{ext}"
            path.write_bytes(data)
            paths.append(path)
            if len(paths) >= count:
                return paths
    return paths


def time_extraction(count: int, repeats: int) -> tuple[int, Stat, Stat, Stat]:
    from archive.extract import ExtractJob, detect_type, extract_file, extract_files
    from archive.extract.readers import parse_file

    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        paths = _sample_files(count, Path(tmp))
        types = [detect_type(p) for p in paths]
        for path, kind in zip(paths, types, strict=True):
            parse_file(path, kind)  # imports and first-call costs paid before timing, as a worker would
        child, batch, inline = [], [], []
        for _ in range(repeats):
            started = time.perf_counter()
            for path in paths:
                extract_file(path)
            child.append((time.perf_counter() - started) / len(paths) * 1000)
            started = time.perf_counter()
            results = list(extract_files(ExtractJob(path, path) for path in paths))
            batch.append((time.perf_counter() - started) / len(paths) * 1000)
            failed = [str(key) for key, result in results if result.error]
            if failed:
                raise RuntimeError(f"extract_files failed on {failed}")
            started = time.perf_counter()
            for path, kind in zip(paths, types, strict=True):
                parse_file(path, kind)
            inline.append((time.perf_counter() - started) / len(paths) * 1000)
    return len(paths), Stat(child), Stat(batch), Stat(inline)


def time_writes(pages: int, repeats: int) -> tuple[int, Stat, Stat, Stat]:
    from archive.enrich import enrich_archive
    from archive.store import ArchiveStore
    from bench.bulkload import load, page_items

    items = list(page_items(None))[:pages]
    store_ms: list[float] = []
    store_cpu: list[float] = []
    bulk_ms: list[float] = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
            store = ArchiveStore(Path(tmp) / "store" / "archive.sqlite")
            started, cpu = time.perf_counter(), time.process_time()
            run_id = store.start_run("http://tdkt.thaibinh.gov.vn/", "full")
            for item in items:
                store.save_page(item, run_id)
            store.finish_run(run_id, "done", len(items))
            enrich_archive(store, run_id=run_id)
            store_ms.append((time.perf_counter() - started) / len(items) * 1000)
            store_cpu.append((time.process_time() - cpu) / len(items) * 1000)
            store.close()
            started = time.perf_counter()
            load(Path(tmp) / "bulk" / "archive.sqlite", items, workers=1)  # derive in one worker
            bulk_ms.append((time.perf_counter() - started) / len(items) * 1000)
    return len(items), Stat(store_ms), Stat(store_cpu), Stat(bulk_ms)


def run(*, files: int = 12, pages: int = 200, repeats: int = 3) -> HotPaths:
    n_files, child, batch, inline = time_extraction(files, repeats)
    n_pages, store_ms, store_cpu, bulk_ms = time_writes(pages, repeats)
    return HotPaths(n_files, child, batch, inline, n_pages, store_ms, store_cpu, bulk_ms)


def report(result: HotPaths) -> list[str]:
    batch_cost = Stat(
        [b / i for b, i in zip(result.extract_batch_ms.values, result.extract_inline_ms.values, strict=True)]
    )
    batch_gain = Stat(
        [c / b for c, b in zip(result.extract_child_ms.values, result.extract_batch_ms.values, strict=True)]
    )
    write_gain = Stat([s / b for s, b in zip(result.store_ms.values, result.bulk_ms.values, strict=True)])
    return [
        "| path | as shipped | the same work without the overhead | ratio |",
        "|---|---|---|---|",
        f"| attachment text, ms per file ({result.files} PDF/DOCX of the replica) | `extract_files` (one "
        f"limited child per batch, start-up included): {result.extract_batch_ms.fmt(1)}; before it, "
        f"`extract_file` (a fresh child per file): {result.extract_child_ms.fmt(1)}, "
        f"{batch_gain.fmt(0, '×')} slower | parse in a warm process, unisolated: "
        f"{result.extract_inline_ms.fmt(1)} | {batch_cost.fmt(1, '×')} |",
        f"| storing a page and its metadata rows, ms per page ({result.pages} replica pages) | "
        f"`save_page` + `enrich_archive`: {result.store_ms.fmt(1)} (CPU {result.store_cpu_ms.fmt(1)}) | "
        f"same rows via `bench.bulkload`: {result.bulk_ms.fmt(1)} | {write_gain.fmt(1, '×')} |",
    ]
