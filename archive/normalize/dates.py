"""Vietnamese dates: the only module in the project that turns date text into ISO dates.

Everything goes through one compiled regex pass first (tens of µs a call); ``dateparser`` is only a
guarded fallback because it costs ~700 µs a call and is silently wrong on common Vietnamese forms
(reference §2.4: "14 giờ 00 ngày 20/12/2024" becomes "14 hours ago", a place-name header defeats it).

Choices worth knowing:
- A text that holds two different dates ("11/6/1948 - 11/6/2022", or a full date plus a year-less
  one) is not *one* date: ``to_iso`` returns None and ``parse_period`` reads it as a range.
- A time is attached only when the text holds exactly one time and it sits next to the date
  ("8h30 ngày 13/6/2022", "13/06/2022 | 08:30"); "kéo dài 2 giờ" in prose is a duration, not a time.
- A weekday written next to the date ("Thứ Ba, 13/06/2022") must agree with it, otherwise None.
- Relative phrases ("hôm qua", "2 giờ trước") are None by design: the archive never guesses "now".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = ["Period", "find_dates", "parse_period", "to_iso", "to_iso_with_context"]

VN_TZ = timezone(timedelta(hours=7))
# Years outside this window are typos or numbers of something else in our material (the oldest
# dates cited are of the 1930s-1940s).
_MIN_YEAR, _MAX_YEAR = 1800, 2199

# Characters to replace before parsing: the Icelandic eth look-alike of Đ (found in documents) and
# exotic spaces. Checked with `in` first because str.translate costs more than the whole regex pass.
_REPLACE = (
    ("\u00d0", "Đ"),
    ("\u00f0", "đ"),
    ("\u00a0", " "),
    ("\u2009", " "),
    ("\u202f", " "),
    ("\u200b", ""),
)

# --- building blocks ------------------------------------------------------------------------------
_NGAY = r"ng[àa]y"
_THANG = r"(?:th[áa]ng|thg)"
_NAM = r"n[ăa]m"
_MONTH_WORD = (
    r"m[ưu][ờo]i\s+m[ộo]t|m[ưu][ờo]i\s+hai|m[ưu][ờo]i|m[ộo]t|hai|ba|t[ưu]|b[ốo]n|n[ăa]m|s[áa]u|b[ảa]y"
    r"|t[áa]m|ch[íi]n"
)
# Months written in words, folded ("tháng Mười Hai"); longer names first, as an alternation wants them.
MONTH_WORD_VALUE = {
    "muoi mot": 11, "muoi hai": 12, "muoi": 10, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4,
    "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_YEAR4 = r"(?:1[89]|2[01])\d{2}"

# One pass over the text finds every date, year-less day-month and time of day: a single
# alternation is several times cheaper than one regex per form. At any position the first
# alternative that matches wins, so full dates come before year-less ones and times come last.
_SCAN = re.compile(
    # Every form starts with a digit or one of the letters of "ngày", "tháng", "thứ", "chủ", "T2",
    # "CN": the look-ahead skips all other positions at once (it halves the cost of a scan).
    r"(?=[\dntc])(?:"
    + "|".join(
        [
            # ISO 8601 and "2022/06/13"; time and offset optional.
            r"(?P<ISO>(?<![\d/.-])(?P<iy>\d{4})(?P<isep>[-/])(?P<im>\d{2})(?P=isep)(?P<id>\d{2})"
            r"(?:[T ](?P<iH>\d{2}):(?P<iM>\d{2})(?::(?P<iS>\d{2})(?:[.,]\d+)?)?"
            r"\s*(?P<itz>Z|[+-]\d{2}:?\d{2})?)?(?![\d/]))",
            # "13/06/2022", "01-10-1997", "13.06.2022", "13/06/22", "13 / 06 / 2022": one separator used
            # twice; never followed by more digits or "/LETTER", so "09/2023/TT-BCT" stays out.
            r"(?P<NUM>(?<![\d/.])(?P<na>\d{1,2})(?P<nsep> ?[/.-] ?)(?P<nb>\d{1,2})(?P=nsep)"
            r"(?P<ny>\d{4}|\d{2})(?![/.]?\d)(?!/[^\W\d_])(?!-[A-ZĐ]))",
            # RFC 822 as in RSS <pubDate>: "Mon, 13 Jun 2022 08:30:00 +0700" (English, unambiguous).
            r"(?P<RFC>(?<!\d)(?P<rd>\d{1,2})\s+(?P<rmon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
            r"\s+(?P<ry>\d{4})(?:\s+(?P<rH>\d{2}):(?P<rM>\d{2})(?::(?P<rS>\d{2}))?"
            r"(?:\s*(?P<rtz>[+-]\d{4}|GMT|UTC|Z)(?![\w+-]))?)?(?!\d))",
            # "ngày 13/6 năm 2022": slashes, then the year in words.
            rf"(?P<NUMY>(?<![\d/.])(?P<xd>\d{{1,2}})/(?P<xm>\d{{1,2}})\s*,?\s*{_NAM}\s+(?P<xy>{_YEAR4})(?!\d))",
            # "ngày 26 tháng 12 năm 2024", "21 tháng 09 năm 2025", "05 Tháng một 2015", "9 Tháng 1 2015".
            rf"(?P<WDMY>(?<!\w)(?:{_NGAY}\s+)?(?P<wd>\d{{1,2}})\s*,?\s+{_THANG}\s*"
            rf"(?P<wm>\d{{1,2}}(?!\d)|(?:{_MONTH_WORD})(?!\w))\s*,?\s*(?:{_NAM}\s*)?(?P<wy>{_YEAR4})(?!\d))",
            # "Tháng Mười Hai 29, 2013" (a form from dateparser's own tests).
            rf"(?P<WMDY>(?<!\w){_THANG}\s*(?P<vm>\d{{1,2}}(?!\d)|(?:{_MONTH_WORD})(?!\w))\s+(?P<vd>\d{{1,2}})(?!\d)"
            rf"\s*,?\s*(?:{_NAM}\s*)?(?P<vy>{_YEAR4})(?!\d))",
            # Day-month without a year: "Sáng 19/7", "ngày 6/2", "ngày 6 tháng 2".
            r"(?P<YL>(?<![\d/.-])(?P<yd>\d{1,2})/(?P<ym>\d{1,2})(?![\d/])(?!\.\d))",
            rf"(?P<YLW>(?<!\w){_NGAY}\s+(?P<yd2>\d{{1,2}})\s+{_THANG}\s*(?P<ym2>\d{{1,2}})(?!\d)"
            rf"(?!\s*,?\s*(?:{_NAM}\s*)?\d)(?!\s*[/.-]\s*\d))",
            # Weekdays: "Thứ Hai", "Thứ 2", "Chủ nhật", and the grid forms "T2", "CN" (upper case only).
            r"(?P<WK>(?<!\w)(?:th[ứu]\s*(?P<w>hai|ba|t[ưu]|b[ốo]n|n[ăa]m|s[áa]u|b[ảa]y|[2-7])"
            r"|(?P<sun>ch[ủu]\s*nh[ậa]t)|(?-i:T(?P<t>[2-7])|(?P<cn>CN)))(?!\w))",
            # "08:30", "2:03:59 PM", "8h30", "14h", "08g30", "14 giờ 00", "08 giờ 30 phút", "8 giờ sáng".
            r"(?P<TIME>(?<![\d:.,/])(?P<th>\d{1,2})\s*(?:"
            r":\s*(?P<tm>\d{2})(?::(?P<ts>\d{2}))?"
            r"|h\s*(?P<tm2>\d{1,2})?(?![^\W\d_])"
            r"|g\s*(?P<tm3>\d{2})(?!\d)"
            r"|gi[ờo](?:\s+(?P<tm4>\d{1,2})(?!\d)(?:\s*ph[úu]t)?)?(?![^\W\d_])"
            r")"
            r"(?:\s*(?P<ampm>SA|CH|AM|PM|A\.M\.|P\.M\.)(?![^\W\d_]))?"
            r"(?:\s+(?P<pod>s[áa]ng|tr[ưu]a|chi[ềe]u|t[ốo]i|[đd][êe]m)(?!\w))?)",
        ]
    )
    + ")",
    re.I,
)
# A number of hours after these words is a length of time ("kéo dài 2 giờ"), not a time of day.
_DURATION_BEFORE = re.compile(
    r"(?<!\w)(?:d[àa]i|trong|kho[ảa]ng|h[ơo]n|g[ầa]n|su[ốo]t|m[ấa]t|sau|tr[ưu][ớo]c|v[òo]ng|t[ớo]i|đến|den)\s*$",
    re.I,
)
_GMT = re.compile(r"\b(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\b", re.I)
_WEEKDAY_WORD = {"hai": 0, "ba": 1, "tu": 2, "bon": 2, "nam": 3, "sau": 4, "bay": 5}
# What may stand between a date and its time or weekday: punctuation, "ngày", "lúc", part-of-day
# words, a weekday, "(GMT+7)".
_FILLER = re.compile(
    r"(?:[\s,;|()\[\]:–—-]|ng[àa]y|l[úu]c|v[àa]o|s[áa]ng|tr[ưu]a|chi[ềe]u|t[ốo]i|[đd][êe]m"
    r"|th[ứu]\s*(?:hai|ba|t[ưu]|b[ốo]n|n[ăa]m|s[áa]u|b[ảa]y|[2-7])|ch[ủu]\s*nh[ậa]t|T[2-7]|CN"
    r"|\(?(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?)*",
    re.I,
)
_PUNCTUATION_GAP = " \t\n,;|()[]:–—-"
_WEEKDAY_OK_BEFORE = re.compile(r"(?:ng[àa]y|l[úu]c|v[àa]o|[đd][ăa]ng|nh[ậa]t)$", re.I)
# Words that make dateparser's answer untrustworthy: relative phrases and clock durations it reads
# as "N hours ago" (§2.4), and period words. Checked on the folded text.
_DATEPARSER_REJECT = re.compile(
    r"\b(?:hom|nay|qua|mai|truoc|sau|tuan|nua|cach day|toi|gio|phut|giay"
    r"|hoc|giai doan|nhiem ky|quy|dau|cuoi)\b"
)
# A document number ("09/2023/TT-BCT", "41-CT/TW") in the text: dateparser must not see it.
_DOCNO_LIKE = re.compile(r"\d\s*[/-]\s*[A-ZĐ]")
# "Thứ Sáu" folds to "thu sau", and "sau" alone means "after": weekdays are taken out first.
_FOLDED_WEEKDAY = re.compile(r"\bthu (?:hai|ba|tu|bon|nam|sau|bay)\b")
_HAS_YEAR = re.compile(rf"(?<!\d){_YEAR4}(?!\d)")
_DIGITS = re.compile(r"\d+")
_RELATIVE_BASE = datetime(2000, 1, 1)
# Longer texts are prose: dateparser would pick numbers from different clauses (and gets slow).
_FALLBACK_MAX_CHARS = 100


class _Found(NamedTuple):
    start: int
    end: int
    day: date | None  # None: the numbers do not make a calendar date (31/02)
    clock: tuple[int, int, int] | None = None  # from an ISO date-time
    offset_minutes: int | None = None


class _Clock(NamedTuple):
    start: int
    end: int
    value: tuple[int, int, int] | None  # None: not a valid time of day (25:00, 13:00 PM)


class _Weekday(NamedTuple):
    start: int
    end: int
    weekday: int  # Monday = 0


class _Scan(NamedTuple):
    dates: list[_Found]
    yearless: list[tuple[int, int, int, int]]  # (start, end, day, month)
    clocks: list[_Clock]
    weekdays: list[_Weekday]


def _prep(text: str) -> str:
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        for old, new in _REPLACE:
            if old in text:
                text = text.replace(old, new)
    return text


@lru_cache(maxsize=512)
def _fold(text: str) -> str:
    """Lower-case ASCII: "Mười Một" -> "muoi mot" (a cheaper text.fold_key for short words)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join(decomposed.encode("ascii", "ignore").decode().split())


def _make_date(year: int, month: int, day: int) -> date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _blank_month(m: re.Match[str]) -> bool:
    """ "ngày 05 tháng năm 2018": the printed form "ngày … tháng … năm …" with its month left blank —
    the "năm" straight before the year is the year's word, not May ("ngày 5 tháng năm năm 2018" and
    the dateparser form "05 Tháng năm 2018", with no "ngày", are May)."""
    if _fold(m["wm"]) != "nam" or not _fold(m[0]).startswith("ngay"):
        return False
    return _fold(m.string[m.end("wm") : m.start("wy")]).strip(" ,") == ""


def _month_value(token: str) -> int:
    if token.isdigit():
        return int(token)
    return MONTH_WORD_VALUE.get(_fold(token), 0)


def _clock(m: re.Match[str]) -> tuple[int, int, int] | None:
    hour_text, m1, m2, m3, m4, second_text, ampm, pod = m.group(
        "th", "tm", "tm2", "tm3", "tm4", "ts", "ampm", "pod"
    )
    hour = int(hour_text)
    minute_text = m1 or m2 or m3 or m4
    minute = int(minute_text) if minute_text else 0
    second = int(second_text) if second_text else 0
    if ampm:
        if not 1 <= hour <= 12:
            return None
        if ampm.upper().replace(".", "") in ("AM", "SA"):
            hour = 0 if hour == 12 else hour
        elif hour != 12:
            hour += 12
    elif pod:
        pod = _fold(pod)
        if (pod in ("chieu", "toi") and 1 <= hour < 12) or (pod == "trua" and 1 <= hour <= 2):
            hour += 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return (hour, minute, second)


def _weekday(m: re.Match[str]) -> int:
    word, sunday, grid, cn = m.group("w", "sun", "t", "cn")
    if word:
        return int(word) - 2 if word.isdigit() else _WEEKDAY_WORD[_fold(word)]
    if sunday or cn:
        return 6
    return int(grid) - 2


def _scan(text: str, order: str) -> _Scan:
    result = _Scan([], [], [], [])
    for m in _SCAN.finditer(text):
        start, end = m.span()
        kind = m.lastgroup
        if kind == "NUM":
            first, second, year_text = m.group("na", "nb", "ny")
            day_n, month_n = (int(second), int(first)) if order == "MDY" else (int(first), int(second))
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            result.dates.append(_Found(start, end, _make_date(year, month_n, day_n)))
        elif kind == "TIME":
            if not _DURATION_BEFORE.search(text, max(0, start - 12), start):
                result.clocks.append(_Clock(start, end, _clock(m)))
        elif kind == "WK":
            result.weekdays.append(_Weekday(start, end, _weekday(m)))
        elif kind == "WDMY":
            day = _make_date(int(m["wy"]), _month_value(m["wm"]), int(m["wd"]))
            if _blank_month(m):
                day = None
            result.dates.append(_Found(start, end, day))
        elif kind == "RFC":
            result.dates.append(_rfc822(m))
        elif kind == "NUMY":
            day = _make_date(int(m["xy"]), int(m["xm"]), int(m["xd"]))
            result.dates.append(_Found(start, end, day))
        elif kind == "ISO":
            result.dates.append(_iso(m))
        elif kind == "WMDY":
            day = _make_date(int(m["vy"]), _month_value(m["vm"]), int(m["vd"]))
            result.dates.append(_Found(start, end, day))
        else:
            day_n, month_n = (int(m["yd"]), int(m["ym"])) if kind == "YL" else (int(m["yd2"]), int(m["ym2"]))
            if 1 <= month_n <= 12 and 1 <= day_n <= 31:
                result.yearless.append((start, end, day_n, month_n))
    return result


def _iso(m: re.Match[str]) -> _Found:
    start, end = m.span()
    day = _make_date(int(m["iy"]), int(m["im"]), int(m["id"]))
    if m["iH"] is None:
        return _Found(start, end, day)
    clock = (int(m["iH"]), int(m["iM"]), int(m["iS"] or 0))
    if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
        day = None
    tz = m["itz"]
    offset = None
    if tz:
        sign = 1 if tz[0] == "+" else -1
        offset = 0 if tz == "Z" else sign * (int(tz[1:3]) * 60 + int(tz[-2:]))
    return _Found(start, end, day, clock, offset)


_ENGLISH_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def _rfc822(m: re.Match[str]) -> _Found:
    start, end = m.span()
    day = _make_date(int(m["ry"]), _ENGLISH_MONTHS[m["rmon"].lower()], int(m["rd"]))
    if m["rH"] is None:
        return _Found(start, end, day)
    clock = (int(m["rH"]), int(m["rM"]), int(m["rS"] or 0))
    if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
        day = None
    tz = (m["rtz"] or "").upper()
    offset = None
    if tz in ("GMT", "UTC", "Z"):
        offset = 0
    elif tz:
        offset = (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[3:5]))
    return _Found(start, end, day, clock, offset)


def _adjacent(text: str, left_end: int, right_start: int) -> bool:
    if left_end > right_start:
        return False
    if left_end == right_start:
        return True
    gap = text[left_end:right_start]
    if not gap.strip(_PUNCTUATION_GAP):
        return True
    return len(gap) <= 40 and _FILLER.fullmatch(gap) is not None


def _weekday_conflict(text: str, span: _Found, day: date, weekdays: list[_Weekday]) -> bool:
    """True when a weekday written next to the date names another day (never guess which is wrong)."""
    for wk in weekdays:
        if wk.weekday == day.weekday():
            continue
        if wk.end <= span.start:
            if not _adjacent(text, wk.end, span.start):
                continue
            before = text[: wk.start].rstrip()
            # "Kỳ họp thứ 2, ngày …" is an ordinal, not Monday: a weekday opens its clause.
            if before and before[-1].isalpha() and not _WEEKDAY_OK_BEFORE.search(before):
                continue
            return True
        if wk.start >= span.end and _adjacent(text, span.end, wk.start):
            return True
    return False


def _format(day: date, clock: tuple[int, int, int] | None, offset_minutes: int | None) -> str:
    if clock is None:
        return day.isoformat()
    if offset_minutes is not None and offset_minutes != 7 * 60:
        moment = datetime(day.year, day.month, day.day, *clock)
        moment += timedelta(minutes=7 * 60 - offset_minutes)
        day, clock = moment.date(), (moment.hour, moment.minute, moment.second)
    return f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d}+07:00"


def _text_offset(text: str) -> int | None:
    if "GMT" not in text and "UTC" not in text and "gmt" not in text and "utc" not in text:
        return None
    m = _GMT.search(text)
    if m is None:
        return None
    minutes = int(m["h"]) * 60 + int(m["m"] or 0)
    return minutes if m["sign"] == "+" else -minutes


def _resolve(text: str, span: _Found, day: date, found: _Scan) -> str | None:
    """The ISO value of the date in ``span``, its time attached when the text gives exactly one."""
    if found.weekdays and _weekday_conflict(text, span, day, found.weekdays):
        return None
    if span.clock is not None:
        return _format(day, span.clock, span.offset_minutes)
    clocks = found.clocks
    if not clocks:
        return day.isoformat()
    near = [c for c in clocks if _adjacent(text, c.end, span.start) or _adjacent(text, span.end, c.start)]
    if any(c.value is None for c in near):
        return None
    if not near or len({c.value for c in clocks}) != 1:
        return day.isoformat()
    return _format(day, near[0].value, _text_offset(text))


def to_iso(text: str, *, order: str = "DMY") -> str | None:
    """The ISO date (or date-time at +07:00) of the one date ``text`` holds, else None.

    ``order`` is "DMY" (all Vietnamese text) or "MDY" (machine timestamps such as
    "2/18/2025 2:03:59 PM"); the caller picks it per page element, never per string.
    None for: no date, a period, a month or a year only, an impossible date (31/02), two different
    dates (a range), a date with a contradicting weekday, a relative phrase.
    """
    if order not in ("DMY", "MDY"):
        raise ValueError(f"order must be 'DMY' or 'MDY', not {order!r}")
    if not text:
        return None
    text = _prep(text)
    found = _scan(text, order)
    if not found.dates:
        if found.yearless:
            return None
        return _dateparser_fallback(text, order)
    if found.yearless or any(f.day is None for f in found.dates):
        return None
    if len({(f.day, f.clock) for f in found.dates}) > 1:
        return None
    span = found.dates[0]
    assert span.day is not None
    return _resolve(text, span, span.day, found)


def _dateparser_fallback(text: str, order: str) -> str | None:
    """dateparser's reading, kept only when nothing in the text can have fooled it.

    Only texts holding a year and two more numbers get this far (month names are all in the regex
    pass): with fewer numbers there is no full date to find, and dateparser costs ~700 µs a call.
    The answer is a date without time: the times dateparser misreads are what the guards are for.
    """
    if len(text) > _FALLBACK_MAX_CHARS or not _HAS_YEAR.search(text) or _DOCNO_LIKE.search(text):
        return None
    numbers = _DIGITS.findall(text)
    if len(numbers) < 3:
        return None
    if _DATEPARSER_REJECT.search(_FOLDED_WEEKDAY.sub(" ", _fold(text))):
        return None
    import dateparser  # lazily: importing it costs 50-100 ms

    settings: dict[str, Any] = {
        "DATE_ORDER": order,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": _RELATIVE_BASE,
        "PREFER_DATES_FROM": "past",
    }
    result = dateparser.parse(text, languages=["vi"], settings=settings)
    if result is None:
        return None
    written = set(numbers)
    # Year, month and day must be written in the text; anything else was invented from the base.
    if str(result.year) not in written:
        return None
    if not ({str(result.day), f"{result.day:02d}"} & written) or not (
        {str(result.month), f"{result.month:02d}"} & written
    ):
        return None
    # dateparser ignores a contradicting weekday (§1.5); we never guess which one is wrong.
    if any(wk.weekday != result.weekday() for wk in _scan(text, order).weekdays):
        return None
    return result.date().isoformat()


def to_iso_with_context(text: str, *, published: str) -> str | None:
    """Like ``to_iso``, but a year-less date ("Sáng 19/7") takes its year from ``published``.

    Reference §1.6: the publication year, minus one when that would put the date more than
    seven days after publication (news reports past events). ``published`` is an ISO date or
    date-time.
    """
    if not text:
        return None
    prepared = _prep(text)
    found = _scan(prepared, "DMY")
    if found.dates:
        return to_iso(text) if not found.yearless else None
    if len({(d, m) for _, _, d, m in found.yearless}) != 1:
        return None
    start, end, day_n, month_n = found.yearless[0]
    pub = date.fromisoformat(published[:10])
    day = _make_date(pub.year, month_n, day_n)
    if day is not None and day > pub + timedelta(days=7):
        day = _make_date(pub.year - 1, month_n, day_n)
    if day is None:
        return None
    return _resolve(prepared, _Found(start, end, day), day, found)


def find_dates(text: str) -> list[tuple[str, str]]:
    """(raw span, ISO date) of every full date in prose, in order; DMY only; impossible dates skipped.

    Times are not attached: in prose a time near a date often belongs to another clause. A numeric
    date followed by an English AM/PM time ("2/5/2025 10:04:59 AM") is a machine timestamp whose
    order only its page element can tell (§1.5), so it is left out rather than read as DMY.
    """
    if not text:
        return []
    prepared = _prep(text)
    out = []
    for f in _scan(prepared, "DMY").dates:
        if f.day is None:
            continue
        raw = prepared[f.start : f.end]
        if raw[0].isdigit() and raw[-1].isdigit() and _EN_US_TIME_AFTER.match(prepared, f.end):
            continue
        out.append((raw, f.day.isoformat()))
    return out


_EN_US_TIME_AFTER = re.compile(r"\s*\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M\b")


# --- periods --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    start: str  # ISO date
    end: str  # ISO date
    precision: str  # school_year | years | quarter | half | months | month | year | range | day
    start_year: int
    end_year: int


_DASH = r"\s*[-–—/]\s*"
_SCHOOL_YEAR = re.compile(
    rf"(?<!\w){_NAM}\s+h[ọo]c\s+(?P<a>{_YEAR4}){_DASH}(?P<b>{_YEAR4}|\d{{2}})(?!\d)", re.I
)
_YEAR_RANGE = re.compile(rf"(?<![\d/.-])(?P<a>{_YEAR4})\s*[-–—]\s*(?P<b>{_YEAR4})(?![\d/.-])")
_QUARTER = re.compile(
    rf"(?<!\w)qu[ýy]\s+(?P<q>IV|III|II|I|[1-4])(?!\w)\s*(?:/|-|\s+{_NAM}|,\s*{_NAM}|\s)\s*(?P<y>{_YEAR4})(?!\d)",
    re.I,
)
# "6 tháng đầu năm 2024" (a half), "9 tháng đầu năm 2024", "3 tháng cuối năm 2023".
_FIRST_LAST_MONTHS = re.compile(
    rf"(?<!\w)(?P<n>\d{{1,2}})\s+{_THANG}\s+(?P<which>[đd][ầa]u|cu[ốo]i)\s+{_NAM}\s*(?P<y>{_YEAR4})(?!\d)",
    re.I,
)
# Lunar months and Tết: their Gregorian span straddles years (§1.4), so no period is given.
_LUNAR = re.compile(r"(?<!\w)(?:gi[êe]ng|ch[ạa]p|[âa]m\s+l[ịi]ch|t[ếe]t|r[ằa]m)(?!\w)", re.I)
_MONTH = re.compile(
    rf"(?:(?<!\w){_THANG}\s*)?(?<![\d/.-])(?P<m>\d{{1,2}})\s*(?:/|-|\s+{_NAM}\s+|\s*,\s*{_NAM}\s+)"
    rf"(?P<y>{_YEAR4})(?![\d/])",
    re.I,
)
_MONTH_NAMED = re.compile(
    rf"(?<!\w){_THANG}\s+(?P<m>\d{{1,2}}|(?:{_MONTH_WORD})(?!\w))\s*,?\s+{_NAM}\s+(?P<y>{_YEAR4})(?!\d)", re.I
)
_YEAR_ONLY = re.compile(rf"(?<!\w){_NAM}\s+(?P<y>{_YEAR4})(?!\d)|^\s*(?P<y2>{_YEAR4})\s*$", re.I)
_RANGE_JOIN = re.compile(r"\s*(?:[-–—]|đến|den|tới|toi)\s*(?:ng[àa]y\s*)?", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _period(start: date, end: date, precision: str) -> Period:
    return Period(start.isoformat(), end.isoformat(), precision, start.year, end.year)


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def parse_period(text: str) -> Period | None:
    """The period a text names: school year, year range, term, quarter, half, months, month, year, range.

    School years run 5 September … 31 May (the usual Vietnamese calendar), so "năm học 2023-2024"
    is 2023-09-05 … 2024-05-31. A single full date is a one-day period.
    """
    if not text:
        return None
    text = _prep(text)
    spans = [f for f in _scan(text, "DMY").dates if f.day is not None]
    if len(spans) == 2 and _RANGE_JOIN.fullmatch(text[spans[0].end : spans[1].start]):
        first, second = spans[0].day, spans[1].day
        assert first is not None and second is not None
        if first <= second:
            return _period(first, second, "range")
    if m := _SCHOOL_YEAR.search(text):
        a = int(m["a"])
        b = int(m["b"]) if len(m["b"]) == 4 else a // 100 * 100 + int(m["b"])
        if b == a + 1:
            return _period(date(a, 9, 5), date(b, 5, 31), "school_year")
        return None
    if m := _YEAR_RANGE.search(text):
        a, b = int(m["a"]), int(m["b"])
        if a < b:
            return _period(date(a, 1, 1), date(b, 12, 31), "years")
        return None
    if m := _QUARTER.search(text):
        q = _ROMAN.get(m["q"].upper()) or int(m["q"])
        y = int(m["y"])
        return _period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter")
    if m := _FIRST_LAST_MONTHS.search(text):
        n, y = int(m["n"]), int(m["y"])
        if not 1 <= n <= 12:
            return None
        precision = "half" if n == 6 else "months"
        if _fold(m["which"]) == "dau":
            return _period(date(y, 1, 1), _month_end(y, n), precision)
        return _period(date(y, 13 - n, 1), date(y, 12, 31), precision)
    if _LUNAR.search(text):
        return None
    if len(spans) == 1:
        day = spans[0].day
        assert day is not None
        return _period(day, day, "day")
    if m := (_MONTH_NAMED.search(text) or _MONTH.search(text)):
        month, y = _month_value(m["m"]), int(m["y"])
        if 1 <= month <= 12:
            return _period(date(y, month, 1), _month_end(y, month), "month")
        return None
    if m := _YEAR_ONLY.search(text):
        y = int(m["y"] or m["y2"])
        return _period(date(y, 1, 1), date(y, 12, 31), "year")
    return None


# -- web archives' machine timestamps (CDX's 14 digits, WARC-Date) ----------------------------------


def timestamp_to_iso(timestamp: str) -> str:
    """'20240131080910' → '2024-01-31T08:09:10+00:00' (the archive's other times are UTC ISO too)."""
    padded = (timestamp + "00000000000000")[:14]
    moment = datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def iso_to_timestamp(value: str) -> str:
    """A WARC-Date or an ISO time → the 14-digit timestamp CDX servers use."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%d%H%M%S")


def bound_timestamp(value: str | None, *, upper: bool) -> str | None:
    """--from/--to as given (2024, 2024-05, 2024-05-31, or up to 14 digits) → an inclusive 14-digit bound.

    Bounds are compared as strings, so "2024-02" up to "20240231235959" is right for every February.
    """
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) not in (4, 6, 8, 10, 12, 14):
        raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or a 14-digit timestamp")
    lower = digits + "0101000000"[len(digits) - 4 :]
    try:
        datetime.strptime(lower, "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueError(f"{value!r} is not a date") from None
    return digits + "1231235959"[len(digits) - 4 :] if upper else lower
