"""`tdkt verify`: prove that every stored byte is what was fetched.

Attached files and article images are re-hashed against `attachments.sha256` and `images.sha256`;
every WARC record the index knows is re-read and its block and payload digests checked. Each mismatch
is named.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Tables whose rows are downloads stored content-addressed under files/, and what one row is called.
STORED_FILES = {"attachments": "attachment", "images": "image"}


def verify_files(conn: sqlite3.Connection, root: Path, table: str = "attachments") -> tuple[list[str], int]:
    problems: list[str] = []
    what = STORED_FILES[table]
    rows = conn.execute(
        f"SELECT id, url, sha256, stored_path FROM {table} WHERE sha256 IS NOT NULL ORDER BY id"
    ).fetchall()
    for row_id, url, expected, stored_path in rows:
        path = root / stored_path
        if not path.is_file():
            problems.append(f"{what} {row_id} ({url}): file {path} is missing")
            continue
        actual = _sha256_file(path)
        if actual != expected:
            problems.append(
                f"{what} {row_id} ({url}): file {path} has sha256 {actual}, archived as {expected}"
            )
    return problems, len(rows)


def verify_warcs(conn: sqlite3.Connection, warc_dir: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    indexed = conn.execute(
        "SELECT filename, offset, url FROM warc_records ORDER BY filename, offset"
    ).fetchall()
    by_file: dict[str, dict[int, str]] = {}
    for filename, offset, url in indexed:
        by_file.setdefault(filename, {})[offset] = url
    for filename, offsets in by_file.items():
        path = warc_dir / filename
        if not path.is_file():
            problems.append(f"WARC file {path} is missing ({len(offsets)} records indexed)")
            continue
        seen: set[int] = set()
        try:
            with open(path, "rb") as fh:
                records = ArchiveIterator(fh, check_digests=True)
                for record in records:
                    record.content_stream().read()
                    offset = records.get_record_offset()
                    if offset not in offsets:
                        continue  # warcinfo and request records, and an unindexed tail left by a kill
                    seen.add(offset)
                    if record.digest_checker.passed is False:
                        why = "; ".join(str(p) for p in record.digest_checker.problems)
                        problems.append(f"WARC {path} record at {offset} ({offsets[offset]}): {why}")
        except Exception as exc:  # a damaged gzip member or header: name the file and what broke
            # The exception may quote the damaged bytes: keep the message printable and short.
            why = str(exc).splitlines()[0][:60].encode("ascii", "backslashreplace").decode()
            problems.append(
                f"WARC {path}: damaged after offset {max(seen, default=0)} ({type(exc).__name__}: {why})"
            )
            continue
        for offset in sorted(set(offsets) - seen):
            problems.append(f"WARC {path}: indexed record at {offset} ({offsets[offset]}) not found")
    return problems, len(indexed)


def verify_archive(db_path: str | Path, warc_dir: Path | None = None) -> tuple[list[str], int]:
    db_path = Path(db_path)
    root = db_path.parent
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        problems: list[str] = []
        checked = 0
        for table in STORED_FILES:
            if table in tables:  # an archive made before images were kept has no images table
                file_problems, n_files = verify_files(conn, root, table)
                problems += file_problems
                checked += n_files
        if "warc_records" in tables:
            warc_problems, n_records = verify_warcs(conn, warc_dir or root / "warc")
            problems += warc_problems
            checked += n_records
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"SQLite integrity_check: {integrity}")
    return problems, checked
