"""What every benchmark shares: repeated measurements, the machine's description, bounded subprocesses
with their peak memory, and the replica served from its own process."""

from __future__ import annotations

import os
import platform
import resource
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Every subprocess the benchmarks start must end: a hung crawl may not hold `make bench` hostage.
DEFAULT_TIMEOUT = 900.0
RSS_POLL_SECONDS = 0.1


@dataclass
class Stat:
    """A figure measured several times: reported as the median with the range it moved in."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def fmt(self, digits: int = 1, unit: str = "") -> str:
        """ "12.3 (11.9–12.8)": median, then min–max over the runs."""
        if not self.values:
            return "n/a"
        return (
            f"{self.median:,.{digits}f}{unit} ({self.low:,.{digits}f}–{self.high:,.{digits}f}, "
            f"n={len(self.values)})"
        )


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: an observed value, never an interpolation between two."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.4999)))
    return ordered[rank - 1]


@dataclass
class Measured:
    """One bounded subprocess run: wall time and the peak resident memory of its whole process tree."""

    args: list[str]
    returncode: int
    elapsed: float
    peak_rss: int  # bytes, the largest sum over the tree seen by polling
    stdout: str
    stderr: str
    last_growth: float | None = None  # seconds from start until `watch_file` last grew
    stopped_at: float | None = None  # seconds from start when `stop_when` ended the run early
    cpu: float = 0.0  # user + system seconds of the process and every descendant it waited for

    def check(self) -> Measured:
        if self.returncode != 0 and self.stopped_at is None:
            raise RuntimeError(
                f"{' '.join(self.args[:6])}… exited {self.returncode}\n--- stdout\n{self.stdout[-3000:]}"
                f"\n--- stderr\n{self.stderr[-5000:]}"
            )
        return self


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # a child that ended between listing and reading
            continue
    return total


def run_measured(
    args: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    watch_file: Path | None = None,
    stop_when: Callable[[], bool] | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Measured:
    """Run `args`, polling the tree's RSS every 100 ms; killed (tree and all) after `timeout` seconds.

    `watch_file` (the replica's request log) tells when the last request was made: the end of fetching.
    `stop_when`, checked twice a second, ends the run early (terminated, as a user's Ctrl-C would).
    """
    args = [str(a) for a in args]
    full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}"
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        started = time.perf_counter()
        popen = subprocess.Popen(args, cwd=cwd, env=full_env, stdout=out, stderr=err)
        proc = psutil.Process(popen.pid)
        peak = 0
        watched_size = watch_file.stat().st_size if watch_file and watch_file.exists() else 0
        last_growth: float | None = None
        stopped_at: float | None = None
        polls = 0
        try:
            while popen.poll() is None:
                polls += 1
                if stop_when is not None and polls % 5 == 0 and stop_when():
                    stopped_at = time.perf_counter() - started
                    _stop(popen, stop_signal)
                    break
                peak = max(peak, _tree_rss(proc))
                if watch_file is not None and watch_file.exists():
                    size = watch_file.stat().st_size
                    if size != watched_size:
                        watched_size, last_growth = size, time.perf_counter() - started
                if time.perf_counter() - started > timeout:
                    raise TimeoutError(f"{' '.join(args[:6])}… still running after {timeout:.0f} s")
                time.sleep(RSS_POLL_SECONDS)
        finally:
            if popen.poll() is None:
                _kill_tree(popen)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    if stopped_at is not None:
        elapsed = stopped_at
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    return Measured(args, popen.returncode, elapsed, peak, stdout, stderr, last_growth, stopped_at, cpu)


def _stop(popen: subprocess.Popen[Any], signum: int) -> None:
    """Ask the process to stop, as a user's Ctrl-C would (SIGINT lets a profiler write its report).

    Scrapy takes the first signal as "finish what is in flight", after which `tdkt crawl` would go on to
    its enrich step; the second signal, a few seconds later, ends that too. Then make sure of it.
    """
    popen.send_signal(signum)
    for wait in (5, 60):
        try:
            popen.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            if popen.poll() is None:
                popen.send_signal(signum)
    _kill_tree(popen)


def _kill_tree(popen: subprocess.Popen[Any]) -> None:
    try:
        children = psutil.Process(popen.pid).children(recursive=True)
    except psutil.Error:
        children = []
    popen.terminate()
    for child in children:
        with suppress(psutil.Error):
            child.terminate()
    try:
        popen.wait(timeout=10)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait()
    for child in children:
        with suppress(psutil.Error):
            child.kill()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ReplicaServer:
    """The replica served by its own process (so it never shares a GIL with the client measured)."""

    base_url: str
    port: int
    items: int
    state: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def logged_requests(self) -> int:
        """Requests the server logged so far (one line each in its --log file)."""
        if not self.log_path.exists():
            return 0
        with self.log_path.open("rb") as f:
            return sum(1 for line in f if line.strip())


def replica_command(port: int, items: int, state: int, log_path: Path) -> list[str]:
    return [
        PYTHON,
        "-m",
        "archive.cli",
        "replica",
        "--port",
        str(port),
        "--items",
        str(items),
        "--state",
        str(state),
        "--log",
        str(log_path),
    ]


@contextmanager
def replica_server(
    *, items: int, state: int = 1, port: int | None = None, log_path: Path, startup_timeout: float = 300.0
) -> Iterator[ReplicaServer]:
    """`tdkt replica` on 127.0.0.1 in a subprocess, up and answering `/` before this yields."""
    port = port or free_port()
    log_path.unlink(missing_ok=True)
    stderr_path = log_path.with_suffix(".stderr")
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            replica_command(port, items, state, log_path),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        server = ReplicaServer(f"http://127.0.0.1:{port}/", port, items, state, log_path, process)
        try:
            _wait_for(server.base_url + "robots.txt", process, startup_timeout, stderr_path)
            yield server
        finally:
            _kill_tree(process)


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float, stderr_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{stderr_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s:\n{stderr_path.read_text()[-3000:]}")


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        # The results file is this harness's own output: a previous run's copy is not a code change.
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}{' (with uncommitted changes)' if dirty else ''}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, str]:
    memory = psutil.virtual_memory()
    load = os.getloadavg()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "cpus (nproc)": str(len(os.sched_getaffinity(0))),
        "cpu model": cpu_model(),
        "memory": f"{memory.total / 2**30:.1f} GiB ({memory.available / 2**30:.1f} GiB available at start)",
        "load average at start": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
    }


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def load_site(*, items: int | None = None, state: int = 1) -> Any:
    """`replica.build_site`, wherever the replica package exposes it."""
    try:
        from replica import build_site  # type: ignore[attr-defined]
    except ImportError:
        from replica.site import build_site
    return build_site(items=items, state=state)
