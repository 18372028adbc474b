"""archive.extract: real files made here (python-docx, openpyxl, fpdf2, zipfile), read in a child process."""

from __future__ import annotations

import struct
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.extract import (
    MAX_UNCOMPRESSED_BYTES,
    detect_type,
    extract_file,
    legacy_decoder,
    repair_legacy_text,
)

FILES = Path(__file__).parent / "files" / "extract"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
RECIPIENT_HEADER = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]
RECIPIENT_ROWS = [
    ["1", "Trường THCS Nam Cao", "", ""],
    ["2", "Công ty Cổ phần Giống cây trồng Thái Bình", "", ""],
    ["3", "Nguyễn Văn Hùng", "Hiệu trưởng", "Trường THCS Nam Cao"],
    ["4", "Phạm Thị Hồng Liên", "Phó Chủ tịch UBND xã", "UBND xã Nam Cao, huyện Kiến Xương"],
]


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH về việc tặng Bằng khen của Chủ tịch UBND tỉnh")
    grid = document.add_table(rows=len(RECIPIENT_ROWS) + 1, cols=4)
    for r, row in enumerate([RECIPIENT_HEADER, *RECIPIENT_ROWS]):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.add_paragraph("Nơi nhận: như Điều 3.")
    document.save(path)
    return path


def make_pdf(path: Path, *, pages: int = 1, table: bool = True) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_font("DejaVu", "B", FONT_BOLD)  # table headings are bold
    pdf.set_font("DejaVu", size=10)
    for page in range(pages):
        pdf.add_page()
        pdf.multi_cell(
            0, 6, f"Điều {page + 1}. Tặng Bằng khen của Thủ tướng Chính phủ cho các tập thể, cá nhân."
        )
    if table:
        with pdf.table(col_widths=(8, 40, 25, 45)) as grid:
            for row in [RECIPIENT_HEADER, *RECIPIENT_ROWS]:
                cells = grid.row()
                for value in row:
                    cells.cell(value)
    pdf.output(str(path))
    return path


def test_docx_gives_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    result = extract_file(make_docx(tmp_path / "qd.docx"))
    assert result.error is None
    assert result.tables == [[RECIPIENT_HEADER, *RECIPIENT_ROWS]]
    assert result.text is not None
    lines = result.text.splitlines()
    assert lines[0].startswith("QUYẾT ĐỊNH")
    assert lines.index("Nơi nhận: như Điều 3.") > lines.index(
        "4 | Phạm Thị Hồng Liên | Phó Chủ tịch UBND xã | UBND xã Nam Cao, huyện Kiến Xương"
    )


def test_pdf_table_is_rebuilt_from_text_positions(tmp_path: Path) -> None:
    result = extract_file(make_pdf(tmp_path / "qd.pdf"))
    assert result.error is None
    assert result.tables == [[RECIPIENT_HEADER, *RECIPIENT_ROWS]]
    assert result.text is not None and "Thủ tướng Chính phủ" in result.text


def test_pdf_table_cells_that_wrap_join_their_row(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.add_font("DejaVu", "B", FONT_BOLD)  # table headings are bold
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    rows = [
        RECIPIENT_HEADER,
        ["1", "Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Thái Bình", "", ""],
        ["2", "Lê Mạnh Hòa", "Chủ tịch Hội Nông dân xã", "Trường THCS Nam Thịnh"],
    ]
    with pdf.table(col_widths=(8, 40, 25, 45)) as grid:
        for row in rows:
            cells = grid.row()
            for value in row:
                cells.cell(value)
    pdf.multi_cell(0, 6, "Nơi nhận: Như Điều 3; Lưu VT.")
    pdf.output(str(tmp_path / "wrapped.pdf"))
    assert extract_file(tmp_path / "wrapped.pdf").tables == [rows]


def test_xlsx_sheets_become_tables(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sach"
    sheet.append(["Danh sách đề nghị khen thưởng"])
    sheet.append(RECIPIENT_HEADER)
    for row in RECIPIENT_ROWS:
        sheet.append([int(row[0]), *row[1:]])
    book.save(tmp_path / "ds.xlsx")
    result = extract_file(tmp_path / "ds.xlsx")
    assert result.error is None
    assert result.tables[0][1:] == [RECIPIENT_HEADER, *RECIPIENT_ROWS]
    assert result.text is not None and "Danh sach" in result.text


def test_rtf_under_a_doc_name_is_read(tmp_path: Path) -> None:
    body = "\\par\n".join(
        "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in line)
        for line in ["Số: 163/QĐ-UBND", "Thái Bình, ngày 07 tháng 05 năm 2023"]
    )
    path = tmp_path / "qd.doc"
    path.write_bytes(("{\\rtf1\\ansi\\ansicpg1258{\\fonttbl{\\f0 Times;}}\\f0 " + body + "\\par}").encode())
    result = extract_file(path, filename="qd.doc")
    assert result.error is None
    assert result.text == "Số: 163/QĐ-UBND\nThái Bình, ngày 07 tháng 05 năm 2023"


def test_html_table_under_an_xls_name_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bieu-mau.xls"
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in [RECIPIENT_HEADER])
    path.write_text(f'<html><head><meta charset="utf-8"></head><body><table>{rows}</table></body></html>')
    result = extract_file(path, filename="bieu-mau.xls")
    assert result.error is None
    assert result.tables == [[RECIPIENT_HEADER]]


def test_zip_lists_and_reads_the_documents_inside(tmp_path: Path) -> None:
    inner = make_docx(tmp_path / "inner.docx")
    path = tmp_path / "ho-so.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(inner, "../../quyet-dinh.docx")  # a hostile member name must not escape
        archive.writestr("anh.jpg", b"\xff\xd8\xff")
    result = extract_file(path)
    assert result.error is None
    assert result.text is not None
    assert "== ../../quyet-dinh.docx ==" in result.text
    assert "(skipped: unsupported type .jpg)" in result.text
    assert result.tables == [[RECIPIENT_HEADER, *RECIPIENT_ROWS]]
    assert not (tmp_path.parent / "quyet-dinh.docx").exists()


def _patch_declared_size(path: Path, size: int) -> None:
    """Rewrite the uncompressed size a ZIP declares (local header and central directory)."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def test_zip_bomb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bao-cao.pdf", b"%PDF-1.4 tiny")
    _patch_declared_size(path, 0xF0000000)  # 4 GB, below the ZIP64 marker
    assert path.stat().st_size < 1000
    result = extract_file(path)
    assert result.text is None
    assert result.error == "zip bomb: declared 4 GB uncompressed"


def test_zip_bomb_with_a_real_compression_ratio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zeros.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("du-lieu.xlsx", "w") as member,
    ):
        for _ in range(64):
            member.write(bytes(1024 * 1024))
    assert path.stat().st_size < 200_000
    result = extract_file(path)
    assert result.text is None
    assert result.error is not None and result.error.startswith("zip bomb: du-lieu.xlsx expands")


def test_docx_bomb_is_refused_before_python_docx_opens_it(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "bomb.docx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/padding.xml", "w") as m,
    ):
        for _ in range(48):
            m.write(b" " * (1024 * 1024))
    result = extract_file(path)
    assert result.error is not None and result.error.startswith("zip bomb: word/padding.xml expands")


def test_limits_are_sized_for_real_documents() -> None:
    assert MAX_UNCOMPRESSED_BYTES >= 100 * 1024 * 1024


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\n" + bytes(range(256)) * 20,
        b"%PDF-",
    ],
    ids=["no-pages-object", "garbage-body", "truncated-header"],
)
def test_malformed_pdf_gives_an_error_string(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(content)
    result = extract_file(path)
    assert result.text is None
    assert result.error
    assert "PDF" in result.error or "no text layer" in result.error


def test_pdf_without_text_layer_says_so(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    result = extract_file(tmp_path / "scan.pdf")
    assert result.text is None
    assert result.error == "no text layer (scanned PDF?): 1 pages"


def test_timeout_kills_the_child_and_says_so(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "dai.pdf", pages=40)
    result = extract_file(path, timeout=0.001)
    assert result.text is None
    assert result.error == "timeout after 0.001 s"


def test_memory_limit_stops_the_child_and_says_so(tmp_path: Path) -> None:
    result = extract_file(make_docx(tmp_path / "qd.docx"), memory_mb=30)
    assert result.text is None
    assert result.error == "memory limit (30 MB)"


def test_text_is_cut_at_max_chars_and_says_so(tmp_path: Path) -> None:
    result = extract_file(make_docx(tmp_path / "qd.docx"), max_chars=20)
    assert result.text is not None and len(result.text) == 20
    assert result.error == "text truncated at 20 characters"


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(56), "qd.doc", "unsupported type .doc"),
        (b"Rar!\x1a\x07\x00" + bytes(57), "ho-so.rar", "unsupported type .rar"),
        (b"GIF89a" + bytes(58), "anh.gif", "unsupported type .gif"),
    ],
)
def test_unsupported_types_give_an_error_string(
    tmp_path: Path, head: bytes, filename: str, expected: str
) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(head)
    result = extract_file(path, filename=filename)
    assert (result.text, result.error) == (None, expected)


def test_type_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "qd.docx")
    renamed = path.rename(tmp_path / "qd.pdf")
    assert detect_type(renamed, filename="qd.pdf", content_type="application/pdf") == "docx"


def test_missing_file_gives_an_error_string(tmp_path: Path) -> None:
    result = extract_file(tmp_path / "khong-co.pdf")
    assert result.text is None and result.error is not None and result.error.startswith("cannot read file")


# --- legacy Vietnamese text (reference §6.3) -----------------------------------------------------

SOUND = "Ủy ban nhân dân tỉnh Thái Bình: thi đua, khen thưởng năm 2024, Trường THCS Nam Cao"


def test_utf8_read_as_cp1252_is_repaired() -> None:
    # As a browser decodes windows-1252: the five bytes cp1252 leaves undefined map to C1 controls.
    mojibake = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in SOUND.encode("utf-8"))
    assert repair_legacy_text(mojibake) == SOUND


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        (
            "Uû ban nh©n d©n tØnh Th¸i B×nh, thi ®ua khen th\u00adëng",
            "Uỷ ban nhân dân tỉnh Thái Bình, thi đua khen thưởng",
        ),
        ("ViÖt Nam, B¶o Th¾ng", "Việt Nam, Bảo Thắng"),
    ],
    ids=["tcvn3-council", "tcvn3-names"],
)
def test_tcvn3_text_is_repaired(legacy: str, expected: str) -> None:
    assert repair_legacy_text(legacy) == expected


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("TIEÀN THÖÔÛNG MAÕ ÑÔN VÒ", "TIỀN THƯỞNG MÃ ĐƠN VỊ"),
        ("Xin chaøo caùc baïn, thi ñua khen thöôûng", "Xin chào các bạn, thi đua khen thưởng"),
    ],
    ids=["vni-capitals", "vni-lower"],
)
def test_vni_text_is_repaired(legacy: str, expected: str) -> None:
    assert repair_legacy_text(legacy) == expected


def test_legacy_text_inside_a_docx_is_repaired_in_text_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Uû ban nh©n d©n tØnh Th¸i B×nh")
    grid = document.add_table(rows=1, cols=2)
    grid.cell(0, 0).text = "Tr­êng THCS"
    grid.cell(0, 1).text = "B¶o Th¾ng"
    document.save(tmp_path / "cu.docx")
    result = extract_file(tmp_path / "cu.docx")
    assert result.text is not None and result.text.startswith("Uỷ ban nhân dân tỉnh Thái Bình")
    assert result.tables == [[["Trường THCS", "Bảo Thắng"]]]


VIETNAMESE_PROSE = (
    "Thái Bình thi đua khen thưởng Nguyễn Văn Trường Hòa hoà Quỳnh Phụ Hưng Hà Đông Kiến Xương năm 2024 "
    "Ủy ban xã “Dân vận khéo” Huân chương hạng Ba Chủ tịch –"
)
VIETNAMESE_WORDS = VIETNAMESE_PROSE.split(" ")


@given(st.lists(st.sampled_from(VIETNAMESE_WORDS), min_size=1, max_size=40))
def test_sound_vietnamese_text_is_never_touched(words: list[str]) -> None:
    text = unicodedata.normalize("NFC", " ".join(words))
    assert legacy_decoder(text) is None
    assert repair_legacy_text(text) == text


def test_saved_legacy_sample_is_repaired() -> None:
    sample = (FILES / "tcvn3-sample.txt").read_text(encoding="utf-8").strip()
    expected = (FILES / "tcvn3-sample.expected.txt").read_text(encoding="utf-8")
    assert repair_legacy_text(sample) == expected.strip()
