"""archive.captures: which captures an import delivers, in what order; dates as archives write them."""

from __future__ import annotations

import pytest

from archive.captures import REVISIT_MIME, Capture, delivery_order, resolve_revisits
from archive.normalize.dates import bound_timestamp, iso_to_timestamp, timestamp_to_iso

URL = "http://tdkt.thaibinh.gov.vn/thong-bao/hop-ban-chi-dao-4101.html"


def capture(stamp: str, status: int | None, digest: str, mime: str = "text/html") -> Capture:
    return Capture(
        URL,
        stamp,
        status,
        REVISIT_MIME if status is None else mime,
        digest,
        f"f.warc#{stamp}",
        id=int(stamp[-4:]),
    )


def stamps(captures: list[Capture]) -> list[str]:
    return [c.timestamp for c in captures]


A1 = capture("20240101000001", 200, "AAAA")
A2 = capture("20240201000002", 200, "AAAA")  # the same bytes again
REVISIT = capture("20240301000003", None, "AAAA")
B = capture("20240401000004", 200, "BBBB")
GONE = capture("20240501000005", 404, "NNNN")
ERROR = capture("20240601000006", 503, "EEEE")
MOVED = capture("20240701000007", 302, "RRRR")


def test_by_default_the_latest_good_capture() -> None:
    assert stamps(delivery_order([A1, B, A2], all_captures=False)) == [B.timestamp]


def test_a_later_404_follows_the_latest_good_capture_so_the_removal_is_recorded() -> None:
    gone_then_back = capture("20240115000009", 404, "NNNN")
    assert stamps(delivery_order([A1, gone_then_back, B], all_captures=False)) == [B.timestamp]
    assert stamps(delivery_order([A1, B, GONE, ERROR], all_captures=False)) == [B.timestamp, GONE.timestamp]


def test_an_item_never_answered_200_gets_its_latest_capture_recorded() -> None:
    assert stamps(delivery_order([GONE, MOVED], all_captures=False)) == [MOVED.timestamp]


def test_all_captures_keeps_each_change_of_payload_oldest_first() -> None:
    got = delivery_order([B, A2, REVISIT, A1, GONE, ERROR], all_captures=True)
    assert stamps(got) == [A1.timestamp, B.timestamp, GONE.timestamp, ERROR.timestamp]


def test_a_revisit_stands_for_its_original_at_its_own_time() -> None:
    (first, revisit) = resolve_revisits([REVISIT, A1])
    assert (revisit.timestamp, revisit.status, revisit.locator, revisit.id) == (
        REVISIT.timestamp,
        200,
        A1.locator,
        REVISIT.id,
    )
    assert first == A1


def test_a_revisit_whose_original_is_missing_is_dropped() -> None:
    assert resolve_revisits([REVISIT]) == []


def test_from_and_to_bound_the_captures() -> None:
    start, end = bound_timestamp("2024-02", upper=False), bound_timestamp("2024-04", upper=True)
    assert stamps(delivery_order([A1, A2, B, GONE], all_captures=True, start=start, end=end)) == [
        A2.timestamp,
        B.timestamp,
    ]


@pytest.mark.parametrize(
    ("given", "lower", "upper"),
    [
        ("2024", "20240101000000", "20241231235959"),
        ("2024-02", "20240201000000", "20240231235959"),
        ("2024-02-29", "20240229000000", "20240229235959"),
        ("20240229101112", "20240229101112", "20240229101112"),
    ],
)
def test_date_bounds(given: str, lower: str, upper: str) -> None:
    assert (bound_timestamp(given, upper=False), bound_timestamp(given, upper=True)) == (lower, upper)


@pytest.mark.parametrize("bad", ["24", "2024-13", "2024-02-30", "hôm qua"])
def test_a_bound_that_is_no_date_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        bound_timestamp(bad, upper=False)


def test_timestamps_and_iso_times_round_trip() -> None:
    assert timestamp_to_iso("20250701083015") == "2025-07-01T08:30:15+00:00"
    assert iso_to_timestamp("2025-07-01T08:30:15Z") == "20250701083015"
    assert iso_to_timestamp("2025-07-01T15:30:15+07:00") == "20250701083015"
