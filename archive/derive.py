"""From one stored page and its files to metadata rows: legal text, award decisions, movements, citations.

Pure functions, no database: `archive.enrich` loads a page, calls `derive_page` and hands the result to
the store, so re-deriving after a parser fix needs no refetch.

Choices worth knowing:
- The page's own labels ("Số ký hiệu", "Ngày ban hành", …), or a law portal's label block at the top
  of its text ("Số hiệu: … Loại văn bản: …"), win over the document's own layout (its header, "Số:",
  place-and-date line, type line, abstract and signature block, read from the attached file or the
  page's text), which wins over the page's title: labels are what editors typed into fields, the
  layout is the document itself, a title is a summary. Dates in "Căn cứ …" lines are never the
  document's.
- An award's `conferred_by` is who decided: the page's "Cấp khen thưởng" label, else the issuer of the
  decision number (QĐ-TTg → Thủ tướng Chính phủ, even for "Cờ thi đua của Chính phủ"), else who signed
  the decision or is said to confer it ("Phó Thủ tướng … ký", "Chủ tịch UBND thành phố Hà Nội tặng
  …"), else the authority the award itself implies. A bare "Bằng khen" is completed with it.
- Recipients are read from tables first (the page's, then its files'), then from its files' text,
  then from the page's own text (lists, inline lists, prose). `collectives`/`individuals` count what
  was read; `stated_collectives`/`stated_individuals` are what the text says ("cho 32 tập thể và 5
  cá nhân"), so a list read short shows.
- Pages other than award decisions (news, notices, movements, legal texts) get an award row only when
  their text confers an award on someone it names ("Dịp này, Trường THCS … được tặng Bằng khen …").
- Citations are the document numbers a page's title, summary, body and labels mention. A legal text's
  own number counts (its body announces it, and "pages citing X" should find X's own page); an award
  decision's own number does not: the decision is the page's subject, already linked through `awards`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.normalize.awards import (
    CHINH_PHU,
    CHU_TICH_NUOC,
    CHU_TICH_UBND_TINH,
    THU_TUONG,
    AwardForm,
    authorities_in,
    authority_key,
    canonical_award,
    complete_award,
    conferrer_from_number,
    find_awards,
)
from archive.normalize.dates import find_dates, to_iso, to_iso_with_context
from archive.normalize.documents import DocumentLayout, labelled_pairs, read_layout
from archive.normalize.movements import find_movements
from archive.normalize.names import recase_body
from archive.normalize.numbers import DocumentNumber, find_document_numbers, parse_document_number
from archive.normalize.recipients import (
    Recipient,
    recipients_from_table,
    recipients_from_text,
    stated_counts,
)
from archive.normalize.text import clean_text, fold_key, respace_syllables


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
    signing_capacity: str | None = None  # "KT. Chủ tịch", "TM. Ủy ban nhân dân"; None when signed in own name
    signer_title: str | None = None  # the signer's own title: "Phó Chủ tịch"


@dataclass
class RecipientRecord:
    name: str
    name_key: str
    kind: str
    unit: str | None
    position: str | None
    award: str | None
    source: str  # html | docx | pdf | xlsx | xls | text
    honorific: str | None = None  # "Ông", "Trung tá", "GS.TS": dropped from the name, kept here


@dataclass
class AwardRecord:
    decision_number: str | None
    decided_on: str | None
    decided_raw: str | None
    award: str | None
    award_rank: int | None
    conferred_by: str | None
    collectives: int | None  # recipients read, by kind (None when none was read)
    individuals: int | None
    recipients: list[RecipientRecord] = field(default_factory=list)
    stated_collectives: int | None = None  # what the text says it confers ("cho 32 tập thể …")
    stated_individuals: int | None = None


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
        "so hieu van ban",
    ),
    "doc_type": ("loai van ban", "the loai", "loai", "hinh thuc van ban"),
    "issuer": ("co quan ban hanh", "noi ban hanh", "don vi ban hanh", "co quan", "cap ban hanh"),
    "signer": ("nguoi ky", "nguoi ky duyet", "ky boi", "nguoi ky van ban"),
    "issued": ("ngay ban hanh", "ngay ky", "ban hanh", "ngay van ban", "ngay ky ban hanh", "ngay phat hanh"),
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
# Kinds of page that may report a conferral in their text; guidance, Q&A and consultations only ever
# describe awards or list nominees.
_MAY_REPORT_AWARDS = {"news", "notice", "movement", "legal_text"}


def _label_value(metadata: dict[str, str], names: tuple[str, ...]) -> str | None:
    folded = {fold_key(label): value for label, value in metadata.items()}
    for name in names:
        value = clean_text(folded.get(name))
        if value:
            return value
    return None


def _page_text(page: PageInput) -> str:
    return "\n".join(part for part in (page.title, page.summary, page.body_text) if part)


def _file_texts(attachments: list[AttachmentInput]) -> list[str]:
    return [a.text for a in attachments if a.text]


# ---------------------------------------------------------------------------------------------------
# Legal texts

_TITLE_DOC_TYPE = re.compile(
    r"^\s*(Quyết định|Chỉ thị|Nghị quyết|Nghị định|Thông tư liên tịch|Thông tư|Thông tri|Kế hoạch|Hướng dẫn|"
    r"Thông báo|Quy chế|Quy định|Công văn|Luật|Kết luận|Chương trình|Báo cáo|Tờ trình|Công điện|Pháp lệnh)\b",
    re.IGNORECASE,
)
_NOT_KNOWN = re.compile(
    r"^(?:đang cập nhật|đang cập nhập|chưa xác định|không xác định|đã biết|chưa có|không|---?|\.\.\.)$",
    re.IGNORECASE,
)
_EFFECTIVE = re.compile(
    r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+(ngày\s+ký(?:\s+ban\s+hành)?|ngày\s+[^,;.()]{4,30}?\d{4})",
    re.IGNORECASE,
)


def _iso_or_none(raw: str | None) -> str | None:
    if not raw or _NOT_KNOWN.match(raw):
        return None
    return to_iso(raw)


def _layout(page: PageInput, attachments: list[AttachmentInput]) -> DocumentLayout | None:
    """The document's own layout: from the first attached file that has one, else from the page."""
    for text in [*_file_texts(attachments), page.body_text]:
        layout = read_layout(text)
        if layout is not None:
            return layout
    return None


def _labels(page: PageInput) -> dict[str, str]:
    """The page's labels, and a law portal's label block at the top of its text where they are silent."""
    labels = dict(labelled_pairs(page.body_text))
    labels.update(page.metadata)
    return labels


def derive_legal(page: PageInput, attachments: list[AttachmentInput]) -> LegalRecord:
    md = _labels(page)
    layout = _layout(page, attachments)
    number_raw = _label_value(md, LEGAL_LABELS["number"])
    parsed: DocumentNumber | None = parse_document_number(number_raw) if number_raw else None
    if parsed is None and layout and layout.number:
        parsed = parse_document_number(layout.number)
    if parsed is None:
        parsed = _own_number_in_title(page.title)
    number = (
        parsed.canonical if parsed and parsed.number else number_raw or (parsed.canonical if parsed else None)
    )

    doc_type = _label_value(md, LEGAL_LABELS["doc_type"])
    if doc_type and fold_key(doc_type) in ("van ban khac", "khac") and layout and layout.doc_type:
        doc_type = None  # a portal's "Văn bản khác" (other) says less than the document's own type line
    if doc_type is None and layout and layout.doc_type:
        doc_type = layout.doc_type
    if doc_type is None:
        title_type = _TITLE_DOC_TYPE.match(page.title)
        doc_type = title_type[1][0].upper() + title_type[1][1:].lower() if title_type else None
    if doc_type is None and parsed is not None:
        doc_type = parsed.type_name

    issued_raw = _label_value(md, LEGAL_LABELS["issued"])
    issued_on = _iso_or_none(issued_raw)
    if issued_on is None and not issued_raw and layout and layout.issued_raw:
        issued_raw, issued_on = layout.issued_raw, layout.issued_on
    if issued_on is None and not issued_raw:
        issued_raw, issued_on = _date_after_number(page.title, parsed)
    if issued_on is None and not issued_raw:
        issued_raw, issued_on = _date_after_number(page.summary, parsed)

    effective_raw = _label_value(md, LEGAL_LABELS["effective"])
    effective_on = _iso_or_none(effective_raw)
    if effective_raw is None:
        effective_raw, effective_on = _effective_in_text(
            [*_file_texts(attachments), page.body_text], issued_on
        )
    issuer = _label_value(md, LEGAL_LABELS["issuer"])
    if issuer and issuer.isupper():
        issuer = recase_body(issuer)
    issuer = _issuer(issuer, layout.issuer if layout else None)
    return LegalRecord(
        number=number,
        doc_type=doc_type,
        issuer=issuer,
        signer=_label_value(md, LEGAL_LABELS["signer"]) or (layout.signer if layout else None),
        issued_on=issued_on,
        issued_raw=issued_raw,
        effective_on=effective_on,
        effective_raw=effective_raw,
        abstract=(
            _label_value(md, LEGAL_LABELS["abstract"])
            or (layout.abstract if layout else None)
            or _abstract_from_title(page.title)
        ),
        number_year=parsed.year if parsed else None,
        type_code=parsed.type_code if parsed else None,
        issuer_code=parsed.issuer_code if parsed else None,
        signing_capacity=layout.signing_capacity if layout else None,
        signer_title=layout.signer_title if layout else None,
    )


_PLACE_ONLY = re.compile(r"^(?:tinh|thanh pho|tp|huyen|quan|thi xa)\s+\S")
_BARE_LEVEL = re.compile(r"\s(?:tinh|thanh pho)$")


def _issuer(labelled: str | None, in_header: str | None) -> str | None:
    """Who issued the text. A portal's "Nơi ban hành: Tỉnh Phú Yên" is where, not who: the document's
    own header ("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN") says who, completed by the portal's place when it
    stops at the level ("UỶ BAN NHÂN DÂN TỈNH" → "… tỉnh Tuyên Quang"). Any other label wins."""
    if not labelled or not in_header or not _PLACE_ONLY.match(fold_key(labelled)):
        return labelled or in_header
    if _BARE_LEVEL.search(fold_key(in_header)):
        place = re.sub(r"^(?:tỉnh|thành\s+phố|tp\.?)\s+", "", labelled, flags=re.IGNORECASE)
        return f"{in_header} {place}"
    return in_header


def _own_number_in_title(title: str | None) -> DocumentNumber | None:
    """The title's number when it is the title's own ("Quyết định số 2799/QĐ-UBND …"), not one the
    title cites ("Kế hoạch thực hiện Chỉ thị số 41-CT/TW …")."""
    if not title:
        return None
    numbers = find_document_numbers(title)
    if not numbers:
        return None
    title_type = _TITLE_DOC_TYPE.match(title)
    if title_type is None:
        return numbers[0]
    head = title[: title.find(numbers[0].raw.split()[0])] if numbers[0].raw else title
    if len(head.split()) <= len(title_type[1].split()) + 2:
        return numbers[0]  # "Quyết định số 12/QĐ-UBND …": the number follows the type at once
    return None


def _effective_in_text(texts: list[str | None], issued_on: str | None) -> tuple[str | None, str | None]:
    """("kể từ ngày ký", issued date) from "… có hiệu lực kể từ ngày ký", or the date it names."""
    for text in texts:
        match = _EFFECTIVE.search(text or "")
        if not match:
            continue
        raw = clean_text(match[1]) or ""
        if re.match(r"ngày\s+ký", raw, re.IGNORECASE):
            return raw, issued_on
        return raw, to_iso(raw)
    return None, None


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


def text_tables(text: str | None) -> list[list[list[str]]]:
    """Tables a page's text writes as "cell | cell" rows (two or more such lines in a row)."""
    tables: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in (text or "").splitlines():
        if line.count("|") >= 1 and len([c for c in line.split("|") if c.strip()]) >= 2:
            rows.append([clean_text(c) or "" for c in line.split("|")])
            continue
        if len(rows) >= 2:
            tables.append(rows)
        rows = []
    if len(rows) >= 2:
        tables.append(rows)
    return tables


def _recipient_record(recipient: Recipient, source: str) -> RecipientRecord:
    return RecipientRecord(
        name=recipient.name,
        name_key=fold_key(recipient.name),
        kind=recipient.kind,
        unit=recipient.unit,
        position=recipient.position,
        award=recipient.award,
        source=source,
        honorific=recipient.honorific,
    )


def collect_recipients(
    page: PageInput,
    attachments: list[AttachmentInput],
    *,
    default_award: str | None,
    award_context: bool = True,
) -> list[RecipientRecord]:
    """Recipients from the page's tables, then its files' tables; then its files' text; then its own
    text (summary and body). The same (name, unit) found twice is kept once, from the first source."""
    found: list[RecipientRecord] = []
    tables = html_tables(page.body_html) or text_tables(page.body_text)
    for table in tables:
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
        text = "\n\n".join(part for part in (page.summary, page.body_text) if part)
        listed = recipients_from_text(text, default_award=default_award, award_context=award_context)
        found += [_recipient_record(r, "text") for r in listed]
    # "xã Hồng Quang (Lâm Bình)" in a caption and "xã Hồng Quang" in the text are one recipient: a
    # trailing parenthesis (a district, a former name) does not make another.
    unique: dict[tuple[str, str], RecipientRecord] = {}
    for record in found:
        unique.setdefault(
            (fold_key(_TRAILING_PARENTHESIS.sub("", record.name)), fold_key(record.unit)), record
        )
    return list(unique.values())


_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


# A decision's number, as news and decisions cite it; numbers in "Căn cứ …", "Xét đề nghị …" and
# "Tờ trình …" are other documents'.
_OTHER_DOCUMENTS_CONTEXT = re.compile(
    r"(?:Căn\s+cứ|căn\s+cứ|Xét\s+đề\s+nghị|xét\s+đề\s+nghị|Theo\s+đề\s+nghị|theo\s+đề\s+nghị|Tờ\s+trình|"
    r"Thực\s+hiện|thực\s+hiện|Công\s+văn)[^.;\n]{0,200}$"
)
_BARE_DECISION = re.compile(r"Quyết\s+định\s+(?:số\s*)?(\d{1,5})(?![\d/\-])", re.IGNORECASE)
_AWARD_ISSUERS = {"CTN", "TTG", "UBND", "BNV", "SNV", "HĐTĐKT", "LĐLĐ", "BCA", "BQP", "BGDĐT", "CP"}


def _decision_number(texts: list[str | None]) -> DocumentNumber | str | None:
    """The decision's own number: the first "QĐ" number not cited in passing (Căn cứ, Tờ trình), a
    conferring body's first; a bare "Quyết định số 2234" when none carries a code."""
    for text in texts:
        if not text:
            continue
        numbers = find_document_numbers(text)
        fitting = []
        for number in numbers:
            at = text.find(number.raw.split()[-1]) if number.raw else -1
            if at >= 0 and _OTHER_DOCUMENTS_CONTEXT.search(text[max(0, at - 200) : at]):
                continue
            if number.type_code == "QĐ" and number.number and number.year is None:
                fitting.append(number)
        preferred = [n for n in fitting if (n.issuer_code or "").split("-")[0].upper() in _AWARD_ISSUERS]
        if preferred or fitting:
            return (preferred or fitting)[0]
    for text in texts:
        bare = _BARE_DECISION.search(text or "")
        if bare and not _OTHER_DOCUMENTS_CONTEXT.search(
            (text or "")[max(0, bare.start() - 200) : bare.start()]
        ):
            return bare[1]
    return None


# A stop ends a sentence only before a space: "tặng Bằng khen: 1.Sở A; 2.Đài B." is one sentence.
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)", re.MULTILINE)
_LEAD_DATE = re.compile(
    # A news lead may open with the paper's tag: "(LĐ online) - Ngày 19/7, …", "(QNO) - Hôm qua 12.5, …".
    r"^\s*(?:\([^()]{1,30}\)\s*[-–]\s*)?(?:(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm\s+qua|Hôm\s+nay|Mới\s+đây|Vừa\s+qua)\s*(?:ngày\s+)?)?"
    r"\(?(\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)\)?\s*,",
    re.IGNORECASE,
)


def _as_date(raw: str, published: str | None) -> str | None:
    """An ISO date from a date as news writes it, a year-less one taking its year from the page."""
    raw = re.sub(r"(?<=\d)\.(?=\d)", "/", raw)  # "12.5" is written as "12/5" by others
    iso = to_iso(raw)
    if iso is None and published:
        iso = to_iso_with_context(raw, published=published)
    return iso


def _decision_date(
    texts: list[str | None], number: DocumentNumber | str | None, published: str | None
) -> tuple[str | None, str | None]:
    shown = number.canonical if isinstance(number, DocumentNumber) else number
    for text in texts:
        if not text:
            continue
        if shown:
            for at in [m.start() for m in re.finditer(re.escape(shown), text)]:
                match = re.match(
                    r"[^;()]{0,12}?\b(?:ngày|ký\s+ngày)\s+([^,;()]{3,30})",
                    text[at + len(shown) : at + len(shown) + 60],
                )
                if match:
                    raw = clean_text(f"ngày {match[1]}") or ""
                    raw = re.split(r"\s+(?:của|về|do|tặng|V/v)\b", raw)[0]
                    iso = _as_date(raw, published)
                    if iso:
                        return raw, iso
    # "Ngày 17/10, Chủ tịch UBND tỉnh … vừa có quyết định số … tặng …": the sentence that decides.
    for text in texts:
        for sentence in _SENTENCE.findall(text or ""):
            if not re.search(r"\b(?:ký|ban\s+hành|có\s+quyết\s+định|quyết\s+định\s+tặng)\b", sentence, re.I):
                continue
            if re.search(r"(?i)\b(?:trao|công\s+bố|đọc)\s+(?:các\s+)?quyết\s+định\b", sentence):
                continue  # "… trao quyết định tặng thưởng …": the ceremony's day, not the decision's
            if shown and shown not in sentence and not re.search(r"quyết\s+định", sentence, re.I):
                continue
            lead = _LEAD_DATE.match(sentence)
            if lead is None or re.search(
                r"\b(?:cho\s+biết|tin\s+từ|thông\s+tin)\b", sentence[: lead.end() + 60]
            ):
                continue
            iso = _as_date(lead[1], published)
            if iso:
                return clean_text(lead[1]), iso
    return None, None


def _conferrer_in_text(texts: list[str | None]) -> str | None:
    """Who confers, from the first sentence that confers an award and names its authority: the
    authority nearest before the verb ("Phó Thủ tướng … ký Quyết định … tặng …")."""
    for text in texts:
        for sentence in _SENTENCE.findall(text or ""):
            verb = re.search(r"(?i)\b(?:tặng|trao|ký|ban\s+hành|công\s+nhận|phong)\b", sentence)
            if verb is None or (not canonical_award(sentence) and "quyết định" not in sentence.lower()):
                continue
            if re.search(r"(?i)\b(?:đề\s+nghị|xét\s+tặng|lấy\s+ý\s+kiến)\b", sentence):
                continue
            # "… tặng Cờ thi đua của Chính phủ": an authority in the award's own name is what the award
            # is called, and "thay mặt lãnh đạo Chính phủ" names the leaders one of whom hands it
            # over; who conferred it is said elsewhere (or implied by the award, below).
            key = authority_key(sentence)  # authorities' positions are on this key
            found = [a for a in authorities_in(sentence) if not _NOT_THE_CONFERRER.search(key[: a.start])]
            if found:
                return found[0].name
    return None


_NOT_THE_CONFERRER = re.compile(r"(?:(?:co thi dua|bang khen|giay khen)(?: xuat sac)? cua|lanh dao)\s*$")


def _award_form(labels: str | None, texts: list[str | None]) -> AwardForm | None:
    """The first award named (a label first); an order named without its rank ("Huân chương Lao
    động" in a title) takes the rank the text gives it elsewhere ("… hạng Ba")."""
    first = None
    for text in (labels, *texts):
        form = canonical_award(text)
        if form:
            first = form
            break
    if first is None or first.rank is not None:
        return first
    ranked = {
        form.award: form
        for text in texts
        for form in find_awards(text)
        if form.base == first.base and form.rank
    }
    return next(iter(ranked.values())) if len(ranked) == 1 else first  # several ranks: the award is the order


def derive_award(
    page: PageInput, attachments: list[AttachmentInput], *, award_context: bool = True
) -> AwardRecord:
    md = page.metadata
    files = [respace_syllables(text) for text in _file_texts(attachments)]
    texts = [page.title, page.summary, respace_syllables(page.body_text), *files]
    number_raw = _label_value(md, AWARD_LABELS["number"])
    number: DocumentNumber | str | None = parse_document_number(number_raw) if number_raw else None
    if number is None:
        number = _decision_number(texts)
    layout = next((layout for text in files if (layout := read_layout(text))), None)
    if number is None and layout and layout.number:
        number = parse_document_number(layout.number)
    if isinstance(number, DocumentNumber):
        decision_number = number.canonical if number.number else number_raw
    else:
        decision_number = number or number_raw

    decided_raw = _label_value(md, AWARD_LABELS["decided"])
    decided_on = _iso_or_none(decided_raw)
    if decided_on is None and not decided_raw:
        decided_raw, decided_on = _decision_date(texts, number, page.published_at)
    if decided_on is None and not decided_raw and layout and layout.issued_on:
        decided_raw, decided_on = layout.issued_raw, layout.issued_on

    form = _award_form(_label_value(md, AWARD_LABELS["award"]), texts if award_context else texts[1:])
    conferred_by = _label_value(md, AWARD_LABELS["conferred_by"]) or _conferrer(number, layout, texts, form)
    form = complete_award(form, conferred_by)
    award = form.award if form else _label_value(md, AWARD_LABELS["award"])
    recipients = collect_recipients(page, attachments, default_award=award, award_context=award_context)
    for recipient in recipients:
        if recipient.award:
            completed = complete_award(canonical_award(recipient.award), conferred_by)
            recipient.award = completed.award if completed else recipient.award
        else:
            recipient.award = award
    collectives = sum(r.kind == "collective" for r in recipients) if recipients else None
    individuals = (len(recipients) - (collectives or 0)) if recipients else None
    stated = stated_counts([*files, page.body_text, page.summary, page.title])
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
        stated_collectives=stated.collectives,
        stated_individuals=stated.individuals,
    )


def _conferrer(
    number: DocumentNumber | str | None,
    layout: DocumentLayout | None,
    texts: list[str | None],
    form: AwardForm | None,
) -> str | None:
    """Who decided, when no label says: the decision number's issuer, the decision's own header and
    signature, the authority the text says confers it, or the one the award implies. A UBND number
    alone says "a people's committee": a city of central rank or a district is told by the text."""
    by_number = conferrer_from_number(number) if number is not None else None
    if by_number is None and form is not None and form.conferred_by == CHU_TICH_NUOC:
        # Orders, medals and State honorary titles are the State President's alone, whoever hands
        # them over ("Thủ tướng … trao Huân chương Lao động …", "thừa ủy quyền của Chủ tịch nước, Thứ
        # trưởng … trao …").
        return CHU_TICH_NUOC
    if by_number is None and form is not None and form.conferred_by in (THU_TUONG, CHINH_PHU):
        # The Government's flag and the Prime Minister's certificate are the Prime Minister's, whoever
        # hands them over ("Giám đốc Sở … trao Cờ thi đua Chính phủ cho …").
        return THU_TUONG
    by_layout = None
    if layout is not None:
        by_layout = next((a.name for a in authorities_in(layout.issuer or "")), None)
        if layout.signing_capacity and "thủ tướng" in layout.signing_capacity.lower():
            by_layout = "Thủ tướng Chính phủ"
        if by_layout is None and layout.issuer and "thành phố" in layout.issuer.lower():
            by_layout = next((a.name for a in authorities_in("Chủ tịch " + layout.issuer)), None)
    by_text = _conferrer_in_text(texts)
    if by_number == CHU_TICH_UBND_TINH:
        for other in (by_layout, by_text):
            if other and other.startswith("Chủ tịch UBND"):
                return other
        return by_number
    return by_number or by_layout or by_text or (form.conferred_by if form else None)


def _reports_a_conferral(page: PageInput) -> bool:
    """Whether a page that is no award decision confers an award on someone it names."""
    text = "\n\n".join(part for part in (page.summary, page.body_text) if part)
    return bool(text) and canonical_award(text) is not None


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
        for m in find_movements(text, title=page.title, published=page.published_at)
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
    awards = []
    if page.kind == "award_decision":
        awards = [derive_award(page, attachments)]
    elif page.kind in _MAY_REPORT_AWARDS and _reports_a_conferral(page):
        reported = derive_award(page, [], award_context=False)
        if reported.recipients:
            # A news page's title may name another award than the one its text confers.
            first = canonical_award(reported.recipients[0].award)
            if first is not None and first.award != reported.award:
                reported.award, reported.award_rank = first.award, first.rank
                reported.conferred_by = first.conferred_by or reported.conferred_by
            awards = [reported]
    own = awards[0].decision_number if awards and page.kind == "award_decision" else None
    return Derived(
        legal=legal,
        awards=awards,
        movements=derive_movements(page),
        citations=derive_citations(page, own_number=own),
    )
