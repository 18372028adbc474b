"""A legal text's own layout: the national form of administrative documents, and law portals' labels.

Top left the issuing body in capitals (one or two lines, sometimes a parent body above it), under it
"Số: 1234/QĐ-UBND"; top right the national motto, then the place-and-date line "Hòa An, ngày 5 tháng 3
năm 2021". Then the type in capitals ("QUYẾT ĐỊNH") and the abstract ("Về việc …", "V/v …" under a
công văn's number, or a line in capitals), the authority line ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"), and
"Căn cứ …" lines full of other documents' numbers and dates — none of them this document's. At the
end the signature block: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (Đã ký) / Nguyễn Văn Bình", or TM., TL., TUQ.,
Q.; the signer is the last name line. Law portals put a block of labels first ("Số hiệu:", "Loại văn
bản:", "Nơi ban hành:", "Người ký:", "Ngày ban hành:"), often several pairs on one line.

The text may come from a PDF, a DOCX, OCR or a web page: columns of the header run together ("ỦY BAN
NHÂN DÂN CỘNG HÒA XÃ HỘI …"), words break over lines ("ỦY\\nBAN NHÂN DÂN"), cells are joined by "|",
letters are spaced ("T H Ủ  T Ư Ớ N G"), spaces are lost ("ỦYBAN"). All are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.normalize.awards import find_awards
from archive.normalize.dates import to_iso
from archive.normalize.names import BODY_PHRASES, PROVINCES, looks_like_name, recase_body, split_honorific
from archive.normalize.numbers import DOCUMENT_TYPE_NAMES, parse_document_number
from archive.normalize.text import clean_text, fold_key, respace_syllables

__all__ = ["DocumentLayout", "labelled_pairs", "read_layout", "recase_sentence"]


@dataclass(frozen=True)
class DocumentLayout:
    issuer: str | None  # "Ủy ban nhân dân tỉnh Phú Yên" (cased back from the header's capitals)
    number: str | None  # the text after "Số:", e.g. "31/2020/QĐ-UBND"
    place: str | None  # "Phú Yên"
    issued_raw: str | None  # "Phú Yên, ngày 26 tháng 10 năm 2020"
    issued_on: str | None
    doc_type: str | None  # "Quyết định"; "Công văn" for a numbered letter with "V/v …"
    abstract: str | None
    signing_capacity: str | None  # "KT. Chủ tịch", "TM. Ủy ban nhân dân"; None when signed in own name
    signer_title: str | None  # "Phó Chủ tịch"
    signer: str | None  # "Nguyễn Văn Bình"


_MOTTO = re.compile(
    r"C\s*Ộ\s*N\s*G\s+H\s*[OÒ]\s*[ÀA]?\s+X\s*Ã\s+H\s*Ộ\s*I\s+C\s*H\s*Ủ\s+N\s*G\s*H\s*Ĩ\s*A\s+V\s*I\s*Ệ\s*T\s+N\s*A\s*M"
    r"|Đ\s*Ộ\s*C\s+L\s*Ậ\s*P\s*[-–—]+\s*T\s*Ự\s+D\s*O\s*[-–—]+\s*H\s*Ạ\s*N\s*H\s+P\s*H\s*Ú\s*C"
    r"|Đ\s*Ả\s*N\s*G\s+C\s*Ộ\s*N\s*G\s+S\s*Ả\s*N\s+V\s*I\s*Ệ\s*T\s+N\s*A\s*M",
    re.IGNORECASE,
)
_SEPARATOR_LINE = re.compile(r"^[\s\-–—_=*~.·•]+$")
_SPACED_LETTERS = re.compile(r"^(?:[A-ZĐÀ-Ỹ](?:\s{1,3}|$)){4,}$")
_TYPE_WORDS = {name.lower(): name for name in DOCUMENT_TYPE_NAMES}
_TYPE_LINE = re.compile(
    r"^\s*(" + "|".join(re.escape(n.upper()) for n in DOCUMENT_TYPE_NAMES) + r")\s*:?\s*(.*)$"
)
_NUMBER_LABEL = re.compile(r"(?<![\w/])S[ốỐ]\s*[:.]?\s*(?=[\d ]{0,8}[\d/-])")
_PLACE_DATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ.'’ -]{1,40}?)\s*,\s*"
    r"(?P<date>ngày\s+[\d\s.]{0,4}\s*tháng\s+[\d\s.]{0,4}\s*năm\s+\d{4})",
    re.IGNORECASE,
)
# The abstract stops at these lines.
_BODY_START = re.compile(
    r"^\s*(?:Căn\s+cứ|Thực\s+hiện|Kính\s+gửi|Xét\s+đề\s+nghị|Theo\s+đề\s+nghị|Trên\s+cơ\s+sở|Nhằm|Để|"
    r"QUYẾT\s+ĐỊNH\s*:|Quyết\s+định\s*:|Điều\s+\d|Chương\s+[IVX\d]|Phần\s+[IVX\d]|I\.\s|1\.\s|"
    r"Nơi\s+nhận|Ngày\s+\d)",
)
_AUTHORITY_LINE = re.compile(
    r"^\s*(?:CHỦ\s+TỊCH|PHÓ\s+CHỦ\s+TỊCH|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|ỦY\s+BAN|UỶ\s+BAN|HỘI\s+ĐỒNG|GIÁM\s+ĐỐC|"
    r"TRƯỞNG\s+BAN|CHÍNH\s+PHỦ|QUỐC\s+HỘI|BAN\s+CHẤP\s+HÀNH|BAN\s+THƯỜNG\s+VỤ|BỘ\s+CHÍNH\s+TRỊ|BAN\s+BÍ\s+THƯ|"
    r"CHÁNH\s+VĂN\s+PHÒNG|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG)\b"
)
_CONNECTOR_END = re.compile(
    r"(?:\b(?:CỦA|VÀ|VỀ|CHO|TẠI|THUỘC|ĐỐI\s+VỚI|TRONG|TRÊN|NĂM|VỚI|GIAI\s+ĐOẠN)|[,(-])\s*$", re.I
)

# The signature block.
_CAPACITY = re.compile(
    r"^\s*(?P<cap>KT|TM|TL|TUQ|Q|K/T|T/M|T/L|T\.M|K\.T|T\.L|QUYỀN)\s*[./]?\s+(?P<for>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s\-–]*[A-ZĐÀ-Ỹ])"
    r"(?P<rest>.*)$"
)
_SIGNER_TITLE = re.compile(
    r"^\s*(?:PHÓ\s+)?(?:CHỦ\s+TỊCH(?:\s+NƯỚC)?|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|THỨ\s+TRƯỞNG|GIÁM\s+ĐỐC|"
    r"TRƯỞNG\s+(?:BAN|TIỂU\s+BAN|PHÒNG|ĐOÀN|KHOA)|"
    r"CHÁNH\s+VĂN\s+PHÒNG|CHỦ\s+NHIỆM|BÍ\s+THƯ|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG|HIỆU\s+TRƯỞNG|TỔNG\s+BÍ\s+THƯ|"
    r"CHÁNH\s+ÁN|VIỆN\s+TRƯỞNG|TỔNG\s+GIÁM\s+ĐỐC|TRƯỞNG\s+PHÒNG|CHÁNH\s+THANH\s+TRA|TỔNG\s+CỤC\s+TRƯỞNG)"
    r"(?P<rest>(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)\s*$"
)
_SIGNATURE_NOISE = re.compile(
    r"^\s*(?:\(?\s*(?:đã\s+ký|Đã\s+ký|ĐÃ\s+KÝ|ký|Ký|ký\s+tên[^)]*|Ký,?\s+ghi\s+rõ[^)]*|chữ\s+ký[^)]*|"
    r"ký\s+và\s+đóng\s+dấu|đóng\s+dấu)\s*\)?|\[\w+\]|[-–—_*.\s]*)\s*$"
)


def _prepared_lines(text: str) -> list[str]:
    """Lines of a document's text, with cells split apart, letters un-spaced, lost spaces restored."""
    out: list[str] = []
    for raw in respace_syllables(text).splitlines():
        for cell in raw.split("|"):
            line = clean_text(cell) or ""
            if not line or _SEPARATOR_LINE.match(line):
                out.append("")
                continue
            if _SPACED_LETTERS.match(line):
                line = respace_syllables(line.replace(" ", ""))
            out.append(line)
    return out


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.85 * len(letters)


def _type_line(line: str) -> tuple[str, str] | None:
    """("Quyết định", rest) when a line is a document's type line: "QUYẾT ĐỊNH", "KẾ HOẠCH Tổ chức …",
    or a type alone in any case ("Quyết định")."""
    match = _TYPE_LINE.match(line)
    if match and (not match[2] or _is_caps(match[2]) or match[2][:1].isupper()):
        return _TYPE_WORDS[match[1].lower()], match[2]
    stripped = line.strip(" :")
    if stripped.lower() in _TYPE_WORDS and stripped[:1].isupper():
        return _TYPE_WORDS[stripped.lower()], ""
    return None


def read_layout(text: str | None, *, max_header_lines: int = 60) -> DocumentLayout | None:
    """The facts a document's own layout states, or None when the text has no such layout (no "Số:",
    no place-and-date line and no type line near its top)."""
    if not text:
        return None
    lines = _prepared_lines(text)
    type_at = None
    doc_type = None
    for i, line in enumerate(lines[:max_header_lines]):
        found = _type_line(line)
        if found and (i > 0 or _printed_from_its_type_line(lines)):
            type_at, doc_type = i, found[0]
            break
        if _BODY_START.match(line) and i > 2:
            break
    header_end = type_at if type_at is not None else _body_start(lines, max_header_lines)
    # A portal's own labels ("Số hiệu: …") are read by `labelled_pairs`, not as the header.
    header_lines = ["" if _PORTAL_LABEL.match(line) else line for line in lines[:header_end]]
    header = " ".join(line for line in header_lines if line)
    header_wo_motto = _MOTTO.sub(" ", header)
    number_text = None
    number_match = _NUMBER_LABEL.search(header_wo_motto)
    issuer = None
    if number_match:
        parsed = parse_document_number(header_wo_motto[number_match.start() : number_match.start() + 60])
        number_text = parsed.canonical if parsed and parsed.number else None
        issuer = _issuer_before(header_wo_motto[: number_match.start()])
    place_date = _PLACE_DATE.search(header_wo_motto)
    if issuer is None:
        cut = place_date.start() if place_date else len(header_wo_motto)
        issuer = _issuer_before(header_wo_motto[:cut])
    issuer = _completed_by_authority_line(issuer, lines, header_end)
    if issuer is None and type_at == 0:
        issuer = _issuer_from_authority_line(lines)
    issued_raw = issued_on = place = None
    if place_date:
        place = _place(place_date["place"])
        date_text = re.sub(r"\s+", " ", place_date["date"])
        issued_raw = f"{place}, {date_text}" if place else date_text
        issued_on = to_iso(date_text)
    abstract = None
    if type_at is not None:
        abstract = _abstract(lines, type_at)
    else:
        abstract = _letter_abstract(header_lines)
        if abstract and number_text:
            doc_type = (
                "Công văn"
                if (parsed := parse_document_number(number_text)) and not parsed.type_code
                else doc_type
            )
            if doc_type is None and parsed and parsed.type_name:
                doc_type = parsed.type_name
    if number_text is None and issued_on is None and doc_type is None:
        return None
    capacity, title, signer = _signature(lines, start=(type_at or 0) + 1)
    return DocumentLayout(
        issuer=recase_body(issuer) if issuer else None,
        number=number_text,
        place=place,
        issued_raw=issued_raw,
        issued_on=issued_on,
        doc_type=doc_type,
        abstract=abstract,
        signing_capacity=capacity,
        signer_title=title,
        signer=signer,
    )


def _printed_from_its_type_line(lines: list[str]) -> bool:
    """A print view that starts at "QUYẾT ĐỊNH" (law portals drop the header): the type line first,
    then the abstract and the authority line, then "Căn cứ …" within a few lines."""
    following = [line for line in lines[1:12] if line][:6]
    return any(_BODY_START.match(line) and not line.lstrip().startswith(("1.", "I.")) for line in following)


def _issuer_from_authority_line(lines: list[str]) -> str | None:
    """A print view without its header names the issuer only in the authority line above "Căn cứ":
    "THỦ TƯỚNG CHÍNH PHỦ", "CHỦ TỊCH NƯỚC", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH X" (the body: Ủy ban nhân
    dân tỉnh X), "BỘ TRƯỞNG BỘ NỘI VỤ" (Bộ Nội vụ)."""
    for line in lines[1:14]:
        if _BODY_START.match(line):
            return None
        caps = line.strip()
        if not (_is_caps(caps) and _AUTHORITY_LINE.match(caps)):
            continue
        if caps.startswith("CHỦ TỊCH NƯỚC"):
            return "CHỦ TỊCH NƯỚC"
        if caps.startswith("THỦ TƯỚNG"):
            return caps
        body = re.sub(
            r"^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|BỘ\s+TRƯỞNG|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN|CỤC\s+TRƯỞNG)\s+", "", caps
        )
        return body if not _SIGNER_TITLE.match(body) else None
    return None


def _body_start(lines: list[str], limit: int) -> int:
    for i, line in enumerate(lines[:limit]):
        if i > 1 and _BODY_START.match(line):
            return i
    return min(len(lines), limit)


def _issuer_before(text: str) -> str | None:
    """The issuing body: the run of words in capitals that ends where "Số:" (or the date) begins.

    A parent body written above the issuing one ("ỦY BAN NHÂN DÂN TỈNH X / SỞ NỘI VỤ") is kept as
    "Sở Nội vụ, Ủy ban nhân dân tỉnh X" only when both are there; page chrome before the header (a
    portal's "Hệ thống pháp luật") is not in capitals and stops the run.
    """
    words = text.split()
    run: list[str] = []
    for word in reversed(words):
        if _is_caps(word) or word in ("-", "–", "&") or (run and word.isdigit()):
            run.append(word)
        else:
            break
    run.reverse()
    # A document number ends the page's title line above the header ("… kèm theo Quyết định
    # 13/2018/QĐ-UBND"): digits in a word are never part of a body's name.
    while run and (not any(ch.isalpha() for ch in run[0]) or any(ch.isdigit() for ch in run[0])):
        run.pop(0)
    if not run:
        return None
    joined = " ".join(run)
    return _order_parent_and_child(joined) if len(run) <= 24 else None


# Bodies that sit under a parent written above them in a header.
_CHILD_HEADS = re.compile(
    r"\s(?=(?:SỞ|BAN|TIỂU\s+BAN|PHÒNG|CỤC|VỤ|VĂN\s+PHÒNG|TRƯỜNG|TRUNG\s+TÂM|CHI\s+CỤC|HỘI\s+ĐỒNG|BỆNH\s+VIỆN|"
    r"CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|THANH\s+TRA|ĐẢNG\s+ỦY|ĐẢNG\s+UỶ)\s)"
)


def _completed_by_authority_line(issuer: str | None, lines: list[str], header_end: int) -> str | None:
    """A header that lost its second line ("ỦY BAN NHÂN DÂN" without "TỈNH QUẢNG NINH") completed by
    the authority line below it, which repeats the body's full name."""
    if issuer is None or issuer.split()[-1] not in ("DÂN", "PHỦ"):
        return issuer
    for line in lines[: header_end + 14]:
        caps = _MOTTO.sub(" ", line).strip()
        if _is_caps(caps) and caps.startswith(issuer) and len(caps) > len(issuer):
            return caps
        stripped = re.sub(r"^(?:PHÓ\s+)?CHỦ\s+TỊCH\s+", "", caps)
        if (
            _is_caps(stripped)
            and stripped.startswith(issuer.replace("UBND", "ỦY BAN NHÂN DÂN"))
            and len(stripped) > len(issuer)
        ):
            return stripped
    return issuer


def _order_parent_and_child(caps: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH SỞ NỘI VỤ" → "SỞ NỘI VỤ TỈNH THÁI BÌNH" (a department of a
    province is named with the province); another parent is kept after a comma ("BAN THI ĐUA - KHEN
    THƯỞNG, SỞ NỘI VỤ TỈNH …"). The split is where a whole body ends: at a place, or after a body
    whose name is known ("BỘ NỘI VỤ"), never inside one ("SỞ NỘI | VỤ …")."""
    for match in _CHILD_HEADS.finditer(caps):
        parent, child = caps[: match.start()].strip(), caps[match.end() :].strip()
        if not parent or not child or parent.split()[-1] in ("VÀ", "-", "–"):
            continue
        if not (_PLACE_END.search(parent) or recase_body(parent) in BODY_PHRASES):
            continue
        province = re.match(
            r"^(?:(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN|UBND)\s+(TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ)\s+(.+)$", parent
        )
        if province and child.startswith(("SỞ", "BAN", "VĂN PHÒNG", "THANH TRA", "CHI CỤC", "PHÒNG")):
            return f"{child} {province[1]} {province[2]}"
        return f"{child}, {parent}"
    return caps


_PLACE_END = re.compile(
    r"\b(?:TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|TRUNG\s+ƯƠNG|VIỆT\s+NAM)(?:\s+[A-ZĐÀ-Ỹ]+){0,4}$"
)


def _place(text: str) -> str | None:
    words = (clean_text(text) or "").split()
    # The place is the capitalised words right before ", ngày": drop what a merged header left before it.
    kept: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() and not re.fullmatch(r"[\d/\-A-ZĐ]+-[A-ZĐ]+", word):
            kept.append(word)
        else:
            break
        if len(kept) >= 4:
            break
    kept.reverse()
    if not kept:
        return None
    place = " ".join(kept)
    for province in PROVINCES:
        if place.endswith(province):
            return province
    return place


def _abstract(lines: list[str], type_at: int) -> str | None:
    """The abstract under the type line: "Về việc …", "V/v …" or lines in capitals, up to the
    authority line, "Căn cứ …" or the body."""
    found = _type_line(lines[type_at])
    first = found[1] if found else ""
    parts: list[str] = [first] if first else []
    if not parts and type_at + 1 < len(lines) and re.match(r"^CỦA\s+[A-ZĐÀ-Ỹ\s\-–]+$", lines[type_at + 1]):
        type_at += 1  # "CHỈ THỊ / CỦA BAN THƯỜNG VỤ TỈNH ỦY / về …": the issuer again, then the abstract
    after_blank = False
    for line in lines[type_at + 1 : type_at + 14]:
        if not line:
            after_blank = bool(parts)
            continue
        if after_blank and not (line[:1].islower() or _CONNECTOR_END.search(parts[-1])):
            break  # a blank line ends the abstract unless the text breaks mid-phrase across it
        after_blank = False
        if _BODY_START.match(line):
            break
        if (
            parts
            and _AUTHORITY_LINE.match(line)
            and not _CONNECTOR_END.search(parts[-1])
            and len(line.split()) <= 12
        ):
            break
        if not parts and _AUTHORITY_LINE.match(line) and len(line.split()) <= 12:
            break
        if (
            _is_caps(line)
            and parts
            and not _is_caps(" ".join(parts))
            and not _CONNECTOR_END.search(parts[-1])
        ):
            break  # a mixed-case abstract is followed by the authority line in capitals
        parts.append(line)
        if len(" ".join(parts)) > 600:
            break
    text = clean_text(" ".join(parts)) or ""
    text = text.strip(" .;:")
    if not text:
        return None
    text = recase_sentence(text) if _is_caps(text) else text
    return text[:1].upper() + text[1:]


def _letter_abstract(header_lines: list[str]) -> str | None:
    """A công văn's abstract, under its number: "V/v bổ sung hướng dẫn …" (up to the date or "Kính gửi")."""
    for i, line in enumerate(header_lines):
        match = re.search(r"\b(V/v|V/V|Về\s+việc)\s*:?\s*(.*)$", line)
        if not match:
            continue
        # A header copied as one run-on line goes on into the letter: the abstract stops where the
        # addressee or the body would have started a line.
        rest = re.split(r"\s(?=Kính\s+gửi\b|Căn\s+cứ\b|Thực\s+hiện\b)", match[2], maxsplit=1)[0]
        parts = [f"{match[1]} {rest}".strip()]
        for more in header_lines[i + 1 : i + 5]:
            if not more or _PLACE_DATE.search(more) or _MOTTO.search(more) or _BODY_START.match(more):
                break
            if more[:1].islower() or _CONNECTOR_END.search(parts[-1]):
                parts.append(more)
            else:
                break
        text = clean_text(" ".join(parts)) or ""
        return text.strip(" .;:") or None
    return None


def _signature(lines: list[str], *, start: int) -> tuple[str | None, str | None, str | None]:
    """(capacity, the signer's title, the signer) of the first signature block after `start`.

    The block is a capacity line ("KT. CHỦ TỊCH") or a title line ("CHỦ TỊCH") in capitals, then the
    title, "(Đã ký)" or a blank for the signature, and the signer's name as the last name line; a
    "Nơi nhận:" list may be interleaved when the two columns were read line by line.
    """
    for i in range(start, len(lines)):
        line = lines[i]
        capacity = _CAPACITY.match(line)
        title_match = _SIGNER_TITLE.match(line) if not capacity else None
        if not capacity and not title_match:
            continue
        cap_text = None
        title = None
        tail = ""
        if capacity:
            cap_text, title, tail = _split_capacity(capacity)
        else:
            assert title_match is not None
            words = line.split()
            split_at = _name_start(words)
            title = " ".join(words[:split_at]) if split_at else line
            tail = " ".join(words[split_at:]) if split_at else ""
        signer = _name_in(tail) if tail else None
        for follow in lines[i + 1 : i + 14]:
            if signer:
                break
            if not follow or _SIGNATURE_NOISE.match(follow) or follow.lstrip().startswith(("-", "+", "•")):
                continue
            if re.match(r"^\s*(?:Nơi\s+nhận|Lưu\s*:)", follow):
                continue
            if _BODY_START.match(follow) or (len(follow.split()) > 8 and not _is_caps(follow)):
                break  # the body goes on: the line above was no signature
            inner = _CAPACITY.match(follow)
            if inner and cap_text is not None and title is None:
                # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH": the inner capacity joins the outer.
                more, title, tail = _split_capacity(inner)
                cap_text = f"{cap_text}, {more}"
                if tail:
                    signer = _name_in(tail)
                continue
            if title is None and not _is_caps(follow) and _SIGNER_TITLE.match(follow.upper()):
                title = follow  # "KT. THỦ TƯỚNG / Phó Thủ tướng": the signer's title in mixed case
                continue
            if (_SIGNER_TITLE.match(follow) and title is None) or (
                capacity and title is None and _is_caps(follow)
            ):
                words = follow.split()
                split_at = _name_start(words)
                title = " ".join(words[:split_at]) if split_at else follow
                if split_at:
                    signer = _name_in(" ".join(words[split_at:]))
                continue
            if (
                _is_caps(follow)
                and not looks_like_name(follow)
                and len(follow.split()) <= 8
                and title is None
            ):
                title = follow
                continue
            name = _name_in(follow)
            if name:
                signer = name
                break
            if re.match(r"^\s*(?:DANH\s+SÁCH|PHỤ\s+LỤC|QUY\s+CHẾ|QUY\s+ĐỊNH)\b", follow):
                break
        if cap_text is None and signer is None:
            continue  # a title line with no name under it is the authority line, not a signature
        return (
            _case_capacity(cap_text) if cap_text else None,
            _case_title(title) if title else (_case_title(cap_text.split(" ", 1)[1]) if cap_text else None),
            signer,
        )
    return None, None, None


def _split_capacity(match: re.Match[str]) -> tuple[str, str | None, str]:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn A" → ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")."""
    cap = match["cap"].upper().replace("/", "").replace(".", "")
    cap = {"QUYỀN": "Q"}.get(cap, cap)
    words = (match["for"] + match["rest"]).split()
    name_at = _name_start(words)
    head = words[:name_at] if name_at else words
    tail = " ".join(words[name_at:]) if name_at else ""
    # The signer's own title follows the body signed for: "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" (two titles run
    # together), "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH …" is read from its last capacity.
    joined = " ".join(head)
    title = None
    second = re.search(r"\s(PHÓ\s+.+|CHỦ\s+TỊCH\s*$|GIÁM\s+ĐỐC\s*$|TRƯỞNG\s+BAN\s*$)", " " + joined)
    signed_for = joined
    if second and second.start() > 0:
        signed_for = (" " + joined)[: second.start()].strip()
        title = second[1].strip()
    return f"{cap}. {signed_for}", title, tail


def _name_start(words: list[str]) -> int:
    """Index of the first word of a mixed-case name after words in capitals (0: no such name)."""
    for k in range(1, len(words)):
        if not words[k].isupper() and words[k][:1].isupper() and all(w.isupper() for w in words[:k]):
            return k
    return 0


def _name_in(line: str) -> str | None:
    """The signer's name in a line: "Nguyễn Văn Bình", "Thiếu tướng Nguyễn Văn A", or in capitals."""
    line = (clean_text(line) or "").strip(" .,;")
    if looks_like_name(line) and not _SIGNER_TITLE.match(line.upper()):
        # A signature carries no honorific: "Ông Ích Thành" is a name whose surname is Ông.
        return line if not line.isupper() else " ".join(w.capitalize() for w in line.split())
    honorific = split_honorific(line)
    if honorific:
        line = honorific.rest
    line = line.strip(" .,;")
    if _SIGNER_TITLE.match(line.upper()) and line.isupper():
        return None  # "PHÓ CHỦ TỊCH" is a title, though "Phó" is a surname too
    if looks_like_name(line):
        return line if not line.isupper() else " ".join(w.capitalize() for w in line.split())
    if looks_like_name(line, surname_needed=False) and not line.isupper() and len(line.split()) <= 4:
        return line
    return None


_TITLE_CASES = {"TỔNG BÍ THƯ": "Tổng Bí thư", "BÍ THƯ": "Bí thư", "PHÓ BÍ THƯ": "Phó Bí thư"}


def _case_capacity(text: str) -> str:
    """ "KT. CHỦ TỊCH" → "KT. Chủ tịch"; two capacities stay in their order, comma-separated."""
    out = []
    for part in text.split(", "):
        cap, _, body = part.partition(" ")
        out.append(f"{cap} {_case_title(body)}")
    return ", ".join(out)


def _case_title(text: str) -> str:
    """ "PHÓ CHỦ TỊCH" → "Phó Chủ tịch", "ỦY BAN NHÂN DÂN" → "Ủy ban nhân dân"."""
    text = clean_text(text) or ""
    if not _is_caps(text):
        return text
    if text in _TITLE_CASES:
        return _TITLE_CASES[text]
    cased = recase_body(text)
    return re.sub(r"^Phó (\w)", lambda m: "Phó " + m[1].upper(), cased)


# ---------------------------------------------------------------------------------------------------
# Casing a sentence in capitals back: "VỀ VIỆC TẶNG THƯỞNG CỜ THI ĐUA CỦA CHÍNH PHỦ"


def recase_sentence(text: str) -> str:
    """A line in capitals as a sentence: first letter capitalised, award names and names of bodies in
    their own casing, provinces capitalised, document numbers kept."""
    words = text.split()
    lowered = []
    for word in words:
        if re.search(r"\d", word) or "/" in word or (word.isupper() and word.strip(",.;:()") in _KEEP_CAPS):
            lowered.append(word)
        else:
            lowered.append(word.lower())
    sentence = " ".join(lowered)
    for form in find_awards(sentence):
        sentence = re.sub(re.escape(form.award.lower()), form.award, sentence, flags=re.IGNORECASE)
    # An award written shorter than its canonical name ("CỜ THI ĐUA CHÍNH PHỦ") keeps its capital.
    sentence = re.sub(
        r"(?<!\w)(cờ thi đua|bằng khen|giấy khen|huân chương|huy chương|kỷ niệm chương)(?!\w)",
        lambda m: m[1][:1].upper() + m[1][1:],
        sentence,
    )
    for province in PROVINCES:
        sentence = re.sub(rf"\b(tỉnh|phố) {re.escape(province.lower())}\b", rf"\1 {province}", sentence)
    # "quyết định số 13/2018/QĐ-UBND" names a document: "Quyết định số …".
    types = "|".join(re.escape(name.lower()) for name in DOCUMENT_TYPE_NAMES)
    sentence = re.sub(rf"(?<!\w)({types})(?= số \d| \d)", lambda m: m[1][:1].upper() + m[1][1:], sentence)
    for phrase in (
        "Thủ tướng Chính phủ",
        "Chính phủ",
        "Ủy ban nhân dân",
        "Hội đồng nhân dân",
        "Quốc hội",
        "Bộ Chính trị",
        "Ban Bí thư",
        "Trung ương",
        "Đảng",
        "Nhà nước",
        "Việt Nam",
        "Hồ Chí Minh",
        "Luật Thi đua, khen thưởng",
        "Hội đồng Thi đua - Khen thưởng",
        "Ban Thi đua - Khen thưởng",
    ):
        sentence = re.sub(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", phrase, sentence)
    return sentence[:1].upper() + sentence[1:]


_KEEP_CAPS = frozenset(
    [
        "UBND",
        "HĐND",
        "MTTQ",
        "TNHH",
        "TW",
        "THCS",
        "THPT",
        "QĐ-UBND",
        "XIII",
        "XIV",
        "XV",
        "XII",
        "XI",
        "KT-XH",
        "CNH",
        "HĐH",
    ]
)


# ---------------------------------------------------------------------------------------------------
# Law portals' labels, in the page's text: "Số hiệu: 98/2023/NĐ-CP Loại văn bản: Nghị định"

_PORTAL_LABELS = [
    "Số hiệu",
    "Số hiệu văn bản",
    "Số ký hiệu",
    "Loại văn bản",
    "Nơi ban hành",
    "Cơ quan ban hành",
    "Người ký",
    "Ngày ban hành",
    "Ngày phát hành",
    "Ngày hiệu lực",
    "Ngày có hiệu lực",
    "Ngày công báo",
    "Số công báo",
    "Tình trạng",
    "Lĩnh vực",
    "Ngày hết hiệu lực",
    "Trích yếu",
    "Tình trạng hiệu lực",
]
_PORTAL_LABEL = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(label) for label in _PORTAL_LABELS) + r")\s*:",
    re.IGNORECASE,
)


_LABEL_BULLET = re.compile(r"^[-–•*+]\s*")


def labelled_pairs(text: str | None, *, max_chars: int = 3000) -> dict[str, str]:
    """Label → value pairs of a law portal's block at the top of a text, several pairs to a line.

    Only lines that start with one of the portal's labels are read, so a sentence of the document that
    happens to say "người ký:" is not taken for one.
    """
    if not text:
        return {}
    pairs: dict[str, str] = {}
    for line in text[:max_chars].splitlines():
        line = _LABEL_BULLET.sub("", clean_text(line) or "")  # "- Số hiệu văn bản: …", one a line
        labels = list(_PORTAL_LABEL.finditer(line))
        if not labels or labels[0].start() > 0:
            continue
        for k, label in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(line)
            value = line[label.end() : end].strip(" ;,|")
            canonical = next(lab for lab in _PORTAL_LABELS if fold_key(lab) == fold_key(label[1]))
            if value and canonical not in pairs:
                pairs[canonical] = value
    return pairs
