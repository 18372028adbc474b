"""archive.lock: two crawls of one archive never overlap, and a killed holder frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.lock import ArchiveLocked, archive_lock


def test_a_second_holder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    with archive_lock(db), pytest.raises(ArchiveLocked, match="already running"), archive_lock(db):
        pass


def test_the_lock_is_free_again_after_release(tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    with archive_lock(db):
        pass
    with archive_lock(db) as path:
        assert path.read_text() == str(os.getpid())


def test_kill_9_of_the_holder_frees_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "tdkt.sqlite"
    code = "\n".join(
        [
            "import time",
            "from archive.lock import archive_lock",
            f"with archive_lock({str(db)!r}):",
            "    print('held', flush=True)",
            "    time.sleep(60)",
        ]
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(ArchiveLocked, match=str(holder.pid)), archive_lock(db):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 10  # bounded wait for the kernel to release the flock
    while True:
        try:
            with archive_lock(db):
                break
        except ArchiveLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
