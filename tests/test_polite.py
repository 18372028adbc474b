"""archive.polite: the pace, the back-off and the name, measured at the server (the replica's Wayback log).

Rates are test-sized (hundreds a minute, not 20) so that nothing here waits for minutes; the rule
measured is the same.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.polite import ArchiveUnavailable, PoliteClient
from replica.wayback import running_wayback
from scraper.settings import USER_AGENT
from tests.webarchive_fixtures import write_small_archive

SLACK = 0.02  # seconds: the clock of the server thread against the client's


@pytest.fixture(scope="module")
def warcs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_small_archive(tmp_path_factory.mktemp("others"))


@pytest.fixture
def wayback(warcs: list[Path]) -> Iterator[Any]:
    with running_wayback(warcs, retry_after=0) as server:
        yield server


def gaps(log: list[Any]) -> list[float]:
    times = sorted(e.at for e in log)
    return [b - a for a, b in itertools.pairwise(times)]


def test_requests_keep_the_configured_rate_whichever_thread_asks(wayback: Any) -> None:
    client = PoliteClient(rate_per_minute=600)  # one request each 0.1 s
    url = wayback.cdx_url + "?url=tdkt.thaibinh.gov.vn&matchType=domain&output=json"
    threads = [threading.Thread(target=lambda: [client.get(url) for _ in range(4)]) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wayback.log) == 12
    assert min(gaps(wayback.log)) >= 0.1 - SLACK
    # ...and in any 0.5 s window no more than the rate allows (5), plus the one on its edge.
    times = sorted(e.at for e in wayback.log)
    assert max(sum(1 for t in times if start <= t < start + 0.5) for start in times) <= 5 + 1


def test_a_429_holds_every_request_to_the_host_with_doubling_waits(wayback: Any) -> None:
    wayback.throttle_requests = {2, 3}
    client = PoliteClient(rate_per_minute=60_000, backoff_seconds=0.3)
    url = wayback.cdx_url + "?url=tdkt.thaibinh.gov.vn&output=json"
    answers = [client.get(url).status for _ in range(3)]
    assert answers == [200, 200, 200]
    assert [e.status for e in wayback.log] == [200, 429, 429, 200, 200]
    waits = gaps(wayback.log)
    assert waits[1] >= 0.3 - SLACK and waits[2] >= 0.6 - SLACK
    assert client.backoffs == 2
    assert not any(e.ignored_retry_after for e in wayback.log)


def test_retry_after_is_obeyed_when_longer_than_the_back_off(warcs: list[Path]) -> None:
    with running_wayback(warcs, retry_after=1, throttle_requests={1}) as wayback:
        client = PoliteClient(rate_per_minute=60_000, backoff_seconds=0.05)
        assert client.get(wayback.cdx_url + "?url=tdkt.thaibinh.gov.vn").status == 200
        assert gaps(wayback.log)[0] >= 1.0 - SLACK
        assert not any(e.ignored_retry_after for e in wayback.log)


def test_an_archive_that_keeps_refusing_is_given_up_on_with_a_reason(wayback: Any) -> None:
    wayback.throttle_requests = {1, 2, 3}
    client = PoliteClient(rate_per_minute=60_000, backoff_seconds=0.01, attempts=3)
    with pytest.raises(ArchiveUnavailable, match=r"127\.0\.0\.1:\d+ refused .* 3 times \(HTTP 429\)"):
        client.get(wayback.cdx_url + "?url=tdkt.thaibinh.gov.vn")
    assert len(wayback.log) == 3


def test_an_archive_that_is_not_there_is_given_up_on_too() -> None:
    client = PoliteClient(rate_per_minute=60_000, backoff_seconds=0.01, attempts=2, timeout=2)
    with pytest.raises(ArchiveUnavailable, match=r"ConnectionRefusedError|URLError"):
        client.get("http://127.0.0.1:9/cdx/search/cdx?url=x")


def test_it_says_who_it_is_and_hands_back_redirects_unfollowed(wayback: Any) -> None:
    answer = PoliteClient(rate_per_minute=60_000).get(
        wayback.base_url + "web/2024id_/http://tdkt.thaibinh.gov.vn/"
    )
    assert answer.status == 302  # to the closest capture: the caller decides what to do with it
    assert {e.user_agent for e in wayback.log} == {USER_AGENT}
