"""Which database the reading room reads, where its files lie, and a short cache of table-wide lists."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.database import Database
from datasette.utils.asgi import NotFound

from archive.datasette_plugins.room.search import EXACT_LIMIT

ROOM_PLUGIN = "tdkt-reading-room"  # archive.publish.ROOM_PLUGIN: the settings' key in the metadata
# Lists every search page shows (kinds, years, categories) are recomputed at most this often: they move
# only when a crawl adds pages, and Datasette caches its own pages for as long (default_cache_ttl).
LIST_TTL_SECONDS = 60.0
_INTERNAL = {"_internal", "_memory"}


@dataclass(frozen=True)
class Archive:
    name: str
    db: Database
    root: Path  # the folder holding the SQLite file, files/ and warc/

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc"


def archive_of(datasette: Any) -> Archive:
    """The archive Datasette serves: `tdkt serve` serves exactly one database file."""
    for name, db in datasette.databases.items():
        if name not in _INTERNAL and db.path:
            return Archive(name, db, Path(db.path).resolve().parent)
    raise NotFound("Không có kho lưu trữ nào được phục vụ / No archive is being served")


def room_setting(datasette: Any, key: str, default: Any) -> Any:
    config = datasette.plugin_config(ROOM_PLUGIN) or {}
    return config.get(key, default)


def exact_limit(datasette: Any) -> int:
    return int(room_setting(datasette, "exact_limit", EXACT_LIMIT))


_cache: dict[tuple[str, str], tuple[float, Any]] = {}


def cached(archive: Archive, key: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept for LIST_TTL_SECONDS per archive and key (compute runs in the SQL thread)."""
    now = time.monotonic()
    hit = _cache.get((archive.name, key))
    if hit is not None and now - hit[0] < LIST_TTL_SECONDS:
        return hit[1]
    value = compute()
    _cache[(archive.name, key)] = (now, value)
    return value
