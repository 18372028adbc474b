"""Bytes of the replica's attachments and images: real PDF, DOCX, XLSX files, built on demand.

Every generator is deterministic: PDF creation dates are fixed, and zip-based formats are re-packed
with a fixed timestamp (python-docx and openpyxl stamp the wall clock into zip entries and core
properties). Bytes are cached per process, bounded by size, so big sites render lazily.
"""

from __future__ import annotations

import io
import os
import random
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from replica.content import Item, Recipient, vi_date

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
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Document text


def header_lines(item: Item) -> list[str]:
    if item.legal:
        issuer = item.legal["issuer"].upper()
        number = item.legal["number"]
        issued = datetime.fromisoformat(item.legal["issued_on"])
    elif item.award:
        issuer = item.award["conferred_by"].upper()
        number = item.award["decision_number"]
        issued = datetime.fromisoformat(item.award["decided_on"])
    else:
        issuer = "BAN THI ĐUA - KHEN THƯỞNG TỈNH THÁI BÌNH"
        number = f"{item.site_id or 0}/TB-BTĐKT"
        issued = item.when
    return [
        issuer,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {number}",
        f"Thái Bình, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}",
    ]


def body_lines(item: Item) -> list[str]:
    title = item.extra.get("doc_title", item.title)
    lines = [title.upper() if item.legal or item.award else title]
    if item.award:
        a = item.award
        lines.append(f"Điều 1. Tặng {a['award']} cho {a['collectives']} tập thể và {a['individuals']} cá nhân "
                     f"(có danh sách kèm theo), {item.extra.get('reason', '')}.")
        lines.append("Điều 2. Quyết định có hiệu lực kể từ ngày ký.")
    else:
        lines.extend(item.paragraphs[:3])
    return lines


def recipient_rows(recipients: list[Recipient]) -> list[list[str]]:
    rows = [["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]]
    for n, r in enumerate(recipients, 1):
        rows.append([str(n), r.shown, r.position or "", r.unit or ""])
    return rows


FORM_ROWS = [["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác", "Thành tích đề nghị khen thưởng"],
             ["1", "", "", "", ""], ["2", "", "", "", ""], ["3", "", "", "", ""]]


# ---------------------------------------------------------------------------------------------------------------
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
            font = subset.load_font(FONT, options)
            subsetter = subset.Subsetter(options)
            ranges = [*range(0x20, 0x250), *range(0x300, 0x324), *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2027),
                      0x20AB, 0x2116]
            subsetter.populate(unicodes=ranges)
            subsetter.subset(font)
            subset.save_font(font, target, options)
            _font_path = target
        return _font_path


def make_pdf(lines: list[str], table: list[list[str]] | None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if table else "P")
    pdf.set_creation_date(datetime(2020, 1, 1, tzinfo=UTC))
    pdf.add_font("DejaVu", "", small_font())
    pdf.set_font("DejaVu", size=9 if table else 10)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if table:
        pdf.ln(3)
        with pdf.table(col_widths=(8, 110, 45, 107), first_row_as_headings=False) as t:
            for row in table:
                cells = t.row()
                for value in row:
                    cells.cell(value)
    return bytes(pdf.output())


def make_docx(lines: list[str], table: list[list[str]] | None) -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = "Ban Thi đua - Khen thưởng"
    props.created = props.modified = datetime(2020, 1, 1)
    props.last_modified_by = "tdkt"
    props.revision = 1
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return repack_zip(out.getvalue())


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
    return ("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs26\n" + body + "\\par\n}").encode(
        "ascii")


def make_xls(title: str, table: list[list[str]]) -> bytes:
    """An HTML table under .xls, the way many portals export spreadsheets; Excel opens it."""
    rows = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in table)
    return (f'<html><head><meta charset="utf-8"></head><body><h3>{title}</h3><table border="1">{rows}</table>'
            "</body></html>").encode()


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
    if spec[1] == "big":
        return make_big_zip(seed)
    if spec[1] == "pool" or item is None:
        lines = [f"Tài liệu số {spec[2]}", "BAN THI ĐUA - KHEN THƯỞNG TỈNH THÁI BÌNH",
                 f"Văn bản hướng dẫn công tác thi đua, khen thưởng, bản lưu số {spec[2]}."]
        table = FORM_ROWS
    else:
        lines = header_lines(item) + body_lines(item)
        table = None
        if item.award and item.recipients and item.recipients[0].source == kind:
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


def decision_caption(item: Item) -> str:
    assert item.award is not None
    return f"Quyết định số {item.award['decision_number']} ngày {vi_date(datetime.fromisoformat(item.award['decided_on']))}"
