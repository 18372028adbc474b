"""The sandbox: files parsed in a child process under a memory limit and a wall-clock timeout.

`extract_file` starts one child per file; `extract_files` keeps one child for a batch (restarted after
a hang, a crash or `RECYCLE_AFTER` files) and still gives every file its own time and memory limit.
The child answers one JSON object per file; every failure comes back as its error string.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.extract.filetypes import SUPPORTED_TYPES, detect_type
from archive.extract.legacy import legacy_decoder, repair_legacy_text, tidy_cell, tidy_text
from archive.extract.readers import ExtractionError, parse_file


@dataclass
class Extracted:
    text: str | None
    tables: list[list[list[str]]] = field(default_factory=list)
    error: str | None = None  # also set, with the text kept, when the text was cut at max_chars


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
    """Text and tables of one stored file, parsed in a limited child process."""
    path = Path(path)
    try:
        file_type = detect_type(path, content_type=content_type, filename=filename)
    except OSError as exc:
        return Extracted(text=None, tables=[], error=f"cannot read file: {exc.strerror or exc}")
    if file_type not in SUPPORTED_TYPES:
        return Extracted(text=None, tables=[], error=f"unsupported type .{file_type}")
    command = [sys.executable, "-m", "archive.extract", str(path), file_type, str(memory_mb), str(max_chars)]
    try:
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Extracted(text=None, tables=[], error=f"timeout after {timeout:g} s")
    if completed.returncode != 0 or not completed.stdout:
        stderr = completed.stderr.decode("utf-8", "replace")
        if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
            return Extracted(text=None, tables=[], error=f"memory limit ({memory_mb} MB)")
        if completed.returncode < 0:
            return Extracted(
                text=None, tables=[], error=f"extractor killed by signal {-completed.returncode}"
            )
        last_line = stderr.strip().splitlines()[-1:] or [""]
        return Extracted(
            text=None,
            tables=[],
            error=f"extractor failed (exit {completed.returncode}) {last_line[0]}".strip(),
        )
    result = json.loads(completed.stdout)
    return Extracted(text=result["text"], tables=result["tables"], error=result["error"])


# ---------------------------------------------------------------------------------------------------
# Child side


def _extract_in_child(path: Path, file_type: str, memory_mb: int, max_chars: int) -> dict[str, Any]:
    """Parse one file inside the limited child; every failure becomes the result's error string."""
    result: dict[str, Any] = {"text": None, "tables": [], "error": None}
    try:
        text, tables = parse_file(path, file_type)
        # One decision per file: a short cell alone carries too few fingerprints to judge.
        decoder = legacy_decoder(text + " ".join(cell for table in tables for row in table for cell in row))
        text = tidy_text(repair_legacy_text(text, decoder))
        tables = [[[tidy_cell(repair_legacy_text(c, decoder)) for c in row] for row in t] for t in tables]
        if len(text) > max_chars:
            text = text[:max_chars]
            result["error"] = f"text truncated at {max_chars} characters"
        result["text"] = text or None
        result["tables"] = tables
    except ExtractionError as exc:
        result["error"] = str(exc)
    except MemoryError:
        result = {"text": None, "tables": [], "error": f"memory limit ({memory_mb} MB)"}
    except (ImportError, OSError) as exc:
        # Under RLIMIT_AS a C extension fails to load with "failed to map segment" / ENOMEM.
        message = str(exc)
        if "map" in message or "allocate" in message.lower():
            result = {"text": None, "tables": [], "error": f"memory limit ({memory_mb} MB)"}
        else:
            result["error"] = f"cannot parse {file_type.upper()}: {type(exc).__name__}: {exc}"[:500]
    except zipfile.BadZipFile as exc:
        result["error"] = f"malformed {file_type.upper()}: {exc}"
    except RecursionError:
        result["error"] = f"malformed {file_type.upper()}: nesting too deep"
    except Exception as exc:  # a third-party parser failing on a bad file: a bad file
        if "Error -4 " in str(exc):  # zlib's Z_MEM_ERROR: inflating hit the memory limit
            return {"text": None, "tables": [], "error": f"memory limit ({memory_mb} MB)"}
        result["error"] = f"cannot parse {file_type.upper()}: {type(exc).__name__}: {exc}"[:500]
    return result


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child_main(argv: list[str]) -> int:
    if argv and argv[0] == "--serve":
        return _serve_main(int(argv[1]), int(argv[2]))
    path, file_type, memory_mb, max_chars = Path(argv[0]), argv[1], int(argv[2]), int(argv[3])
    _limit_memory(memory_mb)
    json.dump(_extract_in_child(path, file_type, memory_mb, max_chars), sys.stdout, ensure_ascii=False)
    return 0


def _serve_main(memory_mb: int, max_chars: int) -> int:
    """Batch mode: one request per stdin line ({"path", "type"}), one JSON result per stdout line."""
    # Import the parsers first, then limit memory: the limit bounds what parsing a hostile file may take,
    # and the per-file timeout times parsing, not our start-up.
    for module in ("pypdf", "docx", "openpyxl", "xlrd", "lxml.html"):
        with contextlib.suppress(ImportError):  # a missing parser fails its own files only
            __import__(module)
    _limit_memory(memory_mb)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        request = json.loads(line)
        result = _extract_in_child(Path(request["path"]), request["type"], memory_mb, max_chars)
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------------------------------
# Batch parent side: one child for many files, still one timeout per file


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

    def __init__(self, memory_mb: int, max_chars: int) -> None:
        self.memory_mb = memory_mb
        self.max_chars = max_chars
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
            ]
            self.proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            self.served = 0
            self._buffer = b""
            if self._read_line(self.START_TIMEOUT) != b"ready":
                raise RuntimeError(f"the extractor child did not start: {self.stop()[-500:]}")
        return self.proc

    def _read_line(self, timeout: float) -> bytes | None:
        """The child's next line, or None when it says nothing in time or dies."""
        import os
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
        """Stop the child; returns what it wrote to stderr (why it died, when it did)."""
        stderr = ""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            try:
                _, err = self.proc.communicate(timeout=5)
                stderr = err.decode("utf-8", "replace")
            except (subprocess.TimeoutExpired, ValueError):
                pass
        self.proc = None
        return stderr

    def extract(self, path: Path, file_type: str, timeout: float) -> Extracted:
        proc = self._start()
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps({"path": str(path), "type": file_type}).encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._died(self.stop())
        line = self._read_line(timeout)
        if line is None:
            if proc.poll() is None:
                self.stop()
                return Extracted(text=None, tables=[], error=f"timeout after {timeout:g} s")
            return self._died(self.stop())
        self.served += 1
        result = json.loads(line)
        return Extracted(text=result["text"], tables=result["tables"], error=result["error"])

    def _died(self, stderr: str) -> Extracted:
        if "MemoryError" in stderr or "Cannot allocate memory" in stderr:
            return Extracted(text=None, tables=[], error=f"memory limit ({self.memory_mb} MB)")
        last_line = stderr.strip().splitlines()[-1:] or [""]
        return Extracted(text=None, tables=[], error=f"extractor died {last_line[0]}".strip())


def extract_files(
    jobs: Iterable[ExtractJob],
    *,
    timeout: float = 30.0,
    memory_mb: int = 1024,
    max_chars: int = 2_000_000,
) -> Iterator[tuple[Any, Extracted]]:
    """Text and tables of many files through one limited child, with the same limits per file as
    `extract_file` but without paying a Python start-up for each (about half a second apiece)."""
    child = _BatchChild(memory_mb, max_chars)
    try:
        for job in jobs:
            try:
                file_type = detect_type(job.path, content_type=job.content_type, filename=job.filename)
            except OSError as exc:
                yield (
                    job.key,
                    Extracted(text=None, tables=[], error=f"cannot read file: {exc.strerror or exc}"),
                )
                continue
            if file_type not in SUPPORTED_TYPES:
                yield job.key, Extracted(text=None, tables=[], error=f"unsupported type .{file_type}")
                continue
            was_fresh = child.fresh
            result = child.extract(job.path, file_type, timeout)
            if result.error and result.error.startswith("memory limit") and not was_fresh:
                # The heap earlier files left behind may be to blame: judge this file on its own.
                child.stop()
                result = child.extract(job.path, file_type, timeout)
            yield job.key, result
    finally:
        child.stop()
