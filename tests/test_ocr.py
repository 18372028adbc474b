"""OCR: the repairs of Tesseract's known Vietnamese errors, the doubtful-line mark, and image files read
or refused by the real sandboxed extractor (Tesseract `vie`, installed by `make install`)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from archive.extract import extract_file
from archive.normalize.ocr import (
    confident_lines,
    doubtful,
    is_low_confidence,
    mark_low_confidence,
    repair_line,
    unmarked,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("Số: l234/QĐ- UBND", "Số: 1234/QĐ-UBND"),  # l for 1, a stray space in the number
        ("Ðiều L. Tặng Bằng khen", "Điều 1. Tặng Bằng khen"),  # eth for Đ, L for 1
        ("ngày O5 tháng 6 năm 2O23", "ngày 05 tháng 6 năm 2023"),  # O for 0 where only digits stand
        ("Quyếtđịnh số 12/QD-UBND", "Quyết định số 12/QĐ-UBND"),  # words run together, QD for QĐ
        ("tặngBằng khen", "tặng Bằng khen"),
        ("Nguye\u0302\u0303n Thị Hoa", "Nguyễn Thị Hoa"),  # combining marks composed (NFC)
    ],
)
def test_known_errors_are_undone(read: str, printed: str) -> None:
    assert repair_line(read) == printed


@pytest.mark.parametrize(
    "line",
    [
        "Ông Lê Văn Long, Chủ tịch UBND xã Vũ Lạc",
        "Quyết định số 2243/QĐ-TTg ngày 05/9/2023",
        "Điều 2. Hiệu lực",
    ],
)
def test_lines_read_right_are_left_alone(line: str) -> None:
    assert repair_line(line) == line


def test_a_doubtful_line_is_marked_and_skipped_but_kept() -> None:
    marked = mark_low_confidence("Trần Vă Hùg")
    assert is_low_confidence(marked) and not is_low_confidence("Trần Văn Hùng")
    assert unmarked(marked) == "Trần Vă Hùg"
    assert confident_lines(f"Nguyễn Văn An\n{marked}\nLê Thị Bình") == ["Nguyễn Văn An", "Lê Thị Bình"]


def test_a_word_read_with_low_confidence_or_no_syllable_makes_its_line_doubtful() -> None:
    assert not doubtful([("Nguyễn", 95.0), ("Văn", 92.0), ("An", 90.0)])
    assert doubtful([("Nguyễn", 95.0), ("Văn", 40.0), ("An", 90.0)])
    assert doubtful([("Ngxqz", 96.0), ("An", 90.0)])


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_an_image_file_is_read_by_ocr_with_its_confidence_and_engine(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    lines = ["Danh sách cá nhân được tặng Bằng khen", "Ông Phạm Quang Vinh, Trưởng phòng Nội vụ"]
    page = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(FONT, 40)
    for n, text in enumerate(lines):
        draw.text((80, 80 + n * 90), text, font=face, fill=0)
    path = tmp_path / "scan.png"
    page.save(path, dpi=(200, 200))
    result = extract_file(path, content_type="image/png", filename="scan.png", timeout=120)
    assert result.error is None and result.method == "ocr"
    assert [unmarked(line) for line in (result.text or "").splitlines()] == lines
    assert result.engine is not None and result.engine.startswith("tesseract ") and " vie " in result.engine
    assert result.page_confidences is not None and len(result.page_confidences) == 1
    assert result.ocr_confidence is not None and 80 < result.ocr_confidence <= 100


def test_an_image_bomb_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"  # 100,000 × 100,000 pixels claimed, a few bytes sent
    path.write_bytes(_png(100_000, 100_000, zlib.compress(b"\x00" * 1000)))
    result = extract_file(path, content_type="image/png", filename="bomb.png", timeout=60)
    assert result.text is None and result.method is None
    assert result.error is not None and "too large to OCR" in result.error


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb"),
        ("zero.png", _png(0, 10, b"")),
    ],
)
def test_a_malformed_image_gives_an_error_not_a_crash(tmp_path: Path, name: str, body: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    result = extract_file(path, filename=name, timeout=60)
    assert result.text is None
    assert result.error is not None and ("malformed" in result.error or "image" in result.error)
