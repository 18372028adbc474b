"""Everything site-specific in one place: menu label → item kind, visible label cues, CSS-selector hints.

The page classes find things by robust cues (URL shape, visible labels, text density); the selectors
here are only HINTS tried first, so a redesign of the site costs an edit here, not a rewrite.
Labels are compared folded (`archive.normalize.text.fold_key`): case, tone marks and đ do not matter.
"""

from __future__ import annotations

from archive.normalize.text import fold_key

# Menu leaf label (or group label) → kind. Leaves are matched first, then their group.
_LABEL_KINDS: dict[str, str] = {
    "Tin tức": "news",
    "Tin tức - Sự kiện": "news",
    "Tin tức sự kiện": "news",
    "Hoạt động TĐKT": "news",
    "Hoạt động thi đua khen thưởng": "news",
    "Hoạt động Hội đồng TĐ-KT tỉnh": "news",
    "Hoạt động Cụm thi đua Đồng bằng sông Hồng": "news",
    "Hoạt động Hội đồng TĐ-KT các cấp": "news",
    "Gương điển hình tiên tiến": "news",
    "Điển hình tiên tiến": "news",
    "Thông báo": "notice",
    "Văn bản pháp quy về TĐKT": "legal_text",
    "Văn bản pháp quy": "legal_text",
    "Văn bản của Trung ương": "legal_text",
    "Văn bản của UBND tỉnh": "legal_text",
    "Văn bản của Hội đồng TĐ-KT tỉnh": "legal_text",
    "Văn bản của Ban TĐ-KT": "legal_text",
    "Kết quả khen thưởng": "award_decision",
    "Quyết định của Chủ tịch nước": "award_decision",
    "Quyết định của Thủ tướng Chính phủ": "award_decision",
    "Quyết định của Chủ tịch UBND tỉnh": "award_decision",
    "Kết quả khác": "award_decision",
    "Phong trào thi đua": "movement",
    "Trung ương phát động": "movement",
    "Tỉnh phát động": "movement",
    "Thi đua các cơ quan, đơn vị, địa phương": "movement",
    "Tiêu chuẩn khen thưởng": "guidance",
    "Danh hiệu thi đua": "guidance",
    "Huân chương": "guidance",
    "Huy chương": "guidance",
    "Kỷ niệm chương, huy hiệu": "guidance",
    "Bằng khen, giấy khen": "guidance",
    "Hướng dẫn thủ tục hồ sơ": "guidance",
    "Khen thưởng cấp Nhà nước": "guidance",
    "Khen thưởng cấp tỉnh": "guidance",
    "Các thủ tục khác": "guidance",
    "Hệ thống biểu mẫu": "guidance",
    "Hỏi - Đáp": "qa",
    "Hỏi đáp": "qa",
    "Xin ý kiến nhân dân": "consultation",
    "Lấy ý kiến nhân dân": "consultation",
    "video": "video",
    "Video clip": "video",
    "Thư viện video": "video",
    "Giới thiệu": "about",
    "Hội đồng TĐKT tỉnh": "about",
    "Ban TĐKT, Sở Nội vụ": "about",
    "Các cụm khối thi đua thuộc tỉnh": "about",
}
LABEL_KINDS: dict[str, str] = {fold_key(label): kind for label, kind in _LABEL_KINDS.items()}

# Kinds whose menu leaves are pages in themselves (the menu URL is the item), not lists.
STATIC_KINDS = frozenset({"about"})
# Menu labels that are navigation, never a category.
NAV_LABELS = frozenset(
    fold_key(x) for x in ("Trang chủ", "Home", "Liên hệ", "Sơ đồ site", "Đăng nhập", "Tìm kiếm")
)


def kind_for_label(label: str | None) -> str | None:
    return LABEL_KINDS.get(fold_key(label))


def kind_for(leaf: str | None, group: str | None) -> str | None:
    """Leaf label first ("Hội đồng TĐKT tỉnh" under "Giới thiệu"), then the group it sits in."""
    return kind_for_label(leaf) or kind_for_label(group)


# --- Box headings whose content is never the article body ------------------------------------------
NOISE_HEADINGS = tuple(
    fold_key(x)
    for x in (
        "tin cùng chuyên mục",
        "tin mới đăng",
        "tin mới",
        "tin khác",
        "các tin khác",
        "tin liên quan",
        "bài viết liên quan",
        "tin đọc nhiều",
        "xem nhiều",
        "Thông báo",
        "video",
        "Đọc bài",
        "Ngừng đọc",
        "Tăng / Giảm cỡ chữ",
        "Thống kê truy cập",
        "Liên kết website",
        "Chia sẻ",
    )
)
NOTICE_BOX_HEADINGS = (fold_key("Thông báo"),)
# A page's own statistics, alone on a line with their number ("Lượt xem: 1.056", "(235 lượt xem)"):
# never the article, whatever the number.
COUNTER_LABELS = tuple(
    fold_key(x)
    for x in ("Lượt xem", "Số lượt xem", "Lượt đọc", "Lượt truy cập", "Lượt tải", "Số lần xem", "Lượt tải về")
)
# Who wrote and filed an item, on the short line below its title ("Tác giả: BBT  Chuyên mục: Tin tức
# 120 lượt xem", "Đăng bởi: admin"): the line is the article's byline, never its text.
BYLINE_LABELS = tuple(
    fold_key(x)
    for x in (
        "Tác giả",
        "Người viết",
        "Người đăng",
        "Đăng bởi",
        "Viết bởi",
        "Chuyên mục",
        "Danh mục",
        "Biên tập",
    )
)
SEE_ALL_LABELS = tuple(fold_key(x) for x in ("xem tất cả", "xem thêm", "tất cả", "xem toàn bộ", "more"))

# --- Visible labels ----------------------------------------------------------------------------------
DATE_LABELS = tuple(
    fold_key(x)
    for x in (
        "Ngày đăng",
        "Ngày cập nhật",
        "Cập nhật",
        "Cập nhật lúc",
        "Đăng ngày",
        "Đăng lúc",
        "Ngày",
        "Thời gian",
        "Thời gian đăng",
        "Ngày xuất bản",
        "Posted",
        "Published",
    )
)
SOURCE_LABELS = ("Theo", "Nguồn", "Nguồn tin")
BREADCRUMB_ROOTS = tuple(fold_key(x) for x in ("Trang chủ", "Home", "Trang nhất"))
ATTACHMENT_LABELS = tuple(
    fold_key(x)
    for x in (
        # longer labels first: a file list's heading is dropped label by label ("Tài liệu đính kèm:")
        "Tài liệu đính kèm",
        "Văn bản đính kèm",
        "Tệp tin đính kèm",
        "Tải về",
        "File đính kèm",
        "Tệp đính kèm",
        "Tải xuống",
        "Download",
        "Đính kèm",
        "Tập tin đính kèm",
    )
)
NEXT_LABELS = tuple(
    fold_key(x) for x in ("Trang sau", "Sau", "Tiếp", "Tiếp theo", "Next", "»", "›", ">", ">>", "Trang tiếp")
)
# Metadata labels kept verbatim as the page shows them; fold_key decides what counts as known.
METADATA_LABELS = tuple(
    fold_key(x)
    for x in (
        "Số ký hiệu",
        "Số hiệu",
        "Ký hiệu",
        "Số văn bản",
        "Loại văn bản",
        "Cơ quan ban hành",
        "Đơn vị ban hành",
        "Người ký",
        "Ngày ban hành",
        "Ngày hiệu lực",
        "Ngày có hiệu lực",
        "Ngày hết hiệu lực",
        "Trích yếu",
        "Trích yếu nội dung",
        "Lĩnh vực",
        "Người hỏi",
        "Người gửi",
        "Địa chỉ",
        "Email",
        "Câu hỏi",
        "Trả lời",
        "Người trả lời",
        "Ngày hỏi",
        "Ngày trả lời",
        "Cơ quan trả lời",
        "Thời gian lấy ý kiến",
        "Thời hạn",
        "Ngày bắt đầu",
        "Ngày kết thúc",
        "Tình trạng",
        "Trạng thái",
        "Cấp ban hành",
        "Hình thức khen thưởng",
        "Số quyết định",
        "Quyết định số",
        "Ngày ký",
        "Ngày quyết định",
        "Cấp khen thưởng",
        "Cấp quyết định",
        "Danh hiệu",
        "Đối tượng",
        "Tình trạng hiệu lực",
        "Chức vụ",
    )
)
SITE_NAME_HINTS = tuple(
    fold_key(x)
    for x in ("Thi đua khen thưởng", "Ban Thi đua", "tdkt", "Thái Bình thi đua yêu nước", "Thi đua yêu nước")
)

# --- CSS hints (tried first; cues decide when they miss) --------------------------------------------
HINT_TITLE = ("h1.title", ".news-title", ".article-title", ".detail-title", ".title-detail", "h1", "h2.title")
HINT_BODY = (
    ".article-content",
    ".news-content",
    ".detail-content",
    ".content-detail",
    ".noidung",
    "article .body",
    "#content-detail",
    ".entry-content",
    ".post-content",
    "[itemprop=articleBody]",
)
HINT_SUMMARY = (
    ".sapo",
    ".lead",
    ".summary",
    "[class*=sapo]",
    "[class*=__lead]",
    "[class*=-lead]",
    "[class*=summary]",
    "[class*=tomtat]",
    "[class*=mota]",
    "[itemprop=description]",
)
HINT_BREADCRUMB = (
    ".breadcrumb",
    "#breadcrumb",
    ".breadcrumbs",
    "[itemtype*=BreadcrumbList]",
    "nav[aria-label*=breadcrumb]",
    "nav.path",
)
HINT_PAGER = (".pagination", ".pager", ".paging", ".phantrang", "nav[aria-label*=page]")
