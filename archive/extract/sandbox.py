"""The sandbox: files parsed in a child process under a memory limit and a wall-clock timeout.

`extract_file` starts one child per file; `extract_files` keeps one child per worker for a batch
(restarted after a hang, a crash or `RECYCLE_AFTER` files), runs as many workers as the machine has
cores, and still gives every file its own time and memory limit. The child answers one JSON object
per file; every failure comes back as its error string.

OCR (`archive.extract.ocr`) runs in the same child; the programs it starts (pdftoppm, tesseract)
inherit its memory limit and share its process group, so a timeout kills them with it. A scanned file
takes longer than a text one, so in a batch the child reports each page it starts to OCR and the
parent gives every page `ocr_page_timeout` of its own, on top of the file's `timeout`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.extract.legacy import legacy_decoder, repair_legacy_text, tidy_cell, tidy_text
from archive.extract.readers import ExtractionError, Parsed, ReadOptions, parse_file
from archive.filetypes import SUPPORTED_TYPES, detect_type

OCR_PAGE_TIMEOUT = 120.0  # one page at 300 dpi takes Tesseract 2–10 s; a loaded machine, more

OcrProgress = Callable[[Any, int, int], None]  # (job key, OCR page about to be read, pages to OCR)


@dataclass
class Extracted:
    text: str | None
    tables: list[list[list[str]]] = field(default_factory=list)
    error: str | None = None  # also set, with the text kept, when the text was cut at max_chars
    method: str | None = None  # "layer" | "ocr" when there is text
    page_confidences: list[float | None] | None = None  # per page, OCR'd pages only (others None)
    engine: str | None = None  # the OCR engine and model, when OCR read any of it

    @property
    def ocr_confidence(self) -> float | None:
        """Mean word confidence of the OCR'd pages (0–100)."""
        values = [c for c in self.page_confidences or [] if c is not None]
        return round(sum(values) / len(values), 1) if values else None


def _failed(error: str) -> Extracted:
    return Extracted(text=None, tables=[], error=error)


def _from_result(result: dict[str, Any]) -> Extracted:
    return Extracted(
        text=result["text"],
        tables=result["tables"],
        error=result["error"],
        method=result.get("method"),
        page_confidences=result.get("page_confidences"),
        engine=result.get("engine"),
    )


def _child_env() -> dict[str, str]:
    # One thread per child for numpy's BLAS: workers, not threads, use the cores, and each thread's
    # buffers would count against the child's address-space limit.
    return dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", OMP_THREAD_LIMIT="1")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """The child and whatever it started (pdftoppm, tesseract): it leads its own process group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


# ---------------------------------------------------------------------------------------------------
# Parent side, one child per file


def extract_file(
    path: Path,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    timeout: float = 30.0,
    memory_mb: int = 1024,
    max_chars: int = 2_000_000,
) -> Extracted:
    """Text and tables of one stored file, parsed in a limited child process (OCR included, all
    within `timeout`)."""
    path = Path(path)
    try:
        file_type = detect_type(path, content_type=content_type, filename=filename)
    except OSError as exc:
        return _failed(f"cannot read file: {exc.strerror or exc}")
    if file_type not in SUPPORTED_TYPES:
        return _failed(f"unsupported type .{file_type}")
    command = [sys.executable, "-m", "archive.extract", str(path), file_type, str(memory_mb), str(max_chars)]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
        start_new_session=True,
    )
    try:
        stdout, stderr_bytes = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return _failed(f"timeout after {timeout:g} s")
    if proc.returncode != 0 or not stdout:
        stderr = stderr_bytes.decode("utf-8", "replace")
        if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
            return _failed(f"memory limit ({memory_mb} MB)")
        if proc.returncode < 0:
            return _failed(f"extractor killed by signal {-proc.returncode}")
        last_line = stderr.strip().splitlines()[-1:] or [""]
        return _failed(f"extractor failed (exit {proc.returncode}) {last_line[0]}".strip())
    return _from_result(json.loads(stdout))


# ---------------------------------------------------------------------------------------------------
# Child side


def _memory_result(memory_mb: int) -> dict[str, Any]:
    return {"text": None, "tables": [], "error": f"memory limit ({memory_mb} MB)"}


def _extract_in_child(
    path: Path, file_type: str, memory_mb: int, max_chars: int, options: ReadOptions | None = None
) -> dict[str, Any]:
    """Parse one file inside the limited child; every failure becomes the result's error string."""
    result: dict[str, Any] = {"text": None, "tables": [], "error": None}
    try:
        parsed: Parsed = parse_file(path, file_type, options=options)
        text, tables = parsed.text, parsed.tables
        if parsed.method == "ocr":
            # OCR writes Unicode; a legacy decoder would take its misreadings for an old encoding.
            text = tidy_text(text)
            tables = [[[tidy_cell(c) for c in row] for row in t] for t in tables]
        else:
            # One decision per file: a short cell alone carries too few fingerprints to judge.
            decoder = legacy_decoder(
                text + " ".join(cell for table in tables for row in table for cell in row)
            )
            text = tidy_text(repair_legacy_text(text, decoder))
            tables = [[[tidy_cell(repair_legacy_text(c, decoder)) for c in row] for row in t] for t in tables]
        if parsed.note:
            result["error"] = parsed.note
        if len(text) > max_chars:
            text = text[:max_chars]
            result["error"] = f"text truncated at {max_chars} characters"
        result["text"] = text or None
        result["tables"] = tables
        if text:
            result["method"] = parsed.method
            result["page_confidences"] = parsed.page_confidences
            result["engine"] = parsed.engine
    except ExtractionError as exc:
        result["error"] = str(exc)
    except MemoryError:
        result = _memory_result(memory_mb)
    except (ImportError, OSError) as exc:
        # Under RLIMIT_AS a C extension fails to load with "failed to map segment" / ENOMEM.
        message = str(exc)
        if "map" in message or "allocate" in message.lower():
            result = _memory_result(memory_mb)
        else:
            result["error"] = f"cannot parse {file_type.upper()}: {type(exc).__name__}: {exc}"[:500]
    except zipfile.BadZipFile as exc:
        result["error"] = f"malformed {file_type.upper()}: {exc}"
    except RecursionError:
        result["error"] = f"malformed {file_type.upper()}: nesting too deep"
    except Exception as exc:  # a third-party parser failing on a bad file: a bad file
        if "Error -4 " in str(exc):  # zlib's Z_MEM_ERROR: inflating hit the memory limit
            return _memory_result(memory_mb)
        result["error"] = f"cannot parse {file_type.upper()}: {type(exc).__name__}: {exc}"[:500]
    return result


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child_main(argv: list[str]) -> int:
    if argv and argv[0] == "--serve":
        return _serve_main(int(argv[1]), int(argv[2]), float(argv[3]) if len(argv) > 3 else OCR_PAGE_TIMEOUT)
    path, file_type, memory_mb, max_chars = Path(argv[0]), argv[1], int(argv[2]), int(argv[3])
    _limit_memory(memory_mb)
    json.dump(_extract_in_child(path, file_type, memory_mb, max_chars), sys.stdout, ensure_ascii=False)
    return 0


def _serve_main(memory_mb: int, max_chars: int, ocr_page_timeout: float) -> int:
    """Batch mode: one request per stdin line ({"path", "type"}), one JSON result per stdout line,
    preceded by a {"progress": [page, pages]} line for every page about to be OCR'd."""
    # Import the parsers first, then limit memory: the limit bounds what parsing a hostile file may take,
    # and the per-file timeout times parsing, not our start-up.
    for module in ("pypdf", "docx", "openpyxl", "xlrd", "lxml.html", "PIL.Image", "numpy"):
        with contextlib.suppress(ImportError):  # a missing parser fails its own files only
            __import__(module)
    _limit_memory(memory_mb)
    sys.stdout.write("ready\n")
    sys.stdout.flush()

    def progress(page: int, pages: int) -> None:
        sys.stdout.write(json.dumps({"progress": [page, pages]}) + "\n")
        sys.stdout.flush()

    options = ReadOptions(progress=progress, ocr_page_timeout=ocr_page_timeout)
    for line in sys.stdin:
        request = json.loads(line)
        result = _extract_in_child(Path(request["path"]), request["type"], memory_mb, max_chars, options)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------------------------------
# Batch parent side: children for many files, still one timeout per file


@dataclass
class ExtractJob:
    key: Any  # returned with the result (an attachment id, a path)
    path: Path
    content_type: str | None = None
    filename: str | None = None


class _BatchChild:
    """A long-lived `python -m archive.extract --serve` child, restarted after a hang or a crash."""

    RECYCLE_AFTER = 200  # fresh heap now and then: RLIMIT_AS counts what earlier files left behind
    START_TIMEOUT = 60.0  # a cold start on a loaded machine; parsing is timed separately

    def __init__(self, memory_mb: int, max_chars: int, ocr_page_timeout: float = OCR_PAGE_TIMEOUT) -> None:
        self.memory_mb = memory_mb
        self.max_chars = max_chars
        self.ocr_page_timeout = ocr_page_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.served = 0
        self._buffer = b""

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None or self.served >= self.RECYCLE_AFTER:
            self.stop()
            command = [
                sys.executable,
                "-m",
                "archive.extract",
                "--serve",
                str(self.memory_mb),
                str(self.max_chars),
                str(self.ocr_page_timeout),
            ]
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_child_env(),
                start_new_session=True,
            )
            self.served = 0
            self._buffer = b""
            if self._read_line(self.START_TIMEOUT) != b"ready":
                raise RuntimeError(f"the extractor child did not start: {self.stop()[-500:]}")
        return self.proc

    def _read_line(self, timeout: float) -> bytes | None:
        """The child's next line, or None when it says nothing in time or dies."""
        import selectors
        import time

        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
                if not chunk:
                    return None
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    @property
    def fresh(self) -> bool:
        return self.proc is None or self.served == 0

    def stop(self) -> str:
        """Stop the child (and what it started); returns what it wrote to stderr (why it died)."""
        stderr = ""
        if self.proc is not None:
            if self.proc.poll() is None:
                _kill_group(self.proc)
            try:
                _, err = self.proc.communicate(timeout=5)
                stderr = err.decode("utf-8", "replace")
            except (subprocess.TimeoutExpired, ValueError):
                pass
        self.proc = None
        return stderr

    def extract(
        self, path: Path, file_type: str, timeout: float, on_page: Callable[[int, int], None] | None = None
    ) -> Extracted:
        proc = self._start()
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps({"path": str(path), "type": file_type}).encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._died(self.stop())
        wait, ocr_pages = timeout, 0
        while True:
            line = self._read_line(wait)
            if line is None:
                if proc.poll() is None:
                    self.stop()
                    if ocr_pages:
                        return _failed(f"timeout after {self.ocr_page_timeout:g} s on OCR page {ocr_pages}")
                    return _failed(f"timeout after {timeout:g} s")
                return self._died(self.stop())
            if line.startswith(b'{"progress"'):
                page, pages = json.loads(line)["progress"]
                ocr_pages = page
                wait = self.ocr_page_timeout  # each OCR page has its own time limit
                if on_page:
                    on_page(page, pages)
                continue
            self.served += 1
            return _from_result(json.loads(line))

    def _died(self, stderr: str) -> Extracted:
        if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
            return _failed(f"memory limit ({self.memory_mb} MB)")
        last_line = stderr.strip().splitlines()[-1:] or [""]
        return _failed(f"extractor died {last_line[0]}".strip())


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def extract_files(
    jobs: Iterable[ExtractJob],
    *,
    timeout: float = 30.0,
    memory_mb: int = 1024,
    max_chars: int = 2_000_000,
    workers: int | None = None,
    ocr_page_timeout: float = OCR_PAGE_TIMEOUT,
    on_progress: OcrProgress | None = None,
) -> Iterator[tuple[Any, Extracted]]:
    """Text and tables of many files, in the order of `jobs`, with the same limits per file as
    `extract_file` but without paying a Python start-up for each (about half a second apiece).

    `workers` children (default: one per core) read files side by side, each under its own memory
    limit; `on_progress` hears of each page OCR'd (from the workers' threads, one call at a time)."""
    workers = max(1, workers or available_cores())
    local = threading.local()
    children: list[_BatchChild] = []
    lock = threading.Lock()

    def report(key: Any) -> Callable[[int, int], None] | None:
        if on_progress is None:
            return None

        def page(done: int, pages: int) -> None:
            with lock:
                on_progress(key, done, pages)

        return page

    def work(job: ExtractJob) -> tuple[Any, Extracted]:
        child = getattr(local, "child", None)
        if child is None:
            child = local.child = _BatchChild(memory_mb, max_chars, ocr_page_timeout)
            with lock:
                children.append(child)
        return job.key, _extract_job(child, job, timeout, report(job.key))

    try:
        if workers == 1:
            for job in jobs:
                yield work(job)
            return
        from concurrent.futures import Future, ThreadPoolExecutor

        pending: deque[Future[tuple[Any, Extracted]]] = deque()
        pool = ThreadPoolExecutor(workers, thread_name_prefix="tdkt-extract")
        try:
            for job in jobs:
                pending.append(pool.submit(work, job))
                while len(pending) >= 4 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        for child in children:
            child.stop()


def _extract_job(
    child: _BatchChild, job: ExtractJob, timeout: float, on_page: Callable[[int, int], None] | None
) -> Extracted:
    try:
        file_type = detect_type(job.path, content_type=job.content_type, filename=job.filename)
    except OSError as exc:
        return _failed(f"cannot read file: {exc.strerror or exc}")
    if file_type not in SUPPORTED_TYPES:
        return _failed(f"unsupported type .{file_type}")
    was_fresh = child.fresh
    result = child.extract(job.path, file_type, timeout, on_page)
    if result.error and result.error.startswith("memory limit") and not was_fresh:
        # The heap earlier files left behind may be to blame: judge this file on its own.
        child.stop()
        result = child.extract(job.path, file_type, timeout, on_page)
    return result
