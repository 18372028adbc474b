"""Scanned award decisions: a decision laid out in the national form, printed and scanned.

Provincial boards post most signed decisions as scans: page images in a PDF with no text layer. Each
scan here is a decision as an office prints it (two-column header, title, "Căn cứ" lines, articles,
signature block, then the annex listing the recipients, as a ruled table or a numbered list) and as
an office scanner returns it: 150–300 dpi, colour, grey or black-and-white, a slight skew, blur,
grain and specks, a red stamp and a handwritten signature over the signature block, JPEG artefacts.

Everything is drawn with PIL from a seeded random generator, so the same item gives the same bytes on
every run. `decision_scan` returns the PDF and the text printed on its pages (the truth an OCR is
measured against), in reading order: the header's left column, then its right column, then the page
top to bottom; a table row is one line, its cells separated by " | ".
"""

from __future__ import annotations

import io
import itertools
import math
import random
import zlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from replica.files import finish_pdf

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
LIBERATION_DIR = "/usr/share/fonts/truetype/liberation2/"
# (family, bold, italic): DejaVu for the office the replica was first drawn from; Liberation Serif, cut to
# Times New Roman's metrics, for other offices, as most Vietnamese offices type in Times New Roman
# (Liberation 2, Debian's fonts-liberation2: the first Liberation with Vietnamese letters).
FONTS = {
    ("serif", False, False): FONT_DIR + "DejaVuSerif.ttf",
    ("serif", True, False): FONT_DIR + "DejaVuSerif-Bold.ttf",
    ("sans", False, False): FONT_DIR + "DejaVuSans.ttf",
    ("sans", True, False): FONT_DIR + "DejaVuSans-Bold.ttf",
    ("times", False, False): LIBERATION_DIR + "LiberationSerif-Regular.ttf",
    ("times", True, False): LIBERATION_DIR + "LiberationSerif-Bold.ttf",
    ("times", False, True): LIBERATION_DIR + "LiberationSerif-Italic.ttf",
    ("times", True, True): LIBERATION_DIR + "LiberationSerif-BoldItalic.ttf",
}
# Who printed the scans: "office", the habits the replica serves; "other", another office's habits
# (typeface, header, annex columns, italics), which bench measures as scans made by other hands.
HANDS = ("office", "other")
PAGE_MM = (210.0, 297.0)
MARGINS_MM = (30.0, 20.0, 20.0, 20.0)  # left, top, right, bottom: the national form's margins
CELL_SEPARATOR = " | "

# Who issues a decision for each conferring authority: the header's left column, the line naming the
# authority under the title, the signature titles, the place, and the round stamp's text.
ISSUERS: dict[str, dict[str, Any]] = {
    "UBND": {
        "header": ["ỦY BAN NHÂN DÂN", "TỈNH THÁI BÌNH"],
        "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH",
        "signs": [["CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]],
        "place": "Thái Bình",
        "stamp": "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH",
        "proposer": "Giám đốc Sở Nội vụ",
        "proposal": "TTr-SNV",
    },
    "TTg": {
        "header": ["THỦ TƯỚNG CHÍNH PHỦ"],
        "authority": "THỦ TƯỚNG CHÍNH PHỦ",
        "signs": [["THỦ TƯỚNG"], ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]],
        "place": "Hà Nội",
        "stamp": "THỦ TƯỚNG CHÍNH PHỦ",
        "proposer": "Bộ trưởng Bộ Nội vụ",
        "proposal": "TTr-BNV",
    },
    "CTN": {
        "header": ["CHỦ TỊCH NƯỚC"],
        "authority": "CHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "signs": [["CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]],
        "place": "Hà Nội",
        "stamp": "CHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "proposer": "Thủ tướng Chính phủ",
        "proposal": "TTr-CP",
    },
    "BNV": {
        "header": ["BỘ NỘI VỤ"],
        "authority": "BỘ TRƯỞNG BỘ NỘI VỤ",
        "signs": [["BỘ TRƯỞNG"], ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]],
        "place": "Hà Nội",
        "stamp": "BỘ NỘI VỤ",
        "proposer": "Trưởng ban Ban Thi đua - Khen thưởng Trung ương",
        "proposal": "TTr-BTĐKT",
    },
    "SNV": {
        "header": ["UBND TỈNH THÁI BÌNH", "SỞ NỘI VỤ"],
        "authority": "GIÁM ĐỐC SỞ NỘI VỤ TỈNH THÁI BÌNH",
        "signs": [["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]],
        "place": "Thái Bình",
        "stamp": "SỞ NỘI VỤ TỈNH THÁI BÌNH",
        "proposer": "Trưởng ban Thi đua - Khen thưởng",
        "proposal": "TTr-BTĐKT",
    },
}
GROUNDS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    (
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
        "thi hành một số điều của Luật Thi đua, khen thưởng;"
    ),
]


@dataclass
class ScanStyle:
    """How one decision was printed and scanned."""

    dpi: int
    mode: str  # "color" | "gray" | "bw"
    skew: float  # degrees, counter-clockwise
    font: str  # "serif" | "sans" | "times"
    body_pt: float
    form: str  # how the annex lists recipients: "table" | "numbered"
    jpeg_quality: int
    blur: float  # Gaussian radius at 300 dpi
    grain: int  # amplitude of the paper and sensor grain, grey levels
    specks: float  # share of the page under dust specks
    signed_by_deputy: bool
    # The header's left column width and where its right column starts, mm from the left margin.
    header_left_mm: float = 72.0
    header_right_mm: float = 68.0
    italic_lines: bool = False  # the date line and the annex's "(Kèm theo …)" set in italics
    joined_columns: bool = False  # the annex table writes position and unit in one column


def scan_style(rng: random.Random, hand: str = "office") -> ScanStyle:
    style = ScanStyle(
        dpi=rng.choices([150, 200, 300], [2, 5, 3])[0],
        mode=rng.choices(["color", "gray", "bw"], [4, 4, 2])[0],
        skew=rng.choice([-1, 1]) * rng.uniform(0.2, 1.5),
        font=rng.choices(["serif", "sans"], [3, 1])[0],
        body_pt=rng.choice([13.0, 13.0, 14.0]),
        form=rng.choices(["table", "numbered"], [2, 1])[0],
        jpeg_quality=rng.randint(55, 85),
        blur=rng.uniform(0.4, 0.9),
        grain=rng.randint(6, 16),
        specks=rng.uniform(0.00003, 0.0002),
        signed_by_deputy=rng.random() < 0.6,
    )
    if hand == "office":
        return style
    return replace(
        style,
        font="times",
        body_pt=rng.choice([13.0, 14.0, 14.0]),
        header_left_mm=rng.uniform(64.0, 80.0),
        header_right_mm=rng.uniform(56.0, 66.0),
        italic_lines=True,
        joined_columns=rng.random() < 0.6,
    )


# ----------------------------------------------------------------------------------------------------------
# Layout: what is printed where, in millimetres, and the text it reads as


@dataclass
class Run:
    text: str
    x: float  # left edge, mm
    y: float  # top of the line box, mm
    size: float  # points
    bold: bool = False
    italic: bool = False


@dataclass
class Page:
    runs: list[Run] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x0,y0,x1,y1,pt
    lines: list[str] = field(default_factory=list)  # the truth text, in reading order
    signature_at: tuple[float, float] | None = None  # centre of the signature space, mm


_font_cache: dict[tuple[str, bool, bool, int], ImageFont.FreeTypeFont] = {}


def font(family: str, bold: bool, size_px: int, italic: bool = False) -> ImageFont.FreeTypeFont:
    key = (family, bold, italic, size_px)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(FONTS[(family, bold, italic)], size_px)
    return _font_cache[key]


_MEASURE_PX = 200  # text is measured at a fixed size and scaled: widths do not depend on the dpi


def text_width_mm(text: str, size_pt: float, family: str, bold: bool, italic: bool = False) -> float:
    width_px = font(family, bold, _MEASURE_PX, italic).getlength(text)
    return width_px / _MEASURE_PX * size_pt * 25.4 / 72


class Layout:
    """Pages filled top to bottom, with wrapping, centring and justified paragraphs."""

    def __init__(self, family: str, body_pt: float) -> None:
        self.family = family
        self.body_pt = body_pt
        self.left, self.top, self.right, self.bottom = MARGINS_MM
        self.width = PAGE_MM[0] - self.left - self.right
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.top

    def leading(self, size: float) -> float:
        return size * 25.4 / 72 * 1.32

    def need(self, height: float) -> None:
        if self.y + height > PAGE_MM[1] - self.bottom:
            self.new_page()

    def width_of(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        return text_width_mm(text, size, self.family, bold, italic)

    def wrap(
        self, text: str, size: float, width: float, bold: bool = False, indent: float = 0.0
    ) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            room = width - (indent if not lines else 0.0)
            if current and self.width_of(candidate, size, bold) > room:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines

    def centred(
        self,
        text: str,
        size: float,
        bold: bool = False,
        x0: float | None = None,
        width: float | None = None,
        record: bool = True,
        italic: bool = False,
    ) -> None:
        x0 = self.left if x0 is None else x0
        width = self.width if width is None else width
        for line in self.wrap(text, size, width, bold):
            self.need(self.leading(size))
            x = x0 + (width - self.width_of(line, size, bold, italic)) / 2
            self.page.runs.append(Run(line, x, self.y, size, bold, italic))
            if record:
                self.page.lines.append(line)
            self.y += self.leading(size)

    def paragraph(
        self,
        text: str,
        size: float | None = None,
        bold: bool = False,
        indent: float = 10.0,
        hanging: float = 0.0,
    ) -> None:
        """Justified, first line indented (or, with `hanging`, the lines after the first)."""
        size = size or self.body_pt
        space = self.width_of(" ", size, bold)
        lines = self.wrap(text, size, self.width - hanging, bold, indent=indent - hanging)
        for n, line in enumerate(lines):
            self.need(self.leading(size))
            x = self.left + (indent if n == 0 else hanging)
            room = self.width - (indent if n == 0 else hanging)
            words = line.split(" ")
            last = n == len(lines) - 1
            gap = space
            if not last and len(words) > 1:
                gap = space + (room - self.width_of(line, size, bold)) / (len(words) - 1)
            for word in words:
                self.page.runs.append(Run(word, x, self.y, size, bold))
                x += self.width_of(word, size, bold) + gap
            self.page.lines.append(line)
            self.y += self.leading(size)
        self.y += size * 25.4 / 72 * 0.35

    def rule(self, x0: float, x1: float, y: float, pt: float = 0.6) -> None:
        self.page.rules.append((x0, y, x1, y, pt))


def vn_date_line(place: str, d: date) -> str:
    """The place-and-date line: days below 10 and months below 3 are written with a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def _counts_phrase(collectives: int, individuals: int) -> str:
    parts = []
    if collectives:
        parts.append(f"{collectives} tập thể")
    if individuals:
        parts.append(f"{individuals} cá nhân")
    return " và ".join(parts)


def decision_layout(item: Any, signer: str, style: ScanStyle, rng: random.Random) -> list[Page]:
    award = item.award
    code = award["decision_number"].rsplit("-", 1)[-1]
    issuer = ISSUERS.get(code, ISSUERS["UBND"])
    decided = date.fromisoformat(award["decided_on"])
    body = style.body_pt
    lay = Layout(style.font, body)

    # Header: two columns side by side; their truth lines go left column first, then right.
    left_w, right_x = style.header_left_mm, lay.left + style.header_right_mm
    right_w = PAGE_MM[0] - lay.right - right_x
    top = lay.y
    left_lines = []
    for k, text in enumerate(issuer["header"]):
        bold = k == len(issuer["header"]) - 1 or len(issuer["header"]) == 1
        left_lines.append((text, 12.5, bold))
    y = top
    for text, size, bold in left_lines:
        x = lay.left - 8 + (left_w - lay.width_of(text, size, bold)) / 2
        lay.page.runs.append(Run(text, x, y, size, bold))
        lay.page.lines.append(text)
        y += lay.leading(size)
    centre = lay.left - 8 + left_w / 2
    lay.rule(centre - 12, centre + 12, y + 0.8)
    y += 3.5
    number_line = f"Số: {award['decision_number']}"
    lay.page.runs.append(Run(number_line, lay.left - 8 + (left_w - lay.width_of(number_line, 13)) / 2, y, 13))
    lay.page.lines.append(number_line)
    left_bottom = y + lay.leading(13)
    y = top
    for text, size in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0), ("Độc lập - Tự do - Hạnh phúc", 13.0)):
        lay.page.runs.append(
            Run(text, right_x + (right_w - lay.width_of(text, size, True)) / 2, y, size, True)
        )
        lay.page.lines.append(text)
        y += lay.leading(size)
    centre = right_x + right_w / 2
    half = lay.width_of("Độc lập - Tự do - Hạnh phúc", 13.0, True) / 2
    lay.rule(centre - half, centre + half, y + 0.8)
    y += 3.5
    date_line = vn_date_line(issuer["place"], decided)
    italic = style.italic_lines
    date_x = right_x + (right_w - lay.width_of(date_line, 13, italic=italic)) / 2
    lay.page.runs.append(Run(date_line, date_x, y, 13, italic=italic))
    lay.page.lines.append(date_line)
    lay.y = max(left_bottom, y + lay.leading(13)) + 8

    lay.centred("QUYẾT ĐỊNH", body + 1, bold=True)
    verb = "Tặng thưởng" if award["award"].startswith("Huân chương") else "Tặng"
    lay.centred(
        f"Về việc {verb.lower()} {award['award']}", body, bold=True, x0=lay.left + 10, width=lay.width - 20
    )
    lay.rule(PAGE_MM[0] / 2 - 20 + 5, PAGE_MM[0] / 2 + 20 + 5, lay.y + 1.5)
    lay.y += 6
    lay.centred(issuer["authority"], body, bold=True)
    lay.y += 3
    for ground in GROUNDS:
        lay.paragraph(ground)
    proposal_no = rng.randint(12, 980)
    proposed = decided.toordinal() - rng.randint(3, 25)
    proposed_on = date.fromordinal(proposed)
    lay.paragraph(
        f"Xét đề nghị của {issuer['proposer']} tại Tờ trình số {proposal_no}/{issuer['proposal']} ngày "
        f"{proposed_on.day:02d}/{proposed_on.month:02d}/{proposed_on.year}."
    )
    lay.centred("QUYẾT ĐỊNH:", body, bold=True)
    lay.y += 2
    counts = _counts_phrase(award["collectives"], award["individuals"])
    reason = item.extra.get("reason", "đã có thành tích xuất sắc trong công tác")
    lay.paragraph(f"Điều 1. {verb} {award['award']} cho {counts} (có danh sách kèm theo), {reason}.")
    lay.paragraph("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
    lay.paragraph(
        "Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị liên quan và các tập thể, cá nhân có tên "
        "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    _signature_block(lay, issuer, signer, style)

    # The annex, on its own page, when the recipients are listed in this file (not on the web page).
    if not item.recipients or item.recipients[0].source != "pdf":
        return lay.pages
    lay.new_page()
    lay.centred("DANH SÁCH", body, bold=True)
    lay.centred(
        f"TẬP THỂ, CÁ NHÂN ĐƯỢC {verb.upper()} {award['award'].upper()}",
        body,
        bold=True,
        x0=lay.left + 5,
        width=lay.width - 10,
    )
    lay.centred(
        f"(Kèm theo Quyết định số {award['decision_number']} ngày {decided.day:02d}/{decided.month:02d}/"
        f"{decided.year} của {award['conferred_by']})",
        body - 1,
        x0=lay.left + 8,
        width=lay.width - 16,
        italic=style.italic_lines,
    )
    lay.rule(PAGE_MM[0] / 2 - 15 + 5, PAGE_MM[0] / 2 + 15 + 5, lay.y + 1.5)
    lay.y += 5
    if style.form == "table":
        _annex_table(lay, item.recipients, body - 1, joined=style.joined_columns)
    else:
        _annex_list(lay, item.recipients)
    return lay.pages


def _signature_block(lay: Layout, issuer: dict[str, Any], signer: str, style: ScanStyle) -> None:
    titles = issuer["signs"][1 if style.signed_by_deputy else 0]
    block_x = lay.left + lay.width * 0.52
    block_w = lay.width * 0.48
    lay.need(62)
    lay.y += 4
    top = lay.y
    recipients_note = [
        ("Nơi nhận:", 11.5, True),
        ("- Như Điều 3;", 10.5, False),
        ("- Lưu: VT, TĐKT.", 10.5, False),
    ]
    truth_left = []
    y = top
    for text, size, bold in recipients_note:
        lay.page.runs.append(Run(text, lay.left, y, size, bold))
        truth_left.append(text)
        y += lay.leading(size)
    y = top
    truth_right = []
    for text in titles:
        lay.page.runs.append(Run(text, block_x + (block_w - lay.width_of(text, 13, True)) / 2, y, 13, True))
        truth_right.append(text)
        y += lay.leading(13)
    lay.page.signature_at = (block_x + block_w / 2, y + 12)
    y += 26
    lay.page.runs.append(
        Run(signer, block_x + (block_w - lay.width_of(signer, 13.5, True)) / 2, y, 13.5, True)
    )
    truth_right.append(signer)
    # Reading order: the left column (who receives copies), then the right one (who signs).
    lay.page.lines.extend(truth_left + truth_right)
    lay.y = y + lay.leading(13.5)


def _annex_table(lay: Layout, recipients: list[Any], size: float, joined: bool = False) -> None:
    if joined and any(r.position or r.unit for r in recipients):
        fractions: tuple[float, ...] = (0.08, 0.36, 0.56)
        header = ["TT", "Họ và tên", "Chức vụ, đơn vị công tác"]
        rows = [(header, True)] + [
            ([str(n), r.shown, ", ".join(p for p in (r.position, r.unit) if p)], False)
            for n, r in enumerate(recipients, 1)
        ]
    elif any(r.position or r.unit for r in recipients):
        fractions = (0.08, 0.36, 0.22, 0.34)
        header = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]
        rows = [(header, True)] + [
            ([str(n), r.shown, r.position or "", r.unit or ""], False) for n, r in enumerate(recipients, 1)
        ]
    else:  # collectives only: the annex has no position or unit columns
        fractions = (0.1, 0.9)
        rows = [(["STT", "Tên tập thể"], True)] + [
            ([str(n), r.shown], False) for n, r in enumerate(recipients, 1)
        ]
    widths = [lay.width * f for f in fractions]
    pad = 1.6
    line_h = lay.leading(size)
    for cells, bold in rows:
        wrapped = [
            lay.wrap(cell, size, w - 2 * pad, bold) or [""] for cell, w in zip(cells, widths, strict=True)
        ]
        height = max(len(w) for w in wrapped) * line_h + 2 * pad
        if lay.y + height > PAGE_MM[1] - lay.bottom:
            lay.new_page()
        x = lay.left
        top = lay.y
        lay.rule(lay.left, lay.left + lay.width, top, 0.7)
        lay.rule(lay.left, lay.left + lay.width, top + height, 0.7)
        for cell_lines, w in zip(wrapped, widths, strict=True):
            lay.page.rules.append((x, top, x, top + height, 0.7))
            inner = (height - 2 * pad - len(cell_lines) * line_h) / 2
            for k, text in enumerate(cell_lines):
                tx = x + (w - lay.width_of(text, size, bold)) / 2 if bold or w < 20 else x + pad
                lay.page.runs.append(Run(text, tx, top + pad + inner + k * line_h, size, bold))
            x += w
        lay.page.rules.append((x, top, x, top + height, 0.7))
        lay.page.lines.append(CELL_SEPARATOR.join(" ".join(cell.split()) for cell in cells if cell.strip()))
        lay.y = top + height


def _annex_list(lay: Layout, recipients: list[Any]) -> None:
    groups = [
        ("I. TẬP THỂ", [r for r in recipients if r.kind == "collective"]),
        ("II. CÁ NHÂN", [r for r in recipients if r.kind != "collective"]),
    ]
    groups = [(heading, members) for heading, members in groups if members]
    if len(groups) == 1:
        groups = [(heading.split(". ", 1)[1], members) for heading, members in groups]
    for g, (heading, members) in enumerate(groups):
        lay.paragraph(heading, bold=True, indent=0)
        for n, r in enumerate(members, 1):
            entry = (
                r.shown
                if r.kind == "collective"
                else ", ".join(p for p in (r.shown, r.position, r.unit) if p)
            )
            last = g == len(groups) - 1 and n == len(members)
            lay.paragraph(f"{n}. {entry}{'./.' if last else ';'}", indent=5, hanging=10)


# ----------------------------------------------------------------------------------------------------------
# Printing and scanning


def _mm(value: float, dpi: int) -> int:
    return round(value * dpi / 25.4)


def print_page(page: Page, style: ScanStyle, dpi: int) -> Image.Image:
    size = (_mm(PAGE_MM[0], dpi), _mm(PAGE_MM[1], dpi))
    img = Image.new("RGB", size, (250, 249, 246))
    draw = ImageDraw.Draw(img)
    ink = (28, 28, 30)
    for x0, y0, x1, y1, pt in page.rules:
        width = max(1, round(pt * dpi / 72 / 2.5))
        draw.line([(_mm(x0, dpi), _mm(y0, dpi)), (_mm(x1, dpi), _mm(y1, dpi))], fill=ink, width=width)
    for run in page.runs:
        face = font(style.font, run.bold, max(6, round(run.size * dpi / 72)), run.italic)
        draw.text((_mm(run.x, dpi), _mm(run.y, dpi)), run.text, font=face, fill=ink)
    return img


def _stamp(text: str, dpi: int, rng: random.Random) -> Image.Image:
    """A round red stamp: two rings, the body's name around them, a star in the middle."""
    radius = _mm(rng.uniform(17.0, 19.5), dpi)
    side = 2 * radius + 8
    layer = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(layer)
    c = side // 2
    ring = max(2, _mm(0.7, dpi))
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    inner = radius - _mm(5.2, dpi)
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=max(1, ring // 2))
    face = font("sans", True, max(8, _mm(3.3, dpi)))
    letters = list(text + " * ")
    step = 2 * math.pi / len(letters)
    text_radius = (radius + inner) / 2
    for k, ch in enumerate(letters):
        angle = -math.pi / 2 + k * step
        glyph = Image.new("L", (face.size * 2, face.size * 2), 0)
        ImageDraw.Draw(glyph).text((face.size // 2, face.size // 3), ch, font=face, fill=255)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        gx = round(c + text_radius * math.cos(angle) - glyph.width / 2)
        gy = round(c + text_radius * math.sin(angle) - glyph.height / 2)
        layer.paste(255, (gx, gy), glyph)
    star_r = inner * 0.55
    points = []
    for k in range(10):
        r = star_r if k % 2 == 0 else star_r * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        points.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(points, fill=255)
    # Stamp ink is uneven: blotches where it is thin.
    mottle = Image.frombytes("L", (side // 4, side // 4), rng.randbytes((side // 4) ** 2)).resize(
        (side, side), Image.BICUBIC
    )
    mottle = mottle.point(lambda v: 255 if v > 70 else v * 3)
    layer = ImageChops.multiply(layer, mottle).rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    return layer.point(lambda v: v * 0.85)


def _signature(dpi: int, rng: random.Random) -> Image.Image:
    """A handwritten signature: a few looping pen strokes."""
    w, h = _mm(48, dpi), _mm(22, dpi)
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    pen = max(2, _mm(0.45, dpi))
    for _ in range(rng.randint(2, 3)):
        pts = [(rng.uniform(0.05, 0.3) * w, rng.uniform(0.3, 0.8) * h)]
        for _ in range(rng.randint(4, 7)):
            pts.append((pts[-1][0] + rng.uniform(0.04, 0.2) * w, rng.uniform(0.05, 0.95) * h))
        curve = []
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            for t in range(12):
                s = t / 12
                bulge = math.sin(s * math.pi) * rng.uniform(-0.08, 0.08) * h
                curve.append((x0 + (x1 - x0) * s, y0 + (y1 - y0) * s + bulge))
        draw.line(curve, fill=255, width=pen, joint="curve")
    draw.line([(0.1 * w, 0.85 * h), (0.9 * w, 0.7 * h)], fill=255, width=pen)
    return layer


def _noise(size: tuple[int, int], rng: random.Random) -> Image.Image:
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def scan_page(page: Page, style: ScanStyle, stamp_text: str, rng: random.Random) -> Image.Image:
    """The printed page as the scanner returns it, in the scan's own mode (RGB, L or 1)."""
    dpi = style.dpi
    img = print_page(page, style, dpi)
    if page.signature_at is not None:
        cx, cy = _mm(page.signature_at[0], dpi), _mm(page.signature_at[1], dpi)
        sig = _signature(dpi, rng)
        pen = rng.choice([(20, 40, 140), (25, 25, 60), (10, 30, 110)])
        img.paste(pen, (cx - sig.width // 2 + _mm(rng.uniform(-6, 6), dpi), cy - sig.height // 2), sig)
        stamp = _stamp(stamp_text, dpi, rng)
        # The stamp sits on the left third of the signature, over the titles and part of the name.
        sx = cx - stamp.width // 2 - _mm(rng.uniform(12, 20), dpi)
        sy = cy - stamp.height // 2 + _mm(rng.uniform(-4, 4), dpi)
        red = Image.new("RGB", stamp.size, (200, 35, 45))
        region = img.crop((sx, sy, sx + stamp.width, sy + stamp.height))
        inked = ImageChops.multiply(
            region, Image.composite(red, Image.new("RGB", stamp.size, (255, 255, 255)), stamp)
        )
        img.paste(inked, (sx, sy))
    img = img.rotate(style.skew, resample=Image.BICUBIC, fillcolor=(250, 249, 246))
    img = img.filter(ImageFilter.GaussianBlur(style.blur * dpi / 300))
    # Uneven lighting across the page, then grain and dust.
    light = Image.linear_gradient("L").resize(img.size).point(lambda v: 255 - v // 24)
    img = ImageChops.multiply(img, Image.merge("RGB", (light, light, light)))
    grain = _noise(img.size, rng).point(lambda v: 128 + (v - 128) * style.grain // 128)
    img = ImageChops.add(img, Image.merge("RGB", (grain, grain, grain)), 1.0, -128)
    dust = ImageChops.darker(_noise(img.size, rng), _noise(img.size, rng))
    cut = 255 - max(1, round(255 * math.sqrt(style.specks)))
    specks = dust.point(lambda v: 0 if v > cut else 255).filter(ImageFilter.MinFilter(3))
    img = ImageChops.multiply(img, Image.merge("RGB", (specks, specks, specks)))
    if style.mode == "gray":
        return img.convert("L")
    if style.mode == "bw":
        return img.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.NONE)
    return img


def image_pdf(pages: list[Image.Image], dpi: int, quality: int) -> bytes:
    """A PDF of page images only (no text layer), the way scanner software writes one."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    page_ids = []
    pages_id = 3 * len(pages) + 1
    for img in pages:
        w, h = img.size
        if img.mode == "1":
            data = zlib.compress(img.tobytes(), 9)
            head = "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode"
        else:
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=quality, optimize=False, dpi=(dpi, dpi))
            data = out.getvalue()
            space = "/DeviceRGB" if img.mode == "RGB" else "/DeviceGray"
            head = f"/ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode"
        size = len(data)
        image = add(
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} {head} /Length {size} >>\n".encode()
            + b"stream\n"
            + data
            + b"\nendstream"
        )
        pw, ph = w * 72 / dpi, h * 72 / dpi
        ops = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        content = add(f"<< /Length {len(ops)} >>\nstream\n".encode() + ops + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
                f"/Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    return finish_pdf(objects, page_ids, pages_id, b"<< /Producer (Scanner) /Creator (Scan to PDF) >>", "1.4")


HOSTILE_PIXELS = {
    "huge": (60_000, 85_000),  # 5.1 gigapixels declared, a few rows of data sent
    "bomb": (12_000, 9_000),  # 108 MB of grey pixels really packed into about 100 KB
}


def hostile_scan_pdf(variant: str) -> bytes:
    """A PDF posted as a one-page scan whose page image no reader should decode: "huge" declares an
    image of billions of pixels and sends a few rows (decoding allocates for all of them); "bomb" is a
    real decompression bomb, a blank page image of 108 MB Flate-packed a thousand to one."""
    width, height = HOSTILE_PIXELS[variant]
    packer = zlib.compressobj(9)
    row = b"\xff" * width
    rows = 8 if variant == "huge" else height
    data = b"".join(packer.compress(row) for _ in range(rows)) + packer.flush()
    image = (
        f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>\n".encode()
        + b"stream\n"
        + data
        + b"\nendstream"
    )
    ops = b"q 595.28 0 0 841.89 0 0 cm /Im0 Do Q"
    content = f"<< /Length {len(ops)} >>\nstream\n".encode() + ops + b"\nendstream"
    page = b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 595.28 841.89] "
    page += b"/Resources << /XObject << /Im0 1 0 R >> >> /Contents 2 0 R >>"
    return finish_pdf(
        [image, content, page], [3], 4, b"<< /Producer (Scanner) /Creator (Scan to PDF) >>", "1.4"
    )


@dataclass
class DecisionScan:
    pdf: bytes
    text: str  # what is printed, page after page, in reading order
    pages: int
    style: ScanStyle


def _plan(item: Any, seed: int, hand: str) -> tuple[ScanStyle, list[Page], str, random.Random]:
    from replica.content import person_name

    key = f"{seed}:scan:{item.index}" if hand == "office" else f"{seed}:scan:{hand}:{item.index}"
    rng = random.Random(key)
    style = scan_style(rng, hand)
    signer = person_name(rng)
    pages = decision_layout(item, signer, style, rng)
    code = item.award["decision_number"].rsplit("-", 1)[-1]
    return style, pages, ISSUERS.get(code, ISSUERS["UBND"])["stamp"], rng


def decision_scan_text(item: Any, seed: int, hand: str = "office") -> str:
    """The text a scan of this decision prints, without drawing it (for the ground truth)."""
    _, pages, _, _ = _plan(item, seed, hand)
    return "\n\n".join("\n".join(p.lines) for p in pages)


def decision_scan(item: Any, seed: int, hand: str = "office") -> DecisionScan:
    """The scan `hand` (one of HANDS) makes of this decision; the replica serves the office's."""
    style, pages, stamp_text, rng = _plan(item, seed, hand)
    images = [scan_page(page, style, stamp_text, rng) for page in pages]
    return DecisionScan(
        pdf=image_pdf(images, style.dpi, style.jpeg_quality),
        text="\n\n".join("\n".join(p.lines) for p in pages),
        pages=len(pages),
        style=style,
    )


# ----------------------------------------------------------------------------------------------------------
# Measuring a reading against what was printed


def _normalise(text: str) -> list[str]:
    import unicodedata

    lines = unicodedata.normalize("NFC", text).replace(CELL_SEPARATOR, " ").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def _levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def character_errors(read: str, truth: str) -> tuple[int, int]:
    """(edits, characters of the truth): the edit distance between a reading and the printed text, both
    NFC with spaces collapsed and table cell separators read as spaces. Lines that match are aligned
    first and the distance is taken between the runs of lines that differ, so it never undercounts."""
    import difflib

    ours, theirs = _normalise(read), _normalise(truth)
    edits = 0
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits += _levenshtein("\n".join(ours[i1:i2]), "\n".join(theirs[j1:j2]))
    return edits, len("\n".join(theirs))


def character_accuracy(read: str, truth: str) -> float:
    """Share of the printed characters read right (1 - edits / characters)."""
    edits, total = character_errors(read, truth)
    return 1.0 - edits / total if total else 1.0
