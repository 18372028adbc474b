"""archive.cdx: one adapter, two CDX APIs — tested against a real pywb and the replica's IA-style Wayback,
both serving the same WARC files, and compared with what the files hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from archive.cdx import IA, PYWB, CdxServer, flavor_of, replay_prefix_of
from archive.importer import CdxSource
from archive.polite import ArchiveUnavailable, PoliteClient
from archive.store import ArchiveStore
from replica.pywb import running_pywb
from replica.wayback import running_wayback
from tests.webarchive_fixtures import CAPTURES, Written, of_host, write_small_archive

FAST = {"rate_per_minute": 60_000, "backoff_seconds": 0.05}


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_small_archive(tmp_path_factory.mktemp("others"))


@pytest.fixture(scope="module")
def pywb(warcs: list[Path]) -> Iterator[Any]:
    with running_pywb(warcs) as handle:
        yield handle


@pytest.fixture
def wayback(warcs: list[Path]) -> Iterator[Any]:
    with running_wayback(warcs) as server:
        yield server


@pytest.fixture(params=[PYWB, IA])
def server(request: pytest.FixtureRequest, pywb: Any, warcs: list[Path]) -> Iterator[CdxServer]:
    if request.param == PYWB:
        yield CdxServer(pywb.cdx_url, PoliteClient(**FAST))
    else:
        with running_wayback(warcs) as wayback:
            yield CdxServer(wayback.cdx_url, PoliteClient(**FAST))


def expected(host: str) -> set[tuple[str, str, int | None, str | None]]:
    out = set()
    for c in of_host(host):
        mime = "warc/revisit" if c.status is None else dict(c.headers)["Content-Type"].split(";")[0]
        out.add((c.url, c.timestamp, c.status, mime))
    return out


def listed(server: CdxServer, host: str, **bounds: Any) -> list[Any]:
    return [c for page in server.list_pages(host, **bounds) for c in page.captures]


def test_the_flavor_and_the_replay_prefix_come_from_the_address() -> None:
    assert flavor_of("http://web.archive.org/cdx/search/cdx") == IA
    assert replay_prefix_of("http://web.archive.org/cdx/search/cdx", IA) == "http://web.archive.org/web/"
    assert flavor_of("http://127.0.0.1:8080/tdkt/cdx") == PYWB
    assert replay_prefix_of("http://127.0.0.1:8080/tdkt/cdx", PYWB) == "http://127.0.0.1:8080/tdkt/"


@pytest.mark.parametrize("host", ["tdkt.thaibinh.gov.vn", "bantdkt.thaibinh.gov.vn"])
def test_both_apis_list_every_capture_of_a_host_and_its_subdomains_and_nothing_else(
    server: CdxServer, host: str
) -> None:
    got = {(c.url, c.timestamp, c.status, c.mime) for c in listed(server, host)}
    assert got == expected(host)


def test_digests_are_the_payload_digests(server: CdxServer) -> None:
    from archive.warc import payload_digest

    want = {
        (c.url, c.timestamp): payload_digest(c.body).removeprefix("sha1:")
        for c in of_host("tdkt.thaibinh.gov.vn")
    }
    got = {(c.url, c.timestamp): c.digest for c in listed(server, "tdkt.thaibinh.gov.vn")}
    assert got == want


def test_from_and_to_are_asked_of_the_server(server: CdxServer) -> None:
    got = {
        (c.url, c.timestamp)
        for c in listed(server, "tdkt.thaibinh.gov.vn", start="2025", end="20251231235959")
    }
    assert got == {(c.url, c.timestamp) for c in of_host("tdkt.thaibinh.gov.vn") if c.timestamp >= "2025"}


def by_url(url: str, status: int | None = 200) -> Written:
    return next(c for c in CAPTURES if c.url == url and c.status == status)


def test_a_raw_capture_has_the_site_s_bytes_and_headers(server: CdxServer) -> None:
    article = by_url("https://tdkt.thaibinh.gov.vn/tin-tuc/hoi-nghi-dien-hinh-101.html")
    (capture,) = [
        c for c in listed(server, "tdkt.thaibinh.gov.vn") if c.url == article.url and c.status == 200
    ]
    raw = server.fetch(capture)
    headers = {k.lower(): v for k, v in raw.headers}
    assert (raw.status, raw.body) == (200, article.body)
    assert headers["etag"] == '"a101-v1"'
    assert headers["last-modified"] == "Tue, 05 Mar 2024 02:00:00 GMT"
    assert headers["content-type"].startswith("text/html")
    assert not any(k.startswith(("memento", "x-archive", "link")) for k in headers)


def test_a_raw_redirect_points_at_the_site_not_at_the_archive(server: CdxServer) -> None:
    (capture,) = [c for c in listed(server, "tdkt.thaibinh.gov.vn") if c.status == 302]
    raw = server.fetch(capture)
    location = dict((k.lower(), v) for k, v in raw.headers)["location"]
    assert raw.status == 302
    assert urljoin(capture.url, location) == "http://tdkt.thaibinh.gov.vn/tai-khoan/dang-nhap.html"


def test_an_ia_listing_comes_in_pages_joined_by_resume_keys(wayback: Any) -> None:
    server = CdxServer(wayback.cdx_url, PoliteClient(**FAST), page_size=3)
    pages = list(server.list_pages("tdkt.thaibinh.gov.vn"))
    rows = [(c.url, c.timestamp) for page in pages for c in page.captures]
    assert len(rows) == len(set(rows))
    assert set(rows) == {(url, ts) for url, ts, _, _ in expected("tdkt.thaibinh.gov.vn")}
    assert [p.resume_key is None for p in pages] == [False] * (len(pages) - 1) + [True]
    assert len(pages) == -(-len(rows) // 3)
    assert sum("resumeKey=" in e.path for e in wayback.log) == len(pages) - 1


def test_a_listing_cut_short_resumes_at_its_key_without_asking_again(wayback: Any, tmp_path: Path) -> None:
    store = ArchiveStore(tmp_path / "tdkt.sqlite")
    hosts = ("tdkt.thaibinh.gov.vn",)
    wayback.throttle_requests = {3}  # the third page is refused, and the client gives up at once
    impatient = CdxSource(CdxServer(wayback.cdx_url, PoliteClient(**FAST, attempts=1), page_size=3), hosts)
    with pytest.raises(ArchiveUnavailable):
        impatient.list_into(store, start=None, end=None)
    asked_before = [e.path for e in wayback.log if e.status == 200]
    patient = CdxSource(CdxServer(wayback.cdx_url, PoliteClient(**FAST), page_size=3), hosts)
    patient.list_into(store, start=None, end=None)
    asked_after = [e.path for e in wayback.log if e.status == 200][len(asked_before) :]
    rows = [(r["url"], r["timestamp"]) for r in store.captures_of([wayback.cdx_url])]
    assert sorted(rows) == sorted({(url, ts) for url, ts, _, _ in expected("tdkt.thaibinh.gov.vn")})
    assert not set(asked_before) & set(asked_after)  # no page of the listing was asked for twice
    assert "resumeKey=" in asked_after[0]
    # Finished: a later import asks nothing more of this listing, until the import completes.
    patient.list_into(store, start=None, end=None)
    assert [e.path for e in wayback.log if e.status == 200][len(asked_before) + len(asked_after) :] == []
