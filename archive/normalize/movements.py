"""Emulation movements (phong trào thi đua) a page says were launched or planned.

A movement is named in quotes after "phong trào thi đua", "đợt thi đua" or "phát động". Only mentions
in a launching or planning sentence count ("UBND tỉnh phát động …", "Kế hoạch tổ chức …", "hưởng ứng …",
"ban hành kế hoạch … như: …"); looking back ("sơ kết", "tổng kết", "thành tích xuất sắc trong …",
"khen thưởng trong …") and passing mentions ("lan tỏa phong trào …") do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.normalize.dates import find_dates, parse_period
from archive.normalize.text import clean_text, fold_key


@dataclass
class MovementMention:
    name: str
    launched_on: str | None  # ISO date, only when the launching sentence states it
    launched_by: str | None
    period_start: int | None
    period_end: int | None


_OPEN_QUOTES = '“"«'
_TRIGGER = re.compile(
    r"(?:phong\s+trào(?:\s+thi\s+đua)?|đợt\s+thi\s+đua|phát\s+động|cuộc\s+vận\s+động)"
    r"(?:\s+(?!phát\s+động)[^\s“”\"«»,.;:]+){0,3}?\s*(?=[“\"«])",
    re.IGNORECASE,
)
# Sentence-level cues; folded (no tones, đ→d) so "phat dong" also matches unaccented text.
_LAUNCH_CUES = (
    "phat dong",
    "ke hoach",
    "huong ung",
    "trien khai",
    "to chuc thuc hien",
    "ban hanh",
    "to chuc phong trao",
    "dang ky thi dua",
    "chuong trinh hanh dong",
)
_LOOKING_BACK_CUES = (  # "khen thưởng" alone would also hit "Hội đồng Thi đua - Khen thưởng … phát động"
    "so ket",
    "tong ket",
    "duoc khen thuong",
    "khen thuong trong",
    "thanh tich",
    "bieu duong",
    "lan toa",
    "ket qua",
)
_LIST_CONTINUATION = re.compile(
    r"^\s*[;,]\s*(?:(?:và|hay|hoặc)\s+(?:mới\s+nhất\s+là\s+)?)?(?:(?:phong\s+trào|đợt)(?:\s+thi\s+đua)?\s+)?(?=[“\"«])",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZĐÀ-Ỹ\d“\"])|\n")
_PERIOD_AFTER = re.compile(
    r"^\s*,?\s*((?:giai\s+đoạn|năm\s+học|nhiệm\s+kỳ|năm)\s+[\d\s\-–—/]+\d)", re.IGNORECASE
)
_WORD_START = re.compile(r"(?:^|(?<=[\s(]))\S")
# Bodies that launch movements; compared on the lower-cased start of a capitalised word.
_LAUNCHER_HEADS = (
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "hội đồng",
    "ban",
    "thủ tướng",
    "chính phủ",
    "bộ",
    "sở",
    "liên đoàn",
    "tổng liên đoàn",
    "tỉnh ủy",
    "tỉnh uỷ",
    "huyện ủy",
    "thành ủy",
    "đảng ủy",
    "đoàn",
    "hội",
    "công đoàn",
    "mặt trận",
    "chủ tịch",
    "trung ương",
    "phòng",
    "cục",
    "công an",
    "quân khu",
    "bộ chỉ huy",
    "trường",
    "công ty",
    "mttq",
    "hđnd",
    "hđtđkt",
    "ban thường vụ",
    "ban chấp hành",
)


def _closing_quote(text: str, open_at: int) -> int | None:
    """Index of the quote closing the one at open_at; curly quotes nest (“… “mục tiêu kép” …”)."""
    opener = text[open_at]
    if opener == "“":
        depth = 0
        for i in range(open_at, min(len(text), open_at + 400)):
            if text[i] == "“":
                depth += 1
            elif text[i] == "”":
                depth -= 1
                if depth == 0:
                    return i
        # Typed with mismatched quotes: “… " — take the first closing-looking quote.
        match = re.compile(r"[”\"]").search(text, open_at + 1, open_at + 400)
        return match.start() if match else None
    closer = "»" if opener == "«" else '"'
    end = text.find(closer, open_at + 1, open_at + 400)
    if end < 0 and opener == '"':
        end = text.find("”", open_at + 1, open_at + 400)
    return end if end >= 0 else None


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    end_match = _SENTENCE_END.search(text, position)
    return start, end_match.start() if end_match else len(text)


def _without_quotes(text: str) -> str:
    """The text with quoted names blanked: "triển khai" inside a movement's name is no launch cue."""
    out: list[str] = []
    position = 0
    for match in re.finditer(r"[“\"«]", text):
        if match.start() < position:
            continue
        closing = _closing_quote(text, match.start())
        if closing is None:
            continue
        out.append(text[position : match.start()])
        out.append(" ")
        position = closing + 1
    out.append(text[position:])
    return "".join(out)


def _has_cue(text: str, cues: tuple[str, ...]) -> bool:
    key = f" {fold_key(text)} "
    return any(f" {cue} " in key for cue in cues)


def _launcher(segment: str) -> str | None:
    """The body right before "phát động": "Ngày 5/3/2024, UBND tỉnh" → "UBND tỉnh"."""
    segment = segment.strip().rstrip(",")
    segment = re.split(r",\s+|:\s+|\s+do\s+|\s+với\s+", segment)[-1]
    for match in _WORD_START.finditer(segment):
        rest = segment[match.start() :]
        lower = rest.lower()
        if rest[0].isupper() and any(lower == h or lower.startswith(h + " ") for h in _LAUNCHER_HEADS):
            words = rest.split()
            if len(words) <= 12:
                return rest.strip(" ,;")
    return None


def _launch_facts(sentence: str, mention_at: int, quote_end: int) -> tuple[str | None, str | None]:
    """(launched_on, launched_by) of a mention, from its sentence; None where the sentence is silent."""
    launched_by = None
    launched_on = None
    before = sentence[:mention_at]
    verbs = list(re.finditer(r"phát\s+động", before, re.IGNORECASE))
    verb: re.Match[str] | None = verbs[-1] if verbs else None
    if verb is not None:
        launched_by = _launcher(before[: verb.start()])
    else:
        after = sentence[quote_end:]
        by_match = re.search(r"\bdo\s+(.{3,80}?)\s+phát\s+động", after, re.IGNORECASE)
        if by_match:
            launched_by = _launcher(by_match[1])
            verb = by_match
    if verb is not None:
        dates = find_dates(sentence)
        if len(dates) == 1:
            launched_on = dates[0][1]
    return launched_on, launched_by


def _period(after_quote: str) -> tuple[int | None, int | None]:
    match = _PERIOD_AFTER.match(after_quote)
    if not match:
        return None, None
    period = parse_period(match[1])
    if period is None:
        return None, None
    return period.start_year, period.end_year


def _mentions(text: str) -> list[MovementMention]:
    found: list[MovementMention] = []
    position = 0
    while True:
        trigger = _TRIGGER.search(text, position)
        if not trigger:
            break
        position = trigger.end()
        start, end = _sentence_bounds(text, trigger.start())
        sentence = text[start:end]
        lead = text[max(start, trigger.start() - 80) : trigger.start()]
        launching = _has_cue(_without_quotes(sentence), _LAUNCH_CUES)
        if not launching or _has_cue(lead + " " + trigger[0], _LOOKING_BACK_CUES):
            continue
        quote_at = trigger.end()
        while True:
            closing = _closing_quote(text, quote_at)
            if closing is None:
                break
            name = clean_text(text[quote_at + 1 : closing]) or ""
            name = name.strip(" ,;.")
            if 3 <= len(name) <= 300:
                launched_on, launched_by = _launch_facts(
                    sentence, trigger.start() - start, closing + 1 - start
                )
                period_start, period_end = _period(text[closing + 1 : closing + 60])
                found.append(MovementMention(name, launched_on, launched_by, period_start, period_end))
            position = closing + 1
            # "Phong trào thi đua “A”; “B”; hay mới nhất là phong trào thi đua “C”": one list.
            more = _LIST_CONTINUATION.match(text[closing + 1 : closing + 80])
            if not more:
                break
            quote_at = closing + 1 + more.end()
    return found


def find_movements(text: str | None, *, title: str | None = None) -> list[MovementMention]:
    """Movements launched or planned in a page (title first, then text), one per name.

    The same movement named in the title and again in the text is one mention; facts found in
    either (launch date, launcher, period) are merged.
    """
    merged: dict[str, MovementMention] = {}
    for part in (title, text):
        if not part:
            continue
        cleaned = "\n".join(clean_text(line) or "" for line in part.splitlines())
        for mention in _mentions(cleaned):
            key = fold_key(mention.name)
            known = merged.get(key)
            if known is None:
                merged[key] = mention
                continue
            known.launched_on = known.launched_on or mention.launched_on
            known.launched_by = known.launched_by or mention.launched_by
            if known.period_start is None:
                known.period_start, known.period_end = mention.period_start, mention.period_end
    return list(merged.values())
