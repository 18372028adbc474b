"""The defaults of a crawl, in one place: the command line, the spider, the settings and the docs read them.

They are the values for the real site; tests and the demo pass their own.
"""

from __future__ import annotations

from pathlib import Path

# The board's site. It answers under both host names, over http and https, with the same items at the
# same paths: an archive of it treats every one of these addresses as the same site (archive.site).
DEFAULT_SITE = "http://tdkt.thaibinh.gov.vn/"
SITE_HOST_NAMES = ("tdkt.thaibinh.gov.vn", "bantdkt.thaibinh.gov.vn")

DEFAULT_DB = Path("data/tdkt.sqlite")
DEMO_DB = Path("data/demo/tdkt.sqlite")

# Attached files and article images above this are skipped with an error row: no attachment of this
# site comes near it, and a broken server must not fill the disk.
MAX_FILE_MB = 50.0
MAX_FILE_BYTES = int(MAX_FILE_MB * 1024 * 1024)
# A "next" link that never ends must not trap a list walk.
MAX_LIST_PAGES = 500
# Share of a run's requests that may end in errors before the run is `done_with_errors` (exit 1).
ERROR_THRESHOLD = 0.05
