"""Emulation movements (phong trào thi đua) a page names, and who launched them when it says so.

A movement's name stands in quotes after "phong trào thi đua", "Phong trào", "đợt thi đua (cao điểm)",
"phát động (thi đua)" or "cuộc vận động"; several may follow one another ("các phong trào thi đua
“A”, “B” và “C”", "… 4 phong trào thi đua trong phạm vi cả nước: “A”; “B”"). Every such name is a
mention, launched or not ("sơ kết phong trào …", "hưởng ứng phong trào …" name it too).

Launch facts come only from a sentence that launches ("phát động"): the launcher is the sentence's
subject ("Thủ tướng Chính phủ phát động …", "UBND tỉnh tổ chức lễ phát động …"), the body after
"do … phát động", or the launching document's author ("Chỉ thị số 03/CT-UBND của Chủ tịch UBND tỉnh
về việc phát động …"); the date is the one date that sentence gives. Where the text is silent they
stay None. Launchers are written in one form ("Ủy ban nhân dân tỉnh" and "UBND tỉnh" are both
"UBND tỉnh"; the person holding an office is dropped: "Thủ tướng Phạm Minh Chính" is "Thủ tướng
Chính phủ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.normalize.dates import find_dates, parse_period, to_iso_with_context
from archive.normalize.names import PROVINCES, looks_like_name
from archive.normalize.surnames import SURNAMES
from archive.normalize.text import clean_text, fold_key

__all__ = ["MovementMention", "canonical_launcher", "find_movements"]


@dataclass
class MovementMention:
    name: str
    launched_on: str | None  # ISO date, only when the launching sentence states it
    launched_by: str | None
    period_start: int | None
    period_end: int | None


_QUOTE_OPEN = '“"«'
# A trigger, then up to a few words (a count, "cao điểm", "trong phạm vi cả nước:", "như:") before
# the first quote.
_TRIGGER = re.compile(
    r"(?:phong\s+trào(?:\s+thi\s+đua)?|đợt\s+thi\s+đua|phát\s+động(?:\s+thi\s+đua)?|cuộc\s+vận\s+động)"
    # A contest, a theme or a slogan in the gap names no movement: "phát động cuộc thi “…”", "phát
    # động thi đua với khẩu hiệu “…”", "thực hiện chủ đề thi đua “…”".
    r"(?P<gap>(?:\s+(?!phong\s+trào|phát\s+động|cuộc\s+thi|hội\s+thi|khẩu\s+hiệu|chủ\s+đề)[^\s“”\"«».;]+){0,7}?)"
    r"\s*:?\s*(?=[“\"«])",
    re.IGNORECASE,
)
# What may join the names of one list: "“A”, “B” và phong trào thi đua “C”".
_LIST_CONTINUATION = re.compile(
    r"^\s*(?:[;,]\s*)?(?:(?:và|hay|hoặc|cùng|cũng\s+như)\s+(?:mới\s+nhất\s+là\s+)?)?"
    r"(?:(?:các\s+)?(?:phong\s+trào|đợt|cuộc\s+vận\s+động)(?:\s+thi\s+đua)?\s+)?(?=[“\"«])",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZĐÀ-Ỹ\d“\"])|\n")
_PERIOD_AFTER = re.compile(
    r"^[”\"»]?\s*,?\s*((?:giai\s+đoạn|năm\s+học|nhiệm\s+kỳ|năm)\s+[\d\s\-–—/]+\d)", re.IGNORECASE
)
_LAUNCH_VERB = re.compile(r"phát\s+động", re.IGNORECASE)


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
        if match is None or "“" in text[open_at + 1 : match.start()]:
            return None  # the quote closes another name's: this one was never closed
        return match.start()
    closer = "»" if opener == "«" else '"'
    end = text.find(closer, open_at + 1, open_at + 400)
    if end < 0 and opener == '"':
        end = text.find("”", open_at + 1, open_at + 400)
    return end if end >= 0 else None


def _unclosed_end(text: str, open_at: int) -> int | None:
    """Where a name whose quote was never closed ends: “Lao động giỏi, Lao động sáng tạo. Giải …" —
    at the sentence's end, when that comes soon and no other quote stands before it."""
    end = re.compile(r"[.!?](?=\s+[A-ZĐÀ-Ỹ])|\n").search(text, open_at + 1, open_at + 120)
    if end is None or re.search(r"[“”\"«»]", text[open_at + 1 : end.start()]):
        return None
    return end.start()


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, position):
        if not _inside_quotes(text, match.start()):
            start = match.end()
    end = len(text)
    for match in _SENTENCE_END.finditer(text, position):
        if not _inside_quotes(text, match.start()):
            end = match.start()
            break
    return start, end


def _inside_quotes(text: str, at: int) -> bool:
    before = text[max(0, at - 400) : at]
    return before.count("“") > before.count("”")


# --- launchers -----------------------------------------------------------------------------------

# Bodies and offices that launch movements; compared on the lower-cased start of a capitalised word.
_LAUNCHER_HEADS = (
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "hội đồng",
    "ban",
    "thủ tướng",
    "phó thủ tướng",
    "chính phủ",
    "bộ",
    "sở",
    "liên đoàn",
    "tổng liên đoàn",
    "tỉnh ủy",
    "tỉnh uỷ",
    "huyện ủy",
    "huyện uỷ",
    "thành ủy",
    "thành uỷ",
    "đảng ủy",
    "đảng uỷ",
    "đoàn",
    "tỉnh đoàn",
    "trung ương đoàn",
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
    "tổng bí thư",
    "bộ chính trị",
    "ban bí thư",
)
# One spelling per body: (pattern on the text, replacement). Applied in order.
_LAUNCHER_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:Ủy|Uỷ|UỶ|ỦY)\s+ban\s+nhân\s+dân\b", re.IGNORECASE), "UBND"),
    (re.compile(r"\bHội\s+đồng\s+nhân\s+dân\b", re.IGNORECASE), "HĐND"),
    (
        re.compile(
            r"\b(?:Hội\s+đồng\s+(?:Thi\s+đua\s*[-–—]?\s*Khen\s+thưởng|TĐ\s*[-–—]?\s*KT|TĐKT)|HĐTĐKT|HĐ\s*TĐKT)\b",
            re.IGNORECASE,
        ),
        "Hội đồng Thi đua - Khen thưởng",
    ),
    (
        re.compile(r"\bBan\s+(?:Thi\s+đua\s*[-–—]?\s*Khen\s+thưởng|TĐ\s*[-–—]?\s*KT|TĐKT)\b", re.IGNORECASE),
        "Ban Thi đua - Khen thưởng",
    ),
    (re.compile(r"\b(?:TW|T\.Ư|TƯ)(?!\w)"), "Trung ương"),
    (re.compile(r"\b(Tỉnh|Huyện|Thành|Đảng)\s+uỷ\b", re.IGNORECASE), r"\1 ủy"),
    (re.compile(r"\b(?:LĐLĐ)\b"), "Liên đoàn Lao động"),
    (re.compile(r"\bMTTQ\b"), "Mặt trận Tổ quốc"),
    (re.compile(r"\bTP\.?\s+(?=[A-ZĐ])"), "thành phố "),
    (re.compile(r"^(?:Phó\s+)?Thủ\s+tướng(?:\s+Chính\s+phủ)?\b"), "Thủ tướng Chính phủ"),
]


def canonical_launcher(text: str | None) -> str | None:
    """One spelling of a launching body: "Ủy ban nhân dân tỉnh" → "UBND tỉnh", "Hội đồng TĐ-KT tỉnh" →
    "Hội đồng Thi đua - Khen thưởng tỉnh", "Thủ tướng Phạm Minh Chính" → "Thủ tướng Chính phủ"."""
    text = clean_text(text)
    if not text:
        return None
    for pattern, replacement in _LAUNCHER_FORMS:
        text = pattern.sub(replacement, text)
    # "Thủ tướng Chính phủ, Chủ tịch Hội đồng …": the first office is the one that launched.
    protected = text.replace("Thi đua - Khen thưởng", "Thi đua\x00Khen thưởng")
    text = re.split(r",\s+|\s+-\s+|\s+–\s+", protected, maxsplit=1)[0].replace("\x00", " - ")
    text = _without_holder(text)
    for pattern, replacement in _LAUNCHER_FORMS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    return text or None


def _without_holder(text: str) -> str:
    """ "Chủ tịch UBND tỉnh Nguyễn Văn A" → "Chủ tịch UBND tỉnh": a person's name after the office."""
    words = text.split()
    for size in range(min(5, len(words) - 1), 1, -1):
        tail = words[-size:]
        before = words[-size - 1].lower()
        if before in _PLACE_WORDS:
            continue  # "UBND huyện Vũ Thư": a district, not a person
        if before in ("tỉnh", "phố") and (" ".join(tail) in PROVINCES or not _OFFICE.match(text)):
            continue  # "UBND tỉnh Thái Bình"; but "Chủ tịch UBND tỉnh Nguyễn Văn A" names the holder
        if tail[0].lower() in SURNAMES and looks_like_name(" ".join(tail)):
            return " ".join(words[:-size])
    return text


_PLACE_WORDS = {"huyện", "xã", "phường", "quận", "trấn", "thôn"}
_OFFICE = re.compile(r"^(?:Phó\s+)?(?:Chủ\s+tịch|Bí\s+thư|Giám\s+đốc|Thủ\s+tướng|Trưởng\s+ban|Bộ\s+trưởng)\b")


_ISSUED_DOCUMENT_END = re.compile(
    r"\s+(?:(?:đã|vừa)\s+)?(?:có|ban\s+hành|ký)\s+(?:Kế\s+hoạch|Chỉ\s+thị|Hướng\s+dẫn|Công\s+văn|Quyết\s+định|"
    r"Thông\s+báo)(?:\s+số)?\s*[\w/\-Đđ]*(?:\s+ngày\s+[\d/.\-]+)?(?:\s+về(?:\s+việc)?)?$",
    re.IGNORECASE,
)


def _launcher(segment: str) -> str | None:
    """The body right before "phát động": "Ngày 5/3/2024, UBND tỉnh tổ chức lễ" → "UBND tỉnh"."""
    segment = segment.strip().rstrip(",")
    # "Hội đồng … vừa có Hướng dẫn số 09/HD-HĐTĐKT về việc phát động": the subject issued the document.
    segment = _ISSUED_DOCUMENT_END.sub("", segment)
    # What stands between the subject and the verb: "đã", "chính thức", "tổ chức lễ", "vừa ban hành …".
    segment = re.sub(
        r"(?:\s+(?:đã|vừa|chính\s+thức|tổ\s+chức|long\s+trọng|lễ|hội\s+nghị|cũng|đồng\s+thời|tiếp\s+tục|sẽ))+\s*$",
        "",
        segment,
        flags=re.IGNORECASE,
    )
    segment = re.split(r":\s+|\s+do\s+|\s+với\s+|\s+cùng\s+", segment)[-1]
    # The subject may be a chain of offices in apposition ("Thủ tướng Chính phủ, Chủ tịch Hội đồng …"):
    # the first of the trailing run of such segments is the launcher.
    pieces = re.split(r",\s+", segment)
    run: list[str] = []
    for piece in reversed(pieces):
        start = _body_start(piece)
        if start is None:
            break
        run.append(piece[start:] if not run else piece)
        if start > 0:
            break
    if not run:
        return None
    subject = run[-1]
    if len(subject.split()) > 14:
        return None
    return canonical_launcher(subject.strip(" ,;"))


def _body_start(piece: str) -> int | None:
    """Where a launching body's name starts in a piece of a subject ("Sáng 5/3 UBND tỉnh" → at "UBND")."""
    for match in re.finditer(r"(?:^|(?<=[\s(]))\S", piece):
        rest = piece[match.start() :]
        lower = rest.lower()
        if rest[0].isupper() and any(lower == h or lower.startswith(h + " ") for h in _LAUNCHER_HEADS):
            return match.start()
    return None


# "Chỉ thị số 03/CT-UBND ngày … của Chủ tịch UBND tỉnh về (việc) phát động …": the author launched.
_LAUNCHING_DOCUMENT = re.compile(
    r"(?:Chỉ\s+thị|Kế\s+hoạch|Quyết\s+định|Công\s+văn|Thông\s+báo|Hướng\s+dẫn|Lời\s+kêu\s+gọi)"
    r"(?:\s+số)?\s+[\w/\-Đđ]*(?:\s+ngày\s+[\d/.\-]+)?\s+của\s+(?P<author>.{3,90}?)\s+(?:về\s+(?:việc\s+)?)?"
    r"(?:tổ\s+chức\s+)?phát\s+động",
    re.IGNORECASE,
)


_PLANNED = re.compile(
    r"(?:xem\s+xét|cho\s+ý\s+kiến|góp\s+ý|thảo\s+luận|xây\s+dựng)\s+(?:(?:dự\s+thảo|việc)\s+)?(?:kế\s+hoạch\s+)?$",
    re.IGNORECASE,
)
_ORGANISING_PLAN = re.compile(
    r"(?:ban\s+hành|có)\s+(?:Kế\s+hoạch|Chỉ\s+thị)(?:\s+số)?\s*[\w/\-Đđ]*(?:\s+ngày\s+[\d/.\-]+)?\s+"
    r"(?:về\s+(?:việc\s+)?)?tổ\s+chức\s+(?:các\s+)?phong\s+trào(?:\s+thi\s+đua)?\s*$",
    re.IGNORECASE,
)


def _launch_facts(
    sentence: str, mention_at: int, quote_end: int, *, published: str | None
) -> tuple[str | None, str | None]:
    """(launched_on, launched_by) of a mention, from its sentence; None where the sentence is silent.

    `mention_at` is where the mention's opening quote stands (the trigger, "phát động thi đua …", is
    before it and may itself be the verb)."""
    before = sentence[:mention_at]
    verbs = list(_LAUNCH_VERB.finditer(before))
    launched_by = None
    launching = False
    if verbs and _PLANNED.search(before[: verbs[-1].start()]):
        pass  # "… xem xét kế hoạch phát động phong trào …": a plan discussed, nothing launched yet
    elif verbs:
        launching = True
        documents = list(_LAUNCHING_DOCUMENT.finditer(before))
        document = documents[-1] if documents else None
        if document is not None and document.end() >= verbs[-1].end() - 1:
            launched_by = canonical_launcher(document["author"])
        else:
            launched_by = _launcher(before[: verbs[-1].start()])
    elif plan := _ORGANISING_PLAN.search(before):
        # "UBND tỉnh đã ban hành Kế hoạch số 42/KH-UBND tổ chức phong trào thi đua “…”": the plan that
        # organises the movement launches it; its issuer is the sentence's subject.
        launching = True
        launched_by = _launcher(before[: plan.start()])
    else:
        by_match = re.search(
            r"\bdo\s+(.{3,90}?)\s+(?:đã\s+)?phát\s+động", sentence[quote_end:], re.IGNORECASE
        )
        if by_match:
            launching = True
            launched_by = _launcher(by_match[1]) or canonical_launcher(by_match[1])
    launched_on = None
    if launching:
        dates = find_dates(sentence)
        if len(dates) == 1:
            launched_on = dates[0][1]
        elif not dates and published:
            launched_on = to_iso_with_context(_lead_date(sentence) or "", published=published)
    return launched_on, launched_by


def _lead_date(sentence: str) -> str | None:
    """ "Sáng 19/7, …", "Ngày 5/3, …": the year-less date a news sentence starts with."""
    match = re.match(
        r"^\s*(?:(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm\s+nay)\s+(?:ngày\s+)?)?(\d{1,2}/\d{1,2})(?![\d/])", sentence
    )
    return match[1] if match else None


# "“…” năm 2021 và giai đoạn 2021 - 2025": this year's round of a movement that runs for the period.
_YEAR_AND_PERIOD = re.compile(
    r"^[”\"»]?\s*,?\s*năm\s+\d{4}\s+và\s+((?:giai\s+đoạn|nhiệm\s+kỳ)\s+[\d\s\-–—/]+\d)", re.IGNORECASE
)


def _period(after_quote: str) -> tuple[int | None, int | None]:
    match = _YEAR_AND_PERIOD.match(after_quote) or _PERIOD_AFTER.match(after_quote)
    if not match:
        return None, None
    period = parse_period(match[1])
    if period is None:
        return None, None
    return period.start_year, period.end_year


def _mentions(text: str, *, published: str | None) -> list[MovementMention]:
    found: list[MovementMention] = []
    position = 0
    while True:
        trigger = _TRIGGER.search(text, position)
        if not trigger:
            break
        position = trigger.end()
        start, end = _sentence_bounds(text, trigger.start())
        sentence = text[start:end]
        quote_at = trigger.end()
        while True:
            closing = _closing_quote(text, quote_at)
            if closing is None:
                closing = _unclosed_end(text, quote_at)
            if closing is None:
                break
            name = clean_text(text[quote_at + 1 : closing]) or ""
            name = name.strip(" ,;.")
            if 3 <= len(name) <= 300 and not _is_quoted_word(name):
                launched_on, launched_by = _launch_facts(
                    sentence, trigger.end() - start, closing + 1 - start, published=published
                )
                period_start, period_end = _period(text[closing + 1 : closing + 60])
                found.append(MovementMention(name, launched_on, launched_by, period_start, period_end))
            position = closing + 1
            more = _LIST_CONTINUATION.match(text[closing + 1 : closing + 80])
            if not more:
                break
            quote_at = closing + 1 + more.end()
    return found


def _is_quoted_word(name: str) -> bool:
    """A quoted word that is no movement's name ("phong trào “nóng”"): one word in lower case."""
    return " " not in name and name.islower()


def find_movements(
    text: str | None, *, title: str | None = None, published: str | None = None
) -> list[MovementMention]:
    """Movements a page names (title first, then text), one per name, in order of first mention.

    The same movement named twice is one mention; facts found in either place (launch date,
    launcher, period) are merged. `published` (the page's ISO date) dates a launch written without a
    year ("Sáng 19/7, …").
    """
    merged: dict[str, MovementMention] = {}
    for part in (title, text):
        if not part:
            continue
        cleaned = "\n".join(clean_text(line) or "" for line in part.splitlines())
        for mention in _mentions(cleaned, published=published):
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
