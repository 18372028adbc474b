"""One crawl per archive at a time.

An flock on a file beside the database: the kernel releases it when the process dies, even by
kill -9, so a crashed run never leaves a stale lock for cron to trip over.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ArchiveLocked(RuntimeError):
    pass


@contextmanager
def archive_lock(db_path: str | Path) -> Iterator[Path]:
    # Beside the archive, in a folder the caller made sure of (`tdkt crawl` checks --db first).
    lock_path = Path(f"{db_path}.lock")
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise ArchiveLocked(
                f"another crawl is already running on {db_path} (pid {holder}); not starting a second one"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield lock_path
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
