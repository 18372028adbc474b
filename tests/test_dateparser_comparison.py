"""Where ``to_iso`` and plain ``dateparser.parse(s, languages=["vi"])`` disagree over the date catalogue.

The list below is exact, so a dateparser upgrade that changes its reading of any catalogued form makes
this test fail and the change gets looked at (written against dateparser 1.5.0). Each entry says which
side is right and why. Values are compared after both are brought to +07:00, a midnight time counting
as "date only" (dateparser always returns a datetime).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import dateparser
import pytest

from archive.normalize.dates import to_iso

CATALOGUE = Path(__file__).parent / "files" / "dates" / "catalogue.tsv"
VN = timezone(timedelta(hours=7))

EXPECTED_DISAGREEMENTS = [
    # Labels and place names: dateparser gives up on the whole string (§2.4); to_iso is right.
    "Ngày: 13/06/2022",
    "Ngày đăng: 13/06/2022",
    "Ngày ban hành: 21/11/2014",
    "Ngày hiệu lực: 01/01/2024",
    "Ngày cập nhật: 13/06/2022",
    "Cập nhật: 13/06/2022",
    "Đăng ngày 13/06/2022",
    "Ðăng ngày 13/06/2022",
    "Thái Bình, ngày 21 tháng 11 năm 2014",
    "Hà Nội, ngày 05 tháng 01 năm 2024",
    "Cập nhật lúc 08:30 13/06/2022",
    "Cập nhật lúc: 13/06/2022 08:30",
    "Chiều ngày 9/9/2021",
    "Sáng 19/7/2024, tại Hội trường UBND tỉnh",
    "Quyết định số 2207/QĐ-CTN ngày 13/6/2022",
    # The grid weekday "T2" is unknown to dateparser's vi data (None); to_iso is right.
    "T2, 13/06/2022",
    # Periods: dateparser invents the missing day (and month) from today; to_iso is right to say None,
    # these are a month or a year (parse_period reads them).
    "tháng 12/2024",
    "tháng 12 năm 2024",
    "12/2024",
    "năm 2024",
    "2024",
    # No year: dateparser takes the current year, which is wrong for news about past events (§1.6);
    # to_iso says None and to_iso_with_context uses the publication date.
    "ngày 6/2",
    # Machine timestamps of an en-US server (order="MDY" for to_iso): dateparser with languages=["vi"]
    # returns None for a day > 12 and silently swaps day and month otherwise (§1.3); to_iso is right.
    "2/18/2025 2:03:59 PM",
    "2/3/2025 2:03:59 PM",
    # Hours written "8h30", "14h00", "08g30", "2 giờ chiều": dateparser gives up; to_iso is right.
    "8h30 ngày 13/6/2022",
    "14h00, ngày 20/12/2024",
    "08g30 ngày 13/06/2022",
    "08h30 13/06/2022",
    "2 giờ chiều ngày 13/6/2022",
    # "N giờ … phút": dateparser reads "N hours (and minutes) ago" and returns a time near now,
    # ignoring the written date — garbage (§2.4); to_iso is right.
    "14 giờ 00 ngày 20/12/2024",
    "08 giờ 30 phút, ngày 13/6/2022",
    # Relative phrases: dateparser is right relative to the clock; to_iso says None by design (an
    # archive date must not depend on when the crawl ran, and government pages hardly use them).
    "hôm nay",
    "hôm qua",
    "3 ngày trước",
    "2 giờ trước",
    "Thứ năm",
    "Thứ sáu",
    "Hôm nay",
    "Hôm qua",
    "2 giờ",
    "2 tuần 3 ngày",
    "23 ngày trước",
    "Hôm qua 08:16",
    "sau 22 giờ nữa",
    "Hôm nay 15:39",
    "21 giờ trước",
    "15 tháng trước",
    "tuần sau",
    # RSS <pubDate> is English (RFC 822): with languages=["vi"] dateparser reads none of it; to_iso is
    # right (auto-detected language would read it too, at twice the cost).
    "Mon, 13 Jun 2022 08:30:00 +0700",
    "Mon, 13 Jun 2022 01:30:00 GMT",
    "13 Jun 2022",
    # Sentences: parse() does not search inside prose (None); to_iso finds the one full date (the
    # "năm 1935", "tháng 8 năm 1940" in them are a year and a month, not dates). dateparser's own
    # search_dates finds the same full dates (its tests, §2.2).
    "1/1/1940. Vào tháng 8 năm 1940, Đức … Đến tháng 9 …",
    "Ý theo gương Đức trở thành một cường quốc phát xít vào năm 1935 và xâm lược Albania vào ngày 12 tháng 4 "
    "năm 1939.",
]


def _canonical(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(VN).replace(tzinfo=None)
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date().isoformat()
    return value.isoformat() + "+07:00"


def _ours(iso: str | None) -> str | None:
    if iso is None or "T" not in iso:
        return iso
    return _canonical(datetime.fromisoformat(iso))


def _catalogue() -> list[tuple[str, str]]:
    rows = []
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, order, *_ = line.split("\t")
            rows.append((text, order))
    return rows


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_disagreements_with_dateparser_are_exactly_the_known_ones() -> None:
    catalogue = _catalogue()
    disagreements = []
    for text, order in catalogue:
        theirs = _canonical(dateparser.parse(text, languages=["vi"]))
        if _ours(to_iso(text, order=order)) != theirs:
            disagreements.append(text)
    assert sorted(disagreements) == sorted(EXPECTED_DISAGREEMENTS)
    # Not vacuous: on most catalogued forms (plain numeric dates, ISO, "ngày … tháng … năm …",
    # weekdays, SA/CH) the two agree to the second.
    assert len(catalogue) - len(disagreements) >= 40
