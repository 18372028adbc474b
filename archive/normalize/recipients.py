"""Who received an award, in every form real decisions and news write it.

The forms (read from decisions of the State President, the Prime Minister and provincial chairmen,
and from provincial news):
- tables: "STT | Họ và tên | Chức vụ, đơn vị | Hình thức", with the header in `th` or in the first
  row of `td`, split over two rows, or missing;
- lists, one entry a line: "01. Sở Tư pháp tỉnh Hòa An;" … "./.", "- Ông Lê Văn Hòa, Giám đốc Sở …;",
  grouped under "I. TẬP THỂ" / "II. CÁ NHÂN" or under one heading per award class; an entry may run
  over two lines (PDF text breaks mid-phrase);
- a numbered list inside one paragraph: "… tặng Bằng khen: 1.Sở A; 2.Đài B; 3. Nhân dân …";
- prose: "… tặng Bằng khen cho ông Trần Minh Đức, Phó Trưởng phòng …; bà Vũ Thị Lan, giáo viên …",
  several award classes in one sentence ("tặng HCLĐ hạng Nhất cho …; tặng HCLĐ hạng Nhì cho …"),
  recipients before the award ("Phòng PC45 và Đại tá … được trao tặng …"), lists after "gồm:".

An entry is a person (honorific or rank, name, then position and unit) or a body (the whole entry is
the name, commas included). Reasons ("đã có thành tích …"), rewards ("kèm tiền thưởng …") and
residences ("(trú tại …)") are cut off: a residence is no unit. Prose is read only in clauses that
confer an award, so a rescued child or a guest of honour named in the same article is no recipient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.normalize.awards import authorities_in, canonical_award, complete_award, find_awards
from archive.normalize.names import (
    PARENT_HEADS,
    POSITION_HEADS,
    SUB_UNIT_HEADS,
    collective_head,
    is_person_entry,
    leading_name,
    looks_like_name,
    split_honorific,
    starts_with_position,
    trailing_name,
)
from archive.normalize.text import clean_text, fold_key, respace_syllables

__all__ = [
    "Recipient",
    "StatedCounts",
    "parse_entry",
    "recipients_from_table",
    "recipients_from_text",
    "split_position_unit",
    "stated_counts",
]


@dataclass
class Recipient:
    name: str
    kind: str  # "collective" | "individual"
    unit: str | None
    position: str | None
    award: str | None  # canonical, or None when the text does not say
    honorific: str | None = None  # "Ông", "Trung tá", "GS.TS": dropped from the name, kept here


# ---------------------------------------------------------------------------------------------------
# One entry


# Where an entry's name and unit end: a reason, a reward, a purpose. Lower case only: "Do" and "Vì"
# capitalised start names ("Công ty TNHH Tự Do").
_TAIL = re.compile(
    r"(?:,?\s+|,)(?:"
    r"đã\s+(?:có|hoàn\s+thành|lập|dũng\s+cảm|tích\s+cực|đạt|thực\s+hiện|xuất\s+sắc|quên\s+mình|nhiều)"
    r"|vì\s|do\s+(?:đã|có)\s|kèm\s+(?:theo\s+)?(?:tiền\s+thưởng|số\s+tiền)|kèm\s+theo\s|"
    r"về\s+thành\s+tích|có\s+thành\s+tích|với\s+thành\s+tích|đạt\s+thành\s+tích|có\s+nhiều\s+thành\s+tích|"
    r"nhân\s+dịp|góp\s+phần|để\s|nhằm\s|"
    r"(?:tại|theo)\s+Quyết\s+định|"
    r"trong\s+(?:công\s+tác|phong\s+trào|thực\s+hiện|việc|các\s+phong\s+trào|đấu\s+tranh|năm\s+học|giai\s+đoạn)"
    r")|\s*\((?:có\s+)?danh\s+sách[^)]*\)|\s+[-–]\s+[Đđ]ã\s"
)
_RESIDENCE = re.compile(
    r"\s*\((?:trú|ngụ|thường\s+trú|[Qq]uê|[Ss]inh\s+năm|SN|sn|\d{1,3}\s+tuổi|ở\s)[^)]*\)"
    r"|,\s*(?:trú|ngụ|thường\s+trú)\s+(?:tại\s+)?[^,;]*"
    r"|,\s*sinh\s+năm\s+\d{4}"
)
# "1/ Sở Tư pháp" is numbered with a slash; "163/QĐ-UBND", "12/2020/NĐ-CP", "163/KH ngày …" are
# document numbers, whatever line they start.
_SLASH_MARK = r"/(?!\d|[A-ZĐ]{1,8}(?:-|/\d|\s+ngày))"
_MARKER = re.compile(
    rf"^\s*(?:(?:\d{{1,3}}|[IVXLC]{{1,5}}|[a-zđ])\s*(?:[.)]|{_SLASH_MARK})\s*(?:\d{{1,2}}\s*[.)]\s*)?"
    r"|[-–+•*·►▪●]\s*)"
)
_END_PUNCTUATION = " \t;,.:"
_VERBS_IN_NAME = re.compile(
    r"(?<!\w)(?:có|là|được|đã|sẽ|đang|nhận|vinh\s+dự|đón\s+nhận|tổ\s+chức|trao|tặng|gồm|thuộc\s+diện)(?!\w)"
)
_COUNT_PHRASE = re.compile(
    r"^(?:\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|các|những)\s+"
    r"(?:tập\s+thể|cá\s+nhân|đơn\s+vị|em|học\s+sinh|đồng\s+chí|người|gia\s+đình|liệt\s+s[ĩỹ]|đoàn|"
    r"trường|cán\s+bộ|chiến\s+sĩ|tổ\s+chức|doanh\s+nghiệp|hộ|tập\s+thể,\s+cá\s+nhân)"
    r"(?!\s+(?-i:[A-ZĐÀ-Ỹ]))",  # "các đồng chí Ngọc Kim Nam" names people, it counts nobody
    re.IGNORECASE,
)
_KIND_ONLY = {"tap the", "ca nhan", "tap the ca nhan", "cac tap the", "cac ca nhan", "tap the va ca nhan"}
_TOTAL = re.compile(r"^(?:tổng\s+cộng|tổng\s+số|cộng|tổng)(?:\s*[:(\d]|\s*$)", re.IGNORECASE)


# "… trao cho thân nhân mẹ Đỗ Thị Điền": the relatives receive a posthumous award on behalf of the one
# it honours, who is the recipient.
_ON_BEHALF = re.compile(
    r"^(?:thân\s+nhân|gia\s+đình|đại\s+diện\s+gia\s+đình)\s+(?:của\s+)?"
    r"(?=(?:mẹ|liệt\s+s[ĩỹ]|ông|bà|cụ|đồng\s+chí|em|anh|chị)\s+[A-ZĐÀ-Ỹ])",
    re.IGNORECASE,
)


# "Trường Mầm non Sơn Ca (huyện Đức Huệ)", "Trường Tiểu học Mỹ Lạc (Thủ Thừa)": after a body's name,
# where it is; the name stops before it. An acronym ("(VNPT)") is part of how the body is known and a
# later name ("(nay là …)") tells who it became: both stay. So does the district of a commune or its
# people ("Nhân dân và cán bộ xã Hải Ninh (huyện Quảng Ninh)"): a place is named within the place
# that holds it, and many communes share a name.
_BODY_PLACE = re.compile(
    r"\s*\((?:(?:huyện|quận|thị\s+xã|thành\s+phố|TP\.?|tỉnh|xã|phường|thị\s+trấn)\s[^()]*"
    r"|[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){0,3})\)\s*$"
)

_A_PLACE = re.compile(
    r"(?i)(?:nhân\s+dân\s+và\s+cán\s+bộ\s+|cán\s+bộ\s+và\s+nhân\s+dân\s+|nhân\s+dân\s+|đảng\s+bộ\s+)?"
    r"(?:xã|phường|thị\s+trấn|thôn|bản|ấp|làng|tổ\s+dân\s+phố|khu\s+phố|huyện|quận|thị\s+xã)\s"
)

_KIND_BEFORE_BODY = re.compile(r"^[Tt]ập\s+thể\s+(?=[A-ZĐÀ-Ỹ])")


def _strip_entry(text: str) -> str:
    text = clean_text(text) or ""
    text = _MARKER.sub("", text, count=1)
    text = _ON_BEHALF.sub("", text.strip(), count=1)
    while text.endswith(("./.", "/.")):
        text = text[: -3 if text.endswith("./.") else -2].rstrip()
    return text.strip(_END_PUNCTUATION + "-–")


def _cut_tail(text: str) -> str:
    match = _TAIL.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    return text.strip(_END_PUNCTUATION + "-–")


def _drop_residence(text: str) -> str:
    return clean_text(_RESIDENCE.sub("", text)) or ""


def _balanced_parentheses(text: str) -> bool:
    return text.count("(") == text.count(")")


def split_position_unit(text: str | None) -> tuple[str | None, str | None]:
    """("Hiệu trưởng", "Trường THCS Nam Cao") from "Hiệu trưởng Trường THCS Nam Cao".

    The unit is what follows a comma when a body's capitalised head starts it ("Phó Trưởng phòng
    Cảnh sát giao thông, Công an tỉnh": the sub-unit stays in the position); without such a comma, it
    starts at the first capitalised head of a body after the title ("Phó Chánh Văn phòng Sở Tư pháp":
    "Chánh Văn phòng" is the title, the unit is "Sở Tư pháp").
    """
    text = (clean_text(text) or "").strip(" ,;-–")
    if not text:
        return None, None
    head, sep, tail = text.partition(", ")
    if sep and starts_with_position(head) and collective_head(tail) and tail[:1].isupper():
        return head, tail
    roles = _top_level_split(text, _COMMA)
    if (
        len(roles) > 2
        and all(starts_with_position(role) for role in roles[:-1])
        and collective_head(roles[-1])
        and roles[-1][:1].isupper()
    ):
        return ", ".join(roles[:-1]), roles[-1]  # "Ủy viên BTV Tỉnh ủy, Giám đốc, Công an tỉnh"
    if len(roles) > 1 and all(starts_with_position(role) for role in (roles[0], roles[-1])):
        # "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh X": several offices, the unit is the
        # last one's; the earlier offices stay in the position, whole.
        last_position, last_unit = split_position_unit(roles[-1])
        if last_unit:
            return ", ".join([*roles[:-1], last_position or ""]).strip(" ,"), last_unit
    named_by_title = _HEAD_OF_UNIT.match(text)
    if (
        named_by_title
        and named_by_title["rest"][:1].isupper()
        and _unit_start(named_by_title["rest"]) is None
    ):
        # "Phó Trưởng đoàn Đại biểu Quốc hội tỉnh X": the title names its unit's head word, and no
        # parent body follows: the unit is "Đoàn Đại biểu Quốc hội tỉnh X". A "phòng" or "khoa" is a
        # sub-unit and stays in the position ("Phó Trưởng phòng Cảnh sát hình sự"), as after a comma.
        word = named_by_title["word"]
        return (
            f"{named_by_title['title']}{word.lower()}",
            f"{word[0].upper()}{word[1:].lower()} {named_by_title['rest']}",
        )
    start = _unit_start(text)
    if start is None:
        return text, None
    if start == 0:
        return None, text
    return text[:start].strip(" ,;-–") or None, text[start:].strip(" ,;-–") or None


_HEAD_OF_UNIT = re.compile(
    r"^(?P<title>(?:nguyên\s+)?(?:Phó\s+)?Trưởng\s+)(?P<word>đoàn|ban)\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)


def _title_end(text: str) -> int:
    """Where the title at the start of a position ends: "Phó Chánh Văn phòng Sở …" → after "phòng"."""
    at = 0
    for prefix in ("nguyên ", "Nguyên ", "Phó ", "phó "):
        if text[at:].startswith(prefix):
            at += len(prefix)
    lower = text[at:].lower()
    for head in POSITION_HEADS:
        if len(head) > 3 and (lower == head or lower.startswith(head + " ")):
            return at + len(head)
    return 0


def _unit_start(text: str) -> int | None:
    """Where a unit's name begins inside "Hiệu trưởng Trường THCS Nam Cao": a capitalised head word
    after the title ("Trưởng" in "Trưởng phòng" is part of the title)."""
    skip = _title_end(text)
    for match in re.finditer(r"(?:^|(?<=[\s(]))\S", text):
        start = match.start()
        if start < skip:
            continue
        rest = text[start:]
        if rest[0].isupper() and collective_head(rest):
            if start == 0 and starts_with_position(rest):
                continue
            return start
    return None


# "ông A – Giám đốc Công ty B (Lào Cai) – vẫn ngày ngày …": the office set off by dashes ends where the
# sentence goes on in lower case ("nguyên", "kiêm" … continue the office).
_ASIDE_END = re.compile(r"\s[-–]\s+(?!nguyên\b|kiêm\b|phụ\s+trách\b|quyền\b)(?-i:[a-zà-ỹđ])")

# A village, hamlet or street quarter right after a person's name: a residence.
_HOME_PLACE = re.compile(r"(?:bản|thôn|xóm|ấp|tổ\s+dân\s+phố|khu\s+phố|số\s+nhà)\s+\S")

# A name and its position joined by a dash with no spaces ("Phan Thanh Tùng-Phó Chánh Văn phòng").
_GLUED_DASH = re.compile(r"^(\S+(?:\s+\S+){1,4}?)[-–](?=\S)")


def _person(rest: str, *, honorific: str | None, award: str | None, name_hint: bool) -> Recipient | None:
    """A person from "Nguyễn Văn An, Hiệu trưởng …", "Nguyễn Văn An (học sinh lớp 7C)" or the name-last
    form "nguyên Chủ nhiệm Ủy ban … Trần Thị Tâm Đan"."""
    rest = rest.strip(" ,;:-–")
    if not rest:
        return None
    glued = _GLUED_DASH.match(rest)
    if glued and looks_like_name(glued[1], surname_needed=False):
        rest = f"{glued[1]} - {rest[glued.end() :]}"  # "ông Hồ Đắc Chương-nguyên Phó Giám đốc Sở …"
    head = re.split(r",|\s[-–]\s|\(|:|;", rest, maxsplit=1)[0].strip()
    words = head.split()
    size = leading_name(words, surname_needed=not (honorific or name_hint))
    if size:
        name = " ".join(words[:size])
        tail = rest[rest.index(words[size - 1]) + len(words[size - 1]) :].strip() if size else rest
        tail = tail.lstrip(",:;-– ").strip()
        if tail.startswith("(") and ")" in tail:
            inner, _, after = tail[1:].partition(")")
            tail = ", ".join(p for p in (inner.strip(), after.strip(" ,;-–")) if p)
        if _HOME_PLACE.match(tail):
            tail = ""  # "Lữ Thị Tuyết, bản Xộp Huối, xã Na Mèo": where she lives, no position or unit
        aside_end = _ASIDE_END.search(tail)
        if aside_end:
            tail = tail[: aside_end.start()]
        position, unit = split_position_unit(tail) if tail else (None, None)
        return Recipient(name, "individual", unit, position, award, honorific)
    if starts_with_position(rest):
        # "nguyên điều dưỡng Hồ Thị Mai, Bệnh viện …": the title first, the name last, then the unit.
        head = re.split(r",|\(|:|;", rest, maxsplit=1)[0].strip()
        words = head.split()
        size = trailing_name(words)
        if size:
            name = " ".join(words[-size:])
            position, unit = split_position_unit(" ".join(words[:-size]))
            after = rest[len(head) :].strip(" ,;-–")
            if after and collective_head(after):
                unit = after if unit is None else f"{unit}, {after}"
            return Recipient(name, "individual", unit, position, award, honorific)
    return None


def parse_entry(
    text: str, *, kind: str | None = None, award: str | None = None, strict: bool = True
) -> Recipient | None:
    """One recipient from one entry of a list, a table cell or a piece of prose; None if it is none.

    `kind` is what a heading or a column says ("collective" under "I. TẬP THỂ"); `strict` asks for a
    known shape (a body's head word, or a person: honorific, surname) — prose needs it, a table's
    name column does not.
    """
    text = _strip_entry(text)
    if not text or _TOTAL.match(text) or not _balanced_parentheses(text):
        return None
    text = _cut_tail(text)
    text = _drop_residence(text)
    if not text or _COUNT_PHRASE.match(text) or fold_key(text) in _KIND_ONLY:
        return None
    honorific = split_honorific(text)
    if honorific is None and not text[0].isupper() and not _people_of(text):
        starts_position = kind != "collective" and starts_with_position(text)
        if not starts_position:
            return None
    position_first = honorific is None and kind != "collective" and starts_with_position(text)
    if honorific or kind == "individual" or position_first or (kind is None and is_person_entry(text)):
        rest = honorific.rest if honorific else text
        person = _person(
            rest, honorific=honorific.text if honorific else None, award=award, name_hint=kind == "individual"
        )
        if person is not None:
            return person
        if honorific or kind == "individual":
            return None if strict else _loose_person(rest, honorific, award)
    body = text if _A_PLACE.match(text) else (_BODY_PLACE.sub("", text) or text)
    body = _KIND_BEFORE_BODY.sub("", body)  # "Tập thể Trung tâm PT-TH Quân đội": the kind, then the body
    if kind != "collective" and strict and not collective_head(body):
        return None
    if _VERBS_IN_NAME.search(_outside_parentheses(body)) or len(body.split()) > 40:
        return None
    if re.fullmatch(r"[\d\s.,/-]+", body):
        return None
    return Recipient(body, "collective", None, None, award, None)


def _people_of(text: str) -> bool:
    """ "nhân dân và cán bộ xã …", "cán bộ và Nhân dân xã …": a commune's people, written in lower case
    in running text, are a collective."""
    return fold_key(text).startswith(("nhan dan va can bo ", "can bo va nhan dan "))


def _loose_person(rest: str, honorific: object, award: str | None) -> Recipient | None:
    """A name column's cell that is no recognisable name shape: kept whole, as the table says."""
    rest = rest.strip()
    if not rest or len(rest.split()) > 8:
        return None
    name, position, unit = rest, None, None
    for separator in (", ", " - ", " – "):
        head, sep, tail = rest.partition(separator)
        if sep:
            name = head
            position, unit = split_position_unit(tail)
            break
    return Recipient(name, "individual", unit, position, award, getattr(honorific, "text", None))


def _outside_parentheses(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


# ---------------------------------------------------------------------------------------------------
# Headings: "I. TẬP THỂ", "II. CÁ NHÂN (15)", "Huân chương Lao động hạng Ba", "Tặng … cho các cá nhân:"

_SECTION_TEXT = re.compile(
    r"^\s*(?:([IVXLC]+|[A-Da-d]|\d{1,2})\s*[.):/-]?\s+)?(?:danh\s+sách\s+)?(?:các\s+)?(tập\s+thể|cá\s+nhân)\b"
    r"\s*[:.]?\s*(.*)$",
    re.IGNORECASE,
)
_KIND_WORDS = re.compile(r"(?<!\w)(tập\s+thể|cá\s+nhân|gia\s+đình|đơn\s+vị)(?!\w)", re.IGNORECASE)


def _section(text: str) -> tuple[str | None, str | None] | None:
    """(kind, award) when a line or row is a heading rather than a recipient, else None."""
    text = clean_text(text) or ""
    if not text or len(text) > 200:
        return None
    match = _SECTION_TEXT.match(text)
    # "Tập thể Phòng Nội vụ" is a recipient; "TẬP THỂ", "Tập thể:" and "Cá nhân (12)" are headings.
    if (
        match
        and not match[1]
        and match[3][:1].isupper()
        and not match[2].isupper()
        and not re.match(r"^(?:được|gồm|:)", match[3])
    ):
        match = None
    kind = None
    if match and _kind_in(text) is not None:  # "TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG …" names both kinds
        kind = "collective" if fold_key(match[2]) == "tap the" else "individual"
    bare = _MARKER.sub("", text, count=1).strip()
    forms = find_awards(bare)
    award = (_first_award_completed(bare) or forms[0].award) if forms else None
    if match:
        return kind, award
    if award and not is_person_entry(bare) and not collective_head(bare):
        return _kind_in(bare), award
    return None


def _kind_in(text: str) -> str | None:
    kinds = {fold_key(m[1]) for m in _KIND_WORDS.finditer(text)}
    if kinds == {"tap the"} or kinds == {"don vi"} or kinds == {"gia dinh"}:
        return "collective"
    if kinds == {"ca nhan"}:
        return "individual"
    return None


# ---------------------------------------------------------------------------------------------------
# Tables

_HEADER_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    (
        "award",
        (
            "hinh thuc khen thuong",
            "hinh thuc",
            "danh hieu",
            "hinh thuc de nghi",
            "danh hieu thi dua",
            "hinh thuc khen thuong danh hieu",
        ),
    ),
    ("position", ("chuc vu", "chuc danh", "chuc vu chuc danh", "nghe nghiep")),
    (
        "position_unit",
        (
            "chuc vu don vi",
            "chuc vu don vi cong tac",
            "chuc vu noi cong tac",
            "chuc vu co quan don vi",
            "chuc danh don vi",
            "chuc vu don vi cong tac noi o",
        ),
    ),
    (
        "unit",
        (
            "don vi",
            "don vi cong tac",
            "noi cong tac",
            "co quan don vi",
            "co quan cong tac",
            "don vi dia chi",
            "thuoc don vi",
            "co quan",
            "don vi chu quan",
            "thuoc",
            "truc thuoc",
            "thuoc don vi",
        ),
    ),
    ("residence", ("dia chi", "noi o", "que quan", "tru quan", "noi cu tru")),
    ("kind", ("loai", "doi tuong", "tap the ca nhan doi tuong")),
    ("note", ("ghi chu", "so tien", "tien thuong", "thanh tich")),
    (
        "name",
        (
            "ho va ten",
            "ho ten",
            "ten tap the",
            "ten don vi",
            "ten tap the ca nhan",
            "tap the ca nhan",
            "ten",
            "ho va ten tap the",
            "ten tap the hoac ca nhan",
            "ho va ten chuc vu don vi",
            "ho ten chuc vu don vi",
            "ho va ten chuc vu don vi cong tac",
            "ten tap the ca nhan duoc khen thuong",
            "ten co quan don vi",
            "ho va ten ten tap the",
        ),
    ),
]
_STT = re.compile(r"^\s*[0-9]{1,4}\s*[.)]?\s*$")


# "STT" as a scan's OCR reads it: a T's thin stem for an I, an l or a 1, the S for a 5 ("SIT", "5TT").
_STT_AS_READ = re.compile(r"[s5][til1][til1]")


def _role_of(cell: str) -> str | None:
    key = fold_key(cell)
    if not key:
        return None
    if _STT_AS_READ.fullmatch(key):
        return "stt"
    for role, names in _HEADER_ROLES:
        if key in names:
            return role
    if key.startswith(("ho va ten", "ho ten", "ten tap the", "ten don vi")):
        return "name"
    if key.startswith("hinh thuc") or key.startswith("danh hieu"):
        return "award"
    if key.startswith("chuc vu") or key.startswith("chuc danh"):
        return "position_unit" if "don vi" in key or "co quan" in key else "position"
    return None


def _header_roles(row: list[str]) -> dict[int, str] | None:
    roles = {i: role for i, cell in enumerate(row) if (role := _role_of(cell))}
    return roles if "name" in roles.values() and len(roles) >= 2 else None


def _merged_header(rows: list[list[str]], i: int, roles: dict[int, str]) -> tuple[dict[int, str], int]:
    """A header split over two rows ("Hình thức khen thưởng" over "Huân chương | Bằng khen", or the
    name column's label on the second row): the second row's labels fill the columns the first left
    without a role. Returns the roles and the index of the first body row."""
    if i + 1 >= len(rows):
        return roles, i + 1
    second = rows[i + 1]
    if any(_STT.match(c) for c in second[:1] if c.strip()):
        return roles, i + 1
    extra = {j: role for j, cell in enumerate(second) if (role := _role_of(cell)) and j not in roles}
    awards_below = {j for j, cell in enumerate(second) if cell.strip() and canonical_award(cell)}
    if not extra and not awards_below:
        return roles, i + 1
    merged = dict(roles)
    merged.update(extra)
    for j in awards_below:
        if merged.get(j) in (None, "award"):
            merged[j] = f"award_column:{canonical_award(second[j]).award}"  # type: ignore[union-attr]
    return merged, i + 2


def _kind_from_cell(cell: str) -> str | None:
    key = fold_key(cell)
    if key.startswith("tap the"):
        return "collective"
    if key.startswith("ca nhan"):
        return "individual"
    return None


def recipients_from_table(rows: list[list[str]], *, default_award: str | None) -> list[Recipient]:
    """The recipients a decision's table lists, with section rows ("I. TẬP THỂ") setting the kind."""
    rows = [[clean_text(c) or "" for c in row] for row in rows]
    roles: dict[int, str] | None = None
    body_start = 0
    for i, row in enumerate(rows[:6]):
        roles = _header_roles(row)
        if roles:
            roles, body_start = _merged_header(rows, i, roles)
            break
    kind: str | None = None
    award = default_award
    recipients: list[Recipient] = []
    for row in rows[body_start:]:
        if not any(row):
            continue
        filled = list(dict.fromkeys(c.strip() for c in row if c.strip()))  # merged cells repeat text
        if len(filled) <= 2 and (
            len(filled) == 1 or re.fullmatch(r"[IVXLC]+\.?|[A-Da-d][.)]?|\d{1,2}\.?", filled[0])
        ):
            section = _section(" ".join(filled))
            if section:
                kind = section[0] or kind
                award = section[1] or award
                continue
        cells = _cells_by_role(row, roles) if roles else _guess_roles(row)
        name_cell = cells.get("name", "")
        if not name_cell or _STT.match(name_cell) or _role_of(name_cell):
            continue  # no recipient is named "Tên tập thể": a heading whose row was not seen as one
        row_award = canonical_award(cells["award"]) if cells.get("award") else None
        row_kind = _kind_from_cell(cells["kind"]) if cells.get("kind") else None
        entry_kind = row_kind or kind
        recipient = parse_entry(name_cell, kind=entry_kind, award=award, strict=False)
        if recipient is None:
            continue
        if row_award:
            recipient.award = row_award.award
        elif cells.get("award_column"):
            recipient.award = cells["award_column"]
        if recipient.kind == "individual":
            position, unit = cells.get("position"), cells.get("unit")
            if cells.get("position_unit"):
                position, unit = split_position_unit(cells["position_unit"])
                position = cells.get("position") or position
                unit = cells.get("unit") or unit
            recipient.position = clean_text(position) or recipient.position
            recipient.unit = clean_text(unit) or recipient.unit
        elif cells.get("unit"):
            recipient.unit = clean_text(cells["unit"])
        recipients.append(recipient)
    return recipients


def _cells_by_role(row: list[str], roles: dict[int, str]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for i, role in roles.items():
        if i >= len(row) or not row[i]:
            continue
        if role.startswith("award_column:"):
            # An "x" (or any mark) under an award's own column gives that award.
            cells["award_column"] = role.split(":", 1)[1]
        else:
            cells[role] = row[i]
    return cells


def _guess_roles(row: list[str]) -> dict[str, str]:
    """Roles for a headerless row: [STT], name, then position/unit or an award cell."""
    cells = list(row)
    roles: dict[str, str] = {}
    if cells and _STT.match(cells[0] or "x"):
        cells = cells[1:]
    cells = [c for c in cells if c]
    if not cells:
        return roles
    roles["name"] = cells[0]
    rest = []
    for cell in cells[1:]:
        if "award" not in roles and canonical_award(cell) and not collective_head(cell):
            roles["award"] = cell
        else:
            rest.append(cell)
    if len(rest) == 1:
        roles["position_unit"] = rest[0]
    elif len(rest) >= 2:
        roles["position"], roles["unit"] = rest[0], ", ".join(rest[1:])
    return roles


# ---------------------------------------------------------------------------------------------------
# Text: lists, inline lists and prose

# Lines that end a list or are no part of one.
_STOP_LINE = re.compile(
    r"^\s*(?:Điều\s+\d|Nơi\s+nhận|KT\.|TM\.|TL\.|TUQ\.|Q\.\s|K/T|T/M|Kính\s+gửi|Căn\s+cứ|Xét\s+đề\s+nghị|"
    r"Theo\s+đề\s+nghị|QUYẾT\s+ĐỊNH\s*:|Lưu\s*:|\(Đã\s+ký\)|\(đã\s+ký\)|Tổng\s+cộng|DANH\s+SÁCH|PHỤ\s+LỤC)",
)
_PAGE_MARK = re.compile(
    r"^\s*(?:[-–]\s*\d{1,3}\s*[-–]|\d{1,3}|(?:Trang|Page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?)\s*$", re.I
)
_SKIP_BLOCK = re.compile(r"^\s*(?:Nơi\s+nhận|Kính\s+gửi)\s*:?", re.IGNORECASE)
# The addressees a "Nơi nhận:" block lists, which never receive an award: "- Như Điều 3;", "- Như trên;",
# "- Lưu: VT, TĐKT." (a scan whose "Nơi nhận:" was read too unsure to be kept still lists them).
_ADDRESSEE = re.compile(
    r"^\s*[-–+•]?\s*(?:Như\s+(?:Điều\s+\d+|[Kk]hoản\s+\d+|trên)\b|Lưu\s*[:.,]?\s*(?:VT|HS|VP)\b)",
    re.IGNORECASE,
)
_FLAT_HEADER = re.compile(r"^\s*(?:STT|TT)\s+(?:Họ|Tên|Tập thể)", re.IGNORECASE)
_FLAT_ROW = re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")
_NUMBERED = re.compile(rf"^\s*(?:\d{{1,3}}|[a-zđ])\s*(?:[.)]|{_SLASH_MARK})\s*\S")
_BULLET = re.compile(r"^\s*[-–+•*·►▪●]\s*\S")
_REASON_LINE = re.compile(r"^\s*(?:Đã|đã|Vì|vì|Có\s+thành\s+tích|Do\s+đã|Kèm\s+theo)\s")
# "gồm:", "sau:", "cụ thể:", "cho:": a line that opens a list of lines.
_LIST_INTRO = re.compile(
    r"(?:gồm|sau|cụ\s+thể|như\s+sau|là|cho|tặng|thưởng|danh\s+sách)\s*:\s*$", re.IGNORECASE
)
# An inline numbered list: "1.Sở A; 2.Đài B; 3. Nhân dân …" (numbers in sequence from 1).
_INLINE_MARK = re.compile(r"(?:(?<=^)|(?<=[\s:;,]))(\d{1,3})\s?[.)]\s*(?=[A-ZĐÀ-Ỹ])")
_NOT_A_MARK_BEFORE = re.compile(r"(?:Điều|điều|Khoản|khoản|Mục|mục|[Ss]ố|lần\s+thứ|thứ|ngày|tháng|năm)\s*$")


def _split_inline_lists(line: str) -> list[str]:
    """A line holding "…: 1.Sở A; 2.Đài B; 3. C." as one intro line and one line per entry; a second
    list on the same line ("… 3.C. 5 cá nhân được …: 1.Ông D; 2.Bà E.") gets its own intro line."""
    marks = [m for m in _INLINE_MARK.finditer(line) if not _NOT_A_MARK_BEFORE.search(line[: m.start()])]
    chains: list[list[re.Match[str]]] = []
    chain: list[re.Match[str]] = []
    for mark in marks:
        if int(mark[1]) == len(chain) + 1:
            chain.append(mark)
        elif int(mark[1]) == 1:
            if len(chain) >= 2:
                chains.append(chain)
            chain = [mark]
    if len(chain) >= 2:
        chains.append(chain)
    if not chains:
        return [line]
    parts = [line[: chains[0][0].start()].rstrip()] if line[: chains[0][0].start()].strip() else []
    for c, chain in enumerate(chains):
        for k, mark in enumerate(chain):
            end = chain[k + 1].start() if k + 1 < len(chain) else None
            if end is None:
                end = chains[c + 1][0].start() if c + 1 < len(chains) else len(line)
            entry = line[mark.end() : end].strip()
            intro = ""
            if k + 1 == len(chain) and c + 1 < len(chains):
                # The last entry runs on into the next list's intro, after its own full stop.
                stop = list(re.finditer(r"[.;]\s+(?=\S)", entry))
                if stop:
                    entry, intro = entry[: stop[-1].start() + 1], entry[stop[-1].end() :]
            parts.append(f"{mark[1]}. {entry}")
            if intro:
                parts.append(intro)
    return parts


@dataclass
class _Context:
    award: str | None
    kind: str | None
    proposed: bool = False  # under "Đề nghị tặng …": nominees, not recipients


# "20 tập thể: A; B; C." — a count, a kind and the list on one line.
_COUNTED_LIST = re.compile(
    r"^\s*(?:[IVXLC]+\.|\d{1,2}\.|[a-d]\))?\s*(?:\d{1,4}|các)\s+(tập\s+thể|cá\s+nhân|đơn\s+vị)(?:\s*\([^)]*\))?\s*:\s*(\S.*)$",
    re.IGNORECASE,
)


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.splitlines():
        line = clean_text(raw) or ""
        if re.fullmatch(r"[-–—_=*~.·•\s]+", line):
            line = ""  # a rule under a header ("-------"), no bullet
        if "|" in line:
            line = " ".join(cell.strip() for cell in line.split("|") if cell.strip())
        out.extend(_split_inline_lists(line) if line else [""])
    return out


def _terminated(text: str) -> bool:
    return text.rstrip().endswith((";", ".", "./.", ":"))


def recipients_from_lines(text: str | None, *, default_award: str | None) -> list[Recipient]:
    """Recipients from a text's lists: numbered or bulleted lines, entries wrapped over several lines,
    headings that set the kind and award, unmarked lines under an intro ending in "gồm:", and rows of
    a flattened table below its "STT Họ và tên …" header."""
    if not text:
        return []
    context = _Context(default_award, None)
    entries: list[tuple[str, _Context]] = []
    current: list[str] | None = None
    mode: str | None = None  # "marked" | "bare" | "flat"
    skipping = False
    for line in _lines(respace_syllables(text)):
        if not line:
            if mode == "bare" and current is not None:
                entries.append((" ".join(current), _Context(context.award, context.kind, context.proposed)))
                current = None
            skipping = False
            continue
        if _PAGE_MARK.match(line) and (
            line.lower().startswith(("trang", "page"))
            or (current is not None and not _terminated(current[-1]))
        ):
            continue  # a page break inside the list ("2", "- 2 -", "Trang 2/3"), even inside a wrapped entry
        if _SKIP_BLOCK.match(line) or _ADDRESSEE.match(line):
            skipping = True
            mode, current = _flush(entries, current, context, None)
            continue
        if skipping and _BULLET.match(line):
            continue  # "Nơi nhận:" and "Kính gửi:" list their addressees as bullets
        skipping = False
        if re.match(r"^\s*Điều\s+\d+\s*\.?", line) and find_awards(line):
            # "Điều 1. Tặng thưởng Bằng khen của Thủ tướng Chính phủ cho:" opens the list below it.
            mode, current = _flush(entries, current, context, "bare" if _LIST_INTRO.search(line) else None)
            context = _Context(find_awards(line)[0].award, _kind_in(line), bool(_NOT_CONFERRED.search(line)))
            continue
        if _STOP_LINE.match(line) or _REASON_LINE.match(line):
            mode, current = _flush(entries, current, context, None)
            if _STOP_LINE.match(line) and re.match(r"^\s*(?:DANH\s+SÁCH|PHỤ\s+LỤC)", line):
                context = _Context(default_award, None)
            continue
        counted = _COUNTED_LIST.match(line)
        if counted and not _NOT_CONFERRED.search(line):
            mode, current = _flush(entries, current, context, None)
            kind = "collective" if fold_key(counted[1]) in ("tap the", "don vi") else "individual"
            for piece in split_enumeration(counted[2], kind=kind):
                entries.append((piece, _Context(context.award, kind, context.proposed)))
            continue
        if _FLAT_HEADER.match(line):
            mode, current = _flush(entries, current, context, "flat")
            continue
        marked = bool(_NUMBERED.match(line) or _BULLET.match(line))
        section = _section(line) if not line.endswith(";") else None
        if section and (not marked or not _looks_like_entry(_strip_entry(line))):
            mode, current = _flush(entries, current, context, None)
            context = _Context(
                section[1] or context.award, section[0] or context.kind, bool(_NOT_CONFERRED.search(line))
            )
            if _LIST_INTRO.search(line):
                mode = "bare"
            continue
        award_intro = line.endswith(":") and bool(find_awards(line))  # "5 tập thể được … tặng Bằng khen:"
        if (_LIST_INTRO.search(line) or award_intro) and not marked:
            mode, current = _flush(entries, current, context, "bare")
            forms = find_awards(line)
            context = _Context(
                (_first_award_completed(line) or forms[0].award) if forms else context.award,
                _kind_in(line) or context.kind,
                bool(_NOT_CONFERRED.search(line)),
            )
            continue
        if mode == "flat" and _FLAT_ROW.match(line):
            mode, current = _flush(entries, current, context, "flat")
            current = [_FLAT_ROW.match(line)[2]]  # type: ignore[index]
            continue
        if marked:
            mode, current = _flush(entries, current, context, "marked")
            current = [line]
            continue
        if mode == "marked" and current is not None and not _terminated(current[-1]):
            current.append(line)  # an entry wrapped over two lines
            continue
        if mode == "bare":
            if current is not None and not _terminated(current[-1]) and not _looks_like_entry(line):
                current.append(line)
                continue
            if _looks_like_entry(line):
                if current is not None:
                    entries.append(
                        (" ".join(current), _Context(context.award, context.kind, context.proposed))
                    )
                current = [line]
                continue
        mode, current = _flush(entries, current, context, None)
    _flush(entries, current, context, None)
    found: list[Recipient] = []
    for entry, ctx in entries:
        if ctx.proposed:
            continue
        recipient = parse_entry(entry, kind=ctx.kind, award=ctx.award)
        if recipient is not None:
            found.append(recipient)
    return found


def _flush(
    entries: list[tuple[str, _Context]], current: list[str] | None, context: _Context, mode: str | None
) -> tuple[str | None, list[str] | None]:
    if current:
        entries.append((" ".join(current), _Context(context.award, context.kind, context.proposed)))
    return mode, None


def _looks_like_entry(text: str) -> bool:
    text = text.strip()
    return bool(text) and (
        split_honorific(text) is not None or is_person_entry(text) or bool(collective_head(text))
    )


# --- prose -------------------------------------------------------------------------------------------

_CONFER_VERB = (
    r"(?:truy\s+tặng|tặng\s+thưởng|phong\s+tặng|trao\s+tặng|trao\s+thưởng|tặng|trao|công\s+nhận|cấp|"
    r"khen\s+thưởng)"
)
# Sentences that propose, ask for opinions or look back are no conferral.
_NOT_CONFERRED = re.compile(
    r"(?<!\w)(?:đề\s+nghị|đề\s+xuất|xét\s+tặng|lấy\s+ý\s+kiến|dự\s+kiến|trình\s+(?:Thủ\s+tướng|Chủ\s+tịch)|"
    r"bỏ\s+phiếu|hồ\s+sơ|tiêu\s+chuẩn|từng\s+được|nhiều\s+năm\s+liền|liên\s+tục\s+(?:được|đạt))(?!\w)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(
    r"(?<!\bTP)(?<!\bTX)(?<!\bGS)(?<!\bTS)(?<!\bThS)(?<!\bBS)(?<!\bPGS)(?<!\bKT)(?<!\bTL)(?<!\bTM)(?<!\bSN)"
    r"[.!?](?=\s+[\"“A-ZĐÀ-Ỹ\d])"
)
_CHO = re.compile(r"(?<!\w)(?:cho|tặng)(?!\w)\s*:?\s*")
_DUOC = re.compile(
    r"(?<!\w)(?:đã\s+)?(?:vinh\s+dự\s+)?(?:được|nhận|đón\s+nhận)(?:\s+(?:Đảng,?\s+)?(?:Nhà\s+nước|[^,;.]{0,60}?))?"
    r"\s+(?:trao\s+tặng|tặng\s+thưởng|truy\s+tặng|phong\s+tặng|tặng|trao|nhận)?\s*(?=\S)",
    re.IGNORECASE,
)
_GOM = re.compile(
    r"(?<!\w)(?:gồm(?:\s+có)?|bao\s+gồm|là|như\s+sau|cụ\s+thể)\s*:\s*|(?<!\w)gồm(?:\s+có)?\s+(?=[A-ZĐÀ-Ỹ])"
)
# "Theo đó, có 39 tập thể có thành tích … gồm: …": the list of the decision the sentence before told of.
_ACCORDINGLY_COUNTED = re.compile(
    r"^\s*(?:theo\s+đó|cụ\s+thể|trong\s+đó)\s*,?\s*(?:có\s+)?(?:\d+|các)\s+(?:tập\s+thể|cá\s+nhân|đơn\s+vị)\b",
    re.IGNORECASE,
)
# "Các cá nhân được tặng Bằng khen là Trung tá A, …": the kind, a conferral, then "là" and the names.
_NAMED_AS = re.compile(
    r"(?<!\w)(?:tập\s+thể|cá\s+nhân|đơn\s+vị)\s+(?:được|nhận)[^.;:]{3,80}?\s+là\s+(?=[A-ZĐÀ-Ỹ])",
    re.IGNORECASE,
)
# "4 tập thể này gồm: …", "Các đơn vị trên gồm …": a list of the recipients an earlier sentence counted.
_COUNTED_BEFORE = re.compile(
    r"(?:^|\s)(?:\d+|các|những)\s+(?:tập\s+thể|cá\s+nhân|đơn\s+vị)\s+(?:này|trên|nói\s+trên|đó)\s*$",
    re.IGNORECASE,
)
# "… nhận Bằng khen của Bộ trưởng. Đó là các thầy, cô giáo: A, …; B, …": the list of those the sentence
# before told of.
_THEY_ARE = re.compile(r"^\s*(?:Đó|Đây)\s+là\s+(?:các|những)?\s*[^:;.\d]{0,40}?:\s*(?=[A-ZĐÀ-Ỹ])")
_CLAUSE_LEAD = re.compile(
    r"^(?:[^,;:]{0,80}?(?:theo\s+đó|trong\s+đó|cụ\s+thể|dịp\s+này|buổi\s+lễ|tại\s+lễ|hội\s+nghị|tại\s+đây|"
    r"đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|thừa\s+(?:ủy|uỷ)\s+quyền[^,]*|thay\s+mặt[^,]*|"
    r"cũng\s+tại[^,]*|cùng\s+ngày|cùng\s+dịp|nhân\s+dịp\s+này|với\s+(?:những\s+)?thành\s+tích[^,]*|ghi\s+nhận[^,]*)),\s*",
    re.IGNORECASE,
)


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = clean_text(paragraph) or ""
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            if paragraph[start : match.start()].count("(") > paragraph[start : match.start()].count(")"):
                continue
            out.append(paragraph[start : match.end()])
            start = match.end()
        out.append(paragraph[start:])
    return [s.strip() for s in out if s.strip()]


def _top_level_split(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split on a separator outside parentheses and quotes."""
    pieces: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif depth == 0:
            match = separator.match(text, i)
            if match and match.end() > match.start():
                pieces.append(text[start:i])
                start = match.end()
                i = match.end()
                continue
        i += 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


_SEMICOLON = re.compile(r"\s*;\s*")
_PERSON_SEPARATOR = re.compile(r"\s*,\s+(?:và\s+|cùng\s+)?|\s+(?:và|cùng)\s+")
_AND = re.compile(r"\s+(?:và|cùng)\s+")
_COMMA = re.compile(r"\s*,\s+")


def split_enumeration(text: str, *, kind: str | None = None, count: int | None = None) -> list[str]:
    """The entries of "A; B; C", "ông A, Giám đốc …, bà B, …", "A, B và C" or "Phòng X, Sở Y và Đài Z".

    A semicolon always separates; then an honorific or a rank starts a new person; then names alone
    ("Trương Quang Được, Nguyễn Văn Yểu và …") split at commas; bodies split at a comma before another
    body's head, except a sub-unit followed by its parent ("Phòng Tổ chức cán bộ, Sở Nội vụ"). A stated
    count ("5 tập thể gồm: …") decides between the two readings of commas between bodies.
    """
    pieces: list[str] = []
    by_semicolon = _top_level_split(text, _SEMICOLON)
    if len(by_semicolon) > 1:
        by_semicolon[-1:] = _last_and(by_semicolon[-1])
    for piece in by_semicolon:
        for part in _split_before_honorifics(piece):
            # Between semicolons a comma belongs to the name ("Phòng X, Văn phòng UBND …").
            bodies_split = len(by_semicolon) == 1
            pieces.extend(_split_names_or_bodies(part, kind=kind, count=count, bodies=bodies_split))
    return pieces


def _last_and(text: str) -> list[str]:
    """ "A; B; C và D": the last entry of a list split by semicolons may hold two bodies joined by
    "và" ("Liên hiệp các Hội … thành phố và Hội Khuyến học thành phố"); a joint office ("Văn phòng
    Đoàn ĐBQH và HĐND thành phố") and a people's council and committee stay one."""
    for match in re.finditer(r"\s+và\s+(?=[A-ZĐÀ-Ỹ])", text):
        left, right = text[: match.start()], text[match.end() :]
        left_head, right_head = collective_head(left), collective_head(right)
        if not left_head or not right_head or left_head == "văn phòng":
            continue
        if right_head in ("ubnd", "hđnd", "ủy ban", "uỷ ban") or _inside_parentheses(text, match.start()):
            continue
        return [left, right]
    return [text]


def _split_before_honorifics(text: str) -> list[str]:
    """Split where a comma or "và" is followed by an honorific or rank ("…, bà B", "… và Đại tá C"), or
    by a position that ends in a name ("Bác sĩ A và nguyên điều dưỡng B")."""
    cuts: list[tuple[int, int]] = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        if depth or ch not in ", ":
            continue
        match = _PERSON_SEPARATOR.match(text, i)
        if not match or match.start() == 0 or (cuts and match.start() < cuts[-1][1]):
            continue
        rest = text[match.end() :]
        rest = _ON_BEHALF.sub("", rest, count=1)  # "…, mẹ B và gia đình mẹ C"
        if _honorific_then_name(rest) or (
            " và " in match[0] + " " and rest.startswith("nguyên ") and _is_whole_person(rest.split(",")[0])
        ):
            cuts.append((match.start(), match.end()))
    out: list[str] = []
    start = 0
    for cut_start, cut_end in cuts:
        out.append(text[start:cut_start])
        start = cut_end
    out.append(text[start:])
    return [p.strip(" ,") for p in out if p.strip(" ,")]


def _honorific_then_name(text: str) -> bool:
    """ "bà Vũ Thị Lan, …" starts a person; "Bác sĩ Trung tâm Y tế …" is a position before a unit."""
    honorific = split_honorific(text)
    if honorific is None:
        return False
    head = re.split(r",|\s[-–]\s|\(|;", honorific.rest, maxsplit=1)[0].split()
    return bool(leading_name(head, surname_needed=False)) and not collective_head(honorific.rest)


def _inside_parentheses(text: str, at: int) -> bool:
    return text[:at].count("(") > text[:at].count(")")


def _is_whole_person(text: str) -> bool:
    text = text.strip()
    honorific = split_honorific(text)
    rest = honorific.rest if honorific else text
    words = rest.split()
    if leading_name(words, surname_needed=honorific is None):
        return True
    return starts_with_position(rest) and trailing_name(words) > 0


# A ministry's departments are peers: a "Vụ" never sits in a "Cục", nor a "Cục" in another "Cục"
# ("Vụ Bưu chính, Cục An toàn thông tin" are two bodies; "Cục Chính sách, Tổng cục Chính trị" is one).
# Schools listed one after another are peers too ("Trường Tiểu học A (X), Trường Tiểu học B (Y)").
_PEERS = {"vụ": frozenset({"vụ", "cục"}), "cục": frozenset({"cục"}), "trường": frozenset({"trường"})}
_ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&]{2,}")


def _split_names_or_bodies(
    text: str, *, kind: str | None, count: int | None, bodies: bool = True
) -> list[str]:
    parts = _top_level_split(text, _COMMA)
    last = _top_level_split(parts[-1], _AND) if parts else []
    names = [*parts[:-1], *last]
    if len(names) > 1 and all(looks_like_name(_drop_residence(p)) for p in names):
        return names  # "Trương Quang Được, Nguyễn Văn Yểu và Nguyễn Phúc Thanh"
    if not bodies or kind == "individual" or is_person_entry(text) or starts_with_position(text):
        return [text]
    # Bodies: a comma or "và" before a capitalised head starts the next body, unless a sub-unit is
    # followed by the body it belongs to.
    every: list[str] = []
    hierarchical: list[str] = []
    for piece in _top_level_split(text, re.compile(r"\s*,\s+(?=[A-ZĐÀ-Ỹ])|\s+và\s+(?=[A-ZĐÀ-Ỹ])")):
        head = collective_head(piece)
        if every and head and piece[:1].isupper():
            every.append(piece)
            previous = collective_head(hierarchical[-1]) or ""
            parent = any(head == p or head.startswith(p + " ") for p in PARENT_HEADS)
            parent = parent and head not in _PEERS.get(previous, ())
            # "Công ty X và Ban Y" are two bodies: a sub-unit is followed by its parent after a comma,
            # never after "và".
            joined_by_and = re.search(r"\s+và\s+" + re.escape(piece[:10]), text) is not None
            if previous in SUB_UNIT_HEADS and parent and not joined_by_and and "," not in hierarchical[-1]:
                hierarchical[-1] = f"{hierarchical[-1]}, {piece}"
            else:
                hierarchical.append(piece)
        elif every and _ACRONYM.fullmatch(piece):
            every.append(piece)  # "…, VNCERT, Báo Bưu điện": a body known by its acronym alone
            hierarchical.append(piece)
        elif every:
            joiner = " và " if re.search(r"\s+và\s+" + re.escape(piece[:10]), text) else ", "
            every[-1] = f"{every[-1]}{joiner}{piece}"
            hierarchical[-1] = f"{hierarchical[-1]}{joiner}{piece}"
        else:
            every.append(piece)
            hierarchical.append(piece)
    if count is not None and len(every) == count:
        return every
    return hierarchical


def _stated_count_before(text: str, kind: str | None) -> int | None:
    match = re.search(r"(\d+)\s+(tập\s+thể|cá\s+nhân|đơn\s+vị)\b[^.;]*$", text, re.IGNORECASE)
    if not match:
        return None
    return int(match[1])


def _award_before(text: str) -> str | None:
    """The last award a text names (the one a following "cho" gives)."""
    forms = find_awards(text)
    return forms[-1].award if forms else None


def recipients_from_prose(
    text: str | None, *, default_award: str | None, award_context: bool = False
) -> list[Recipient]:
    """Recipients named in sentences that confer an award (see the module's docstring).

    `award_context` says the page is about awards (an award decision, or a conferral found
    elsewhere on it): only then are lists after "gồm:" read without an award in their own sentence.
    """
    if not text:
        return []
    found: list[Recipient] = []
    for sentence in _sentences(respace_syllables(text)):
        if _NOT_CONFERRED.search(sentence):
            continue
        found.extend(_from_sentence(sentence, default_award=default_award, award_context=award_context))
    return found


def _from_sentence(sentence: str, *, default_award: str | None, award_context: bool) -> list[Recipient]:
    has_award = bool(find_awards(sentence))
    has_verb = re.search(rf"(?<!\w){_CONFER_VERB}(?!\w)", sentence, re.IGNORECASE) is not None
    gom = _THEY_ARE.match(sentence) or _GOM.search(sentence) or _NAMED_AS.search(sentence)
    lead_before = sentence[: gom.start()] if gom is not None else ""
    counted_before = default_award is not None and bool(
        _COUNTED_BEFORE.search(lead_before)
        or _ACCORDINGLY_COUNTED.match(lead_before)
        or (gom is not None and gom.re in (_NAMED_AS, _THEY_ARE))  # "Hai tập thể được khen thưởng là A và B"
    )
    if gom and (has_award or award_context or counted_before):
        lead = sentence[: gom.start()]
        award = _completed_award(lead) or _completed_award(sentence) or default_award
        enumeration = _clause_end(sentence[gom.end() :])
        kind = _kind_in(lead)
        return _entries(enumeration, kind=kind, award=award, count=_stated_count_before(lead, kind))
    received = _RECEIVED.search(sentence) is not None  # "A và B nhận Bằng khen …": no verb of giving
    if not (has_award and (has_verb or received)):
        return []
    out: list[Recipient] = []
    active = _active_enumerations(sentence)
    for enumeration, lead, award in active:
        out.extend(
            _entries(
                enumeration, kind=None, award=award or default_award, count=_stated_count_before(lead, None)
            )
        )
    if out:
        return out
    # "A được tặng Bằng khen vì đã có nhiều đóng góp cho quê hương": a "cho" in the reason names no one.
    for enumeration, award in _passive_enumerations(sentence):
        out.extend(_entries(enumeration, kind=None, award=award or default_award, count=None))
    if out:
        return out
    for reception in _RECEPTION_OF.finditer(sentence):
        who = reception["who"].strip(" ,")
        if (authorities_in(who) and authorities_in(who)[0].start == 0) or _NOT_A_HOLDER.match(who):
            continue  # "đón nhận Bằng khen của Thủ tướng Chính phủ": the award's authority
        recipient = parse_entry(who, kind=None, award=_completed_award(reception["award"]) or default_award)
        if recipient is not None:
            out.append(recipient)
    return out


# "Lễ đón nhận Huân chương Lao động hạng Ba của Đảng bộ, chính quyền và nhân dân huyện Củ Chi - …": the
# body that receives it follows the award after "của", up to an aside, a clause or the sentence's end.
_RECEPTION_OF = re.compile(
    r"(?i)(?<!\w)đón\s+nhận\s+(?P<award>(?:huân\s+chương|danh\s+hiệu|cờ\s+thi\s+đua|bằng\s+khen)[^,.;:]{0,80}?)"
    r"\s+của\s+(?P<who>(?-i:[A-ZĐÀ-Ỹ])[^.;:()“\"]{2,120}?)"
    r"(?=\s+[-–]\s|[.;:(]|,\s+(?:vùng|nơi|đơn\s+vị|là|với|có|đã|được|từ|nhân)\b|\s+(?:và\s+)?(?:kỷ\s+niệm|nhân\s+dịp|vì|do)\b|$)"
)
_NOT_A_HOLDER = re.compile(
    r"(?i)(?:Đảng(?:\s+và|,)\s+)?(?:Nhà\s+nước|Chính\s+phủ|Chủ\s+tịch|Thủ\s+tướng|Bộ\s+trưởng)\b"
)


_AWARD_WORDS = re.compile(
    r"(?i)(?<!\w)(?:huân\s+chương|huy\s+chương|bằng\s+khen|cờ\s+thi\s+đua|giấy\s+khen|kỷ\s+niệm\s+chương|"
    r"danh\s+hiệu|bằng\s+[\"“]?tổ\s+quốc|chiến\s+sĩ\s+thi\s+đua|tập\s+thể\s+lao\s+động|anh\s+hùng|"
    r"nhà\s+giáo\s+(?:nhân\s+dân|ưu\s+tú)|thầy\s+thuốc\s+(?:nhân\s+dân|ưu\s+tú)|nghệ\s+sĩ\s+(?:nhân\s+dân|ưu\s+tú)|"
    r"hcl[đd]|bk\b|cstđ)"
)


def _award_mentions(text: str) -> list[tuple[int, str]]:
    """(position, award) of each award a text names, in order."""
    found: list[tuple[int, str]] = []
    for match in _AWARD_WORDS.finditer(text):
        forms = find_awards(text[match.start() : match.start() + 140])
        if forms and (not found or match.start() > found[-1][0] + 4):
            found.append((match.start(), forms[0].award))
    return found


def _completed_award(text: str) -> str | None:
    """The last award a text names, completed by the authority the text says confers it ("Thủ tướng
    Chính phủ tặng Bằng khen" → "Bằng khen của Thủ tướng Chính phủ")."""
    mentions = _award_mentions(text)
    if not mentions:
        return None
    at, award = mentions[-1]
    form = canonical_award(award)
    before = authorities_in(text[:at])
    if form is not None and before:
        form = complete_award(form, before[-1].name) or form
    return form.award if form else award


def _first_award_completed(text: str) -> str | None:
    """The first award a heading names, completed by the authority named before it ("5 tập thể được
    Thủ tướng Chính phủ tặng Bằng khen:" → "Bằng khen của Thủ tướng Chính phủ")."""
    mentions = _award_mentions(text)
    if not mentions:
        return None
    at, award = mentions[0]
    form = canonical_award(award)
    before = authorities_in(text[:at])
    if form is not None and before:
        form = complete_award(form, before[-1].name) or form
    return form.award if form else award


def _clause_end(text: str) -> str:
    """The enumeration part of a clause: up to a reason, a purpose or the end of the sentence."""
    text = text.strip()
    match = re.search(
        r"(?:,\s*|\s+)(?:vì\s|đã\s+có|đã\s+hoàn\s+thành|đã\s+dũng|đã\s+tích\s+cực|đã\s+lập|do\s+(?:đã|có)\s|"
        r"kèm\s+(?:theo\s+)?tiền|về\s+thành\s+tích|có\s+thành\s+tích|nhân\s+dịp|góp\s+phần|để\s|nhằm\s|"
        r"trong\s+(?:công\s+tác|phong\s+trào|thực\s+hiện|việc|đấu\s+tranh)|\(có\s+danh\s+sách)",
        text,
    )
    if match:
        text = text[: match.start()]
    return text.strip(" .,:;")


def _after_count(rest: str) -> str | None:
    """ "3 nguyên Phó chủ tịch QH: A, B và C" → "A, B và C"; a count with no names after it → None."""
    if not rest or not (rest[0].isdigit() or _COUNT_PHRASE.match(rest)):
        return rest
    colon = re.search(r"(?:gồm|là)?\s*:\s*(?=\S)", rest[:160])
    return rest[colon.end() :] if colon else None


def _active_enumerations(sentence: str) -> list[tuple[str, str, str | None]]:
    """(enumeration, the clause before it, its award) for each "… <award> cho …" of a sentence:
    "tặng HC … cho A, …; tặng HC … cho B" gives two, each ending where the next clause begins (at the
    semicolon before the next clause's award); and for "trao tặng đồng chí A, … <award>", where the
    recipient stands before the award."""
    markers = []
    for match in _CHO.finditer(sentence):
        before = sentence[: match.start()]
        mentions = _award_mentions(before)
        if not mentions:
            continue
        award_at = mentions[-1][0]
        between = sentence[award_at : match.start()]
        if match[0].strip().startswith("tặng") and (
            ";" in between or len(between) > 90 or authorities_in(between[len(mentions[-1][1]) :])
        ):
            continue  # "tặng" starts a clause ("… Thủ tướng Chính phủ tặng Bằng khen"): it is no "cho"
        markers.append((match, mentions[-1][0]))
    found: list[tuple[str, str, str | None]] = []
    clause_start = 0
    for k, (match, _award_at) in enumerate(markers):
        end = len(sentence)
        if k + 1 < len(markers):
            next_award_at = markers[k + 1][1]
            cut = sentence.rfind(";", match.end(), next_award_at)
            end = cut if cut >= 0 else next_award_at
        lead = sentence[clause_start : match.start()]
        award = _completed_award(lead)
        rest = _after_count(sentence[match.end() : end])
        clause_start = end + 1
        if not rest or not _clause_end(rest):
            continue  # "… do Đảng và Nhà nước trao tặng.": a verb at the sentence's end gives no one
        found.append((_clause_end(rest), lead, award))
    if found:
        return found
    verb = re.search(
        rf"(?<!\w){_CONFER_VERB}\s+(?=(?:các\s+)?(?:ông|bà|đồng\s+chí|em)\s+[A-ZĐ])", sentence, re.I
    )
    if verb:
        rest = sentence[verb.end() :]
        forms_at = _first_award_start(rest)
        if forms_at:
            return [(rest[:forms_at].strip(" ,"), sentence[: verb.start()], _completed_award(rest))]
    return []


# "chứng nhận" is a certificate, no receiving.
_RECEIVED = re.compile(
    r"(?<!\w)(?<!chứng\s)(?:đã\s+)?(?:vinh\s+dự\s+)?(?:được|nhận|đón\s+nhận)(?!\w)", re.IGNORECASE
)


# "… và 43 cá nhân nhận …": the count of the other kind ends a passive list; "Tỉnh ủy, UBND tỉnh long trọng
# tổ chức Lễ đón nhận …", "bà A đã trao …": who organises or hands over is no recipient.
_OTHER_KIND_COUNT = re.compile(r"(?i)\s*(?:,|và)\s+\d+\s+(?:tập\s+thể|cá\s+nhân|đơn\s+vị)$")
_GIVER = re.compile(rf"(?i)(?<!\w)(?:{_CONFER_VERB}|tổ\s+chức|long\s+trọng)(?!\w)")


def _passive_enumerations(clause: str) -> list[tuple[str, str | None]]:
    """(recipients, award) written "A và B được (X) trao tặng <award>", once per such phrase."""
    found: list[tuple[str, str | None]] = []
    start = 0
    for match in _RECEIVED.finditer(clause):
        window = clause[match.end() : match.end() + 90]
        at = _first_award_start(window)
        if at is None or ";" in window[:at] or "." in window[:at]:
            continue
        before = clause[start : match.start()].strip(" ,;")
        before = re.sub(r"(?:\s+(?:cũng|đều|vừa|mới|lại))+$", "", before)  # "LĐLĐ huyện X cũng được …"
        # "Hai phó giám đốc công an tỉnh là Đại tá A và Thượng tá B được …", "Bên cạnh đó, 4 tập thể là
        # A, B và 43 cá nhân nhận …": the names after "là", without the count of the other kind.
        lead = _CLAUSE_LEAD.match(before)
        counted = before[lead.end() :] if lead else before
        named = re.search(r"^[^,;]{0,80}?\s+là\s+(?=[A-ZĐÀ-Ỹ])", counted)
        if named and re.match(r"(?i)(?:\d+|hai|ba|bốn|năm|các|những)\s", counted):
            before = counted[named.end() :]
        before = _OTHER_KIND_COUNT.sub("", before)
        award_forms = find_awards(window[at:])
        start = match.end() + at + (len(award_forms[0].award) if award_forms else 0)
        lead = _CLAUSE_LEAD.match(before)
        if lead:
            before = before[lead.end() :]
        before = _KIND_BEFORE_BODY.sub("", before)
        if (
            not before
            or _COUNT_PHRASE.match(before)
            or _GIVER.search(_outside_parentheses(before))
            or not (before[0].isupper() or split_honorific(before) or _people_of(before))
        ):
            continue  # a lower-case start is no name, but for "nhân dân và cán bộ xã …"
        award = _completed_award(clause[match.start() : match.end() + at + 140]) if award_forms else None
        found.append((before, award))
    return found


def _first_award_start(text: str) -> int | None:
    key_positions = [
        m.start()
        for m in re.finditer(
            r"(?i)(?<!\w)(?:huân\s+chương|huy\s+chương|bằng\s+khen|cờ\s+thi\s+đua|giấy\s+khen|kỷ\s+niệm\s+chương|danh\s+hiệu|bằng\s+[\"“]?tổ\s+quốc|chiến\s+sĩ\s+thi\s+đua|anh\s+hùng|nhà\s+giáo|thầy\s+thuốc|nghệ\s+sĩ)",
            text,
        )
    ]
    return key_positions[0] if key_positions else None


def _last_award_end(text: str) -> int | None:
    ends = [
        m.end()
        for m in re.finditer(
            r"(?i)(?<!\w)(?:huân\s+chương|huy\s+chương|bằng\s+khen|cờ\s+thi\s+đua|giấy\s+khen|kỷ\s+niệm\s+chương)",
            text,
        )
    ]
    return ends[-1] if ends else None


def _entries(text: str, *, kind: str | None, award: str | None, count: int | None) -> list[Recipient]:
    out = []
    for piece in split_enumeration(text, kind=kind, count=count):
        recipient = parse_entry(piece, kind=kind, award=award)
        if recipient is not None:
            out.append(recipient)
    return out


def recipients_from_text(
    text: str | None, *, default_award: str | None, award_context: bool = True
) -> list[Recipient]:
    """Recipients of a text: its lists first, then its prose; one entry per (name, unit)."""
    if not text:
        return []
    found = recipients_from_lines(text, default_award=default_award)
    found += recipients_from_prose(text, default_award=default_award, award_context=award_context)
    unique: dict[tuple[str, str], Recipient] = {}
    for recipient in found:
        unique.setdefault((fold_key(recipient.name), fold_key(recipient.unit)), recipient)
    return list(unique.values())


# ---------------------------------------------------------------------------------------------------
# Counts the text states: "cho 32 tập thể và 5 cá nhân"


@dataclass(frozen=True)
class StatedCounts:
    collectives: int | None
    individuals: int | None


_COUNT_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_STATED = re.compile(
    r"(?<![\d/.,])(\d{1,4}|một|hai|ba|bốn|sáu|bảy|tám|chín|mười)\s+"
    r"(tập\s+thể|cá\s+nhân|hộ\s+gia\s+đình|gia\s+đình|đơn\s+vị|đoàn(?:\s+công\s+tác)?|doanh\s+nghiệp|trường|"
    r"liệt\s+s[ĩỹ]|em(?:\s+học\s+sinh)?|học\s+sinh|đồng\s+chí|cán\s+bộ|chiến\s+sĩ|người)"
    r"(?!\s*,\s*cá\s+nhân)(?!\s+và\s+cá\s+nhân)",
    re.IGNORECASE,
)
_COLLECTIVE_COUNTED = {
    "tap the",
    "gia dinh",
    "ho gia dinh",
    "don vi",
    "doan",
    "doan cong tac",
    "doanh nghiep",
    "truong",
}


def stated_counts(texts: list[str | None]) -> StatedCounts:
    """The counts the first sentence that confers an award states, summed over its award classes
    ("TTLĐXS cho 01 tập thể; Bằng khen … cho 01 tập thể và 03 cá nhân" → 2 and 3); None when none."""
    for text in texts:
        sentences = _sentences(respace_syllables(text or ""))
        for k, sentence in enumerate(sentences):
            if _NOT_CONFERRED.search(sentence):
                continue
            if not find_awards(sentence) and not re.search(rf"(?i)(?<!\w)(?:{_CONFER_VERB})(?!\w)", sentence):
                continue
            found = _counted(sentence)
            if found.collectives is not None or found.individuals is not None:
                return _other_kind_stated_next(found, sentences[k + 1 :])
    return StatedCounts(None, None)


def _counted(sentence: str) -> StatedCounts:
    collectives = individuals = 0
    for match in _STATED.finditer(sentence):
        if re.search(r"(?i)(?<!\w)hạng\s*$", sentence[: match.start()]):
            continue  # "Huân chương Lao động hạng Ba tập thể …": the class, not a count
        number = match[1].lower()
        value = int(number) if number.isdigit() else _COUNT_WORDS[number]
        if fold_key(match[2]) in _COLLECTIVE_COUNTED:
            collectives += value
        else:
            individuals += value
    return StatedCounts(collectives or None, individuals or None)


def _other_kind_stated_next(found: StatedCounts, following: list[str]) -> StatedCounts:
    """ "4 tập thể được … tặng Bằng khen: …. 3 cá nhân được … tặng Bằng khen: …": two lists in a row,
    each stating its own kind; a kind already stated is not counted again (news repeat counts)."""
    if found.collectives is not None and found.individuals is not None:
        return found
    for sentence in following:
        if _NOT_CONFERRED.search(sentence) or not find_awards(sentence):
            continue
        more = _counted(sentence)
        if found.collectives is None and more.collectives is not None and more.individuals is None:
            return StatedCounts(more.collectives, found.individuals)
        if found.individuals is None and more.individuals is not None and more.collectives is None:
            return StatedCounts(found.collectives, more.individuals)
        return found  # the next conferral counts something else: the first one stands
    return found
