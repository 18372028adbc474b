"""Document numbers: the 37 examples of vn-reference.md §3.7, every field, and numbers in prose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.normalize.numbers import (
    DOCUMENT_TYPES,
    DocumentNumber,
    find_document_numbers,
    parse_document_number,
    type_name_for,
)

# input, canonical, number, year, type_code, type_name, issuer, unit, family — one row per §3.7 example.
REFERENCE_EXAMPLES = [
    ("Số: 163/QĐ-UBND", "163/QĐ-UBND", "163", None, "QĐ", "Quyết định", "UBND", None, "state"),
    ("Số: 2799/QĐ-UBND", "2799/QĐ-UBND", "2799", None, "QĐ", "Quyết định", "UBND", None, "state"),
    ("Tờ trình số 297/TTr-BTĐKT ngày 07/11/2014", "297/TTr-BTĐKT", "297", None, "TTr", "Tờ trình", "BTĐKT",
     None, "state"),
    ("Số: 09/2023/TT-BCT", "09/2023/TT-BCT", "09", 2023, "TT", "Thông tư", "BCT", None, "vbqppl"),
    ("41-CT/TW", "41-CT/TW", "41", None, "CT", "Chỉ thị", "TW", None, "party"),
    ("Số: 36-HD/VPTW", "36-HD/VPTW", "36", None, "HD", "Hướng dẫn", "VPTW", None, "party"),
    ("Quyết định số 31-QĐ/TW, ngày 01-10-1997", "31-QĐ/TW", "31", None, "QĐ", "Quyết định", "TW", None,
     "party"),
    ("Quy định số 08-QĐi/TW", "08-QĐi/TW", "08", None, "QĐi", "Quy định", "TW", None, "party"),
    ("Kết luận 126-KL/TW", "126-KL/TW", "126", None, "KL", "Kết luận", "TW", None, "party"),
    ("Số 35-KH/TU", "35-KH/TU", "35", None, "KH", "Kế hoạch", "TU", None, "party"),
    ("Công văn số 1234-CV/TU", "1234-CV/TU", "1234", None, "CV", "Công văn", "TU", None, "party"),
    ("Luật số: 06/2022/QH15", "06/2022/QH15", "06", 2022, None, "Luật", "QH15", None, "vbqppl"),
    ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP", "30", 2020, "NĐ", "Nghị định", "CP", None, "vbqppl"),
    ("Nghị định 98/2023/NĐ-CP", "98/2023/NĐ-CP", "98", 2023, "NĐ", "Nghị định", "CP", None, "vbqppl"),
    # Unpadded in secondary text (the official form is 01/2024); the number is kept as printed.
    ("Thông tư 1/2024/TT-BNV", "1/2024/TT-BNV", "1", 2024, "TT", "Thông tư", "BNV", None, "vbqppl"),
    ("Thông tư số 07/2014/TT-BNV", "07/2014/TT-BNV", "07", 2014, "TT", "Thông tư", "BNV", None, "vbqppl"),
    ("Quyết định số 72/2002/QĐ-TTg", "72/2002/QĐ-TTg", "72", 2002, "QĐ", "Quyết định", "TTg", None, "vbqppl"),
    ("Quyết định số 2207/QĐ-CTN", "2207/QĐ-CTN", "2207", None, "QĐ", "Quyết định", "CTN", None, "state"),
    ("Quyết định số 1338/QĐ-TTg ngày 27/7", "1338/QĐ-TTg", "1338", None, "QĐ", "Quyết định", "TTg", None,
     "state"),
    # KH here is a drafting unit, not "Kế hoạch": the first group TM is no type code.
    ("Số: 1355/TM-KH", "1355/TM-KH", "1355", None, None, "Công văn", "TM", "KH", "congvan"),
    ("Công văn số 747/BKHCNMT-CNTT", "747/BKHCNMT-CNTT", "747", None, None, "Công văn", "BKHCNMT", "CNTT",
     "congvan"),
    ("Số: 31/2020/QĐ-UBND", "31/2020/QĐ-UBND", "31", 2020, "QĐ", "Quyết định", "UBND", None, "vbqppl"),
    ("Số: 666/2015/QĐ-UBND", "666/2015/QĐ-UBND", "666", 2015, "QĐ", "Quyết định", "UBND", None, "vbqppl"),
    ("Nghị quyết 104/CP ngày 18 tháng 7 năm 1963", "104/CP", "104", None, None, "Nghị quyết", "CP", None,
     "issuer-only"),
    ("17/VBHN-BTC", "17/VBHN-BTC", "17", None, "VBHN", "Văn bản hợp nhất", "BTC", None, "state"),
    ("Số: 155/QĐ-BGDĐT", "155/QĐ-BGDĐT", "155", None, "QĐ", "Quyết định", "BGDĐT", None, "state"),
    ("Số: 1893/QĐ-ĐDN", "1893/QĐ-ĐDN", "1893", None, "QĐ", "Quyết định", "ĐDN", None, "state"),
    ("Số: 05/KH-UBND", "05/KH-UBND", "05", None, "KH", "Kế hoạch", "UBND", None, "state"),
    ("Số: 12/TB-HĐTĐKT", "12/TB-HĐTĐKT", "12", None, "TB", "Thông báo", "HĐTĐKT", None, "state"),
    ("Số: 45/HD-BTĐKT", "45/HD-BTĐKT", "45", None, "HD", "Hướng dẫn", "BTĐKT", None, "state"),
    # U+00D0 (Icelandic eth) in place of Đ.
    ("Số: 163/Q\u00d0-UBND", "163/QĐ-UBND", "163", None, "QĐ", "Quyết định", "UBND", None, "state"),
    ("Số: 163 / QĐ – UBND", "163/QĐ-UBND", "163", None, "QĐ", "Quyết định", "UBND", None, "state"),
    # A draft: the number is filled in at signing.
    ("Số:      /QĐ-UBND", "/QĐ-UBND", None, None, "QĐ", "Quyết định", "UBND", None, "state"),
    ("Số: 01/2015/TTLT-BNV-BTC", "01/2015/TTLT-BNV-BTC", "01", 2015, "TTLT", "Thông tư liên tịch", "BNV-BTC",
     None, "vbqppl"),
    ("Số: 12/2023/NQ-HĐND", "12/2023/NQ-HĐND", "12", 2023, "NQ", "Nghị quyết", "HĐND", None, "vbqppl"),
    # Known misparse (reference §3.7): a Cục Thuế letter whose issuer code CT reads as "Chỉ thị".
    # Without a noun nothing in the text says otherwise; "Công văn số 123/CT-TTHT" is read right.
    ("Số: 123/CT-TTHT", "123/CT-TTHT", "123", None, "CT", "Chỉ thị", "TTHT", None, "state"),
    ("Pháp lệnh số 01/2012/UBTVQH13", "01/2012/UBTVQH13", "01", 2012, None, "Pháp lệnh", "UBTVQH13", None,
     "vbqppl"),
]  # fmt: skip


def test_the_reference_table_has_37_examples() -> None:
    assert len(REFERENCE_EXAMPLES) == 37


@pytest.mark.parametrize(
    ("text", "canonical", "number", "year", "type_code", "type_name", "issuer", "unit", "family"),
    REFERENCE_EXAMPLES,
    ids=[row[0] for row in REFERENCE_EXAMPLES],
)
def test_reference_example(
    text: str,
    canonical: str,
    number: str | None,
    year: int | None,
    type_code: str | None,
    type_name: str | None,
    issuer: str | None,
    unit: str | None,
    family: str,
) -> None:
    parsed = parse_document_number(text)
    assert parsed is not None
    assert (parsed.canonical, parsed.number, parsed.year) == (canonical, number, year)
    assert parsed.number_int == (int(number) if number else None)
    assert (parsed.type_code, parsed.type_name) == (type_code, type_name)
    assert (parsed.issuer_code, parsed.unit, parsed.family) == (issuer, unit, family)


def test_the_noun_overrides_a_type_code_that_is_an_issuer() -> None:
    parsed = parse_document_number("Công văn số 123/CT-TTHT về việc hoàn thuế")
    assert parsed is not None
    assert (parsed.family, parsed.type_code, parsed.type_name) == ("congvan", None, "Công văn")
    assert (parsed.issuer_code, parsed.unit) == ("CT", "TTHT")


def test_another_document_noun_overrides_a_colliding_code() -> None:
    parsed = parse_document_number("Thông báo số 123/CT-TTHT của Cục Thuế")
    assert parsed is not None
    assert (parsed.type_code, parsed.type_name, parsed.issuer_code, parsed.unit) == (
        None, "Thông báo", "CT", "TTHT"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "type_code", "type_name"),
    [
        # A lower-case noun is part of a phrase: the code names the type.
        ("Thông báo kết luận số 12/TB-UBND", "TB", "Thông báo"),
        # A code that is no issuer code stands against a sloppy noun.
        ("Kế hoạch số 05/QĐ-UBND", "QĐ", "Quyết định"),
        # The noun agrees with a colliding code: nothing to override.
        ("Kế hoạch số 05/KH-UBND", "KH", "Kế hoạch"),
        ("Thông tư số 07/2014/TT-BNV", "TT", "Thông tư"),
    ],
)
def test_the_code_stands_when_the_noun_gives_no_reason(text: str, type_code: str, type_name: str) -> None:
    parsed = parse_document_number(text)
    assert parsed is not None
    assert (parsed.type_code, parsed.type_name) == (type_code, type_name)


def test_a_noun_separated_from_the_number_is_not_used() -> None:
    parsed = parse_document_number("Luật Thi đua, khen thưởng số 06/2022/QH15")
    assert parsed is not None
    # "Luật" is not directly before "số" here, so the type stays unnamed rather than guessed.
    assert (parsed.canonical, parsed.type_name) == ("06/2022/QH15", None)


def test_party_thong_tri() -> None:
    parsed = parse_document_number("Thông tri số 05-TT/TU")
    assert parsed is not None
    assert (parsed.family, parsed.type_code, parsed.type_name) == ("party", "TT", "Thông tri")


def test_the_raw_text_keeps_noun_and_label() -> None:
    parsed = parse_document_number("Căn cứ Quyết định số 2207/QĐ-CTN ngày 13/6/2022")
    assert parsed is not None
    assert parsed.raw == "Quyết định số 2207/QĐ-CTN"


@pytest.mark.parametrize(
    "text",
    [
        "ngày 07/11/2014",
        "ngày 01-10-1997",
        "2022-06-13",
        "13.06.2022",
        "11/6/1948 - 11/6/2022",
        "năm học 2023-2024",
        "Quý IV/2024",
        "tháng 12/2024",
        "14h00, ngày 20/12/2024",
        "xx/GP-STTTT",  # a placeholder on the site footer, no number
        "300 ngày chung tay xóa nhà tạm",
        "COVID-19",
        "",
    ],
)
def test_dates_and_other_numbers_are_not_document_numbers(text: str) -> None:
    assert parse_document_number(text) is None
    assert find_document_numbers(text) == []


def test_find_document_numbers_in_prose() -> None:
    prose = (
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022; Nghị định số 98/2023/NĐ-CP "
        "ngày 31/12/2023 của Chính phủ; thực hiện Chỉ thị số 41-CT/TW ngày 26/12/2024 của Bộ Chính trị "
        "và Quyết định số 3322/QĐ-UBND ngày 04/12/2008 của Ủy ban nhân dân tỉnh; theo đề nghị tại Tờ trình "
        "số 297/TTr-BTĐKT ngày 07/11/2014. Chỉ thị 41-CT/TW nhấn mạnh … Công văn số 1234/UBND-NC - Trong "
        "đó, Số: 163/Q\u00d0 – UBND."
    )
    found = find_document_numbers(prose)
    assert [n.canonical for n in found] == [
        "06/2022/QH15",
        "98/2023/NĐ-CP",
        "41-CT/TW",
        "3322/QĐ-UBND",
        "297/TTr-BTĐKT",
        "1234/UBND-NC",
        "163/QĐ-UBND",
    ]
    by_canonical = {n.canonical: n for n in found}
    assert by_canonical["1234/UBND-NC"].family == "congvan"
    assert (by_canonical["1234/UBND-NC"].issuer_code, by_canonical["1234/UBND-NC"].unit) == ("UBND", "NC")
    assert by_canonical["41-CT/TW"].type_name == "Chỉ thị"


def test_find_document_numbers_dedupes_by_canonical_keeping_the_first_mention() -> None:
    found = find_document_numbers("Chỉ thị số 41-CT/TW … 41 - CT / TW … Số 41-CT/TW")
    assert len(found) == 1
    assert found[0].raw == "Chỉ thị số 41-CT/TW"


def test_nfd_input_is_read() -> None:
    import unicodedata

    parsed = parse_document_number(unicodedata.normalize("NFD", "Quyết định số 12/QĐ-BTĐKT"))
    assert parsed is not None
    assert (parsed.canonical, parsed.type_name, parsed.issuer_code) == ("12/QĐ-BTĐKT", "Quyết định", "BTĐKT")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("QĐ", "Quyết định"),
        ("qđ", "Quyết định"),
        ("TTR", "Tờ trình"),
        ("CT", "Chỉ thị"),
        ("NĐ", "Nghị định"),
        ("XYZ", None),
        (None, None),
    ],
)
def test_type_name_for(code: str | None, name: str | None) -> None:
    assert type_name_for(code) == name


def test_type_name_for_party_family() -> None:
    assert type_name_for("TT") == "Thông tư"
    assert type_name_for("TT", family="party") == "Thông tri"


def test_every_type_code_in_the_table_parses_back() -> None:
    for code, name in DOCUMENT_TYPES.items():
        parsed = parse_document_number(f"Số: 07/{code}-UBND")
        assert isinstance(parsed, DocumentNumber)
        assert (parsed.type_code, parsed.type_name, parsed.issuer_code) == (code, name, "UBND"), code


# --- round trips (hypothesis) ----------------------------------------------------------------------
ISSUERS = ["UBND", "HĐND", "BTĐKT", "HĐTĐKT", "SNV", "BNV", "CP", "TTg", "CTN", "BGDĐT", "LĐLĐ", "TU"]


def _code(n: str, y: int | None, t: str, i: str, slash: str = "/", dash: str = "-") -> str:
    return f"{n}{slash}{y}{slash}{t}{dash}{i}" if y else f"{n}{slash}{t}{dash}{i}"


STATE_FORMS = [
    lambda n, y, t, i: f"Số: {_code(n, y, t, i)}",
    lambda n, y, t, i: f"{DOCUMENT_TYPES[t]} số {_code(n, y, t, i)} ngày 05/3/2020",
    lambda n, y, t, i: f"Số: {_code(n, y, t, i, ' / ', ' – ')}",
    lambda n, y, t, i: f"Số: {_code(n, y, t, i)}".replace("Đ", "\u00d0"),
]


@settings(max_examples=300, deadline=None)
@given(
    number=st.integers(1, 9999).map(lambda n: f"{n:02d}"),
    year=st.one_of(st.none(), st.integers(1990, 2030)),
    type_code=st.sampled_from(sorted(DOCUMENT_TYPES.keys() - {"TTLT", "NQLT", "CV"})),
    issuer=st.sampled_from(ISSUERS),
    form=st.integers(0, len(STATE_FORMS) - 1),
)
def test_state_and_normative_numbers_parse_back(
    number: str, year: int | None, type_code: str, issuer: str, form: int
) -> None:
    parsed = parse_document_number(STATE_FORMS[form](number, year, type_code, issuer))
    assert parsed is not None
    expected_canonical = f"{number}/{year}/{type_code}-{issuer}" if year else f"{number}/{type_code}-{issuer}"
    assert parsed.canonical == expected_canonical
    assert (parsed.number, parsed.number_int, parsed.year) == (number, int(number), year)
    assert (parsed.type_code, parsed.type_name, parsed.issuer_code) == (
        type_code,
        DOCUMENT_TYPES[type_code],
        issuer,
    )
    assert parsed.family == ("vbqppl" if year else "state")
    again = parse_document_number(parsed.canonical)
    assert again is not None
    assert (again.canonical, again.type_code, again.issuer_code) == (expected_canonical, type_code, issuer)


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(1, 999).map(str),
    type_code=st.sampled_from(["CT", "KL", "HD", "KH", "QĐ", "QĐi", "NQ", "TB", "CV", "TT"]),
    issuer=st.sampled_from(["TW", "VPTW", "TU", "BTGTU", "ĐU", "HU"]),
)
def test_party_numbers_parse_back(number: str, type_code: str, issuer: str) -> None:
    parsed = parse_document_number(f"Số {number}-{type_code}/{issuer}")
    assert parsed is not None
    assert (parsed.canonical, parsed.family) == (f"{number}-{type_code}/{issuer}", "party")
    assert (parsed.type_code, parsed.issuer_code) == (type_code, issuer)
    assert parsed.type_name == type_name_for(type_code, family="party")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_gives_numbers_whose_canonical_form_reads_back(text: str) -> None:
    for found in find_document_numbers(text):
        if found.number is not None:
            again = parse_document_number(found.canonical)
            assert again is not None and again.canonical == found.canonical
