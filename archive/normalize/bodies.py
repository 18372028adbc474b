"""The words public bodies are named with, and a decision's own fixed wording: one home for the phrases
OCR's tone repair checks a line against (`archive.normalize.ocr.repair_tones`).

A provincial decision's recipients are bodies named by law or by long use — the departments of the
provincial people's committee, the unions and associations, schools, hospitals, cooperatives and
companies — and the province's districts. Tesseract reads a tone mark wrong with high confidence
("Chỉ cục" for "Chi cục", "cộng trình" for "công trình"): a phrase here that a line matches in all
but its tone marks is what the line prints. Only phrases of two syllables or more, whose tone
variants are not themselves words a decision would use ("tài chính" is left to "Sở Tài chính": "tại
chính quyền" is text; "văn phòng" is out: "văn phong" is a word).
"""

from __future__ import annotations

# The province's districts and its city, as the site names them until the merger of 1 July 2025.
DISTRICTS = (
    "Đông Hưng",
    "Hưng Hà",
    "Kiến Xương",
    "Quỳnh Phụ",
    "Thái Thụy",
    "Tiền Hải",
    "Vũ Thư",
)

BODY_NAME_PHRASES = (
    # Departments and branches of state (the same in every province).
    "Chi cục",
    "Chỉ huy",
    "Quân sự",
    "Biên phòng",
    "Công an",
    "Nội vụ",
    "Tư pháp",
    "Sở Tài chính",
    "Kế hoạch",
    "Đầu tư",
    "Công thương",
    "Giáo dục",
    "Đào tạo",
    "Y tế",
    "Văn hóa",
    "Thể thao",
    "Du lịch",
    "Thông tin",
    "Truyền thông",
    "Xây dựng",
    "Giao thông",
    "Vận tải",
    "Tài nguyên",
    "Môi trường",
    "Nông nghiệp",
    "Phát triển",
    "Nông thôn",
    "Lao động",
    "Thương binh",
    "Xã hội",
    "Khoa học",
    "Công nghệ",
    "Ngoại vụ",
    "Thanh tra",
    "Dân tộc",
    "Tôn giáo",
    "Thi đua",
    "Khen thưởng",
    "Bảo hiểm",
    "Kho bạc",
    "Nhà nước",
    "Hải quan",
    "Ngân hàng",
    "Điện lực",
    "Kiểm lâm",
    "Quản lý",
    "Thị trường",
    "Tòa án",
    "Viện kiểm sát",
    "Thi hành án",
    "Nhân dân",
    "Hội đồng",
    "Ủy ban",
    # The Party, the Front and the unions.
    "Mặt trận",
    "Tổ quốc",
    "Đoàn Thanh niên",
    "Cộng sản",
    "Hồ Chí Minh",
    "Liên đoàn",
    "Liên hiệp",
    "Phụ nữ",
    "Nông dân",
    "Cựu chiến binh",
    "Chữ thập đỏ",
    "Huyện ủy",
    "Tỉnh ủy",
    "Thành ủy",
    "Đảng ủy",
    # Schools, hospitals, cooperatives, companies.
    "Mầm non",
    "Tiểu học",
    "Trung học",
    "Phổ thông",
    "Cao đẳng",
    "Đại học",
    "Bệnh viện",
    "Đa khoa",
    "Trung tâm",
    "Hợp tác xã",
    "Công ty",
    "Cổ phần",
    "Trách nhiệm hữu hạn",
    "Một thành viên",
    "Khai thác",
    "công trình",
    "Thủy lợi",
    "Thủy sản",
    "cây trồng",
    "Chăn nuôi",
    "Sản xuất",
    "Kinh doanh",
    "Dịch vụ",
    "Thương mại",
    "Xuất nhập khẩu",
    "Sợi dệt",
    "Dệt may",
    # The province and its districts.
    "Thái Bình",
    *DISTRICTS,
)

# The wording every award decision and its annex print around the names, under the same rule: "TẬP THỂ,
# CÁ NHÂN ĐƯỢC TẶNG …" (with "CÁ NHẬN", a verb, the annex's title reads as a recipient who "receives"),
# and the grounds' "quy định chi tiết" ("chỉ tiết" is no word).
DECISION_PHRASES = (
    "tập thể cá nhân",
    "quy định chi tiết",
)
