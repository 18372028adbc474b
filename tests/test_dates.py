"""Vietnamese dates: every catalogued form, impossible dates, look-alikes, periods, and round trips."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.normalize.dates import Period, find_dates, parse_period, to_iso, to_iso_with_context

CATALOGUE = Path(__file__).parent / "files" / "dates" / "catalogue.tsv"


def load_catalogue() -> list[tuple[str, str | None, str, str]]:
    """(text, expected ISO value or None, order, where the form comes from) per catalogue line."""
    rows = []
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, order, expected, where = line.split("\t")
        rows.append((text, None if expected == "-" else expected, order, where))
    return rows


# Module level, (text, expected, order) first: bench/dates.py reads this corpus too.
ROWS = load_catalogue()


@pytest.mark.parametrize(("text", "expected", "order", "where"), ROWS, ids=[f"{r[3]}: {r[0]}" for r in ROWS])
def test_catalogue_form(text: str, expected: str | None, order: str, where: str) -> None:
    assert to_iso(text, order=order) == expected


def test_the_catalogue_covers_every_reference_row() -> None:
    rows_seen = {where.split(":")[0].split(",")[0] for *_, where in ROWS if where.startswith("§1.2 row")}
    assert rows_seen == {f"§1.2 row {n}" for n in range(1, 22)}


# --- input variants --------------------------------------------------------------------------------
# Module-level lists of (text, expected) are also the corpus of bench/dates.py.
VARIANTS = [
    (unicodedata.normalize("NFD", "ngày 26 tháng 12 năm 2024"), "2024-12-26"),
    (unicodedata.normalize("NFD", "Thái Bình, ngày 26 tháng 12 năm 2024"), "2024-12-26"),
    (unicodedata.normalize("NFD", "Thứ Năm, 26/12/2024"), "2024-12-26"),
    ("ngay 26 thang 12 nam 2024", "2024-12-26"),
    ("Thai Binh, ngay 26 thang 12 nam 2024", "2024-12-26"),
    ("Thu Nam, 26/12/2024", "2024-12-26"),
    ("NGÀY 26 THÁNG 12 NĂM 2024", "2024-12-26"),
    ("Ngày\u00a026/12/2024", "2024-12-26"),
    ("\u00d0ăng ngày 26/12/2024", "2024-12-26"),
    ("13 / 06 / 2022", "2022-06-13"),
]


@pytest.mark.parametrize(("text", "expected"), VARIANTS)
def test_nfd_unaccented_and_odd_characters(text: str, expected: str) -> None:
    assert to_iso(text) == expected


def test_order_decides_between_day_and_month() -> None:
    assert to_iso("2/3/2025") == "2025-03-02"
    assert to_iso("2/3/2025", order="MDY") == "2025-02-03"
    assert to_iso("2/3/2025 2:03:59 PM", order="MDY") == "2025-02-03T14:03:59+07:00"
    # ISO and word forms are unambiguous: order does not touch them.
    assert to_iso("2025-02-03", order="MDY") == "2025-02-03"
    assert to_iso("ngày 2 tháng 3 năm 2025", order="MDY") == "2025-03-02"


def test_unknown_order_is_refused() -> None:
    with pytest.raises(ValueError, match="order"):
        to_iso("2/3/2025", order="YMD")


WEEKDAY_CONTRADICTIONS = [
    ("Thứ Ba, 13/06/2022", None),  # 13/06/2022 is a Monday
    ("Chủ nhật, 13/06/2022", None),
    ("T3, 13/06/2022", None),
    ("13/06/2022 (Thứ Sáu)", None),
    ("Thứ Hai, 02/03/2025", None),  # a Sunday in DMY: the weekday reveals an MDY source (§1.5)
    ("Thứ Tư, ngày 8 tháng 1 năm 2015", None),
    # "thứ 2" after a noun is "the second", so 14/06/2022 (a Tuesday) is not contradicted.
    ("Kỳ họp thứ 2, ngày 14/06/2022", "2022-06-14"),
]


@pytest.mark.parametrize(("text", "expected"), WEEKDAY_CONTRADICTIONS)
def test_a_contradicting_weekday_gives_none(text: str, expected: str | None) -> None:
    assert to_iso(text) == expected


IMPOSSIBLE = [
    (text, None)
    for text in (
        "31/02/2024", "30/02/2024", "31/04/2024", "29/02/2023", "29/02/1900", "00/01/2024", "32/01/2024",
        "ngày 31 tháng 6 năm 2024", "13/13/2024", "2024-02-30", "25:00 13/06/2022", "13:00 PM 13/06/2022",
        "2022-06-13T24:00:00+07:00",
    )
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), IMPOSSIBLE)
def test_impossible_dates_and_times_give_none(text: str, expected: None) -> None:
    assert to_iso(text) is expected


# The printed form "ngày … tháng … năm …" whose month (or day) was left blank to be written by hand:
# the "năm" before the year is the year's word, not the month May.
BLANK_FIELDS = [
    ("Sơn La, ngày 05 tháng năm 2018", None),
    ("ngày 05 tháng năm 2018", None),
    ("ngày  tháng 3 năm 2019", None),
    ("ngày 5 tháng năm năm 2018", "2018-05-05"),  # the month in words, then the year's own word
    ("ngày 3 tháng Năm năm 2020", "2020-05-03"),
]


@pytest.mark.parametrize(("text", "expected"), BLANK_FIELDS)
def test_a_blank_month_is_no_date(text: str, expected: str | None) -> None:
    assert to_iso(text) == expected


DOCUMENT_NUMBER_LOOKALIKES = [
    (text, None)
    for text in (
        "09/2023/TT-BCT",
        "Thông tư số 09/2023/TT-BCT",
        "Số: 12/2023/NQ-HĐND",
        "163/QĐ-UBND",
        "41-CT/TW",
        "Số: 01/2015/TTLT-BNV-BTC",
        "Pháp lệnh số 01/2012/UBTVQH13",
        "Nghị quyết 104/CP",
    )
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENT_NUMBER_LOOKALIKES)
def test_document_numbers_are_not_dates(text: str, expected: None) -> None:
    assert to_iso(text) is expected
    assert find_dates(text) == []


PROSE = [
    ("Chỉ thị số 41-CT/TW ngày 26/12/2024 của Bộ Chính trị", "2024-12-26"),
    # A range, a date plus a year-less date, two dates in a sentence: no single answer, so None.
    ("11/6/1948 - 11/6/2022", None),
    ("11/6/1948-11/6/2022", None),
    ("từ 19/7 đến 20/7/2024", None),
    ("ngày 13/06/2022 và ngày 14/06/2022", None),
    # The same date written twice is still one date.
    ("13/06/2022 (ngày 13 tháng 6 năm 2022)", "2022-06-13"),
    # A time is attached only when it is the text's one time and sits next to the date.
    ("Hội nghị kéo dài 2 giờ, ngày 13/06/2022", "2022-06-13"),
    ("từ 08:30 đến 11:30 ngày 13/6/2022", "2022-06-13"),
    ("Ngày 13/06/2022, hơn 200 đại biểu dự họp lúc 8h30", "2022-06-13"),
    ("8h30 sáng ngày 13/6/2022", "2022-06-13T08:30:00+07:00"),
    ("19 giờ 30 tối Thứ Hai, ngày 13/6/2022", "2022-06-13T19:30:00+07:00"),
    ("13/06/2022 08:30 (GMT+8)", "2022-06-13T07:30:00+07:00"),
]


@pytest.mark.parametrize(("text", "expected"), PROSE)
def test_dates_in_short_prose(text: str, expected: str | None) -> None:
    assert to_iso(text) == expected


# --- the dateparser fallback ----------------------------------------------------------------------
FALLBACK = [
    ("2022 tháng 6 ngày 13", "2022-06-13"),  # an order no regex covers: dateparser reads it
    ("Thứ Hai 13 6 2022", "2022-06-13"),
    ("Thứ Ba 13 6 2022", None),  # dateparser ignores the contradicting weekday; we do not
    ("Thứ Sáu 17 6 2022", "2022-06-17"),  # "sáu" in a weekday is not "sau" (after)
    ("14 giờ 00 ngày 20 12 2024", None),  # "giờ" makes dateparser read "14 hours ago"
    ("hôm qua 13 6 2022", None),  # a relative word: its answer would drift with the clock
    ("Kế hoạch 35 KH TU 2022", None),  # numbers that are not a day and a month
    ("13/06-2022", None),  # "13/06" is a year-less date first; mixed separators are not guessed
]


@pytest.mark.parametrize(("text", "expected"), FALLBACK)
def test_dateparser_fallback_is_guarded(text: str, expected: str | None) -> None:
    assert to_iso(text) == expected


def test_the_regex_path_never_imports_dateparser() -> None:
    code = (
        "import sys\n"
        "from archive.normalize.dates import to_iso, parse_period, find_dates\n"
        "assert to_iso('Thứ hai, 13/06/2022 - 08:30') == '2022-06-13T08:30:00+07:00'\n"
        "assert to_iso('năm học 2023-2024') is None and to_iso('Kế hoạch năm 2025') is None\n"
        "assert parse_period('Quý IV/2024') is not None and find_dates('ngày 1/1/1940')\n"
        "assert 'dateparser' not in sys.modules, 'dateparser imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


# --- year-less dates with a publication date (§1.6) ---------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Sáng 19/7", "2024-07-20", "2024-07-19"),
        ("Sáng 19/7", "2025-03-01", "2024-07-19"),  # would be after publication: last year
        ("ngày 6/2", "2025-03-01", "2025-02-06"),
        ("ngày 6/2", "2025-02-01", "2025-02-06"),  # within a week after publication: an announcement
        ("ngày 6 tháng 2", "2025-03-01T10:00:00+07:00", "2025-02-06"),
        ("8h30 sáng 19/7", "2024-07-20", "2024-07-19T08:30:00+07:00"),
        ("Chiều 28/12", "2025-01-03", "2024-12-28"),
        ("Ngày 13/06/2022", "2025-01-03", "2022-06-13"),  # a full date keeps its year
        ("ngày 29/2", "2025-03-05", None),  # 2025 has no 29 February; never guess another year
        ("ngày 19/7 và 20/7", "2024-07-25", None),
        ("năm 2024", "2024-07-25", None),
        ("Thứ Ba, 19/7", "2024-07-25", None),  # 2024-07-19 is a Friday
    ],
)
def test_to_iso_with_context(text: str, published: str, expected: str | None) -> None:
    assert to_iso_with_context(text, published=published) == expected


# --- find_dates ------------------------------------------------------------------------------------
def test_find_dates_in_prose() -> None:
    prose = (
        "Nhân kỷ niệm 74 năm ngày truyền thống thi đua yêu nước (11/6/1948 - 11/6/2022), thực hiện Chỉ thị "
        "số 41-CT/TW ngày 26/12/2024 và Thông tư 09/2023/TT-BCT, tỉnh phát động phong trào năm học "
        "2023-2024. Thái Bình, ngày 21 tháng 11 năm 2014; ngày 31/02/2024 không tồn tại; Sáng 19/7 …"
    )
    assert find_dates(prose) == [
        ("11/6/1948", "1948-06-11"),
        ("11/6/2022", "2022-06-11"),
        ("26/12/2024", "2024-12-26"),
        ("ngày 21 tháng 11 năm 2014", "2014-11-21"),
    ]


def test_find_dates_leaves_out_machine_timestamps_of_unknown_order() -> None:
    box = "Kế hoạch năm 2025\n2/5/2025 10:04:59 AM\nThông báo\n12/6/2024 1:47:13 PM\nngày 13/06/2022"
    assert find_dates(box) == [("13/06/2022", "2022-06-13")]
    # An unambiguous form keeps its date even with an English time.
    assert find_dates("05 Tháng một 2015 - 03:54 AM") == [("05 Tháng một 2015", "2015-01-05")]


def test_find_dates_dateparser_search_cases() -> None:
    # dateparser's tests/test_search.py, Vietnamese: year-only and month-only phrases are not dates here.
    assert find_dates("1/1/1940. Vào tháng 8 năm 1940, Đức … Đến tháng 9 …") == [("1/1/1940", "1940-01-01")]
    assert find_dates("Ý theo gương Đức … năm 1935 … vào ngày 12 tháng 4 năm 1939.") == [
        ("ngày 12 tháng 4 năm 1939", "1939-04-12")
    ]
    assert find_dates("") == []


# --- periods ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("năm học 2023-2024", Period("2023-09-05", "2024-05-31", "school_year", 2023, 2024)),
        ("xuất sắc năm học 2020 - 2021", Period("2020-09-05", "2021-05-31", "school_year", 2020, 2021)),
        ("giai đoạn 2021-2025", Period("2021-01-01", "2025-12-31", "years", 2021, 2025)),
        ("giai đoạn 2019 – 2024", Period("2019-01-01", "2024-12-31", "years", 2019, 2024)),
        ("nhiệm kỳ 2020-2025", Period("2020-01-01", "2025-12-31", "years", 2020, 2025)),
        ("Quý IV/2024", Period("2024-10-01", "2024-12-31", "quarter", 2024, 2024)),
        ("quý I năm 2025", Period("2025-01-01", "2025-03-31", "quarter", 2025, 2025)),
        ("Quý 2/2024", Period("2024-04-01", "2024-06-30", "quarter", 2024, 2024)),
        ("6 tháng đầu năm 2024", Period("2024-01-01", "2024-06-30", "half", 2024, 2024)),
        ("6 tháng cuối năm 2023", Period("2023-07-01", "2023-12-31", "half", 2023, 2023)),
        ("9 tháng đầu năm 2024", Period("2024-01-01", "2024-09-30", "months", 2024, 2024)),
        ("3 tháng cuối năm 2023", Period("2023-10-01", "2023-12-31", "months", 2023, 2023)),
        ("tháng 12/2024", Period("2024-12-01", "2024-12-31", "month", 2024, 2024)),
        ("tháng Mười Hai năm 2024", Period("2024-12-01", "2024-12-31", "month", 2024, 2024)),
        ("tháng 12 năm 2024", Period("2024-12-01", "2024-12-31", "month", 2024, 2024)),
        ("tháng 02/2024", Period("2024-02-01", "2024-02-29", "month", 2024, 2024)),
        ("năm 2024", Period("2024-01-01", "2024-12-31", "year", 2024, 2024)),
        ("Kế hoạch thi đua năm 2025", Period("2025-01-01", "2025-12-31", "year", 2025, 2025)),
        ("11/6/1948 - 11/6/2022", Period("1948-06-11", "2022-06-11", "range", 1948, 2022)),
        ("(11/6/1948 – 11/6/2023)", Period("1948-06-11", "2023-06-11", "range", 1948, 2023)),
        ("từ ngày 01/01/2024 đến ngày 31/12/2024", Period("2024-01-01", "2024-12-31", "range", 2024, 2024)),
        ("13/06/2022", Period("2022-06-13", "2022-06-13", "day", 2022, 2022)),
        ("ngày 13/6 năm 2022", Period("2022-06-13", "2022-06-13", "day", 2022, 2022)),
    ],
)  # fmt: skip
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text",
    ["năm học 2023-2025", "giai đoạn 2025-2021", "tháng 13/2024", "Sáng 19/7", "hôm qua", "", "không có gì",
     "11/6/2022 - 11/6/1948", "09/2023/TT-BCT", "tháng Chạp năm 2024", "Tết Nguyên đán năm 2025",
     "13 tháng đầu năm 2024"],
)  # fmt: skip
def test_parse_period_refuses(text: str) -> None:
    assert parse_period(text) is None


# --- round trips (hypothesis) ----------------------------------------------------------------------
WEEKDAY_NAMES = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
WEEKDAY_DIGITS = ["Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật"]
WEEKDAY_GRID = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
MONTH_WORDS = ["một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai"]

DATE_FORMS = {
    "d/m/yyyy": lambda d: f"{d.day}/{d.month}/{d.year}",
    "dd/mm/yyyy": lambda d: f"{d:%d/%m/%Y}",
    "label": lambda d: f"Ngày đăng: {d:%d/%m/%Y}",
    "party hyphen": lambda d: f"ngày {d.day:02d}-{d.month}-{d.year}",
    "dotted": lambda d: f"{d:%d.%m.%Y}",
    "words": lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
    "padded words": lambda d: f"ngày {d:%d} tháng {d:%m} năm {d.year}",
    "header": lambda d: f"Thái Bình, ngày {d:%d} tháng {d:%m} năm {d.year}",
    "upper": lambda d: f"NGÀY {d.day} THÁNG {d.month} NĂM {d.year}",
    "unaccented": lambda d: f"ngay {d.day} thang {d.month} nam {d.year}",
    "nfd": lambda d: unicodedata.normalize(
        "NFD", f"Ngày ban hành: ngày {d.day} tháng {d.month} năm {d.year}"
    ),
    "weekday": lambda d: f"{WEEKDAY_NAMES[d.weekday()]}, {d:%d/%m/%Y}",
    "weekday digit": lambda d: f"{WEEKDAY_DIGITS[d.weekday()]}, ngày {d.day}/{d.month}/{d.year}",
    "weekday grid": lambda d: f"{WEEKDAY_GRID[d.weekday()]}, {d:%d/%m/%Y}",
    "iso": lambda d: d.isoformat(),
    "iso slash": lambda d: f"{d:%Y/%m/%d}",
    "month word": lambda d: f"{d.day:02d} Tháng {MONTH_WORDS[d.month - 1]} {d.year}",
    "month first": lambda d: f"Tháng {MONTH_WORDS[d.month - 1].title()} {d.day}, {d.year}",
    "part of day": lambda d: f"Chiều ngày {d.day}/{d.month}/{d.year}, tại Thái Bình",
}


def _h12(hour: int) -> int:
    return (hour % 12) or 12


def _sa_ch(d: date, h: int, mi: int, s: int) -> str:
    return f"{d:%d/%m/%Y} {_h12(h)}:{mi:02d}:{s:02d} {'SA' if h < 12 else 'CH'}"


def _am_pm_mdy(d: date, h: int, mi: int, s: int) -> str:
    return f"{d.month}/{d.day}/{d.year} {_h12(h)}:{mi:02d}:{s:02d} {'AM' if h < 12 else 'PM'}"


def _weekday_pipe(d: date, h: int, mi: int, s: int) -> str:
    return f"{WEEKDAY_NAMES[d.weekday()]}, {d:%d/%m/%Y} | {h:02d}:{mi:02d} (GMT+7)"


def _gio_phut(d: date, h: int, mi: int, s: int) -> str:
    return f"{h:02d} giờ {mi:02d} phút, ngày {d.day}/{d.month}/{d.year}"


def _rfc822(d: date, h: int, mi: int, s: int) -> str:
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d.weekday()]
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[d.month - 1]
    return f"{weekday}, {d.day:02d} {month} {d.year} {h:02d}:{mi:02d}:{s:02d} +0700"


# (render, order, shows seconds) for date-times; h, mi, s are the 24-hour clock of the expected value.
DATETIME_FORMS = {
    "dd/mm/yyyy hh:mm": (lambda d, h, mi, s: f"{d:%d/%m/%Y} {h:02d}:{mi:02d}", "DMY", False),
    "h'h'mm ngày": (lambda d, h, mi, s: f"{h}h{mi:02d} ngày {d.day}/{d.month}/{d.year}", "DMY", False),
    "g": (lambda d, h, mi, s: f"{h:02d}g{mi:02d} ngày {d:%d/%m/%Y}", "DMY", False),
    "giờ phút": (_gio_phut, "DMY", False),
    "giờ": (lambda d, h, mi, s: f"{h} giờ {mi:02d} ngày {d:%d/%m/%Y}", "DMY", False),
    "time first": (lambda d, h, mi, s: f"Cập nhật lúc {h:02d}:{mi:02d} {d:%d/%m/%Y}", "DMY", False),
    "weekday pipe": (_weekday_pipe, "DMY", False),
    "SA/CH": (_sa_ch, "DMY", True),
    "AM/PM (MDY)": (_am_pm_mdy, "MDY", True),
    "rfc822": (_rfc822, "DMY", True),
    "iso": (lambda d, h, mi, s: f"{d.isoformat()}T{h:02d}:{mi:02d}:{s:02d}+07:00", "DMY", True),
}

dates = st.dates(min_value=date(1945, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=400, deadline=None)
@given(day=dates, form=st.sampled_from(sorted(DATE_FORMS)))
def test_any_date_in_any_form_parses_back(day: date, form: str) -> None:
    assert to_iso(DATE_FORMS[form](day)) == day.isoformat()


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_two_digit_years_are_this_century(day: date) -> None:
    assert to_iso(f"{day:%d/%m/%y}") == day.isoformat()


@settings(max_examples=400, deadline=None)
@given(
    day=dates,
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    second=st.integers(0, 59),
    form=st.sampled_from(sorted(DATETIME_FORMS)),
)
def test_any_date_time_in_any_form_parses_back(
    day: date, hour: int, minute: int, second: int, form: str
) -> None:
    render, order, with_seconds = DATETIME_FORMS[form]
    second = second if with_seconds else 0
    expected = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}+07:00"
    assert to_iso(render(day, hour, minute, second), order=order) == expected


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1945, 1, 2), max_value=datetime(2030, 12, 30)),
    offset_minutes=st.sampled_from([-300, 0, 60, 330, 420, 480, 540]),
)
def test_iso_date_times_with_any_offset_are_converted_to_vietnam_time(
    moment: datetime, offset_minutes: int
) -> None:
    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    expected = moment.astimezone(timezone(timedelta(hours=7))).replace(tzinfo=None).isoformat() + "+07:00"
    assert to_iso(moment.isoformat()) == expected


@settings(max_examples=300, deadline=None)
@given(
    day=dates, form=st.sampled_from(["d/m/yyyy", "dd/mm/yyyy", "party hyphen", "dotted", "words", "weekday"])
)
def test_day_and_month_are_never_swapped(day: date, form: str) -> None:
    swapped_ok = day.day <= 12 and day.day != day.month
    result = to_iso(DATE_FORMS[form](day))
    assert result == day.isoformat()
    if swapped_ok:
        assert result != date(day.year, day.day, day.month).isoformat()
        # The same numbers read by a machine-timestamp element are the other date.
        assert (
            to_iso(f"{day.day}/{day.month}/{day.year}", order="MDY")
            == date(day.year, day.day, day.month).isoformat()
        )


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1945, 2030), month=st.integers(1, 12), day=st.integers(29, 31))
def test_impossible_days_are_none_in_every_form(year: int, month: int, day: int) -> None:
    try:
        real = date(year, month, day)
    except ValueError:
        real = None
    for text in (
        f"{day}/{month}/{year}",
        f"ngày {day} tháng {month} năm {year}",
        f"{day:02d}-{month:02d}-{year}",
    ):
        assert to_iso(text) == (real.isoformat() if real else None)


_ISO_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}\+07:00)?")
_PIECES = ["13", "06", "2022", "1", "31", "02", "29", "/", "-", ".", ":", " ", ", ", "ngày ", "tháng ",
           "năm ", "Thứ Hai", "T2", "CN", "giờ", "h", "SA", "PM", "(GMT+7)", "Sáng", "Quý IV", "QĐ-UBND",
           "Số: ", "Mười Hai", "T", "Z", "+07:00"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=40), st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)),
    order=st.sampled_from(["DMY", "MDY"]),
)
def test_any_text_gives_a_valid_iso_value_or_none(text: str, order: str) -> None:
    value = to_iso(text, order=order)
    if value is not None:
        assert _ISO_VALUE.fullmatch(value)
        datetime.fromisoformat(value)
    for found_text, found in find_dates(text):
        # Each span holds its date on its own.
        assert find_dates(found_text) == [(found_text, found)]
    period = parse_period(text)
    if period is not None:
        assert date.fromisoformat(period.start) <= date.fromisoformat(period.end)
