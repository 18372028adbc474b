"""Vietnamese document numbers (số, ký hiệu): state, normative (VBQPPL), Party and công văn forms.

Reference §3. The four shapes:
- state ``163/QĐ-UBND``: number / type code - issuer (numbering restarts every calendar year);
- normative ``09/2023/TT-BCT``: the year sits inside the number;
- Party ``41-CT/TW``: a hyphen after the number, numbering per Party term;
- công văn ``1234/UBND-NC``: no type code, issuer - drafting unit.

A type code is only a hint (pitfall 1: ``CT``, ``KH``, ``TT`` are also issuer or unit codes), so
the noun written before the number ("Công văn số", "Thông báo số") overrides it when the code is
one of those, and names the numbers that carry no type code ("Luật số 06/2022/QH15").
Dates never match: every ký hiệu group starts with a capital letter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DOCUMENT_TYPES",
    "DOCUMENT_TYPE_NAMES",
    "PARTY_DOCUMENT_TYPES",
    "DocumentNumber",
    "find_document_numbers",
    "parse_document_number",
    "type_name_for",
]

# Type abbreviations of NĐ 30/2020 Phụ lục III and of VBQPPL (reference §3.4).
DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "QĐ": "Quyết định",
    "TT": "Thông tư",
    "CT": "Chỉ thị",
    "TTLT": "Thông tư liên tịch",
    "QC": "Quy chế",
    "NQLT": "Nghị quyết liên tịch",
    "QyĐ": "Quy định",
    "QĐi": "Quy định",
    "TC": "Thông cáo",
    "KL": "Kết luận",
    "TB": "Thông báo",
    "CV": "Công văn",
    "HD": "Hướng dẫn",
    "VBHN": "Văn bản hợp nhất",
    "CTr": "Chương trình",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
    "KH": "Kế hoạch",
    "BGN": "Bản ghi nhớ",
    "PA": "Phương án",
    "BTT": "Bản thỏa thuận",
    "ĐA": "Đề án",
    "GUQ": "Giấy ủy quyền",
    "DA": "Dự án",
    "GM": "Giấy mời",
    "BC": "Báo cáo",
    "GGT": "Giấy giới thiệu",
    "BB": "Biên bản",
    "GNP": "Giấy nghỉ phép",
    "TTr": "Tờ trình",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
}
# Where Party usage differs from the state table (Hướng dẫn 36-HD/VPTW): TT is a Thông tri.
PARTY_DOCUMENT_TYPES: dict[str, str] = {**DOCUMENT_TYPES, "TT": "Thông tri"}
_TYPES_UPPER = {code.upper(): code for code in DOCUMENT_TYPES}
# Co-issued documents: every group after the type is an issuer ("TTLT-BNV-BTC").
_JOINT_TYPES = {"TTLT", "NQLT"}

# The noun written before a number, as it names the type; longest first so that "Thông tư liên
# tịch" wins over "Thông tư".
_NOUNS = [
    "Thông tư liên tịch",
    "Nghị quyết liên tịch",
    "Văn bản hợp nhất",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Thông tri",
    "Nghị định",
    "Nghị quyết",
    "Kế hoạch",
    "Hướng dẫn",
    "Thông báo",
    "Công văn",
    "Luật",
    "Pháp lệnh",
    "Quy định",
    "Quy chế",
    "Kết luận",
    "Tờ trình",
    "Báo cáo",
    "Chương trình",
    "Đề án",
    "Công điện",
    "Giấy mời",
    "Biên bản",
]
_NOUN_BY_KEY = {noun.lower(): noun for noun in _NOUNS}
# Names of document types as a document's own type line writes them ("QUYẾT ĐỊNH", "KẾ HOẠCH").
DOCUMENT_TYPE_NAMES = tuple(
    sorted({*_NOUNS, *DOCUMENT_TYPES.values(), "Lệnh", "Hiến pháp", "Thông tri"}, key=len, reverse=True)
)

# Dashes, the look-alike Ð/ð (U+00D0/U+00F0) and non-breaking spaces, unified before matching (§3.6).
_UNIFY = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_UNIFY.update({0xD0: "Đ", 0xF0: "đ", 0xA0: " "})
# A ký hiệu group: capitals and digits with at most one lower-case letter ("QĐi", "TTr", "TTg",
# "QyĐ"), ending at a word boundary, so an ordinary word after a dash ("- Trong") is never taken.
_TOK = r"[A-ZĐ][A-ZĐ0-9]*[a-zđ]?[A-ZĐ0-9]*(?![\w])"
_NOUN_RX = "|".join(re.escape(n) for n in _NOUNS)
_DOCNO = re.compile(
    rf"""
    (?:(?<!\w)(?P<noun>(?i:{_NOUN_RX}))\s+)?
    (?:(?<!\w)(?P<label>[Ss]ố|SỐ)\s*:?\s*)?
    (?<![\d/])(?P<num>\d{{1,5}})?
    (?:
        \s*/\s*(?:(?P<year>(?:19|20)\d{{2}})\s*/\s*)?(?P<code>{_TOK}(?:\s*-\s*{_TOK})*)
      | \s*-\s*(?P<ptype>{_TOK})\s*/\s*(?P<pissuer>{_TOK}(?:\s*-\s*{_TOK})*)
    )
    """,
    re.X,
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DocumentNumber:
    raw: str  # the matched text with noun and label, after NFC and dash/Ð unification
    canonical: str  # "163/QĐ-UBND", "09/2023/TT-BCT", "41-CT/TW", "06/2022/QH15"
    number: str | None  # as printed ("09"); None in a draft ("Số:      /QĐ-UBND")
    number_int: int | None
    year: int | None  # only normative numbers carry it
    type_code: str | None  # "QĐ", "QĐi", "TTLT", ...; None for công văn, laws, issuer-only numbers
    type_name: str | None  # "Quyết định", "Công văn", "Luật", ...
    issuer_code: str | None  # "UBND", "TW", "BNV-BTC"
    unit: str | None  # drafting unit or subject area of a công văn ("NC" in "1234/UBND-NC")
    family: str  # "state" | "vbqppl" | "party" | "congvan" | "issuer-only"


def type_name_for(code: str | None, *, family: str | None = None) -> str | None:
    """The full Vietnamese name of a type code ("QĐ" -> "Quyết định"); Party "TT" is "Thông tri"."""
    if not code:
        return None
    table = PARTY_DOCUMENT_TYPES if family == "party" else DOCUMENT_TYPES
    if code in table:
        return table[code]
    canonical = _TYPES_UPPER.get(code.upper())
    return table[canonical] if canonical else None


def _prep(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_UNIFY)


def _type_code(group: str) -> str | None:
    if group in DOCUMENT_TYPES:
        return group
    return _TYPES_UPPER.get(group.upper())


# Type codes that are also issuer or unit codes (pitfall 1): "CT" is Cục Thuế in "123/CT-TTHT".
_COLLIDING_CODES = {"CT", "KH", "TT"}


def _noun_makes_code_an_issuer(written: str | None, noun: str | None, type_code: str) -> bool:
    """Whether the noun before the number shows that the first ký hiệu group is no type code.

    A công văn never carries a type code, so "Công văn số 123/CT-TTHT" is issuer CT. Another
    document type cited by its capitalised name ("Thông báo số 123/CT-TTHT") overrides a code that
    collides with issuer codes. A lower-case noun is part of a phrase ("Thông báo kết luận số
    12/TB-UBND"), and a code that names another type without colliding is kept: the ký hiệu is the
    official text, the noun the author's.
    """
    if noun is None or written is None:
        return False
    if noun == "Công văn":
        return True
    return (
        written[0].isupper()
        and type_code in _COLLIDING_CODES
        and noun != DOCUMENT_TYPES[type_code]
        and noun != PARTY_DOCUMENT_TYPES[type_code]
    )


def _build(m: re.Match[str]) -> DocumentNumber | None:
    number = m["num"]
    if number is None and m["label"] is None:
        return None  # "/GP-STTTT" with neither number nor "Số:" is not a reference to a document
    noun = _NOUN_BY_KEY.get(m["noun"].lower()) if m["noun"] else None
    raw = m[0].strip()
    number_int = int(number) if number else None
    shown = number or ""
    if m["ptype"]:
        if number is None:
            return None
        type_code = _type_code(m["ptype"]) or m["ptype"]
        issuer = _SPACES.sub("", m["pissuer"])
        type_name = type_name_for(type_code, family="party") or noun
        return DocumentNumber(
            raw, f"{shown}-{type_code}/{issuer}", number, number_int, None, type_code, type_name, issuer,
            None, "party",
        )  # fmt: skip
    groups = _SPACES.sub("", m["code"]).split("-")
    year = int(m["year"]) if m["year"] else None
    type_code = _type_code(groups[0])
    if number is None and type_code is None:
        return None  # a draft ("Số:      /QĐ-UBND") still names its type; "Số/A" is not a number
    if type_code is not None and _noun_makes_code_an_issuer(m["noun"], noun, type_code):
        type_code = None
    if type_code is not None:
        groups[0] = type_code
        rest = groups[1:]
        if type_code in _JOINT_TYPES:
            issuer, unit = ("-".join(rest) or None), None
        else:
            issuer, unit = (rest[0] if rest else None), ("-".join(rest[1:]) or None)
        family = "vbqppl" if year else "state"
        type_name = type_name_for(type_code)
    else:
        issuer, unit = groups[0], ("-".join(groups[1:]) or None)
        if year:
            family = "vbqppl"
        elif unit is not None or noun == "Công văn":
            family = "congvan"
        else:
            family = "issuer-only"
        type_name = noun or ("Công văn" if family == "congvan" else None)
    code = "-".join(groups)
    canonical = f"{shown}/{year}/{code}" if year else f"{shown}/{code}"
    return DocumentNumber(
        raw, canonical, number, number_int, year, type_code, type_name, issuer, unit, family
    )


def parse_document_number(text: str) -> DocumentNumber | None:
    """The first document number in a short text ("Số: 163/QĐ-UBND", a title, a citation)."""
    if not text:
        return None
    for m in _DOCNO.finditer(_prep(text)):
        found = _build(m)
        if found is not None:
            return found
    return None


def find_document_numbers(text: str) -> list[DocumentNumber]:
    """Every document number cited in prose, deduplicated by canonical form, in order of first mention."""
    if not text:
        return []
    seen: set[str] = set()
    out: list[DocumentNumber] = []
    for m in _DOCNO.finditer(_prep(text)):
        found = _build(m)
        if found is not None and found.canonical not in seen:
            seen.add(found.canonical)
            out.append(found)
    return out
