"""archive.normalize.movements: every emulation movement a text names, launch facts only where it launches."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.normalize.movements import MovementMention, find_movements

# An invented page in the form of the real site's pages (menus, an interview, "Theo: …", the
# "tin cùng chuyên mục" / "tin mới đăng" / "Thông báo" boxes of other items' titles, the footer).
INTERVIEW = Path(__file__).parent / "files" / "movements" / "interview_with_sidebars.txt"
INTERVIEW_MOVEMENTS = [
    "Chung tay nạo vét kênh mương nội đồng trên địa bàn tỉnh",
    "Hợp tác xã tỉnh Hòa An thực hiện “hai giữ vững” vừa ổn định sản xuất vừa mở rộng thị trường tiêu thụ",
    "Cán bộ, công chức, viên chức tỉnh Hòa An thi đua thực hiện văn hóa công sở giai đoạn 2023 - 2027",
    "Đẩy mạnh thanh toán không dùng tiền mặt tại các chợ nông thôn tỉnh Hòa An",
]


def interview_article() -> str:
    """The article of the page, without the site's menus and boxes of other pages' titles."""
    text = INTERVIEW.read_text(encoding="utf-8")
    return text[text.index("Thời gian qua") : text.index("Theo: Báo Hòa An")]


def test_a_list_of_quoted_movements_names_each_in_order() -> None:
    # One sentence lists four after "như: Phong trào thi đua …", one of them with a quote inside it;
    # "các phong trào thi đua do trung ương phát động" and "phát động các phong trào …" name none.
    assert [m.name for m in find_movements(interview_article())] == INTERVIEW_MOVEMENTS


@pytest.mark.parametrize("field", ["launched_on", "launched_by", "period_start", "period_end"])
def test_a_look_back_states_no_launch_facts(field: str) -> None:
    assert {getattr(m, field) for m in find_movements(interview_article())} == {None}


def test_sidebar_titles_name_every_movement_once() -> None:
    text = INTERVIEW.read_text(encoding="utf-8")
    sidebar = text[text.index("tin cùng chuyên mục") : text.index("Văn bản pháp quy về TĐKT")]
    found = find_movements(sidebar)
    # "Lễ phát động “250 ngày …”" launches one, named again by a plan further down; "47 tập thể …
    # được khen thưởng trong phong trào …" and "Hướng dẫn tổng kết … Phong trào …" look back at the
    # others: named all the same, launched by no one. A motto and an award in quotes are no movements.
    assert [m.name for m in found] == [
        "250 ngày đêm hoàn thành đường giao thông liên xã",
        "Phụ nữ Hòa An tích cực lao động sáng tạo",
        "Hòa An chung tay vì trẻ em vùng khó khăn",
    ]
    assert [m.launched_by for m in found] == [None, None, None]


LAUNCH = (
    "Ngày 5/3/2024, UBND tỉnh phát động phong trào thi đua “Thái Bình chung sức chuyển đổi số” "
    "giai đoạn 2024-2026."
)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("name", "Thái Bình chung sức chuyển đổi số"),
        ("launched_on", "2024-03-05"),
        ("launched_by", "UBND tỉnh"),
        ("period_start", 2024),
        ("period_end", 2026),
    ],
)
def test_launch_sentence(field: str, expected: object) -> None:
    (movement,) = find_movements(LAUNCH)
    assert getattr(movement, field) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ngày 15/01/2025, Hội đồng Thi đua - Khen thưởng Trung ương phát động phong trào thi đua "
            "“Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời”.",
            MovementMention(
                "Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời",
                "2025-01-15",
                "Hội đồng Thi đua - Khen thưởng Trung ương",
                None,
                None,
            ),
        ),
        (
            'Ngày 02-01-2025, phong trào thi đua "Dân vận khéo" do Ban Thường vụ Tỉnh ủy phát động.',
            MovementMention("Dân vận khéo", "2025-01-02", "Ban Thường vụ Tỉnh ủy", None, None),
        ),
        (
            "Các đơn vị tiếp tục hưởng ứng phong trào thi đua “Cựu chiến binh gương mẫu” với nhiều "
            "cách làm sáng tạo.",
            MovementMention("Cựu chiến binh gương mẫu", None, None, None, None),
        ),
        (
            "Kế hoạch tổ chức thực hiện đợt thi đua cao điểm “300 ngày chung tay xóa nhà tạm, nhà "
            "dột nát” trên địa "
            "bàn tỉnh Thái Bình",
            MovementMention("300 ngày chung tay xóa nhà tạm, nhà dột nát", None, None, None, None),
        ),
        (
            "Tham mưu kịp thời với UBND tỉnh phát động phong trào thi đua “Nông dân sản xuất, kinh "
            "doanh giỏi” "
            "giai đoạn 2021-2025",
            MovementMention("Nông dân sản xuất, kinh doanh giỏi", None, "UBND tỉnh", 2021, 2025),
        ),
    ],
    ids=["board-launches", "do-x-phat-dong", "huong-ung", "dot-thi-dua-cao-diem", "advised-launch"],
)
def test_launched_or_planned(text: str, expected: MovementMention) -> None:
    assert find_movements(text) == [expected]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sơ kết phong trào thi đua “Dân vận khéo” tại Vũ Thư", "Dân vận khéo"),
        ("12 tập thể, cá nhân được khen thưởng trong phong trào thi đua “Dân vận khéo”", "Dân vận khéo"),
        (
            "Các tập thể, cá nhân được khen thưởng đã có thành tích xuất sắc trong phong trào thi đua "
            "“Dân vận khéo”.",
            "Dân vận khéo",
        ),
        (
            "Thái Bình lan tỏa phong trào thi đua “Chung sức xây dựng nông thôn mới”",
            "Chung sức xây dựng nông thôn mới",
        ),
        (
            "Phong trào thi đua “Đẩy nhanh tiến độ thực hiện giải phóng mặt bằng phục vụ triển khai các "
            "dự án đầu tư”",
            "Đẩy nhanh tiến độ thực hiện giải phóng mặt bằng phục vụ triển khai các dự án đầu tư",
        ),
    ],
    ids=["so-ket", "khen-thuong-trong", "thanh-tich", "lan-toa", "no-verb"],
)
def test_looking_back_or_passing_mentions_name_a_movement_launched_by_no_one(text: str, name: str) -> None:
    assert find_movements(text) == [MovementMention(name, None, None, None, None)]


def test_looking_back_keeps_the_period_after_the_name() -> None:
    text = (
        "Hướng dẫn tổng kết và khen thưởng tổng kết phong trào thi đua “Vì người nghèo - Không để ai bị bỏ "
        "lại phía sau” giai đoạn 2021-2025"
    )
    assert find_movements(text) == [
        MovementMention("Vì người nghèo - Không để ai bị bỏ lại phía sau", None, None, 2021, 2025)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Tại xã Nam Cao, mô hình “Cánh đồng mẫu lớn” thu hút 120 hộ gia đình tham gia.",
        "Hồ sơ đề nghị xét tặng danh hiệu “Tập thể lao động xuất sắc” năm 2024 gửi trước ngày 15/12.",
        "Với chủ đề “Đoàn kết, sáng tạo”, các phong trào thi đua đã lan tỏa.",
        "Bằng “Tổ quốc ghi công” được trao cho 12 gia đình liệt sĩ.",
    ],
    ids=["model", "title", "theme", "certificate"],
)
def test_other_quoted_names_are_not_movements(text: str) -> None:
    assert find_movements(text) == []


def test_title_and_text_naming_one_movement_merge_their_facts() -> None:
    found = find_movements(
        "Ngày 5/3/2024, Sở Giáo dục và Đào tạo phát động phong trào thi đua “Đổi mới, sáng tạo "
        "trong dạy và học”.",
        title="Kế hoạch tổ chức phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” giai đoạn 2024-2028",
    )
    assert found == [
        MovementMention(
            "Đổi mới, sáng tạo trong dạy và học", "2024-03-05", "Sở Giáo dục và Đào tạo", 2024, 2028
        )
    ]


def test_names_are_nfc_with_spaces_collapsed() -> None:
    text = "UBND tỉnh phát động phong trào thi đua “Dân  vận\u00a0khéo”"
    assert [m.name for m in find_movements(text)] == ["Dân vận khéo"]
