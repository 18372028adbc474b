"""How the reading room shows values: Vietnamese first, English second.

Only presentation: ISO dates the archive stores are shown day/month/year (they are never parsed here),
counts with Vietnamese digit grouping.
"""

from __future__ import annotations

# Each kind of item (pages.kind, decided in scraper/site_profile.py) as the reading room names it.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "news": ("Tin tức", "News"),
    "notice": ("Thông báo", "Notices"),
    "legal_text": ("Văn bản pháp quy", "Legal documents"),
    "award_decision": ("Quyết định khen thưởng", "Award decisions"),
    "movement": ("Phong trào thi đua", "Emulation movements"),
    "guidance": ("Hướng dẫn nghiệp vụ", "Guidance"),
    "qa": ("Hỏi đáp", "Questions and answers"),
    "consultation": ("Lấy ý kiến nhân dân", "Public consultations"),
    "video": ("Video", "Video"),
    "about": ("Giới thiệu", "About the board"),
}
# The text fields of a page's version, as its versions are compared (room.pages).
FIELD_LABELS = {
    "title": "Tiêu đề / Title",
    "published_at": "Ngày đăng / Date",
    "published_raw": "Ngày như trên trang / Date as shown",
    "summary": "Tóm tắt / Lead",
    "body_text": "Nội dung / Body",
}
# Where `tdkt import` read a version from (crawl_runs.source, captures.source).
CAPTURE_SOURCES = {
    "warc": "tệp WARC / WARC file",
    "wacz": "tệp WACZ / WACZ file",
    "cdx": "máy chủ CDX / CDX server",
}
RECIPIENT_KINDS = {"individual": ("Cá nhân", "Individual"), "collective": ("Tập thể", "Collective")}
TEXT_METHODS = {
    "layer": ("lớp chữ của tệp", "the file's own text layer"),
    "ocr": ("nhận dạng ảnh quét (OCR)", "OCR of a scan"),
}


def kind_label(kind: str | None) -> str:
    vi, en = KIND_LABELS.get(kind or "", (kind or "?", kind or "?"))
    return f"{vi} / {en}" if vi != en else vi


def kind_label_vi(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", (kind or "?", ""))[0]


def show_date(iso: str | None) -> str:
    """'2024-01-12T08:30:00+07:00' → '12/01/2024 08:30'; '2024-03-20' → '20/03/2024'; None → ''."""
    if not iso:
        return ""
    day = iso[:10]
    if len(day) != 10 or day[4] != "-" or day[7] != "-":
        return iso
    shown = f"{day[8:10]}/{day[5:7]}/{day[0:4]}"
    if len(iso) >= 16 and iso[10] == "T":
        shown += f" {iso[11:16]}"
    return shown


def number(value: int | float | None) -> str:
    """Vietnamese digit grouping: 93823 → '93.823'."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def file_size(size: int | None) -> str:
    """Bytes as a reader reads them, with the exact count kept for the record: '12,0 KB (12.000 byte)'."""
    if size is None:
        return ""
    if size < 1024:
        return f"{number(size)} byte"
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(".", ",") + f" ({number(size)} byte)"
    return f"{number(size)} byte"
