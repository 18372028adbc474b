"""Vocabulary the replica's text is built from: names, bodies, places, awards, movements.

Facts (district names, bodies, movement names, award names) come from the seed page and the domain
reference; the sentences around them are written for the replica.
"""

from __future__ import annotations

DISTRICTS = [
    "Quỳnh Phụ",
    "Hưng Hà",
    "Thái Thụy",
    "Kiến Xương",
    "Đông Hưng",
    "Vũ Thư",
    "Tiền Hải",
    "TP Thái Bình",
]
COMMUNES = [
    "Quỳnh Hoa",
    "An Bài",
    "Thụy Hải",
    "Đông Hợp",
    "Vũ Thắng",
    "Nam Cao",
    "Tây Giang",
    "Minh Tân",
    "Hồng Lĩnh",
    "Bình Nguyên",
    "Đông Minh",
    "Thái Phúc",
    "Nam Thịnh",
    "Vũ Hội",
    "Quang Trung",
    "Tân Lễ",
]

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
    "Phan",
    "Đào",
    "Mai",
    "Lương",
    "Tô",
    "Đinh",
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Công", "Thanh", "Mạnh", "Trọng"]
FEMALE_MIDDLE = ["Thị", "Thu", "Hồng", "Ngọc", "Thanh", "Minh", "Thị Thu", "Thị Hồng"]
MALE_GIVEN = [
    "Hùng",
    "Trường",
    "Dũng",
    "Tuấn",
    "Thắng",
    "Bình",
    "Long",
    "Sơn",
    "Cường",
    "Khánh",
    "Quyết",
    "Toản",
    "Tâm",
    "Hòa",
    "Nghĩa",
    "Phong",
    "Thành",
    "Hiếu",
    "Kiên",
    "Lực",
]
FEMALE_GIVEN = [
    "Lan",
    "Hương",
    "Hạnh",
    "Nga",
    "Phương",
    "Thủy",
    "Huyền",
    "Yến",
    "Hiền",
    "Thảo",
    "Hòa",
    "Liên",
    "Nhung",
    "Oanh",
    "Trang",
    "Duyên",
    "Loan",
    "Mai",
]

# Positions are written as the title alone ("Chủ tịch"), so that "Chủ tịch UBND xã Nam Cao, huyện …"
# reads as position + unit in prose and lists as well as in a table's two columns.
FEMALE_ONLY_GIVEN = [g for g in FEMALE_GIVEN if g not in MALE_GIVEN]
POSITIONS_BY_UNIT = [
    ("Trường", ["Hiệu trưởng", "Phó Hiệu trưởng", "Giáo viên", "Tổ trưởng chuyên môn"]),
    ("UBND xã", ["Chủ tịch", "Phó Chủ tịch", "Công chức văn phòng - thống kê"]),
    ("Hội Nông dân", ["Chủ tịch", "Phó Chủ tịch"]),
    ("Đoàn Thanh niên", ["Bí thư", "Phó Bí thư"]),
    ("Phòng", ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"]),
    ("Trung tâm Y tế", ["Giám đốc", "Bác sĩ", "Điều dưỡng trưởng"]),
    ("Bệnh viện", ["Giám đốc", "Bác sĩ", "Điều dưỡng trưởng"]),
    ("Công an", ["Đội trưởng", "Cán bộ", "Chiến sĩ"]),
    ("Ban Chỉ huy", ["Chỉ huy trưởng", "Chính trị viên", "Trợ lý"]),
    ("Công ty", ["Giám đốc", "Phó Giám đốc", "Kế toán trưởng", "Công nhân"]),
    ("Hợp tác xã", ["Giám đốc", "Kế toán trưởng", "Xã viên"]),
    ("Liên đoàn Lao động", ["Chủ tịch", "Phó Chủ tịch", "Chuyên viên"]),
]
POSITIONS_DEFAULT = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Phó Giám đốc", "Kế toán trưởng"]

# Collectives; the "{c}"/"{d}" fields are filled with communes and districts.
COLLECTIVE_PATTERNS = [
    "Trường THCS {c}",
    "Trường Tiểu học {c}",
    "Trường Mầm non {c}",
    "UBND xã {c}, huyện {d}",
    "Hội Nông dân xã {c}",
    "Đoàn Thanh niên xã {c}",
    "Phòng Nội vụ huyện {d}",
    "Phòng Giáo dục và Đào tạo huyện {d}",
    "Trung tâm Y tế huyện {d}",
    "Công an huyện {d}",
    "Ban Chỉ huy Quân sự huyện {d}",
    "Phòng Văn hóa và Thông tin huyện {d}",
    "Hợp tác xã Nông nghiệp {c}",
]
FIXED_COLLECTIVES = [
    "Trường THCS Nam Cao",
    "Công ty TNHH Sợi dệt Hương Sen",
    "Công ty Cổ phần Giống cây trồng Thái Bình",
    "Bệnh viện Đa khoa tỉnh Thái Bình",
    "Liên đoàn Lao động thành phố Thái Bình",
    "Sở Giáo dục và Đào tạo",
    "Chi cục Thủy lợi tỉnh Thái Bình",
    "Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Thái Bình",
    "Trường THPT Bắc Duyên Hà",
    "Văn phòng UBND tỉnh Thái Bình",
    "Ban Thi đua - Khen thưởng, Sở Nội vụ",
    "Công ty Cổ phần May Thái Hà",
    "Điện lực Thái Bình",
    "Kho bạc Nhà nước Thái Bình",
]

# Movement names: the first ones are on the seed page, the rest are plausible inventions.
MOVEMENTS = [
    "Đẩy nhanh tiến độ thực hiện giải phóng mặt bằng phục vụ triển khai các dự án đầu tư trên địa bàn tỉnh",
    "Tăng cường thu hút đầu tư vào các cụm công nghiệp trên địa bàn tỉnh Thái Bình",
    "Vì người nghèo - Không để ai bị bỏ lại phía sau",
    "300 ngày chung tay xóa nhà tạm, nhà dột nát",
    "Cựu chiến binh gương mẫu",
    "Chung sức xây dựng nông thôn mới",
    "Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời",
    "Thái Bình chung sức chuyển đổi số",
    "Dân vận khéo",
    "Doanh nghiệp Thái Bình hội nhập và phát triển",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "Xây dựng nếp sống văn minh đô thị",
    "Đổi mới, sáng tạo trong dạy và học",
    "Toàn dân bảo vệ an ninh Tổ quốc",
    "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
    "Nông dân sản xuất, kinh doanh giỏi",
]
# Launchers: (the one spelling the archive keeps, the ways a text writes it). "{pn}" is a person holding
# the office, whom the archive drops.
LAUNCHERS_CENTRAL = [
    (
        "Thủ tướng Chính phủ",
        [
            "Thủ tướng Chính phủ",
            "Thủ tướng Chính phủ, Chủ tịch Hội đồng Thi đua - Khen thưởng Trung ương",
            "Thủ tướng {pn}",
        ],
    ),
    (
        "Hội đồng Thi đua - Khen thưởng Trung ương",
        ["Hội đồng Thi đua - Khen thưởng Trung ương", "Hội đồng TĐKT Trung ương"],
    ),
]
LAUNCHERS_PROVINCE = [
    ("UBND tỉnh", ["UBND tỉnh", "Ủy ban nhân dân tỉnh"]),
    ("Hội đồng Thi đua - Khen thưởng tỉnh", ["Hội đồng TĐ-KT tỉnh", "Hội đồng Thi đua - Khen thưởng tỉnh"]),
    ("Ban Thường vụ Tỉnh ủy", ["Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh uỷ"]),
    ("Chủ tịch UBND tỉnh", ["Chủ tịch UBND tỉnh {pn}", "Chủ tịch UBND tỉnh"]),
]
LAUNCHERS_LOCAL = [
    *((f"UBND huyện {d}", [f"UBND huyện {d}", f"Ủy ban nhân dân huyện {d}"]) for d in DISTRICTS[:7]),
    ("Liên đoàn Lao động tỉnh", ["Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh"]),
    ("Sở Giáo dục và Đào tạo", ["Sở Giáo dục và Đào tạo"]),
]
# Honorifics and ranks written before a recipient's name in lists and prose (the archive keeps them
# apart from the name), by the kind of unit the person works in.
RANKS_BY_UNIT = [
    ("Công an", ["Trung tá", "Thiếu tá", "Đại úy", "Thượng úy"]),
    ("Ban Chỉ huy", ["Thượng tá", "Thiếu tá"]),
]

# Cited documents: (number, phrase used before the number, year issued).
CITABLE = [
    ("05-CT/TW", "Chỉ thị số", 2016),
    ("34-CT/TW", "Chỉ thị số", 2014),
    ("41-CT/TW", "Chỉ thị số", 2024),
    ("06/2022/QH15", "Luật Thi đua, khen thưởng số", 2022),
    ("98/2023/NĐ-CP", "Nghị định số", 2023),
    ("91/2017/NĐ-CP", "Nghị định số", 2017),
    ("65/2014/NĐ-CP", "Nghị định số", 2014),
    ("01/2024/TT-BNV", "Thông tư số", 2024),
    ("12/2019/TT-BNV", "Thông tư số", 2019),
    ("07/2014/TT-BNV", "Thông tư số", 2014),
    ("2799/QĐ-UBND", "Quyết định số", 2014),
    ("31/2020/QĐ-UBND", "Quyết định số", 2020),
    ("1338/QĐ-TTg", "Quyết định số", 2021),
    ("36-HD/VPTW", "Hướng dẫn số", 2018),
]

# Legal-text families per category: (doc_type, type_code or None, issuer full name, issuer_code, family).
# family: "state" 163/QĐ-UBND, "vbqppl" 09/2023/TT-BNV, "party" 41-CT/TW, "cv" 1234/UBND-NC,
# "law" 06/2022/QH15.
LEGAL_FAMILIES: dict[str, list[tuple[str, str | None, str, str, str]]] = {
    "van-ban-cua-trung-uong": [
        ("Nghị định", "NĐ", "Chính phủ", "CP", "vbqppl"),
        ("Thông tư", "TT", "Bộ Nội vụ", "BNV", "vbqppl"),
        ("Chỉ thị", "CT", "Ban Chấp hành Trung ương", "TW", "party"),
        ("Kết luận", "KL", "Bộ Chính trị", "TW", "party"),
        ("Quyết định", "QĐ", "Thủ tướng Chính phủ", "TTg", "state"),
        ("Chỉ thị", "CT", "Thủ tướng Chính phủ", "TTg", "state"),
        ("Luật", None, "Quốc hội", "QH15", "law"),
        ("Hướng dẫn", "HD", "Ban Thi đua - Khen thưởng Trung ương", "BTĐKT", "state"),
    ],
    "van-ban-cua-ubnd-tinh": [
        ("Quyết định", "QĐ", "Ủy ban nhân dân tỉnh Thái Bình", "UBND", "state"),
        ("Kế hoạch", "KH", "Ủy ban nhân dân tỉnh Thái Bình", "UBND", "state"),
        ("Chỉ thị", "CT", "Ủy ban nhân dân tỉnh Thái Bình", "UBND", "state"),
        ("Quyết định", "QĐ", "Ủy ban nhân dân tỉnh Thái Bình", "UBND", "vbqppl"),
        ("Công văn", None, "Ủy ban nhân dân tỉnh Thái Bình", "UBND", "cv"),
    ],
    "van-ban-cua-hoi-dong-td-kt-tinh": [
        ("Kế hoạch", "KH", "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình", "HĐTĐKT", "state"),
        ("Thông báo", "TB", "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình", "HĐTĐKT", "state"),
        ("Hướng dẫn", "HD", "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình", "HĐTĐKT", "state"),
        ("Quy chế", "QC", "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình", "HĐTĐKT", "state"),
    ],
    "van-ban-cua-ban-td-kt": [
        ("Hướng dẫn", "HD", "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình", "BTĐKT", "state"),
        ("Kế hoạch", "KH", "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình", "BTĐKT", "state"),
        ("Thông báo", "TB", "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình", "BTĐKT", "state"),
        ("Công văn", None, "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình", "BTĐKT", "cv"),
    ],
}
CV_UNITS = ["NC", "VX", "KT", "TH", "TĐKT"]

LEGAL_SUBJECTS = [
    "công tác thi đua, khen thưởng năm {y}",
    "tổ chức phong trào thi đua yêu nước giai đoạn {p1}-{p2}",
    "xét tặng danh hiệu “Tập thể lao động xuất sắc” năm {y}",
    "khen thưởng tổng kết năm học {y0}-{y}",
    "tăng cường công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
    "quy chế hoạt động của các cụm, khối thi đua thuộc tỉnh",
    "chấm điểm, xếp hạng thi đua các cụm, khối năm {y}",
    "khen thưởng đột xuất cho tập thể, cá nhân có thành tích xuất sắc",
    "tổ chức Đại hội Thi đua yêu nước tỉnh Thái Bình",
    "thẩm định hồ sơ đề nghị khen thưởng cấp Nhà nước năm {y}",
    "đẩy mạnh ứng dụng công nghệ thông tin trong quản lý hồ sơ khen thưởng",
    "tiêu chuẩn xét tặng Kỷ niệm chương “Vì sự nghiệp Thi đua - Khen thưởng”",
    "hướng dẫn quy trình, thủ tục khen thưởng theo niên hạn",
    "tuyên truyền Luật Thi đua, khen thưởng năm 2022",
]

# Awards by category of decisions: (award, rank, kinds allowed).
AWARDS_BY_CATEGORY: dict[str, list[tuple[str, int | None, tuple[str, ...]]]] = {
    "quyet-dinh-cua-chu-tich-nuoc": [
        ("Huân chương Lao động hạng Ba", 3, ("individual", "collective")),
        ("Huân chương Lao động hạng Nhì", 2, ("individual", "collective")),
        ("Huân chương Lao động hạng Nhất", 1, ("collective",)),
        ("Huân chương Bảo vệ Tổ quốc hạng Ba", 3, ("individual", "collective")),
        ("Huân chương Độc lập hạng Ba", 3, ("collective",)),
        ("Huân chương Đại đoàn kết dân tộc", None, ("collective",)),
        ("Huân chương Kháng chiến hạng Nhất", 1, ("individual",)),
    ],
    "quyet-dinh-cua-thu-tuong-chinh-phu": [
        ("Bằng khen của Thủ tướng Chính phủ", None, ("individual", "collective")),
        ("Cờ thi đua của Chính phủ", None, ("collective",)),
        ("Chiến sĩ thi đua toàn quốc", None, ("individual",)),
    ],
    "quyet-dinh-cua-chu-tich-ubnd-tinh": [
        ("Bằng khen của Chủ tịch UBND tỉnh", None, ("individual", "collective")),
        ("Cờ thi đua của UBND tỉnh", None, ("collective",)),
        ("Chiến sĩ thi đua cấp tỉnh", None, ("individual",)),
        ("Tập thể lao động xuất sắc", None, ("collective",)),
    ],
    "ket-qua-khac": [
        ("Kỷ niệm chương Vì sự nghiệp Thi đua - Khen thưởng", None, ("individual",)),
        ("Giấy khen của Giám đốc Sở Nội vụ", None, ("individual", "collective")),
        ("Bằng khen của Bộ trưởng Bộ Nội vụ", None, ("individual", "collective")),
    ],
}
# (conferred_by, issuer code in the decision number, signer title)
AUTHORITY_BY_CATEGORY = {
    "quyet-dinh-cua-chu-tich-nuoc": ("Chủ tịch nước", "CTN"),
    "quyet-dinh-cua-thu-tuong-chinh-phu": ("Thủ tướng Chính phủ", "TTg"),
    "quyet-dinh-cua-chu-tich-ubnd-tinh": ("Chủ tịch UBND tỉnh", "UBND"),
}
OTHER_AUTHORITY = {
    "Kỷ niệm chương Vì sự nghiệp Thi đua - Khen thưởng": ("Bộ trưởng Bộ Nội vụ", "BNV"),
    "Giấy khen của Giám đốc Sở Nội vụ": ("Giám đốc Sở Nội vụ", "SNV"),
    "Bằng khen của Bộ trưởng Bộ Nội vụ": ("Bộ trưởng Bộ Nội vụ", "BNV"),
}
# Forms an award decision's recipients are written in: a table in its file, a numbered annex list in
# its file, a table on the page (header in th, in td, split over two rows, or none), or the page's own
# text (prose, a numbered list inside one paragraph, dash bullets).
AWARD_FORMS = [
    "file_table",
    "annex_lines",
    "table_th",
    "table_td_header",
    "table_split_header",
    "table_headerless",
    "prose",
    "inline_list",
    "dash_bullets",
    "list_withheld",  # the count stated, the list "kèm theo" but published nowhere: nobody can read it
]
# Drawn from with files twice as often: most real decisions list their recipients in the file.
AWARD_FORMS_DRAWN = [*AWARD_FORMS, "file_table", "annex_lines", "file_table", "annex_lines"]
AWARD_FORMS_WITHOUT_FILES = [f for f in AWARD_FORMS if f not in ("file_table", "annex_lines")]
AWARD_TEXT_FORMS = ("annex_lines", "prose", "inline_list", "dash_bullets")
ACHIEVEMENTS = [
    "đã có thành tích xuất sắc trong công tác từ năm {a} đến năm {b}",
    "đã có thành tích xuất sắc trong phong trào thi đua “{m}”",
    (
        "đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo "
        "vệ Tổ quốc"
    ),
    "đã có thành tích tiêu biểu xuất sắc trong thực hiện nhiệm vụ năm {b}",
]

NEWS_TITLES = [
    "{d}: Phát động phong trào thi đua yêu nước năm {y}",
    "Hội nghị tổng kết công tác thi đua, khen thưởng năm {y0} và ký giao ước thi đua năm {y}",
    "Họp Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình xét khen thưởng cho tập thể, cá nhân ngành {f}",
    "Lan tỏa phong trào thi đua trong ngành {f}",
    "{d} biểu dương {n} điển hình tiên tiến giai đoạn {p1}-{p2}",
    "Kỳ họp thứ {k} năm {y} của Hội đồng Thi đua - Khen thưởng tỉnh",
    "Tập huấn nghiệp vụ công tác thi đua, khen thưởng năm {y} tại huyện {d}",
    "{n} tập thể, cá nhân được khen thưởng trong phong trào thi đua “{m}”",
    "Sơ kết phong trào thi đua “{m}” tại {d}",
    "Cụm thi đua các tỉnh Đồng bằng sông Hồng ký kết giao ước thi đua năm {y}",
    "Thái Bình tổ chức Lễ trao tặng danh hiệu vinh dự Nhà nước “Bà mẹ Việt Nam anh hùng” năm {y}",
    "Gặp mặt điển hình tiên tiến ngành {f} năm {y}",
    "Kiểm tra công tác thi đua, khen thưởng tại huyện {d} năm {y}",
    "Người gieo hạt cho mùa bội thu ở xã {c}",
    "Tấm gương {pn}: {pos} tận tụy ở xã {c}",
]
FIELDS = [
    "giáo dục và đào tạo",
    "y tế",
    "nông nghiệp",
    "công thương",
    "tư pháp",
    "văn hóa",
    "giao thông vận tải",
    "tài chính",
    "lao động - thương binh và xã hội",
    "công an",
    "quân sự địa phương",
]

NEWS_SENTENCES = [
    (
        "Tham dự hội nghị có đồng chí {pn}, {pos} {unit}, cùng đại diện lãnh đạo các sở, ban, ngành và địa "
        "phương."
    ),
    "Năm {y}, toàn huyện {d} có {n} tập thể và {n2} cá nhân được đề nghị khen thưởng cấp tỉnh.",
    "Phong trào thi đua đã góp phần hoàn thành {n} trên {n3} chỉ tiêu kinh tế - xã hội của huyện {d}.",
    "Báo cáo nêu rõ, {n}% cơ quan, đơn vị đã xây dựng kế hoạch thi đua ngay từ đầu năm {y}.",
    "Hội đồng đã xem xét hồ sơ của {n} tập thể và {n2} cá nhân, bảo đảm đúng quy trình, công khai, dân chủ.",
    "Các đơn vị trong cụm thi đua số {k} đã ký giao ước với {n} nội dung trọng tâm của năm {y}.",
    "Tại xã {c}, mô hình “{m2}” thu hút {n2} hộ gia đình tham gia, tạo việc làm ổn định cho người lao động.",
    "Dịp này, {unit} vinh dự được tặng {award}.",  # NEWS_AWARD_SENTENCE
    (
        "Đồng chí {pn} đề nghị các cấp, ngành tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào "
        "thi đua."
    ),
    "Sau {n} năm thực hiện, huyện {d} đã huy động được hơn {n4} tỷ đồng cho các công trình phúc lợi.",
    "Ban Thi đua - Khen thưởng đã thẩm định {n2} hồ sơ đề nghị khen thưởng trong quý {q} năm {y}.",
    "Ông {pn} cho biết, gia đình đã đầu tư {n} triệu đồng để mở rộng mô hình sản xuất tại xã {c}.",
]
# The news sentence that reports a conferral, and the facts of the awards it may name: (rank,
# conferred by).
NEWS_AWARD_SENTENCE = "Dịp này, {unit} vinh dự được tặng {award}."
AWARD_FACTS = {
    "Bằng khen của Chủ tịch UBND tỉnh": (None, "Chủ tịch UBND tỉnh"),
    "Cờ thi đua của UBND tỉnh": (None, "Chủ tịch UBND tỉnh"),
    "Bằng khen của Thủ tướng Chính phủ": (None, "Thủ tướng Chính phủ"),
    "Huân chương Lao động hạng Ba": (3, "Chủ tịch nước"),
}
MODELS_LOCAL = [
    "Cánh đồng mẫu lớn",
    "Khu dân cư kiểu mẫu",
    "Đường hoa nông thôn mới",
    "Tổ hợp tác nuôi trồng thủy sản",
    "Câu lạc bộ dân vận khéo",
    "Trường học hạnh phúc",
    "Chợ an toàn thực phẩm",
]

NOTICE_TITLES = [
    "Kế hoạch công tác thi đua, khen thưởng tỉnh Thái Bình năm {y}",
    "Thông báo kết quả xét tặng danh hiệu thi đua năm {y0}",
    "Hướng dẫn tổng kết và khen thưởng tổng kết phong trào thi đua “{m}” giai đoạn {p1}-{p2}",
    "Thông báo lịch tiếp nhận hồ sơ đề nghị khen thưởng tháng {mo}/{y}",
    "Thông báo tập huấn phần mềm quản lý thi đua, khen thưởng năm {y}",
    "Quyết định về việc công khai dự toán ngân sách năm {y}",
    "Thông báo kết luận của Hội đồng Thi đua - Khen thưởng tỉnh tại phiên họp tháng {mo}/{y}",
]

GUIDANCE_TOPICS = {
    "danh-hieu-thi-dua": [
        "Chiến sĩ thi đua cơ sở",
        "Chiến sĩ thi đua cấp tỉnh",
        "Tập thể lao động xuất sắc",
        "Lao động tiên tiến",
        "Cờ thi đua của UBND tỉnh",
        "Chiến sĩ thi đua toàn quốc",
    ],
    "huan-chuong": [
        "Huân chương Lao động hạng Ba",
        "Huân chương Lao động hạng Nhì",
        "Huân chương Độc lập hạng Ba",
        "Huân chương Bảo vệ Tổ quốc hạng Ba",
        "Huân chương Đại đoàn kết dân tộc",
    ],
    "huy-chuong": [
        "Huy chương Chiến sĩ vẻ vang",
        "Huy chương Quân kỳ quyết thắng",
        "Huy chương Vì an ninh Tổ quốc",
        "Huy chương Thanh niên xung phong vẻ vang",
    ],
    "ky-niem-chuong-huy-hieu": [
        "Kỷ niệm chương Vì sự nghiệp Thi đua - Khen thưởng",
        "Huy hiệu 50 năm tuổi Đảng",
        "Kỷ niệm chương Vì sự nghiệp Giáo dục",
        "Kỷ niệm chương Vì sự nghiệp Xây dựng",
    ],
    "bang-khen-giay-khen": [
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Bằng khen của Thủ tướng Chính phủ",
        "Giấy khen của Giám đốc Sở Nội vụ",
        "Giấy khen của Chủ tịch UBND cấp xã",
    ],
    "khen-thuong-cap-nha-nuoc": [
        "Huân chương Lao động",
        "Bằng khen của Thủ tướng Chính phủ",
        "Chiến sĩ thi đua toàn quốc",
        "Cờ thi đua của Chính phủ",
    ],
    "khen-thuong-cap-tinh": [
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Cờ thi đua của UBND tỉnh",
        "Chiến sĩ thi đua cấp tỉnh",
        "Tập thể lao động xuất sắc",
    ],
    "cac-thu-tuc-khac": [
        "khen thưởng đối ngoại",
        "khen thưởng quá trình cống hiến",
        "khen thưởng theo niên hạn",
        "truy tặng danh hiệu",
    ],
    "he-thong-bieu-mau": [
        "Mẫu báo cáo thành tích tập thể",
        "Mẫu báo cáo thành tích cá nhân",
        "Mẫu tờ trình đề nghị khen thưởng",
        "Mẫu danh sách trích ngang",
        "Mẫu biên bản họp Hội đồng thi đua cơ sở",
        "Mẫu đăng ký thi đua",
    ],
}

QA_QUESTIONS = [
    "Cá nhân nghỉ thai sản có được xét danh hiệu “Lao động tiên tiến” không?",
    "Thời gian tính để xét “Huân chương Lao động hạng Ba” theo niên hạn được tính như thế nào?",
    "Hồ sơ đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh gồm những gì?",
    "Tập thể được tặng Cờ thi đua cần đáp ứng những tiêu chuẩn nào?",
    "Sáng kiến được công nhận ở cấp cơ sở có dùng để xét “Chiến sĩ thi đua cấp tỉnh” không?",
    "Người đã nghỉ hưu có được đề nghị khen thưởng quá trình cống hiến không?",
    "Khen thưởng đột xuất được thực hiện trong thời hạn bao lâu?",
    "Doanh nghiệp tư nhân có được tham gia cụm, khối thi đua của tỉnh không?",
    "Việc lấy ý kiến nhân dân đối với trường hợp đề nghị khen thưởng cấp Nhà nước thực hiện ra sao?",
    "Danh hiệu “Chiến sĩ thi đua cơ sở” được xét tặng mấy năm một lần?",
]

VIDEO_TITLES = [
    "Kỳ họp thứ {k} năm {y} của Hội đồng Thi đua - Khen thưởng tỉnh",
    "Phong trào thi đua “{m}” tại huyện {d}",
    "Thái Bình lan tỏa phong trào thi đua “{m}”",
    "Người tốt, việc tốt: {pn}, {pos} xã {c}",
    "Phóng sự: Đại hội Thi đua yêu nước huyện {d} năm {y}",
]

ABOUT_PAGES = {
    "hoi-dong-tdkt-tinh": [
        (
            "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình là cơ quan tư vấn cho Tỉnh ủy, UBND tỉnh về "
            "công tác thi đua, khen thưởng."
        ),
        "Chủ tịch Hội đồng là Chủ tịch UBND tỉnh; Phó Chủ tịch thường trực là Giám đốc Sở Nội vụ.",
        (
            "Hội đồng họp định kỳ mỗi năm hai lần để xét, đề nghị khen thưởng và đánh giá các phong trào "
            "thi đua."
        ),
        (
            "Thành viên Hội đồng gồm đại diện lãnh đạo các sở, ban, ngành, Mặt trận Tổ quốc và các đoàn "
            "thể của tỉnh."
        ),
    ],
    "ban-tdkt-so-noi-vu": [
        (
            "Ban Thi đua - Khen thưởng là tổ chức trực thuộc Sở Nội vụ tỉnh Thái Bình, trụ sở tại số 8, "
            "phố Lê Lợi."
        ),
        "Ban giúp Giám đốc Sở Nội vụ tham mưu UBND tỉnh quản lý nhà nước về công tác thi đua, khen thưởng.",
        (
            "Ban thẩm định hồ sơ đề nghị khen thưởng và là cơ quan thường trực của Hội đồng Thi đua - Khen "
            "thưởng tỉnh."
        ),
        "Ban gồm Trưởng ban, các Phó Trưởng ban và hai phòng chuyên môn: Phòng Thi đua và Phòng Khen thưởng.",
    ],
    "cac-cum-khoi-thi-dua-thuoc-tinh": [
        "Các cơ quan, đơn vị, địa phương của tỉnh được tổ chức thành 14 cụm, khối thi đua.",
        (
            "Khối các huyện, thành phố gồm 8 đơn vị: Quỳnh Phụ, Hưng Hà, Thái Thụy, Kiến Xương, Đông Hưng, "
            "Vũ Thư, Tiền Hải và TP Thái Bình."
        ),
        "Mỗi năm các cụm, khối tổ chức ký giao ước thi đua, chấm điểm và suy tôn đơn vị dẫn đầu.",
        "Trưởng cụm, khối luân phiên theo năm và chịu trách nhiệm tổng hợp kết quả thi đua của cụm, khối.",
    ],
}


# Signature blocks of legal texts by issuer: (capacity lines, the signer's title), as printed.
SIGNATURES: dict[str, list[tuple[str | None, str]]] = {
    "Ủy ban nhân dân tỉnh Thái Bình": [
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ],
    "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình": [
        (None, "CHỦ TỊCH"),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
    ],
    "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình": [
        (None, "TRƯỞNG BAN"),
        ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ],
    "Chính phủ": [("TM. CHÍNH PHỦ", "THỦ TƯỚNG")],
    "Bộ Nội vụ": [(None, "BỘ TRƯỞNG"), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")],
    "Ban Chấp hành Trung ương": [("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ")],
    "Bộ Chính trị": [("T/M BỘ CHÍNH TRỊ", "TỔNG BÍ THƯ")],
    "Thủ tướng Chính phủ": [(None, "THỦ TƯỚNG"), ("KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG")],
    "Quốc hội": [(None, "CHỦ TỊCH QUỐC HỘI")],
    "Ban Thi đua - Khen thưởng Trung ương": [(None, "TRƯỞNG BAN"), ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")],
}
# How each printed title reads in running text (what the archive keeps).
TITLE_CASING = {
    "CHỦ TỊCH": "Chủ tịch",
    "PHÓ CHỦ TỊCH": "Phó Chủ tịch",
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC": "Phó Chủ tịch thường trực",
    "TRƯỞNG BAN": "Trưởng ban",
    "PHÓ TRƯỞNG BAN": "Phó Trưởng ban",
    "THỦ TƯỚNG": "Thủ tướng",
    "PHÓ THỦ TƯỚNG": "Phó Thủ tướng",
    "BỘ TRƯỞNG": "Bộ trưởng",
    "THỨ TRƯỞNG": "Thứ trưởng",
    "TỔNG BÍ THƯ": "Tổng Bí thư",
    "CHỦ TỊCH QUỐC HỘI": "Chủ tịch Quốc hội",
    "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân",
    "CHÍNH PHỦ": "Chính phủ",
    "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương",
    "BỘ CHÍNH TRỊ": "Bộ Chính trị",
}


def case_title(printed: str) -> str:
    return TITLE_CASING[printed]


def case_capacity(printed: str | None) -> str | None:
    """ "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH" → "TM. Ủy ban nhân dân, KT. Chủ tịch"; "T/M" is TM."""
    if printed is None:
        return None
    parts = []
    for line in printed.split("\n"):
        capacity, _, body = line.partition(" ")
        parts.append(f"{capacity.replace('/', '').rstrip('.')}. {TITLE_CASING[body]}")
    return ", ".join(parts)


# The issuing body as a header prints it, one line a level ("ỦY BAN NHÂN DÂN / TỈNH THÁI BÌNH"; a
# board under its department: "SỞ NỘI VỤ TỈNH THÁI BÌNH / BAN THI ĐUA - KHEN THƯỞNG").
ISSUER_LINES = {
    "Ủy ban nhân dân tỉnh Thái Bình": ["ỦY BAN NHÂN DÂN", "TỈNH THÁI BÌNH"],
    "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình": ["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "TỈNH THÁI BÌNH"],
    "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thái Bình": [
        "SỞ NỘI VỤ TỈNH THÁI BÌNH",
        "BAN THI ĐUA - KHEN THƯỞNG",
    ],
}
# The authority line under a decision's abstract.
AUTHORITY_LINES = {
    "Ủy ban nhân dân tỉnh Thái Bình": "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH",
    "Thủ tướng Chính phủ": "THỦ TƯỚNG CHÍNH PHỦ",
    "Bộ Nội vụ": "BỘ TRƯỞNG BỘ NỘI VỤ",
    "Hội đồng Thi đua - Khen thưởng tỉnh Thái Bình": "CHỦ TỊCH HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH",
}
# An award decision's header and signature by the issuer code of its number: (issuer lines,
# capacity, the signer's title).
DECISION_HEADERS: dict[str, tuple[list[str], str | None, str]] = {
    "CTN": (["CHỦ TỊCH NƯỚC"], "KT. CHỦ TỊCH NƯỚC", "PHÓ CHỦ TỊCH NƯỚC"),
    "TTg": (["THỦ TƯỚNG CHÍNH PHỦ"], "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"),
    "UBND": (["ỦY BAN NHÂN DÂN", "TỈNH THÁI BÌNH"], "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "BNV": (["BỘ NỘI VỤ"], "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    "SNV": (["UBND TỈNH THÁI BÌNH", "SỞ NỘI VỤ"], None, "GIÁM ĐỐC"),
}
