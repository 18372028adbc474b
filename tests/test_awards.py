"""archive.normalize.awards: the 2022-law taxonomy and who confers each award."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from archive.normalize.awards import canonical_award, conferrer_from_number, find_awards
from archive.normalize.numbers import parse_document_number

# (free text, canonical award, rank, conferred_by, category)
TAXONOMY_CASES = [
    ("HCLĐ hạng Ba", "Huân chương Lao động hạng Ba", 3, "Chủ tịch nước", "huan_chuong"),
    ("Huân chương Lao động hạng III", "Huân chương Lao động hạng Ba", 3, "Chủ tịch nước", "huan_chuong"),
    ("HC Lao động hạng 3", "Huân chương Lao động hạng Ba", 3, "Chủ tịch nước", "huan_chuong"),
    ("huân chương lao động hạng nhì", "Huân chương Lao động hạng Nhì", 2, "Chủ tịch nước", "huan_chuong"),
    ("Huân chương Lao động hạng II", "Huân chương Lao động hạng Nhì", 2, "Chủ tịch nước", "huan_chuong"),
    ("Huân chương Lao động hạng I", "Huân chương Lao động hạng Nhất", 1, "Chủ tịch nước", "huan_chuong"),
    ("HUÂN CHƯƠNG ĐỘC LẬP HẠNG BA", "Huân chương Độc lập hạng Ba", 3, "Chủ tịch nước", "huan_chuong"),
    ("HCĐL hạng Nhất", "Huân chương Độc lập hạng Nhất", 1, "Chủ tịch nước", "huan_chuong"),
    (
        "Huân chương Đại đoàn kết dân tộc",
        "Huân chương Đại đoàn kết dân tộc",
        None,
        "Chủ tịch nước",
        "huan_chuong",
    ),
    ("Huân chương Lao động", "Huân chương Lao động", None, "Chủ tịch nước", "huan_chuong"),
    (
        "Huy chương Chiến sĩ vẻ vang hạng Nhì",
        "Huy chương Chiến sĩ vẻ vang hạng Nhì",
        2,
        "Chủ tịch nước",
        "huy_chuong",
    ),
    ("BK TTCP", "Bằng khen của Thủ tướng Chính phủ", None, "Thủ tướng Chính phủ", "bang_khen"),
    ("BKTTg", "Bằng khen của Thủ tướng Chính phủ", None, "Thủ tướng Chính phủ", "bang_khen"),
    ("Bằng khen Thủ tướng", "Bằng khen của Thủ tướng Chính phủ", None, "Thủ tướng Chính phủ", "bang_khen"),
    ("BK CT UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh", None, "Chủ tịch UBND tỉnh", "bang_khen"),
    (
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Thái Bình",
        "Bằng khen của Chủ tịch UBND tỉnh",
        None,
        "Chủ tịch UBND tỉnh",
        "bang_khen",
    ),
    ("Cờ thi đua Chính phủ", "Cờ thi đua của Chính phủ", None, "Chính phủ", "co_thi_dua"),
    ("Cờ thi đua của UBND tỉnh", "Cờ thi đua của UBND tỉnh", None, "Chủ tịch UBND tỉnh", "co_thi_dua"),
    ("CSTĐ cơ sở", "Chiến sĩ thi đua cơ sở", None, None, "danh_hieu_thi_dua"),
    (
        "Chiến sỹ thi đua toàn quốc",
        "Chiến sĩ thi đua toàn quốc",
        None,
        "Thủ tướng Chính phủ",
        "danh_hieu_thi_dua",
    ),
    ("CSTĐ cấp tỉnh", "Chiến sĩ thi đua cấp tỉnh", None, "Chủ tịch UBND tỉnh", "danh_hieu_thi_dua"),
    ("Tập thể LĐXS", "Tập thể lao động xuất sắc", None, "Chủ tịch UBND tỉnh", "danh_hieu_thi_dua"),
    ("Lao động tiên tiến", "Lao động tiên tiến", None, None, "danh_hieu_thi_dua"),
    ("Tập thể lao động tiên tiến", "Tập thể lao động tiên tiến", None, None, "danh_hieu_thi_dua"),
    ("AHLĐ", "Anh hùng Lao động", None, "Chủ tịch nước", "danh_hieu_vinh_du"),
    ("Mẹ Việt Nam Anh hùng", "Bà mẹ Việt Nam anh hùng", None, "Chủ tịch nước", "danh_hieu_vinh_du"),
    ("NGƯT", "Nhà giáo ưu tú", None, "Chủ tịch nước", "danh_hieu_vinh_du"),
    ("Nghệ sỹ nhân dân", "Nghệ sĩ nhân dân", None, "Chủ tịch nước", "danh_hieu_vinh_du"),
    ("Giải thưởng Hồ Chí Minh", "Giải thưởng Hồ Chí Minh", None, "Chủ tịch nước", "giai_thuong"),
    (
        "KNC Vì sự nghiệp Thi đua – Khen thưởng",
        "Kỷ niệm chương Vì sự nghiệp Thi đua - Khen thưởng",
        None,
        "Bộ trưởng Bộ Nội vụ",
        "ky_niem_chuong",
    ),
    (
        "Giấy khen của Giám đốc Sở Nội vụ",
        "Giấy khen của Giám đốc Sở Nội vụ",
        None,
        "Giám đốc Sở Nội vụ",
        "giay_khen",
    ),
    ("GK", "Giấy khen", None, None, "giay_khen"),
]


@pytest.mark.parametrize("case", TAXONOMY_CASES, ids=[c[0] for c in TAXONOMY_CASES])
@pytest.mark.parametrize("field", ["award", "rank", "conferred_by", "category"])
def test_taxonomy(case: tuple[Any, ...], field: str) -> None:
    text, award, rank, conferred_by, category = case
    form = canonical_award(text)
    assert form is not None
    expected = {"award": award, "rank": rank, "conferred_by": conferred_by, "category": category}
    assert getattr(form, field) == expected[field]


@pytest.mark.parametrize(
    "text",
    [
        "Huy chương Vàng",
        "giành 3 Huy chương Vàng, 2 Huy chương Bạc và 5 Huy chương Đồng",
        "huy chương đồng môn điền kinh",
        "ngân hàng chính sách",
        "lao động",
        "",
    ],
)
def test_not_an_award(text: str) -> None:
    assert canonical_award(text) is None


def test_award_in_prose_is_found() -> None:
    form = canonical_award("Quyết định số 747/QĐ-CTN về việc tặng thưởng Huân chương Lao động hạng Nhì cho …")
    assert form is not None and form.award == "Huân chương Lao động hạng Nhì"


def test_longest_name_wins_over_names_inside_it() -> None:
    names = [f.award for f in find_awards("tặng danh hiệu Tập thể lao động xuất sắc và Anh hùng Lao động")]
    assert names == ["Tập thể lao động xuất sắc", "Anh hùng Lao động"]


def test_decomposed_and_upper_case_text_match_too() -> None:
    text = unicodedata.normalize("NFD", "CỜ THI ĐUA CỦA CHÍNH PHỦ")
    form = canonical_award(text)
    assert form is not None and form.award == "Cờ thi đua của Chính phủ"


@pytest.mark.parametrize(
    ("number", "conferrer"),
    [
        ("2207/QĐ-CTN", "Chủ tịch nước"),
        ("Quyết định số 1338/QĐ-TTg ngày 27/7", "Thủ tướng Chính phủ"),
        ("Số: 163/QĐ-UBND", "Chủ tịch UBND tỉnh"),
        ("163/QÐ-UBND", "Chủ tịch UBND tỉnh"),
        ("72/2002/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("1945/QĐ-SNV", "Giám đốc Sở Nội vụ"),
        ("88/QĐ-BNV", "Bộ trưởng Bộ Nội vụ"),
        ("41-CT/TW", None),
        ("không có số", None),
    ],
)
def test_conferrer_from_number(number: str, conferrer: str | None) -> None:
    assert conferrer_from_number(number) == conferrer


def test_conferrer_from_a_parsed_number() -> None:
    assert conferrer_from_number(parse_document_number("Quyết định số 2207/QĐ-CTN")) == "Chủ tịch nước"
