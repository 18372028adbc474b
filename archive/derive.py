"""From one stored page and its files to metadata rows: legal text, award decisions, movements, citations.

Pure functions, no database: `archive.enrich` loads a page, calls `derive_page` and hands the result to
the store, so re-deriving after a parser fix needs no refetch.

Choices worth knowing:
- The page's own labels ("Số ký hiệu", "Ngày ban hành", …) win over its title, which wins over the
  attached file's header: labels are what the site's editors typed into fields.
- An award's `conferred_by` is who decided: the page's "Cấp khen thưởng" label, else the issuer of the
  decision number (QĐ-TTg → Thủ tướng Chính phủ, even for "Cờ thi đua của Chính phủ"), else the
  authority the award itself implies.
- Citations are the document numbers a page's title, summary, body and labels mention. A legal text's
  own number counts (its body announces it, and "pages citing X" should find X's own page); an award
  decision's own number does not: the decision is the page's subject, already linked through `awards`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.normalize.awards import (
    AwardForm,
    Recipient,
    canonical_award,
    conferrer_from_number,
    recipients_from_table,
    recipients_from_text,
)
from archive.normalize.dates import find_dates, to_iso
from archive.normalize.movements import find_movements
from archive.normalize.numbers import DocumentNumber, find_document_numbers, parse_document_number
from archive.normalize.text import clean_text, fold_key


@dataclass
class PageInput:
    url: str
    kind: str
    category: str
    section: str | None
    title: str
    published_at: str | None
    summary: str | None
    body_text: str | None
    body_html: str | None
    metadata: dict[str, str] = field(default_factory=dict)  # visible label -> value as found on the page


@dataclass
class AttachmentInput:
    url: str
    filename: str | None
    content_type: str | None
    text: str | None
    tables: list[list[list[str]]] = field(default_factory=list)


@dataclass
class LegalRecord:
    number: str | None
    doc_type: str | None
    issuer: str | None
    signer: str | None
    issued_on: str | None
    issued_raw: str | None
    effective_on: str | None
    effective_raw: str | None
    abstract: str | None
    number_year: int | None
    type_code: str | None
    issuer_code: str | None


@dataclass
class RecipientRecord:
    name: str
    name_key: str
    kind: str
    unit: str | None
    position: str | None
    award: str | None
    source: str  # html | docx | pdf | xlsx | xls | text


@dataclass
class AwardRecord:
    decision_number: str | None
    decided_on: str | None
    decided_raw: str | None
    award: str | None
    award_rank: int | None
    conferred_by: str | None
    collectives: int | None
    individuals: int | None
    recipients: list[RecipientRecord] = field(default_factory=list)


@dataclass
class MovementRecord:
    name: str
    name_key: str
    launched_on: str | None
    launched_by: str | None
    period_start: int | None
    period_end: int | None


@dataclass
class Derived:
    legal: LegalRecord | None
    awards: list[AwardRecord]
    movements: list[MovementRecord]
    citations: list[str]


# Label spellings, folded (fold_key: case, tones, đ and punctuation folded).
LEGAL_LABELS: dict[str, tuple[str, ...]] = {
    "number": (
        "so ky hieu",
        "so hieu",
        "ky hieu",
        "so",
        "so van ban",
        "so ky hieu van ban",
        "so hieu van ban",
    ),
    "doc_type": ("loai van ban", "the loai", "loai", "hinh thuc van ban"),
    "issuer": ("co quan ban hanh", "noi ban hanh", "don vi ban hanh", "co quan", "cap ban hanh"),
    "signer": ("nguoi ky", "nguoi ky duyet", "ky boi", "nguoi ky van ban"),
    "issued": ("ngay ban hanh", "ngay ky", "ban hanh", "ngay van ban", "ngay ky ban hanh"),
    "effective": ("ngay hieu luc", "hieu luc", "ngay co hieu luc", "ngay ap dung"),
    "abstract": ("trich yeu", "trich yeu noi dung", "noi dung", "tom tat"),
}
AWARD_LABELS: dict[str, tuple[str, ...]] = {
    "number": ("so quyet dinh", "quyet dinh so", "so ky hieu", "so hieu", "so"),
    "decided": ("ngay ky", "ngay quyet dinh", "ngay ban hanh"),
    "award": ("hinh thuc khen thuong", "hinh thuc", "danh hieu", "danh hieu khen thuong"),
    "conferred_by": (
        "cap khen thuong",
        "cap quyet dinh",
        "nguoi quyet dinh",
        "tham quyen",
        "co quan quyet dinh",
    ),
}
_FILE_SOURCES = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "xls": "xls"}


def _label_value(metadata: dict[str, str], names: tuple[str, ...]) -> str | None:
    folded = {fold_key(label): value for label, value in metadata.items()}
    for name in names:
        value = clean_text(folded.get(name))
        if value:
            return value
    return None


def _page_text(page: PageInput) -> str:
    return "\n".join(part for part in (page.title, page.summary, page.body_text) if part)


# ---------------------------------------------------------------------------------------------------
# Legal texts

_TITLE_DOC_TYPE = re.compile(
    r"^\s*(Quyết định|Chỉ thị|Nghị quyết|Nghị định|Thông tư liên tịch|Thông tư|Thông tri|Kế hoạch|Hướng dẫn|"
    r"Thông báo|Quy chế|Quy định|Công văn|Luật|Kết luận|Chương trình|Báo cáo|Tờ trình|Công điện|Pháp lệnh)\b",
    re.IGNORECASE,
)
_HEADER_DATE = re.compile(r"(?:^|\n)[^\n]{0,60}?,\s*ngày[^\n]{4,40}", re.IGNORECASE)
_NOT_KNOWN = re.compile(r"^(?:đang cập nhật|chưa xác định|không xác định|không|---?|\.\.\.)$", re.IGNORECASE)


def _iso_or_none(raw: str | None) -> str | None:
    if not raw or _NOT_KNOWN.match(raw):
        return None
    return to_iso(raw)


def derive_legal(page: PageInput, attachments: list[AttachmentInput]) -> LegalRecord:
    md = page.metadata
    number_raw = _label_value(md, LEGAL_LABELS["number"])
    parsed: DocumentNumber | None = parse_document_number(number_raw) if number_raw else None
    if parsed is None:
        parsed = parse_document_number(page.title)
    file_header = next((a.text[:1500] for a in attachments if a.text), None)
    if parsed is None and file_header:
        parsed = parse_document_number(file_header)
    number = (
        parsed.canonical if parsed and parsed.number else number_raw or (parsed.canonical if parsed else None)
    )

    doc_type = _label_value(md, LEGAL_LABELS["doc_type"])
    if doc_type is None:
        title_type = _TITLE_DOC_TYPE.match(page.title)
        doc_type = title_type[1][0].upper() + title_type[1][1:].lower() if title_type else None
    if doc_type is None and parsed is not None:
        doc_type = parsed.type_name

    issued_raw = _label_value(md, LEGAL_LABELS["issued"])
    issued_on = _iso_or_none(issued_raw)
    if issued_on is None and not issued_raw:
        issued_raw, issued_on = _date_after_number(page.title, parsed)
    if issued_on is None and not issued_raw and file_header:
        header_date = _HEADER_DATE.search(file_header)
        if header_date:
            issued_raw = clean_text(header_date[0])
            issued_on = to_iso(issued_raw or "")

    effective_raw = _label_value(md, LEGAL_LABELS["effective"])
    return LegalRecord(
        number=number,
        doc_type=doc_type,
        issuer=_label_value(md, LEGAL_LABELS["issuer"]),
        signer=_label_value(md, LEGAL_LABELS["signer"]),
        issued_on=issued_on,
        issued_raw=issued_raw,
        effective_on=_iso_or_none(effective_raw),
        effective_raw=effective_raw,
        abstract=_label_value(md, LEGAL_LABELS["abstract"]) or _abstract_from_title(page.title),
        number_year=parsed.year if parsed else None,
        type_code=parsed.type_code if parsed else None,
        issuer_code=parsed.issuer_code if parsed else None,
    )


def _date_after_number(text: str | None, parsed: DocumentNumber | None) -> tuple[str | None, str | None]:
    """("ngày 21/11/2014", "2014-11-21") from "Quyết định số 2799/QĐ-UBND ngày 21/11/2014 của …"."""
    if not text or parsed is None:
        return None, None
    at = text.find(parsed.canonical)
    if at < 0 and parsed.number:
        at = text.find(parsed.number)
    if at < 0:
        return None, None
    window = text[at : at + 80]
    match = re.search(r"ngày\s+[^,;]{4,30}", window, re.IGNORECASE)
    if not match:
        return None, None
    dates = find_dates(match[0])
    if not dates:
        return clean_text(match[0]), None
    return dates[0][0], dates[0][1]


def _abstract_from_title(title: str) -> str | None:
    match = re.search(r"\b(về\s+(?:việc\s+)?.+)$", title, re.IGNORECASE)
    if not match:
        return None
    text = match[1]
    return text[0].upper() + text[1:]


# ---------------------------------------------------------------------------------------------------
# Award decisions

_STATED_COUNTS = re.compile(r"(\d+)\s+tập\s+thể\s+và\s+(\d+)\s+cá\s+nhân", re.IGNORECASE)
_STATED_COLLECTIVES = re.compile(r"(\d+)\s+tập\s+thể(?!\s*,?\s*cá\s+nhân)", re.IGNORECASE)
_STATED_INDIVIDUALS = re.compile(r"(?<!tập thể, )(\d+)\s+cá\s+nhân", re.IGNORECASE)


def _attachment_source(attachment: AttachmentInput) -> str:
    for hint in (attachment.filename, attachment.url):
        if hint and "." in hint.rsplit("/", 1)[-1]:
            extension = hint.rsplit(".", 1)[-1].lower().split("?")[0]
            if extension in _FILE_SOURCES:
                return _FILE_SOURCES[extension]
    content_type = (attachment.content_type or "").lower()
    if "pdf" in content_type:
        return "pdf"
    if "wordprocessingml" in content_type:
        return "docx"
    if "spreadsheetml" in content_type:
        return "xlsx"
    return "text"


def html_tables(body_html: str | None) -> list[list[list[str]]]:
    """Rows of cell texts of every table in a page body (nested tables are read on their own)."""
    if not body_html or "<table" not in body_html.lower():
        return []
    from lxml import etree, html

    try:
        root = html.fromstring(body_html)
    except (ValueError, etree.ParserError):
        return []
    tables: list[list[list[str]]] = []
    for table in root.iter("table"):
        rows = []
        for row in table.iter("tr"):
            if row.getparent() is not None and _closest_table(row) is not table:
                continue
            rows.append([clean_text(cell.text_content()) or "" for cell in row if cell.tag in ("td", "th")])
        tables.append(rows)
    return tables


def _closest_table(element: object) -> object:
    node = element.getparent()  # type: ignore[attr-defined]
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _recipient_record(recipient: Recipient, source: str) -> RecipientRecord:
    return RecipientRecord(
        name=recipient.name,
        name_key=fold_key(recipient.name),
        kind=recipient.kind,
        unit=recipient.unit,
        position=recipient.position,
        award=recipient.award,
        source=source,
    )


def collect_recipients(
    page: PageInput, attachments: list[AttachmentInput], *, default_award: str | None
) -> list[RecipientRecord]:
    """Recipients from the page's tables, then its files' tables; numbered text lines only when no
    table lists anyone. The same (name, unit) found twice is kept once, from the first source."""
    found: list[RecipientRecord] = []
    for table in html_tables(page.body_html):
        found += [
            _recipient_record(r, "html") for r in recipients_from_table(table, default_award=default_award)
        ]
    for attachment in attachments:
        source = _attachment_source(attachment)
        for table in attachment.tables:
            listed = recipients_from_table(table, default_award=default_award)
            found += [_recipient_record(r, source) for r in listed]
    if not found:
        for attachment in attachments:
            source = _attachment_source(attachment)
            listed = recipients_from_text(attachment.text, default_award=default_award)
            found += [_recipient_record(r, source) for r in listed]
    if not found:
        listed = recipients_from_text(page.body_text, default_award=default_award)
        found += [_recipient_record(r, "text") for r in listed]
    unique: dict[tuple[str, str], RecipientRecord] = {}
    for record in found:
        unique.setdefault((record.name_key, fold_key(record.unit)), record)
    return list(unique.values())


def _stated_counts(text: str) -> tuple[int | None, int | None]:
    both = _STATED_COUNTS.search(text)
    if both:
        return int(both[1]), int(both[2])
    collectives = _STATED_COLLECTIVES.search(text)
    individuals = _STATED_INDIVIDUALS.search(text)
    return (int(collectives[1]) if collectives else None, int(individuals[1]) if individuals else None)


def _decision_date(page: PageInput, number: DocumentNumber | None) -> tuple[str | None, str | None]:
    for text in (page.title, page.summary, page.body_text):
        raw, iso = _date_after_number(text, number)
        if iso:
            return raw, iso
    # "Ngày 07/05/2023, Thủ tướng Chính phủ ký Quyết định số …": the sentence that signs it.
    for text in (page.summary, page.body_text):
        for sentence in re.split(r"(?<=\.)\s+", text or ""):
            if re.search(r"\bký\b", sentence) and number and number.canonical in sentence:
                dates = find_dates(sentence)
                if len(dates) == 1:
                    return dates[0]
    return None, None


def derive_award(page: PageInput, attachments: list[AttachmentInput]) -> AwardRecord:
    md = page.metadata
    number_raw = _label_value(md, AWARD_LABELS["number"])
    number = parse_document_number(number_raw) if number_raw else None
    if number is None:
        for text in (page.title, page.summary, page.body_text):
            number = parse_document_number(text or "")
            if number:
                break
    decision_number = number.canonical if number and number.number else number_raw

    decided_raw = _label_value(md, AWARD_LABELS["decided"])
    decided_on = _iso_or_none(decided_raw)
    if decided_on is None and not decided_raw:
        decided_raw, decided_on = _decision_date(page, number)

    form: AwardForm | None = None
    award_label = _label_value(md, AWARD_LABELS["award"])
    for text in (award_label, page.title, page.summary, page.body_text):
        form = canonical_award(text)
        if form:
            break
    conferred_by = (
        _label_value(md, AWARD_LABELS["conferred_by"])
        or conferrer_from_number(number)
        or (form.conferred_by if form else None)
    )
    award = form.award if form else award_label
    recipients = collect_recipients(page, attachments, default_award=award)
    if recipients:
        collectives = sum(r.kind == "collective" for r in recipients)
        individuals = len(recipients) - collectives
    else:
        collectives, individuals = _stated_counts(_page_text(page))
    return AwardRecord(
        decision_number=decision_number,
        decided_on=decided_on,
        decided_raw=decided_raw,
        award=award,
        award_rank=form.rank if form else None,
        conferred_by=conferred_by,
        collectives=collectives,
        individuals=individuals,
        recipients=recipients,
    )


# ---------------------------------------------------------------------------------------------------
# Movements and citations


def derive_movements(page: PageInput) -> list[MovementRecord]:
    text = "\n".join(part for part in (page.summary, page.body_text) if part)
    return [
        MovementRecord(
            name=m.name,
            name_key=fold_key(m.name),
            launched_on=m.launched_on,
            launched_by=m.launched_by,
            period_start=m.period_start,
            period_end=m.period_end,
        )
        for m in find_movements(text, title=page.title)
    ]


def derive_citations(page: PageInput, *, own_number: str | None = None) -> list[str]:
    """Canonical numbers the page mentions, in order; `own_number` (if given) is left out."""
    parts = [page.title, page.summary, page.body_text, *page.metadata.values()]
    cited: list[str] = []
    for part in parts:
        for number in find_document_numbers(part or ""):
            if number.number and number.canonical != own_number and number.canonical not in cited:
                cited.append(number.canonical)
    return cited


def derive_page(page: PageInput, attachments: list[AttachmentInput]) -> Derived:
    legal = derive_legal(page, attachments) if page.kind == "legal_text" else None
    awards = [derive_award(page, attachments)] if page.kind == "award_decision" else []
    own = awards[0].decision_number if awards else None
    return Derived(
        legal=legal,
        awards=awards,
        movements=derive_movements(page),
        citations=derive_citations(page, own_number=own),
    )
