"""Date normalisation: `archive.normalize.dates.to_iso` against `dateparser.parse(s, languages=["vi"])`.

The strings are every date the replica shows (date lines, legal and award dates as their pages label
them, the notices box's en-US timestamps) plus the dates module's own test corpus; each comes with the
value it must give, so every disagreement can be settled by who matches the expected value.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bench.common import Stat

# Speed runs: each timing repeats the whole corpus until at least this much time has passed, so a
# fast parser is not measured on a handful of microseconds.
MIN_TIMING_SECONDS = 0.3
VN_TZ = timezone(timedelta(hours=7))  # every expected value with a time is at +07:00


@dataclass(frozen=True)
class DateCase:
    text: str
    order: str  # "DMY" or "MDY", the hint our parser is given; dateparser gets the same as DATE_ORDER
    expected: str | None  # ISO date or date-time (+07:00), None when the text holds no single date
    origin: str  # where the string comes from


def _vi(day: str) -> str:
    """An ISO date as the replica displays it (dd/mm/yyyy)."""
    d = date.fromisoformat(day)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _us(moment: datetime) -> str:
    """.NET en-US general format, as the notices box shows it: 2/18/2025 2:03:59 PM."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment.minute:02d}:{moment.second:02d} {half}"


def replica_cases(items: int | None) -> list[DateCase]:
    """Every date string of a replica of `items` items (None: the default replica) with its true value.

    Read from the replica's content model, the source its ground truth and its pages are made from
    (the ground truth itself would first render every attachment, which dates do not need).
    """
    from replica.content import build_model

    cases: list[DateCase] = []
    for it in build_model(items=items).items:
        raw, published = it.published_raw, it.published_at
        if raw:
            cases.append(DateCase(raw, "DMY", published, "date line"))
        legal = it.legal or {}
        for key, label in (("issued_on", "Ngày ban hành"), ("effective_on", "Ngày hiệu lực")):
            if legal.get(key):
                cases.append(DateCase(f"{label}: {_vi(legal[key])}", "DMY", legal[key], f"legal {key}"))
        award = it.award or {}
        if award.get("decided_on"):
            cases.append(
                DateCase(f"Ngày ký: {_vi(award['decided_on'])}", "DMY", award["decided_on"], "award")
            )
        if it.kind == "notice":
            # Notice lists and the notices box show the moment of publication as an en-US timestamp.
            expected = it.when.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"
            cases.append(DateCase(_us(it.when), "MDY", expected, "notices (en-US)"))
        elif published:
            day = published[:10]
            cases.append(DateCase(f"({_vi(day)})", "DMY", day, "list entry"))
    return cases


def _param_values(entry: Any) -> tuple[Any, ...] | None:
    values = getattr(entry, "values", None)  # pytest.param(...)
    if isinstance(values, tuple):
        return values
    if isinstance(entry, tuple):
        return entry
    return None


def corpus_cases(module_name: str = "tests.test_dates") -> list[DateCase]:
    """The dates module's test corpus: every module-level list of (text, expected ISO or None) pairs.

    Read from the test module itself so the benchmark always uses the current catalogue.
    """
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    cases: list[DateCase] = []
    for name, value in vars(module).items():
        if name.startswith("_") and not name.isupper() and not name.lstrip("_").isupper():
            continue
        if not isinstance(value, list | tuple):
            continue
        for entry in value:
            values = _param_values(entry)
            if not values or len(values) < 2:
                continue
            text, expected = values[0], values[1]
            if not isinstance(text, str) or not (expected is None or isinstance(expected, str)):
                continue
            if expected is not None and not _ISO.match(expected):
                continue  # a list of something else (numbers, labels): not a date case
            order = values[2] if len(values) > 2 and values[2] in ("DMY", "MDY") else "DMY"
            cases.append(DateCase(text, order, expected, f"test corpus ({name})"))
    return cases


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?$")


def ours(case: DateCase) -> str | None:
    from archive.normalize.dates import to_iso

    return to_iso(case.text, order=case.order)


def theirs(case: DateCase) -> datetime | None:
    import dateparser

    settings = {"DATE_ORDER": case.order} if case.order == "MDY" else None
    parsed: datetime | None = dateparser.parse(case.text, languages=["vi"], settings=settings)
    return parsed


def _local(expected: str) -> tuple[str, str | None]:
    """(date, hh:mm:ss or None) of an ISO value, at +07:00 (the offset all expected values carry)."""
    if "T" not in expected:
        return expected, None
    moment = datetime.fromisoformat(expected.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
        return moment.date().isoformat(), moment.strftime("%H:%M:%S")
    day, clock = expected.split("T", 1)
    clock = re.split(r"[+Z-]", clock, maxsplit=1)[0]
    if len(clock) == 5:
        clock += ":00"
    return day, clock


def ours_right(case: DateCase, value: str | None) -> bool:
    if case.expected is None or value is None:
        return case.expected is value
    return _local(value) == _local(case.expected)


def theirs_right(case: DateCase, value: datetime | None) -> bool:
    """dateparser gives a datetime: its date must match, and its time too when a time is expected;
    a midnight it makes up for a date-only text is fine."""
    if case.expected is None or value is None:
        return case.expected is None and value is None
    if value.tzinfo is not None:  # an aware answer is right if it is the same instant
        value = value.astimezone(VN_TZ).replace(tzinfo=None)
    day, clock = _local(case.expected)
    if value.date().isoformat() != day:
        return False
    return clock is None or value.strftime("%H:%M:%S") == clock


def show_theirs(value: datetime | None) -> str:
    if value is None:
        return "None"
    return value.isoformat(timespec="seconds")


def _rate(func: Any, cases: list[DateCase], repeats: int) -> tuple[Stat, list[Any]]:
    """Dates/s over `repeats` timings, and the values of the first pass (kept for the comparison)."""
    rates: list[float] = []
    values: list[Any] = []
    for rep in range(repeats):
        count = 0
        started = time.perf_counter()
        while True:
            if rep == 0 and not values:
                values = [func(case) for case in cases]
            else:
                for case in cases:
                    func(case)
            count += len(cases)
            elapsed = time.perf_counter() - started
            if elapsed >= MIN_TIMING_SECONDS:
                break
        rates.append(count / elapsed)
    return Stat(rates), values


def shape(text: str) -> str:
    """A string's form with its digits masked: "Ngày: 13/06/2022" → "Ngày: 99/99/9999"."""
    return re.sub(r"\d", "9", text)


@dataclass
class DatesResult:
    cases: int
    distinct: int
    origins: dict[str, int]
    ours_rate: Stat
    theirs_rate: Stat
    ours_wrong: list[tuple[DateCase, str | None]]
    theirs_wrong: int
    disagreements: list[tuple[DateCase, str | None, datetime | None, bool, bool]]

    @property
    def speedup(self) -> Stat:
        return Stat([o / t for o, t in zip(self.ours_rate.values, self.theirs_rate.values, strict=True)])


def unique(cases: Iterable[DateCase]) -> list[DateCase]:
    seen: set[tuple[str, str]] = set()
    out: list[DateCase] = []
    for case in cases:
        key = (case.text, case.order)
        if key not in seen:
            seen.add(key)
            out.append(case)
    return out


def run(*, items: int | None = None, repeats: int = 3) -> DatesResult:
    all_cases = replica_cases(items) + corpus_cases()
    cases = unique(all_cases)
    origins: dict[str, int] = {}
    for case in all_cases:
        key = case.origin.split(" (")[0] if case.origin.startswith("test corpus") else case.origin
        origins[key] = origins.get(key, 0) + 1
    # Warm both up first: dateparser loads its language data on the first call.
    for case in cases[:20]:
        ours(case)
        theirs(case)
    ours_rate, our_values = _rate(ours, cases, repeats)
    theirs_rate, their_values = _rate(theirs, cases, repeats)
    ours_wrong: list[tuple[DateCase, str | None]] = []
    theirs_wrong = 0
    disagreements = []
    for case, mine, other in zip(cases, our_values, their_values, strict=True):
        mine_ok, other_ok = ours_right(case, mine), theirs_right(case, other)
        if not mine_ok:
            ours_wrong.append((case, mine))
        if not other_ok:
            theirs_wrong += 1
        agree = (mine is None and other is None) or (
            mine is not None
            and other is not None
            and theirs_right(DateCase(case.text, case.order, mine, ""), other)
        )
        if not agree:
            disagreements.append((case, mine, other, mine_ok, other_ok))
    return DatesResult(
        cases=len(all_cases),
        distinct=len(cases),
        origins=origins,
        ours_rate=ours_rate,
        theirs_rate=theirs_rate,
        ours_wrong=ours_wrong,
        theirs_wrong=theirs_wrong,
        disagreements=disagreements,
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(result: DatesResult) -> list[str]:
    speed = result.speedup
    lines = [
        f"Strings: {result.cases:,} ({result.distinct:,} distinct, timed on the distinct ones): "
        + ", ".join(f"{origin} {count:,}" for origin, count in sorted(result.origins.items()))
        + ".",
        "",
        "| parser | dates/s | wrong (of the distinct strings) |",
        "|---|---|---|",
        f"| `to_iso` | {result.ours_rate.fmt(0)} | {len(result.ours_wrong)} |",
        f"| `dateparser.parse(s, languages=['vi'])` | {result.theirs_rate.fmt(0)} | {result.theirs_wrong} |",
        "",
        f"Speed-up: **{speed.fmt(1, '×')}** (target ≥ 20×: {'met' if speed.median >= 20 else 'MISSED'}). "
        f"Wrong results of ours: **{len(result.ours_wrong)}** (target 0: "
        f"{'met' if not result.ours_wrong else 'MISSED'}).",
        "",
        f"Disagreements: {len(result.disagreements):,} of {result.distinct:,} distinct strings "
        f"({len(result.disagreements) / max(result.distinct, 1):.1%}). Who is right is decided by the value "
        "the replica's ground truth or the test corpus gives. Grouped by the string's form "
        "(digits shown as 9); "
        "dateparser gets `DATE_ORDER=MDY` on the en-US timestamps, the same hint `to_iso` gets.",
        "",
        "| form | n | example | expected | to_iso | dateparser | right |",
        "|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, bool, bool], list[tuple[DateCase, str | None, datetime | None]]] = {}
    for case, mine, other, mine_ok, other_ok in result.disagreements:
        groups.setdefault((shape(case.text), mine_ok, other_ok), []).append((case, mine, other))
    for (form, mine_ok, other_ok), members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        case, mine, other = members[0]
        right = (
            "to_iso" if mine_ok and not other_ok else "dateparser" if other_ok and not mine_ok else "neither"
        )
        lines.append(
            f"| `{_md(form[:70])}` | {len(members)} | `{_md(case.text[:70])}` | {case.expected} | {mine} | "
            f"{show_theirs(other)} | {right} |"
        )
    if result.ours_wrong:
        lines += ["", "Every wrong result of `to_iso`:", ""]
        for case, mine in result.ours_wrong:
            lines.append(f"- `{_md(case.text)}` ({case.origin}): expected {case.expected}, got {mine}")
    return lines
