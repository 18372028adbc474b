"""How main-f7d0d36.sqlite.gz was made: run from a checkout of main at f7d0d36 (before items had keys).

    git worktree add --detach /tmp/old f7d0d36 && cd /tmp/old
    python tests/files/archives/make_main_f7d0d36.py OUT    # the script, copied there

A 90-item replica crawled at one port, then --full after it changed (state 2); then the same site at a
second port and under `localhost` — each of which that code archived as new items. No files or WARC are
kept: the fixture is the SQLite file alone (checkpointed, vacuumed, gzipped). Tests never rerun this.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from replica.testing import running_replica


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    db = out / "tdkt.sqlite"

    def crawl(base: str, *extra: str) -> None:
        command = [sys.executable, "-m", "archive.cli", "crawl", "--site", base, "--db", str(db)]
        command += ["--delay", "0", "--quiet", "--concurrency", "4", "--no-warc", *extra]
        subprocess.run(command, check=False)

    with running_replica(items=90) as first:
        crawl(first.base_url)
        first.set_state(2)
        crawl(first.base_url, "--full")
    with running_replica(items=90, state=2) as second:
        crawl(second.base_url)
        crawl(second.base_url.replace("127.0.0.1", "localhost"))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn = sqlite3.connect(db)
    conn.execute("VACUUM")
    conn.close()
    # then: gzip -9 -c OUT/tdkt.sqlite > tests/files/archives/main-f7d0d36.sqlite.gz


if __name__ == "__main__":
    main(Path(sys.argv[1]))
