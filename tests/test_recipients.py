"""archive.normalize.recipients: who received an award, from tables, lists, prose and real files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.extract import extract_file
from archive.normalize.recipients import (
    Recipient,
    StatedCounts,
    parse_entry,
    recipients_from_table,
    recipients_from_text,
    split_position_unit,
    stated_counts,
)


def guess_kind(name: str) -> str | None:
    found = parse_entry(name, strict=False)
    return found.kind if found else None


# --- recipients ---------------------------------------------------------------------------------

SECTIONED = [
    ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"],
    ["I", "TẬP THỂ", "", ""],
    ["1", "Trường THCS Nam Cao", "", "huyện Kiến Xương"],
    ["2", "Tổ Ngữ văn", "", "Trường THPT Bắc Duyên Hà"],
    ["II", "CÁ NHÂN", "", ""],
    ["1", "Ông Nguyễn Văn An", "Hiệu trưởng", "Trường THCS Nam Cao"],
    ["2", "Bà  Trần Thị   Hoa", "Giáo viên", "Trường THCS Nam Cao"],
    ["", "Tổng cộng: 4", "", ""],
]
SECTIONED_EXPECTED = [
    Recipient(
        "Trường THCS Nam Cao", "collective", "huyện Kiến Xương", None, "Bằng khen của Chủ tịch UBND tỉnh"
    ),
    Recipient(
        "Tổ Ngữ văn", "collective", "Trường THPT Bắc Duyên Hà", None, "Bằng khen của Chủ tịch UBND tỉnh"
    ),
    Recipient(
        "Nguyễn Văn An",
        "individual",
        "Trường THCS Nam Cao",
        "Hiệu trưởng",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Ông",
    ),
    Recipient(
        "Trần Thị Hoa",
        "individual",
        "Trường THCS Nam Cao",
        "Giáo viên",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Bà",
    ),
]


@pytest.mark.parametrize("index", range(len(SECTIONED_EXPECTED)))
def test_table_with_sections(index: int) -> None:
    found = recipients_from_table(SECTIONED, default_award="Bằng khen của Chủ tịch UBND tỉnh")
    assert len(found) == len(SECTIONED_EXPECTED)
    assert found[index] == SECTIONED_EXPECTED[index]


def test_section_kind_wins_over_name_shape() -> None:
    rows = [
        ["STT", "Tên tập thể, cá nhân", "Đơn vị"],
        ["I.", "Tập thể", ""],
        ["1", "Nguyễn Văn Trỗi", "xã Vũ Hội"],
    ]
    (found,) = recipients_from_table(rows, default_award=None)
    assert found.kind == "collective"  # a section heading says so, even for a name shaped like a person's


def test_table_without_sections_classifies_by_name_shape() -> None:
    rows = [
        ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"],
        ["1", "TRƯỜNG MẦM NON NAM THỊNH", "", ""],
        ["2", "UBND xã Nam Cao, huyện Kiến Xương", "", ""],
        ["3", "Đoàn Thanh niên xã Thụy Hải", "", ""],
        ["4", "Đoàn Văn Hùng", "Đội trưởng", "Công an huyện Vũ Thư"],
        ["5", "MAI THỊ THU LAN", "Phó Giám đốc", "Hợp tác xã Nông nghiệp Quang Trung"],
    ]
    found = recipients_from_table(rows, default_award=None)
    assert [(r.name, r.kind) for r in found] == [
        ("TRƯỜNG MẦM NON NAM THỊNH", "collective"),
        ("UBND xã Nam Cao, huyện Kiến Xương", "collective"),
        ("Đoàn Thanh niên xã Thụy Hải", "collective"),
        ("Đoàn Văn Hùng", "individual"),
        ("MAI THỊ THU LAN", "individual"),
    ]
    assert [r.unit for r in found] == [
        None,
        None,
        None,
        "Công an huyện Vũ Thư",
        "Hợp tác xã Nông nghiệp Quang Trung",
    ]


def test_award_column_and_award_sections_set_each_award() -> None:
    rows = [
        ["TT", "Tập thể, cá nhân", "Chức vụ", "Đơn vị", "Hình thức đề nghị"],
        ["1", "Phạm Văn Đông", "Giáo viên", "Trường THCS Lê Quý Đôn", "HCLĐ hạng Ba"],
        ["A", "Bằng khen của Thủ tướng Chính phủ", "", "", ""],
        ["2", "Công ty Cổ phần May Thái Hà", "", "", ""],
    ]
    found = recipients_from_table(rows, default_award="Cờ thi đua của UBND tỉnh")
    assert [r.award for r in found] == ["Huân chương Lao động hạng Ba", "Bằng khen của Thủ tướng Chính phủ"]


def test_table_with_name_position_and_unit_in_one_cell() -> None:
    rows = [
        ["STT", "Họ và tên, chức vụ, đơn vị"],
        ["1", "Ông Nguyễn Văn An, Hiệu trưởng Trường THCS Nam Cao"],
        ["2", "Bà Lê Thị Hoa, Phó Giám đốc Sở Nội vụ"],
    ]
    found = recipients_from_table(rows, default_award=None)
    assert [(r.name, r.position, r.unit) for r in found] == [
        ("Nguyễn Văn An", "Hiệu trưởng", "Trường THCS Nam Cao"),
        ("Lê Thị Hoa", "Phó Giám đốc", "Sở Nội vụ"),
    ]


def test_headerless_table() -> None:
    rows = [
        ["1", "Nguyễn Thị Mai", "Kế toán trưởng", "Kho bạc Nhà nước Thái Bình"],
        ["2", "Điện lực Thái Bình", "", ""],
    ]
    found = recipients_from_table(rows, default_award=None)
    assert [(r.name, r.kind, r.position, r.unit) for r in found] == [
        ("Nguyễn Thị Mai", "individual", "Kế toán trưởng", "Kho bạc Nhà nước Thái Bình"),
        ("Điện lực Thái Bình", "collective", None, None),
    ]


def test_numbered_lines_of_a_text_layer() -> None:
    text = """QUYẾT ĐỊNH
Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 2 tập thể và 2 cá nhân:
I. TẬP THỂ
1. Trường THCS Nam Cao, huyện Kiến Xương;
2. Phòng Nội vụ huyện Vũ Thư;
II. CÁ NHÂN
1. Ông Nguyễn Văn An, Hiệu trưởng Trường THCS Nam Cao;
2. Bà Lê Thị Hoa, Giáo viên Trường Tiểu học Vũ Lễ.
Điều 2. Quyết định có hiệu lực kể từ ngày ký."""
    found = recipients_from_text(text, default_award="Bằng khen của Chủ tịch UBND tỉnh")
    assert [(r.name, r.kind, r.position, r.unit) for r in found] == [
        ("Trường THCS Nam Cao, huyện Kiến Xương", "collective", None, None),
        ("Phòng Nội vụ huyện Vũ Thư", "collective", None, None),
        ("Nguyễn Văn An", "individual", "Hiệu trưởng", "Trường THCS Nam Cao"),
        ("Lê Thị Hoa", "individual", "Giáo viên", "Trường Tiểu học Vũ Lễ"),
    ]
    assert {r.award for r in found} == {"Bằng khen của Chủ tịch UBND tỉnh"}


def test_the_addressees_of_a_decision_are_no_recipients_even_without_their_heading() -> None:
    # OCR may keep the "- Như Điều 3;" lines of a "Nơi nhận:" block and mark its heading as doubtful.
    text = """Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 2 tập thể (có danh sách kèm theo).
Điều 3. Chánh Văn phòng và các tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
- Như Điều 3;
- Lưu: VT, TĐKT.
KT. CHỦ TỊCH

DANH SÁCH
TẬP THỂ
1. Trường THCS Nam Cao;
2. Phòng Nội vụ huyện Vũ Thư./."""
    found = recipients_from_text(text, default_award="Bằng khen của Chủ tịch UBND tỉnh")
    assert [r.name for r in found] == ["Trường THCS Nam Cao", "Phòng Nội vụ huyện Vũ Thư"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "Nguyễn Văn An Hiệu trưởng Trường THCS Nam Cao",
            ("Nguyễn Văn An", "Hiệu trưởng", "Trường THCS Nam Cao"),
        ),
        ("Đ/c Vũ Thị Thu Hương - Chuyên viên Sở Nội vụ", ("Vũ Thị Thu Hương", "Chuyên viên", "Sở Nội vụ")),
        ("Ông Trần Quang Khải", ("Trần Quang Khải", None, None)),
    ],
)
def test_split_entry(entry: str, expected: tuple[str, str | None, str | None]) -> None:
    found = parse_entry(entry)
    assert found is not None
    assert (found.name, found.position, found.unit) == expected


SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Đoàn",
    "Tô",
    "Mai",
    "Hà",
]
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thu", "Hồng", "Ngọc", "Xuân"]
GIVEN = ["Hùng", "Trường", "Lan", "Hương", "Khánh", "Hòa", "Thủy", "Quyết", "Yến", "Sơn"]


@given(
    st.sampled_from(SURNAMES),
    st.lists(st.sampled_from(MIDDLES), max_size=2),
    st.sampled_from(GIVEN),
    st.booleans(),
)
def test_any_vietnamese_person_name_is_an_individual(
    surname: str, middles: list[str], given_name: str, upper: bool
) -> None:
    name = " ".join([surname, *middles, given_name])
    assert guess_kind(name.upper() if upper else name) == "individual"


HEADS = [
    "Trường THCS",
    "Phòng Nội vụ huyện",
    "Công ty TNHH",
    "UBND xã",
    "Hội Nông dân xã",
    "Đoàn Thanh niên xã",
    "Trung tâm Y tế huyện",
    "Hợp tác xã Nông nghiệp",
    "Tổ dân phố số",
    "Ban Chỉ huy Quân sự huyện",
]
PLACES = ["Nam Cao", "Vũ Thư", "Quỳnh Phụ", "Thái Thụy", "Đông Hưng", "Hương Sen"]


@given(st.sampled_from(HEADS), st.sampled_from(PLACES), st.booleans())
def test_any_unit_name_is_a_collective(head: str, place: str, upper: bool) -> None:
    name = f"{head} {place}"
    assert guess_kind(name.upper() if upper else name) == "collective"


# --- the replica's real decision files -----------------------------------------------------------


@pytest.fixture(scope="module")
def replica_site() -> Any:
    from replica.site import build_site

    return build_site()


def _award_items(site: Any, form: str, source: str, count: int) -> list[Any]:
    items = [
        it
        for it in site.model.items
        if it.extra.get("award_form") == form and it.recipients and it.recipients[0].source == source
    ]
    return [it for it in items if any(a.filename.endswith(f".{source}") for a in it.attachments)][:count]


def _extracted(site: Any, it: Any, source: str, folder: Path) -> Any:
    attachment = next(a for a in it.attachments if a.filename.endswith(f".{source}"))
    path = folder / f"{it.site_id}.{source}"
    path.write_bytes(site.attachment_bytes(attachment.spec))
    extracted = extract_file(path, filename=attachment.filename, content_type=attachment.content_type)
    assert extracted.error is None
    return extracted


def _expected(it: Any) -> list[Recipient]:
    return [Recipient(r.name, r.kind, r.unit, r.position, r.award, r.honorific) for r in it.recipients]


@pytest.mark.parametrize("source", ["docx", "pdf"])
def test_recipients_of_replica_decision_file_tables_equal_its_ground_truth(
    replica_site: Any, tmp_path: Path, source: str
) -> None:
    items = _award_items(replica_site, "file_table", source, 3)
    assert items
    for it in items:
        extracted = _extracted(replica_site, it, source, tmp_path)
        found = [
            r
            for table in extracted.tables
            for r in recipients_from_table(table, default_award=it.award["award"])
        ]
        assert found == _expected(it)


@pytest.mark.parametrize("source", ["docx", "pdf"])
def test_recipients_of_replica_decision_annex_lists_equal_its_ground_truth(
    replica_site: Any, tmp_path: Path, source: str
) -> None:
    items = _award_items(replica_site, "annex_lines", source, 3)
    assert items
    for it in items:
        extracted = _extracted(replica_site, it, source, tmp_path)
        assert extracted.tables == []
        assert recipients_from_text(extracted.text, default_award=it.award["award"]) == _expected(it)


def test_flattened_pdf_table_lines_below_a_header() -> None:
    # What pypdf's plain extract_text() gives for a simple recipient table.
    text = """Điều 2. Quyết định có hiệu lực kể từ ngày ký.
STT Họ và tên / Tên tập thể Chức vụ Đơn vị
1 TRƯỜNG THCS NAM CAO
2 MAI THỊ THU LAN Phó Giám đốc Hợp tác xã Nông nghiệp Quang Trung
3 Lê Hồng Yến Giáo viên Trường Mầm non Đông Minh"""
    found = recipients_from_text(text, default_award=None)
    assert [(r.name, r.kind, r.position, r.unit) for r in found] == [
        ("TRƯỜNG THCS NAM CAO", "collective", None, None),
        ("MAI THỊ THU LAN", "individual", "Phó Giám đốc", "Hợp tác xã Nông nghiệp Quang Trung"),
        ("Lê Hồng Yến", "individual", "Giáo viên", "Trường Mầm non Đông Minh"),
    ]


def test_numbers_without_a_table_header_are_not_recipients() -> None:
    assert recipients_from_text("2 tập thể được khen thưởng\n15 năm công tác", default_award=None) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ĐOÀN THANH NIÊN XÃ BÌNH NGUYÊN", "collective"),  # capitals hide that "niên" is lower case
        ("ĐOÀN THANH NIÊN CỘNG SẢN", "collective"),
        ("ĐOÀN VĂN NGUYÊN", "individual"),
        ("Đoàn Thị Thu Hương", "individual"),
        ("HỘI NÔNG DÂN XÃ MINH TÂN", "collective"),
    ],
)
def test_surname_doan_and_the_youth_union(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    "line", ["163/QĐ-UBND", "12/2020/NĐ-CP của Chính phủ", "163/KH ngày 5/3/2021", "03/CT-UBND;"]
)
def test_a_document_number_starting_a_line_is_no_numbered_entry(line: str) -> None:
    text = f"Tặng Huân chương Lao động hạng Ba cho các tập thể sau:\n{line}"
    assert recipients_from_text(text, default_award=None) == []


def test_slash_numbered_entries_are_entries() -> None:
    text = "Tặng Bằng khen cho:\n1/ Sở Tư pháp tỉnh Hòa An;\n2/Trường THCS Nam Cao."
    names = [r.name for r in recipients_from_text(text, default_award=None)]
    assert names == ["Sở Tư pháp tỉnh Hòa An", "Trường THCS Nam Cao"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chủ tịch nước tặng Huân chương Lao động hạng Ba tập thể Công ty Cổ phần Nam Hải",
            StatedCounts(None, None),
        ),
        ("Tặng Huân chương Lao động hạng Ba cho ba tập thể và hai cá nhân", StatedCounts(3, 2)),
        ("Tặng Huân chương Lao động hạng Ba cho 02 tập thể", StatedCounts(2, None)),
    ],
)
def test_the_class_of_an_award_is_no_stated_count(text: str, expected: StatedCounts) -> None:
    assert stated_counts([text]) == expected


# A position as written after a name, and the (position, unit) it holds.
POSITIONS = [
    ("Giám đốc Sở Khoa học và Công nghệ", ("Giám đốc", "Sở Khoa học và Công nghệ")),
    (
        "Phó Trưởng đoàn Đại biểu Quốc hội tỉnh Hòa An",
        ("Phó Trưởng đoàn", "Đoàn Đại biểu Quốc hội tỉnh Hòa An"),
    ),
    ("Trưởng Đoàn ĐBQH tỉnh Hòa An", ("Trưởng đoàn", "Đoàn ĐBQH tỉnh Hòa An")),
    ("Phó Trưởng ban Thi đua - Khen thưởng tỉnh", ("Phó Trưởng ban", "Ban Thi đua - Khen thưởng tỉnh")),
    # a sub-unit followed by its parent, or a "phòng" alone, stays in the position
    ("Trưởng ban Tuyên giáo Tỉnh ủy", ("Trưởng ban Tuyên giáo", "Tỉnh ủy")),
    ("Trưởng phòng Tổ chức cán bộ, Sở Nội vụ", ("Trưởng phòng Tổ chức cán bộ", "Sở Nội vụ")),
    ("Phó Trưởng phòng Cảnh sát hình sự", ("Phó Trưởng phòng Cảnh sát hình sự", None)),
    # several offices: all stay in the position, the unit is the last office's
    (
        "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh Hòa An",
        ("Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch", "UBND tỉnh Hòa An"),
    ),
    (
        "nguyên Phó Bí thư Thường trực Tỉnh ủy, nguyên Chủ tịch HĐND tỉnh",
        ("nguyên Phó Bí thư Thường trực Tỉnh ủy, nguyên Chủ tịch", "HĐND tỉnh"),
    ),
    ("Ủy viên BTV Tỉnh ủy, Giám đốc, Công an tỉnh", ("Ủy viên BTV Tỉnh ủy, Giám đốc", "Công an tỉnh")),
]


@pytest.mark.parametrize(("text", "expected"), POSITIONS)
def test_position_and_unit(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_position_unit(text) == expected
