"""Bytes of the replica's attachments and images: real PDF, DOCX, XLSX files, built on demand.

Every generator is deterministic: PDF creation dates are fixed, and zip-based formats are re-packed
with a fixed timestamp (python-docx and openpyxl stamp the wall clock into zip entries and core
properties). Bytes are cached per process, bounded by size, so big sites render lazily.
"""

from __future__ import annotations

import io
import os
import random
import re
import tempfile
import threading
import unicodedata
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from replica import vocab as V
from replica.content import Item, Recipient, count_phrase, vi_date, written_entry

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
BIG_FILE_BYTES = 12 * 1024 * 1024
_CACHE_LIMIT = 160 * 1024 * 1024

_cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_cache_bytes = 0
_lock = threading.Lock()


def clear_cache() -> None:
    global _cache_bytes
    with _lock:
        _cache.clear()
        _cache_bytes = 0


def cached(key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
    global _cache_bytes
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = make()
    with _lock:
        if key not in _cache:
            _cache[key] = data
            _cache_bytes += len(data)
            while _cache_bytes > _CACHE_LIMIT and len(_cache) > 1:
                _, old = _cache.popitem(last=False)
                _cache_bytes -= len(old)
    return data


def repack_zip(data: bytes) -> bytes:
    """Same members, fixed timestamps and order: byte-identical output on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", data
                )
            dst.writestr(fixed, data)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------------------
# Document text


def document_lines(item: Item) -> list[str]:
    """A legal text or an award decision as its file writes it: the national layout (issuer, "Số:",
    motto, place-and-date line, type line, abstract, authority line, "Căn cứ" lines, articles, "Nơi
    nhận", signature block) and an award decision's annex list when its recipients are in one."""
    if item.legal:
        return legal_lines(item)
    if item.award and item.kind == "award_decision":
        return decision_lines(item)
    return [
        "BAN THI ĐUA - KHEN THƯỞNG TỈNH THÁI BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {item.site_id or 0}/TB-BTĐKT",
        _place_date("Thái Bình", item.when),
        item.extra.get("doc_title", item.title),
        *item.paragraphs[:3],
    ]


def _place_date(place: str, day: date | datetime) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _header(issuer_lines: list[str], number: str, place_date: str, *, party: bool, merged: bool) -> list[str]:
    """The header's two columns: read one after the other, or run together line by line as a PDF's
    text layer gives a two-column table ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")."""
    number_line = f"Số {number}" if party else f"Số: {number}"
    motto = (
        ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        if party
        else ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    )
    if not merged:
        return [*issuer_lines, number_line, *motto, place_date]
    left = [*issuer_lines, number_line]
    right = [*motto, place_date]
    while len(right) < len(left):
        right.insert(len(motto), "")
    return [f"{lft} {rgt}".strip() for lft, rgt in zip(left, right[: len(left)], strict=True)] + right[
        len(left) :
    ]


def _cited_bases(year: int) -> list[str]:
    """ "Căn cứ" lines a document of that year would carry: other documents, with their own dates."""
    if year >= 2024:
        return [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
        ]
    if year >= 2018:
        return [
            "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;",
        ]
    return ["Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003;"]


def _signature(capacity: str | None, title: str, signer: str) -> list[str]:
    return [*(capacity.split("\n") if capacity else []), title, "(Đã ký)", signer]


def legal_lines(item: Item) -> list[str]:
    lg = item.legal
    assert lg is not None
    issued = datetime.fromisoformat(lg["issued_on"])
    issuer = lg["issuer"]
    party = item.extra.get("family") == "party"
    place = "Thái Bình" if "Thái Bình" in issuer else "Hà Nội"
    lines = _header(
        V.ISSUER_LINES.get(issuer, [issuer.upper()]),
        lg["number"],
        _place_date(place, issued),
        party=party,
        merged=item.index % 3 == 1,
    )
    doc_type = lg["doc_type"]
    if item.extra.get("family") == "cv":
        # A công văn has no type line: its "V/v …" stands under its number.
        at = next(i for i, line in enumerate(lines) if line.startswith("Số"))
        lines.insert(at + 1, lg["abstract"])
    else:
        lines.append(doc_type.upper())
        lines.append(lg["abstract"])
    if doc_type == "Quyết định" and issuer in V.AUTHORITY_LINES:
        lines.append(V.AUTHORITY_LINES[issuer])
    lines.extend(_cited_bases(issued.year))
    if doc_type == "Quyết định":
        lines.append("QUYẾT ĐỊNH:")
    lines.extend(item.paragraphs[:3])
    if lg["effective_on"]:
        effective = datetime.fromisoformat(lg["effective_on"])
        if effective.date() == issued.date():
            lines.append(f"{doc_type} này có hiệu lực kể từ ngày ký.")
        else:
            lines.append(
                f"{doc_type} này có hiệu lực thi hành kể từ ngày {effective.day:02d} tháng "
                f"{effective.month:02d} năm {effective.year}."
            )
    capacity, title = item.extra["signature"]
    lines.extend(["Nơi nhận:", "- Như trên;", "- Lưu: VT."])
    lines.extend(_signature(capacity, title, lg["signer"]))
    return lines


def decision_lines(item: Item) -> list[str]:
    a = item.award
    assert a is not None
    decided = datetime.fromisoformat(a["decided_on"])
    code = a["decision_number"].split("-")[-1] if "-" in a["decision_number"] else "TTg"
    issuer_lines, capacity, title = V.DECISION_HEADERS[code]
    lines = _header(
        issuer_lines,
        a["decision_number"],
        _place_date("Hà Nội" if code in ("CTN", "TTg", "BNV") else "Thái Bình", decided),
        party=False,
        merged=item.index % 3 == 1,
    )
    glued = item.index % 4 == 3 and item.attachments and item.attachments[0].url.endswith(".pdf")
    lines.append("QUYẾTĐỊNH" if glued else "QUYẾT ĐỊNH")
    lines.append(f"Về việc tặng {a['award']}")
    lines.extend(_cited_bases(decided.year))
    lines.append("QUYẾT ĐỊNH:")
    counts = count_phrase(a["stated_collectives"] or 0, a["stated_individuals"] or 0)
    lines.append(
        f"Điều 1. Tặng {a['award']} cho {counts} (có danh sách kèm theo), {item.extra.get('reason', '')}."
    )
    lines.append("Điều 2. Quyết định có hiệu lực kể từ ngày ký.")
    lines.extend(["Nơi nhận:", "- Như Điều 2;", "- Ban Thi đua - Khen thưởng;", "- Lưu: VT."])
    lines.extend(_signature(capacity, title, item.extra.get("signer", "")))
    if item.extra.get("award_form") == "annex_lines":
        lines.extend(annex_lines(item, glued=bool(glued)))
    return lines


def annex_lines(item: Item, *, glued: bool) -> list[str]:
    """The annex list: caption, "I. TẬP THỂ" / "II. CÁ NHÂN" when both kinds are listed, entries
    numbered 01., 02. … each ending in ";" and the last in "./."."""
    a = item.award
    assert a is not None
    caption = f"TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {a['award'].upper()}"
    if glued:
        caption = caption.replace("CÁ NHÂN", "CÁNHÂN").replace("TẶNG ", "TẶNG", 1)
    decided = datetime.fromisoformat(a["decided_on"])
    lines = [
        "DANH SÁCH",
        caption,
        f"(Kèm theo Quyết định số {a['decision_number']} ngày {vi_date(decided)} của {a['conferred_by']})",
    ]
    kinds = [k for k in ("collective", "individual") if any(r.kind == k for r in item.recipients)]
    headings = {"collective": "I. TẬP THỂ", "individual": "II. CÁ NHÂN" if len(kinds) == 2 else "I. CÁ NHÂN"}
    entries: list[str] = []
    for kind in kinds:
        if len(kinds) == 2:
            entries.append(headings[kind])
        listed = [r for r in item.recipients if r.kind == kind]
        entries.extend(f"{n:02d}. {written_entry(r)};" for n, r in enumerate(listed, 1))
    last = max(i for i, line in enumerate(entries) if line.endswith(";"))
    entries[last] = entries[last][:-1] + "./."
    return lines + entries


def recipient_rows(recipients: list[Recipient]) -> list[list[str]]:
    rows = [["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]]
    for n, r in enumerate(recipients, 1):
        rows.append([str(n), r.shown, r.position or "", r.unit or ""])
    return rows


FORM_ROWS = [
    ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác", "Thành tích đề nghị khen thưởng"],
    ["1", "", "", "", ""],
    ["2", "", "", "", ""],
    ["3", "", "", "", ""],
]


# ----------------------------------------------------------------------------------------------------------
# Formats


_font_path: str | None = None


def small_font() -> str:
    """DejaVu Sans cut down to Latin and Vietnamese: fpdf2 parses a 750 KB font in ~0.2 s per PDF."""
    global _font_path
    with _lock:
        if _font_path is None:
            from fontTools import subset

            folder = tempfile.mkdtemp(prefix="tdkt-replica-font-")
            target = os.path.join(folder, "DejaVuSans-vi.ttf")
            options = subset.Options()
            options.layout_features = ["*"]
            options.drop_tables += ["FFTM"]
            font = subset.load_font(FONT, options)
            subsetter = subset.Subsetter(options)
            ranges = [
                *range(0x20, 0x250),
                *range(0x300, 0x324),
                *range(0x1EA0, 0x1EFA),
                *range(0x2010, 0x2027),
                0x20AB,
                0x2116,
            ]
            subsetter.populate(unicodes=ranges)
            subsetter.subset(font)
            subset.save_font(font, target, options)
            _font_path = target
        return _font_path


class _PdfFont:
    """The cut-down DejaVu Sans, parsed once: glyph ids, advance widths and the font file to embed."""

    def __init__(self, path: str) -> None:
        from fontTools.ttLib import TTFont

        font = TTFont(path)
        with open(path, "rb") as handle:
            self.data = handle.read()
        self.packed = zlib.compress(self.data, 9)
        self.units = font["head"].unitsPerEm
        order = font.getGlyphOrder()
        gid = {name: i for i, name in enumerate(order)}
        self.gids = {code: gid[name] for code, name in font.getBestCmap().items()}
        metrics = font["hmtx"].metrics
        self.widths = {g: metrics[order[g]][0] for g in range(len(order))}
        self.ascent = font["hhea"].ascent
        self.descent = font["hhea"].descent
        self.bbox = (font["head"].xMin, font["head"].yMin, font["head"].xMax, font["head"].yMax)

    def glyphs(self, text: str) -> list[tuple[int, str]]:
        fallback = self.gids.get(ord("?"), 0)
        return [(self.gids.get(ord(ch), fallback), ch) for ch in unicodedata.normalize("NFC", text)]

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[g] for g, _ in self.glyphs(text)) * size / self.units


_pdf_font: _PdfFont | None = None


def pdf_font() -> _PdfFont:
    global _pdf_font
    path = small_font()
    with _lock:
        if _pdf_font is None:
            _pdf_font = _PdfFont(path)
        return _pdf_font


def _wrap(font: _PdfFont, text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and font.width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def make_pdf(lines: list[str], table: list[list[str]] | None) -> bytes:
    """A small PDF with a real text layer: the TrueType font embedded as CIDFontType2 (Identity-H) with a
    ToUnicode map, so pypdf extracts the Vietnamese text exactly. Hand-written because fpdf2 spends
    ~0.25 s per file subsetting the font, and the replica makes a hundred of these per build.
    Nothing in it depends on the clock, so the bytes are the same on every run.
    """
    font = pdf_font()
    landscape = bool(table)
    page_w, page_h = (842.0, 595.0) if landscape else (595.0, 842.0)
    margin, size, leading = 50.0, 10.0 if not table else 9.0, 14.0
    used: dict[int, str] = {}
    pages: list[list[str]] = [[]]
    y = page_h - margin

    def need(height: float) -> None:
        nonlocal y
        if y - height < margin:
            pages.append([])
            y = page_h - margin

    def text_at(x: float, text: str, at_size: float | None = None) -> None:
        glyphs = font.glyphs(text)
        for g, ch in glyphs:
            used.setdefault(g, ch)
        hexes = "".join(f"{g:04X}" for g, _ in glyphs)
        pages[-1].append(f"BT /F1 {at_size or size:.2f} Tf {x:.2f} {y:.2f} Td <{hexes}> Tj ET")

    for line in lines:
        for part in _wrap(font, line, size, page_w - 2 * margin):
            need(leading)
            text_at(margin, part)
            y -= leading
    if table:
        y -= leading / 2
        fractions = (0.04, 0.38, 0.18, 0.40)
        usable = page_w - 2 * margin
        cols = [usable * f for f in fractions]
        for row in table:
            need(leading + 4)
            x = margin
            for value, col in zip(row, cols, strict=False):
                # A long name is set smaller rather than wrapped, so each cell stays one line of text.
                width = font.width(value + " ", size)
                cell_size = size if width <= col - 6 else size * (col - 6) / width
                pages[-1].append(f"{x:.2f} {y - 4:.2f} {col:.2f} {leading + 2:.2f} re S")
                text_at(x + 3, value + " ", cell_size)
                x += col
            y -= leading + 2
    return _pdf_bytes(font, pages, used, page_w, page_h)


def _pdf_bytes(
    font: _PdfFont, pages: list[list[str]], used: dict[int, str], page_w: float, page_h: float
) -> bytes:
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "", packed: bytes | None = None) -> bytes:
        packed = packed or zlib.compress(data, 6)
        return (
            f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )

    scale = 1000 / font.units
    font_file = add(stream(font.data, f"/Length1 {len(font.data)} ", font.packed))
    x0, y0, x1, y1 = (round(v * scale) for v in font.bbox)
    descriptor = add(
        f"<< /Type /FontDescriptor /FontName /DejaVuSans-vi /Flags 32 /FontBBox [{x0} {y0} {x1} {y1}] "
        f"/ItalicAngle 0 /Ascent {round(font.ascent * scale)} /Descent {round(font.descent * scale)} "
        f"/CapHeight 729 /StemV 80 /FontFile2 {font_file} 0 R >>".encode()
    )
    widths = " ".join(f"{g} [{round(font.widths[g] * scale)}]" for g in sorted(used))
    cid = add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans-vi /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /W [{widths}] "
        f"/CIDToGIDMap /Identity >>".encode()
    )
    entries = "\n".join(
        f"<{g:04X}> <{''.join(f'{b:02X}' for b in ch.encode('utf-16-be'))}>" for g, ch in sorted(used.items())
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(used)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    to_unicode = add(stream(cmap.encode()))
    type0 = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans-vi /Encoding /Identity-H "
        f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
    )
    pages_id = len(objects) + 2 * len(pages) + 1
    page_ids = []
    for ops in pages:
        content = add(stream("\n".join(ops).encode()))
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {page_w:g} {page_h:g}] "
                f"/Resources << /Font << /F1 {type0} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    return finish_pdf(
        objects,
        page_ids,
        pages_id,
        b"<< /Producer (tdkt-replica) /Title (Ban Thi dua - Khen thuong tinh Thai Binh) >>",
    )


def finish_pdf(
    objects: list[bytes], page_ids: list[int], pages_id: int, info: bytes, version: str = "1.7"
) -> bytes:
    """Close a PDF whose page objects are written: its page tree (object `pages_id`, the next one),
    catalog and info, then every object with its cross-reference table."""
    objects = list(objects)

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    kids = " ".join(f"{p} 0 R" for p in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    info_id = add(info)
    out = bytearray(f"%PDF-{version}\n".encode() + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{off:010d} 00000 n \n" for off in offsets).encode()
    trailer = f"<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info_id} 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)
_DOCX_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Ban Thi đua - Khen thưởng</dc:creator>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_par(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'


def make_docx(lines: list[str], table: list[list[str]] | None) -> bytes:
    """A Word document written directly as OOXML parts (python-docx opens it; ~60x faster than building
    it through python-docx), with the table as a real w:tbl."""
    body = [_docx_par(line) for line in lines]
    if table:
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        grid = "".join('<w:gridCol w:w="2000"/>' for _ in table[0])
        rows = "".join(
            "<w:tr>"
            + "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{_docx_par(v)}</w:tc>' for v in row
            )
            + "</w:tr>"
            for row in table
        )
        body.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
        )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("[Content_Types].xml", _DOCX_TYPES),
            ("_rels/.rels", _DOCX_RELS),
            ("docProps/core.xml", _DOCX_CORE),
            ("word/document.xml", document),
        ):
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return out.getvalue()


def make_xlsx(title: str, table: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = datetime(2020, 1, 1)
    book.properties.creator = "tdkt"
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bieu mau"
    sheet.append([title])
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return repack_zip(out.getvalue())


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_doc(lines: list[str]) -> bytes:
    """Old Word "doc" files on such sites are often RTF under a .doc name; Word opens both."""
    body = "\\par\n".join(_rtf_escape(line) for line in lines)
    return (
        "{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26\n" + body + "\\par\n}"
    ).encode("ascii")


def make_xls(title: str, table: list[list[str]]) -> bytes:
    """An HTML table under .xls, the way many portals export spreadsheets; Excel opens it."""
    rows = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in table)
    return (
        f'<html><head><meta charset="utf-8"></head><body><h3>{title}</h3><table border="1">{rows}</table>'
        "</body></html>"
    ).encode()


def make_big_zip(seed: int) -> bytes:
    out = io.BytesIO()
    payload = random.Random(f"{seed}:big").randbytes(BIG_FILE_BYTES)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("bo-bieu-mau-scan.tif", FIXED_ZIP_TIME), payload)
    return out.getvalue()


def make_image(seed: int, path: str) -> bytes:
    from PIL import Image

    rng = random.Random(f"{seed}:{path}")
    base = (rng.randint(40, 200), rng.randint(40, 200), rng.randint(40, 200))
    img = Image.new("RGB", (96, 64), base)
    px = img.load()
    assert px is not None
    for x in range(96):
        for y in range(0, 64, 4):
            px[x, y] = ((base[0] + x) % 256, (base[1] + y * 2) % 256, base[2])
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue()


MP4_STUB = bytes.fromhex("0000001c667479706d703432000000006d7034316d70343269736f6d") + b"\x00\x00\x00\x08free"


def attachment_bytes(seed: int, total: int, spec: tuple[Any, ...], item: Item | None) -> bytes:
    """Bytes for an attachment spec; `item` is the owner (None for pooled specs)."""
    return cached((seed, total, spec), lambda: _build(seed, spec, item))


def _build(seed: int, spec: tuple[Any, ...], item: Item | None) -> bytes:
    kind = spec[0]
    if spec[-1] == "scan" and item is not None:
        from replica.scans import decision_scan

        return decision_scan(item, seed).pdf
    if spec[-1] == "hostile":
        from replica.scans import hostile_scan_pdf

        return hostile_scan_pdf(spec[-2])
    if spec[1] == "big":
        return make_big_zip(seed)
    if spec[1] == "pool" or item is None:
        lines = [
            f"Tài liệu số {spec[2]}",
            "BAN THI ĐUA - KHEN THƯỞNG TỈNH THÁI BÌNH",
            f"Văn bản hướng dẫn công tác thi đua, khen thưởng, bản lưu số {spec[2]}.",
        ]
        table = FORM_ROWS
    else:
        lines = document_lines(item)
        table = None
        if item.award and item.extra.get("award_form") == "file_table" and item.recipients[0].source == kind:
            table = recipient_rows(item.recipients)
        elif item.category == "he-thong-bieu-mau":
            table = FORM_ROWS
    match kind:
        case "pdf":
            return make_pdf(lines, table)
        case "docx":
            return make_docx(lines, table)
        case "doc":
            return make_doc(lines)
        case "xlsx":
            return make_xlsx(lines[0], table or FORM_ROWS)
        case "xls":
            return make_xls(lines[0], table or FORM_ROWS)
        case "zip":
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(zipfile.ZipInfo("noi-dung.txt", FIXED_ZIP_TIME), "\n".join(lines).encode())
            return out.getvalue()
    raise ValueError(f"unknown attachment kind {kind!r}")
