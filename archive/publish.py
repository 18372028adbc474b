"""Publish an archive with Datasette: read-only, time-limited, searchable with or without diacritics.

Everything Datasette is started with ships inside the package, so a wheel install serves an archive
exactly as the source tree does: the plugins, templates and static files of the reading room
(`archive/datasette_plugins/`), the canned queries as readable `.sql` files (`queries/<name>.sql`),
and the table, column and query descriptions of `datasette_metadata.json`. That file lives at the
repository's top level, where the schema's documentation is kept; building a wheel copies it into the
package (`archive/packaging.py`). It is written for a database named "archive"; `build_metadata` re-keys
it to the file actually served (Datasette names a database after its file), adds each query's SQL and
sets the robots policy. The database is always served mutable, never with `-i`: a crawl may be writing
to it, and Datasette's read-only connections see each commit thanks to WAL.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PLUGINS_DIR = Path(__file__).resolve().parent / "datasette_plugins"
TEMPLATES_DIR = PLUGINS_DIR / "templates"
STATIC_DIR = PLUGINS_DIR / "static"
QUERIES_DIR = PLUGINS_DIR / "queries"
METADATA_NAME = "datasette_metadata.json"
# In a wheel the metadata sits beside the plugins; in the source tree (and an editable install) at the top.
PACKAGED_METADATA = PLUGINS_DIR / METADATA_NAME
REPO_METADATA = Path(__file__).resolve().parent.parent / METADATA_NAME
METADATA_PATH = PACKAGED_METADATA if PACKAGED_METADATA.is_file() else REPO_METADATA
METADATA_DATABASE = "archive"
# Where the reading room's static files are served: /room/room.css.
STATIC_MOUNT = "room"
# The reading room's settings in the metadata's plugins section (room/config.py reads them).
ROOM_PLUGIN = "tdkt-reading-room"

# A slow ad-hoc query must not stall a public server; 3 s is ample for the archive's size.
SQL_TIME_LIMIT_MS = 3000
# Caps one JSON/HTML page of results; whole tables still download as CSV with _stream=on.
MAX_RETURNED_ROWS = 2000
SETTINGS: dict[str, str] = {
    "sql_time_limit_ms": str(SQL_TIME_LIMIT_MS),
    "max_returned_rows": str(MAX_RETURNED_ROWS),
    "facet_time_limit_ms": "500",
    # The archive changes while a crawl runs: a short cache keeps "what's new" honest.
    "default_cache_ttl": "60",
    # Nothing here is a file to hand out whole; tables download as CSV or JSON.
    "allow_download": "off",
    # Suggested facets run one query per column over every search match on every table page: most of a
    # `_search` request's time (bench section 4). The configured facets (kind, category, year) stay.
    "suggest_facets": "off",
}
ROBOTS_PUBLIC = "User-agent: *\nAllow: /"


def load_metadata(path: Path = METADATA_PATH, queries_dir: Path = QUERIES_DIR) -> dict[str, Any]:
    """The metadata as Datasette reads it: each canned query given the SQL of its `.sql` file."""
    with path.open(encoding="utf-8") as f:
        metadata: dict[str, Any] = json.load(f)
    queries = metadata.get("databases", {}).get(METADATA_DATABASE, {}).get("queries", {})
    for name, query in queries.items():
        query["sql"] = (queries_dir / f"{name}.sql").read_text(encoding="utf-8").strip()
    return metadata


def database_name(db_path: Path) -> str:
    """The name Datasette gives the database: its file name without the extension."""
    return Path(db_path).stem


def build_metadata(
    db_path: Path,
    *,
    public: bool = False,
    base: dict[str, Any] | None = None,
    room: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The metadata to serve `db_path` with: the package's metadata, re-keyed to that database.

    `room` overrides the reading room's settings (room/config.py), for tests that need a small archive
    to take the paths a large one takes.
    """
    metadata = json.loads(json.dumps(base)) if base is not None else load_metadata()
    name = database_name(db_path)
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        metadata["databases"] = {name: databases[METADATA_DATABASE]}
    plugins = metadata.setdefault("plugins", {})
    if room:
        plugins[ROOM_PLUGIN] = {**plugins.get(ROOM_PLUGIN, {}), **room}
    if public:
        plugins["datasette-block-robots"] = {"literal": ROBOTS_PUBLIC}
    else:
        plugins["datasette-block-robots"] = {"disallow": ["/"]}
    return metadata


def write_metadata(
    db_path: Path, directory: Path, *, public: bool = False, room: dict[str, Any] | None = None
) -> Path:
    path = Path(directory) / "metadata.json"
    metadata = build_metadata(db_path, public=public, room=room)
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def datasette_command(
    db_path: Path,
    metadata_path: Path,
    *,
    port: int = 8001,
    host: str = "127.0.0.1",
    open_browser: bool = False,
) -> list[str]:
    """The `datasette serve` command line: mutable file, no --root, limits set, our plugins loaded."""
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db_path),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
        "--static",
        f"{STATIC_MOUNT}:{STATIC_DIR}",
        "--host",
        host,
        "--port",
        str(port),
    ]
    for name, value in SETTINGS.items():
        command += ["--setting", name, value]
    if open_browser:
        command.append("--open")
    return command


def serve(
    db_path: Path,
    *,
    port: int = 8001,
    host: str = "127.0.0.1",
    public: bool = False,
    open_browser: bool = False,
) -> int:
    """Run Datasette on the archive until it stops (Ctrl-C); returns its exit status."""
    db_path = Path(db_path)
    if not db_path.is_file():
        print(f"No archive at {db_path}: run `tdkt crawl` (or `tdkt demo`) first.", file=sys.stderr)
        return 2
    bring_schema_up_to_date(db_path)
    with tempfile.TemporaryDirectory(prefix="tdkt-serve-") as tmp:
        metadata_path = write_metadata(db_path, Path(tmp), public=public)
        command = datasette_command(db_path, metadata_path, port=port, host=host, open_browser=open_browser)
        process = subprocess.Popen(command)
        try:
            return process.wait()
        except KeyboardInterrupt:
            _stop(process)
            return 0


def _stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, a grace period for Datasette to close its connections, then SIGKILL."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def bring_schema_up_to_date(db_path: Path) -> None:
    """Add what the reading room reads and an archive made by older code lacks (archive.db.create_schema:
    new nullable columns, indexes, attachments_fts filled from the texts already read). Idempotent, and
    a few milliseconds when there is nothing to add; an archive on read-only storage is served as it is."""
    from sqlalchemy.exc import OperationalError

    from archive.db import open_archive

    try:
        engine, _ = open_archive(db_path)
        engine.dispose()
    except OperationalError as exc:
        print(f"Serving {db_path} without updating its schema: {exc.orig}", file=sys.stderr)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_datasette(
    db_path: Path,
    *,
    public: bool = False,
    host: str = "127.0.0.1",
    startup_timeout: float = 60.0,
    room: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Datasette serving `db_path` on a free loopback port, exactly as `serve` runs it; yields its base URL.

    For tests, benchmarks and the demo: the server is a real subprocess, stopped on exit. `room`
    overrides reading-room settings (see build_metadata); `env` replaces the child's environment;
    `log_path` keeps the server's output (by default it goes with the temporary folder).
    """
    db_path = Path(db_path)
    bring_schema_up_to_date(db_path)
    with tempfile.TemporaryDirectory(prefix="tdkt-serve-") as tmp:
        metadata_path = write_metadata(db_path, Path(tmp), public=public, room=room)
        port = free_port(host)
        log_path = log_path or Path(tmp) / "datasette.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                datasette_command(db_path, metadata_path, port=port, host=host),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
            base_url = f"http://{host}:{port}"
            try:
                _wait_until_up(base_url, process, startup_timeout, log_path)
                yield base_url
            finally:
                _stop(process)


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"datasette exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/-/versions.json", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"datasette did not answer within {timeout} s:\n{log_path.read_text()[-4000:]}")
