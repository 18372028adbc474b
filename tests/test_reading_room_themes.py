"""The reading room on an archive of another replica theme, made by older code (`soup`, crawled by
f7d0d36: tests/test_reparse_e2e.py describes it): every item page answers, shows nothing from the
original site, links the items the archive holds to their archive copies, and serves what it archived.

Served twice: as the old code left it (no site recorded yet: addresses matched exactly), and after the
store has opened it (the site recorded, items keyed), as any later crawl or reparse leaves it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tarfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import html as lxml_html

from archive.publish import running_datasette
from archive.site import item_key
from archive.store import ArchiveStore
from tests.conftest import FILES

FIXTURE = FILES / "archives" / "soup90_crawled_by_f7d0d36.tar.gz"


@pytest.mark.parametrize("opened_by_store", [False, True])
def test_every_item_of_a_soup_theme_archive_reads_from_the_archive(
    tmp_path: Path, opened_by_store: bool
) -> None:
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(tmp_path, filter="data")
    db = tmp_path / "tdkt.sqlite"
    if opened_by_store:
        ArchiveStore(db).close()
    with sqlite3.connect(db) as conn:
        pages = dict(conn.execute("select id, url from pages"))
        images = {i: s for i, s in conn.execute("select id, sha256 from images where sha256 is not null")}
    keys = {item_key(url): page_id for page_id, url in pages.items()}
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(next(iter(pages.values()))))
    assert len(pages) >= 90
    with running_datasette(db) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        for page_id, url in pages.items():
            response = client.get(f"/item/{page_id}")
            assert response.status_code == 200, (url, response.status_code)
            body = lxml_html.fromstring(response.text).cssselect("article .body")
            if not body:
                continue
            for img in body[0].iter("img"):
                src = img.get("src")
                assert src is None or src.startswith("/image/"), (url, src)
            for a in body[0].iter("a"):
                href = a.get("href") or ""  # the archive's own links are paths: /item/4, /attachment/7
                assert href.startswith(("/", "http://", "https://", "mailto:")) or not href, (url, href)
                if href.startswith(origin):
                    # A link left pointing at the original site names nothing the archive holds.
                    assert item_key(href.split("#")[0]) not in keys, (url, href)
        for image_id, sha256 in images.items():
            response = client.get(f"/image/{image_id}")
            assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == sha256
