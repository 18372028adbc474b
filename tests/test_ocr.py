"""OCR: the repairs of Tesseract's known Vietnamese errors, the doubtful-line mark, and image files read
or refused by the real sandboxed extractor (Tesseract `vie`, installed by `make install`)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from archive.extract import extract_file
from archive.extract.ocr import Rules, Word, clean, grids_of, layout_page
from archive.normalize.ocr import (
    confident_lines,
    doubtful,
    is_low_confidence,
    mark_low_confidence,
    repair_line,
    restore_entry_stops,
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
        ("Số: 948/QĐĐ-BNV", "Số: 948/QĐ-BNV"),  # a letter of the type read twice
        ("98/2023/ÑĐ-CP ngày", "98/2023/NĐ-CP ngày"),  # or with a stray mark
        ("7..Chi cục Thủy lợi tỉnh;", "7. Chi cục Thủy lợi tỉnh;"),  # a list number's stop doubled
        ("8, Phòng Văn hóa và Thông tin;", "8. Phòng Văn hóa và Thông tin;"),  # or read as a comma
        # A tone read wrong in a public body's name, each word in the case it was read in.
        ("7. Chỉ cục Thủy lợi tỉnh;", "7. Chi cục Thủy lợi tỉnh;"),
        ("Khai thác cộng trình thủy lợi", "Khai thác công trình thủy lợi"),
        ("Ban Chỉ huy Quân sử huyện Kiến Xưởng", "Ban Chỉ huy Quân sự huyện Kiến Xương"),
        ("CĂN CỨ LUẬT THỊ ĐUA, KHEN THƯỞNG", "CĂN CỨ LUẬT THI ĐUA, KHEN THƯỞNG"),
        # Dust inside a date, its words read wrong between its numbers, an underscore after a number.
        ("Thái Bình, ngày:05 tháng 01.năm 2025", "Thái Bình, ngày 05 tháng 01 năm 2025"),
        ("ngày.06 tháng 8 nặm 2016", "ngày 06 tháng 8 năm 2016"),
        ("ngày 19 Hàng 6 năm 2015", "ngày 19 tháng 6 năm 2015"),
        ("Số: 988/QĐ-UBND_", "Số: 988/QĐ-UBND"),
        ("Thái Bình; ngày 15 tháng 11 năm 2019", "Thái Bình, ngày 15 tháng 11 năm 2019"),
        ("Thái Bình, ngày Q7 tháng 12 năm 2019", "Thái Bình, ngày 07 tháng 12 năm 2019"),  # italic 0 as Q
        ("Thái Bình, ngày 15 tháng-11 năm 2019", "Thái Bình, ngày 15 tháng 11 năm 2019"),  # a dash of dust
        ("Hà Nội, ngày 30-tháng 3 năm 2018", "Hà Nội, ngày 30 tháng 3 năm 2018"),
        ("Thái Bình, ngày 23 thẳng 01 năm 2017", "Thái Bình, ngày 23 tháng 01 năm 2017"),
        ("$ố: 1902/QĐ-TTg", "Số: 1902/QĐ-TTg"),  # a dollar sign for the S of "Số"
        ("Công ty TNHH.MTV Khai thác", "Công ty TNHH MTV Khai thác"),  # a speck between abbreviations
        ("UBND xã Nam Cao, nuyện Hưng Hà", "UBND xã Nam Cao, huyện Hưng Hà"),  # huyện before a district
        # A family name read with a wrong tone, where no surname has the letters read and one has.
        ("1. Bà Đăng Thị Thu Hạnh, Phó Chủ tịch", "1. Bà Đặng Thị Thu Hạnh, Phó Chủ tịch"),
        ("Định Thanh Hùng", "Đinh Thanh Hùng"),
        # A decision's own wording: "CÁ NHẬN" ("receives") would make the annex's title a recipient.
        ("TẬP THỂ, CÁ NHẬN ĐƯỢC TẶNG CỜ THI ĐUA", "TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG CỜ THI ĐUA"),
        ("Chính phủ quy định chỉ tiết thi hành", "Chính phủ quy định chi tiết thi hành"),
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
        "4 UBND xã Nam Cao, huyện Hưng Hà;",
        "Tờ trình số 780/TTr-BNV ngày 12/09/2023",  # a stop the engine did not see is not made up
        "15, 16 và 17 tháng 6 năm 2022",
        "công tác tại chính quyền xã",  # "tài chính" is a body's word only in "Sở Tài chính"
        "hàng năm, 15 hàng 2 loại",  # "hàng" is "tháng" only between a date's day and month
        "Phòng Văn hóa và Thông tin huyện Đông Hưng",
        "Ông Trần Văn Nhận nhận Bằng khen",  # "nhận" outside "tập thể, cá nhân" is a word
        "trả $5 phí",  # a dollar sign before a digit is one
        "UBND TP.HCM và TX.Hương Thủy",  # a two-letter abbreviation's stop
        "câu chuyện Hưng Hà xưa",  # "chuyện" is a word
        "Trường Văn Hóa Nghệ Thuật",  # a body's head word is never read for a surname
        "2. Ông Đỗ Trọng Tuấn, Tổ trưởng",
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
    assert doubtful([("Thái", 95.0), ("Thuụy", 91.0)])  # no syllable doubles a vowel: a stray letter


@pytest.mark.parametrize("word", ["Ngũyên", "Giáơ", "Thùyên"])
def test_a_tone_off_the_shaped_vowel_of_its_syllable_makes_its_line_doubtful(word: str) -> None:
    assert doubtful([("Trường", 95.0), (word, 93.0)])


@pytest.mark.parametrize(
    "word", ["Nguyễn", "thuyền", "Đặng", "ĐẶNG", "khuyến", "hóa", "hoá", "Thủy", "người"]
)
def test_a_tone_on_the_shaped_vowel_or_in_a_syllable_with_none_is_plausible(word: str) -> None:
    assert not doubtful([("Trường", 95.0), (word, 93.0)])


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


# -- laying out the words Tesseract read (boxes in pixels at 300 dpi) ------------------------------


def _words(text: str, left: int, top: int, line: tuple[int, int, int], space: int = 20) -> list[Word]:
    """Words set from `left` on a line whose letters run from `top` to `top + 45`, `space` apart."""
    out = []
    for word in text.split():
        width = 24 * len(word)
        out.append(Word(word, 93.0, left, top, left + width, top + 45, line))
        left += width + space
    return out


def _justified(text: str, left: int, right: int, top: int, line: tuple[int, int, int]) -> list[Word]:
    """A justified line: its words spread evenly from `left` to `right`."""
    parts = text.split()
    room = right - left - sum(24 * len(p) for p in parts)
    return _words(text, left, top, line, space=room // (len(parts) - 1))


def test_justified_lines_with_wide_spaces_are_not_split_into_columns() -> None:
    words = [
        *_justified("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6", 350, 2240, 1000, (1, 1, 1)),
        *_words("năm 2022;", 350, 1060, (1, 1, 2)),
        *_justified("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng", 470, 2240, 1120, (1, 1, 3)),
        *_justified("2023 của Chính phủ quy định chi tiết thi hành", 350, 2240, 1180, (1, 1, 4)),
    ]
    assert layout_page(words, Rules()).lines == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6",
        "năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng",
        "2023 của Chính phủ quy định chi tiết thi hành",
    ]


def test_a_header_in_two_columns_is_read_column_after_column_even_with_a_narrow_gutter() -> None:
    # The left column's wide name ends 31 px (2.6 mm) before the right one starts, barely wider than
    # a word space; the rows under it, on one side or the other, show the two columns.
    left = _words("ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH", 300, 230, (1, 1, 1))
    words = [
        *left,
        *_words("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", left[-1].right + 31, 230, (1, 1, 1)),
        *_words("Độc lập - Tự do - Hạnh phúc", 1100, 300, (1, 1, 2)),
        *_words("Số: 1009/QĐ-UBND", 320, 360, (1, 1, 3)),
        *_words("Thái Bình, ngày 05 tháng 6 năm 2017", 900, 430, (1, 1, 4)),
        *_words("QUYẾT ĐỊNH", 1100, 580, (1, 1, 5)),
    ]
    assert layout_page(words, Rules()).lines == [
        "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH",
        "Số: 1009/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "Độc lập - Tự do - Hạnh phúc",
        "Thái Bình, ngày 05 tháng 6 năm 2017",
        "QUYẾT ĐỊNH",
    ]


def test_a_header_whose_left_column_widens_below_its_first_line_is_still_two_columns() -> None:
    # The authority's name is short and centred; the number under it reaches further right, into
    # what the first row's gutter was, yet stops well before the right column.
    words = [
        *_words("BỘ NỘI VỤ", 500, 230, (1, 1, 1)),
        *_words("CỘNG HÒA XÃ HỘI CHỦ NGHĨA", 1130, 230, (1, 1, 1)),
        *_words("Độc lập - Tự do", 1280, 300, (1, 1, 2)),
        *_words("Số: 948/QĐ-BNV", 470, 360, (1, 1, 3)),
        *_words("Hà Nội, ngày 23 tháng 6", 1230, 430, (1, 1, 4)),
        *_justified("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6", 350, 2240, 600, (1, 1, 5)),
    ]
    assert layout_page(words, Rules()).lines == [
        "BỘ NỘI VỤ",
        "Số: 948/QĐ-BNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
        "Độc lập - Tự do",
        "Hà Nội, ngày 23 tháng 6",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6",
    ]


def test_a_line_read_with_no_sure_word_is_dust_and_a_line_with_one_is_kept() -> None:
    def unsure(words: list[Word], conf: float) -> list[Word]:
        return [Word(w.text, conf, w.left, w.top, w.right, w.bottom, w.line) for w in words]

    words = [
        *_words("Nơi nhận:", 350, 1000, (1, 1, 1)),
        *unsure(_words("VàU HH", 400, 1060, (1, 1, 2)), 0.0),  # a seal's remains: no sure word
        *unsure(_words("568/TTr-SNV", 350, 1120, (1, 1, 3)), 4.0),
        *_words("ngày 16/04/2017.", 700, 1120, (1, 1, 3)),  # a sure word beside it: print
    ]
    assert [unmarked(line) for line in layout_page(words, Rules()).lines] == [
        "Nơi nhận:",
        "568/TTr-SNV ngày 16/04/2017.",
    ]


def test_a_column_of_numbers_read_as_one_line_goes_back_to_its_rows() -> None:
    # Tesseract can return a list's narrow column of numbers as one "line" of words stacked one under
    # the other; each number belongs with the entry on its own row.
    entries = ["Công an huyện Quỳnh Phụ;", "Chi cục Thủy lợi tỉnh;", "Hợp tác xã Quang Trung./."]
    words = [Word(f"{n}.", 93.0, 410, 1000 + 70 * n, 440, 1045 + 70 * n, (2, 1, 1)) for n in (1, 2, 3)]
    for n, entry in enumerate(entries, 1):
        words += _words(entry, 470, 1000 + 70 * n, (3, 1, n))
    assert layout_page(words, Rules()).lines == [f"{n}. {e}" for n, e in enumerate(entries, 1)]


def test_a_word_with_a_descender_beside_a_speck_stays_on_its_line() -> None:
    line = _words("Chánh Văn phòng, Thủ trưởng các cơ quan", 350, 1000, (1, 1, 1))
    for word in line:
        if any(ch in word.text for ch in "gpq"):
            word.bottom += 14  # the descender
    speck = Word("1", 40.0, 1000, 1044, 1012, 1052, (1, 1, 2))  # dust under the line, read as a digit
    words = [*line, speck, *_words("liên quan và các tập thể", 350, 1060, (1, 1, 3))]
    assert [unmarked(line) for line in layout_page(words, Rules()).lines] == [
        "Chánh Văn phòng, Thủ trưởng các cơ quan",
        "1",
        "liên quan và các tập thể",
    ]


def test_a_table_whose_thin_rules_fall_short_of_its_last_corner_is_still_a_table() -> None:
    # On a skewed scan a thin rule's last piece before the right border is too short to be found.
    xs = [354, 506, 1186, 1603, 2245]
    rules = Rules(
        vertical=[(x, 669, 1392) for x in xs],
        horizontal=[(y, 355, 2163 + k * 9) for k, y in enumerate((669, 850, 1031, 1212, 1392))],
    )
    grids = grids_of(rules)
    assert [(g.xs, g.ys) for g in grids] == [(xs, [669, 850, 1031, 1212, 1392])]


def _page_with(ink_boxes: list[tuple[int, int, int, int]], grey: int = 0) -> Image.Image:
    page = Image.new("L", (1400, 600), 255)
    draw = ImageDraw.Draw(page)
    for box in ink_boxes:
        draw.rectangle(box, fill=grey)
    return page


def test_a_thin_rule_scanned_in_dashes_is_a_rule_and_a_line_of_words_is_not() -> None:
    # A one-pixel rule broken every 40 pixels by white of 5 (a black-and-white scan of a thin rule),
    # and, below it, words of letters 3 pixels apart with word spaces of 14: the same gaps in a rule.
    dashes = [(100 + x, 200, 100 + x + 39, 200) for x in range(0, 1100, 45)]
    letters = [
        (100 + w * 150 + k * 23, 400, 100 + w * 150 + k * 23 + 19, 403) for w in range(7) for k in range(6)
    ]
    _, rules = clean(_page_with(dashes + letters))
    assert [(round(y, -1), left // 10, right // 10) for y, left, right in rules.horizontal] == [
        (200, 10, 121)
    ]


def test_a_thin_rule_a_deskew_spread_over_two_rows_is_a_rule() -> None:
    # Rotating a one-pixel rule shares its ink between two rows, each too light alone to be ink beside
    # the print above it (strokes in every grey, as antialiasing leaves them: Otsu's threshold 169);
    # together they are as dark as one pixel of ink.
    page = _page_with([])
    draw = ImageDraw.Draw(page)
    for k, tone in enumerate(range(0, 256, 2)):
        draw.rectangle((60 + k * 10, 100, 62 + k * 10, 160), fill=tone)
    draw.rectangle((100, 200, 1240, 201), fill=185)
    _, rules = clean(page)
    assert [(round(y, -1), left // 10, right // 10) for y, left, right in rules.horizontal] == [
        (200, 10, 124)
    ]


def test_a_row_number_read_with_dust_beside_it_is_the_number_alone() -> None:
    # A table of STT and unit; the digits-only pass of the STT column read nothing (no `numbers`),
    # and the page's reading has a speck beside the 2 as a letter.
    xs, ys = [354, 506, 2245], [669, 760, 850, 940]
    rules = Rules(vertical=[(x, 669, 940) for x in xs], horizontal=[(y, 354, 2245) for y in ys])
    words = [
        *_words("1", 400, 690, (1, 1, 1)),
        *_words("Trường THCS Nam Cao", 540, 690, (1, 1, 1)),
        *_words("S2", 400, 780, (1, 2, 1)),
        *_words("Công ty Cổ phần Giống cây trồng Thái Bình", 540, 780, (1, 2, 1)),
        *_words("II", 400, 870, (1, 3, 1)),  # a group heading's numeral: letters alone, kept
        *_words("Cá nhân", 540, 870, (1, 3, 1)),
    ]
    page = layout_page(words, rules)
    assert page.tables == [
        [["1", "Trường THCS Nam Cao"], ["2", "Công ty Cổ phần Giống cây trồng Thái Bình"], ["II", "Cá nhân"]]
    ]


def test_a_blank_scanned_page_gives_no_text_and_no_crash(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "blank.png"  # the back of a sheet, scanned with the rest
    Image.new("L", (1654, 2339), 255).save(path, dpi=(200, 200))
    result = extract_file(path, content_type="image/png", filename="blank.png", timeout=120)
    assert result.text in (None, "")
    assert result.error is None or "cannot parse" not in result.error, result.error


def test_dust_read_as_a_dash_or_a_full_stop_is_taken_out_and_printed_marks_are_kept() -> None:
    import numpy as np
    from PIL import Image

    from archive.extract.ocr import drop_dust_marks

    page = np.full((200, 1400), 255, dtype=np.uint8)
    line = (1, 1, 1)

    def letters(left: int, right: int) -> None:
        page[60:110, left:right] = 0  # a word's letters: cap height 50 px, baseline at y = 109

    words = []
    letters(100, 300)  # "Trường" and dust beside it, high up: not a dash
    page[70:76, 306:312] = 0
    words.append(Word("Trường-", 85.0, 100, 60, 312, 110, line))
    letters(340, 520)  # "Bình", a speck standing alone read as a dash, then "Nguyên"
    words.append(Word("Bình", 93.0, 340, 60, 520, 110, line))
    page[86:92, 536:542] = 0
    words.append(Word("-", 90.0, 536, 86, 542, 92, line))
    letters(560, 760)
    words.append(Word("Nguyên", 93.0, 560, 60, 760, 110, line))
    page[84:89, 780:805] = 0  # a printed dash: a stroke wider than tall, mid-line
    words.append(Word("-", 93.0, 780, 84, 805, 89, line))
    letters(825, 900)  # "1." with its printed stop: a dot on the baseline
    page[101:110, 906:915] = 0
    words.append(Word("1.", 96.0, 825, 60, 915, 110, line))
    letters(940, 1100)  # "Hà." with a speck too small for a stop on its baseline
    page[106:109, 1105:1108] = 0
    words.append(Word("Hà.", 80.0, 940, 60, 1108, 110, line))
    letters(1130, 1236)  # "TĐKT." whose last T's bar overhangs its stop: no blank column parts them
    page[60:66, 1240:1262] = 0
    page[60:110, 1246:1252] = 0
    page[101:110, 1254:1262] = 0
    words.append(Word("TĐKT.", 90.0, 1130, 60, 1262, 110, line))
    kept = drop_dust_marks(Image.fromarray(page), words)
    assert [w.text for w in kept] == ["Trường", "Bình", "Nguyên", "-", "1.", "Hà", "TĐKT."]


def test_a_stop_inside_a_table_cell_is_dust_unless_it_ends_an_abbreviation() -> None:
    from archive.extract.ocr import _cell_text

    assert _cell_text(_words("Trường. Mầm non Đông Minh", 500, 900, (4, 1, 1))) == "Trường Mầm non Đông Minh"
    assert _cell_text(_words("UBND TP. Thái Bình", 500, 900, (4, 1, 1))) == "UBND TP. Thái Bình"


def test_a_list_number_that_lost_its_stop_gets_it_back_only_inside_the_numbered_run() -> None:
    lines = [
        "3. Công an huyện Quỳnh Phụ;",
        "4 UBND xã Nam Cao, huyện Hưng Hà;",  # continues 3.
        "9. Phòng Giáo dục và Đào tạo;",  # 5 misread: the next entry still runs on to 7.
        "6 Hợp tác xã Nông nghiệp Quang Trung;",
        "\u2047 7. Chi cục Thủy lợi tỉnh;",
    ]
    assert restore_entry_stops(lines) == [
        "3. Công an huyện Quỳnh Phụ;",
        "4. UBND xã Nam Cao, huyện Hưng Hà;",
        "9. Phòng Giáo dục và Đào tạo;",
        "6. Hợp tác xã Nông nghiệp Quang Trung;",
        "\u2047 7. Chi cục Thủy lợi tỉnh;",
    ]
    # A line that starts with a number outside a numbered run is text, not an entry.
    text = [
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm",
        "2023 Chính phủ quy định;",
        "12 Tập thể",
    ]
    assert restore_entry_stops(text) == text
    assert restore_entry_stops(["1. Sở Nội vụ;", "5 Tập thể", "2. Sở Y tế"]) == [
        "1. Sở Nội vụ;",
        "5 Tập thể",
        "2. Sở Y tế",
    ]


def test_an_entry_whose_number_was_lost_gets_the_one_between_its_neighbours() -> None:
    lines = [
        "TẬP THỂ",
        "Trường THCS Nam Cao;",  # the first, under its heading, the list going on at 2
        "2. Công ty Cổ phần Giống cây trồng;",
        "Trường Mầm non Đông Minh;",  # between 2 and 4
        "4. Chi cục Thủy lợi tỉnh;",
        "5. Trường THPT Bắc Duyên Hà, huyện Hưng",
        "Hà;",
        "6. Bệnh viện Đa khoa tỉnh./.",
    ]
    assert restore_entry_stops(lines) == [
        "TẬP THỂ",
        "1. Trường THCS Nam Cao;",
        "2. Công ty Cổ phần Giống cây trồng;",
        "3. Trường Mầm non Đông Minh;",
        "4. Chi cục Thủy lợi tỉnh;",
        "5. Trường THPT Bắc Duyên Hà, huyện Hưng",
        "Hà;",
        "6. Bệnh viện Đa khoa tỉnh./.",
    ]


def test_entries_whose_numbers_were_lost_in_a_row_get_them_when_the_count_fits() -> None:
    lines = ["1. Trường THCS Nam Cao;", "Công ty Cổ phần May;", "Trường Mầm non Đông Minh;", "4. Sở Y tế;"]
    assert restore_entry_stops(lines) == [
        "1. Trường THCS Nam Cao;",
        "2. Công ty Cổ phần May;",
        "3. Trường Mầm non Đông Minh;",
        "4. Sở Y tế;",
    ]
    # Two lines where one number is missing: which is the entry and which its wrapped end is unknown.
    unsure = ["1. Trường THCS Nam Cao;", "Công ty Cổ phần May;", "Trường Mầm non Đông Minh;", "3. Sở Y tế;"]
    assert restore_entry_stops(unsure) == unsure


def test_an_entry_wrapped_onto_a_line_of_its_own_gets_no_number() -> None:
    lines = ["TẬP THỂ", "1. Trường Trung học phổ thông Nam", "Cao;", "2. Sở Y tế;"]
    assert restore_entry_stops(lines) == lines
    wrapped_first = ["Trường Trung học phổ thông Nam", "Cao Hải;", "2. Sở Y tế;"]
    assert restore_entry_stops(wrapped_first) == wrapped_first


def test_dust_read_as_a_short_word_at_either_end_of_an_entry_is_left_out() -> None:
    def unsure(words: list[Word]) -> list[Word]:
        return [Word(w.text, 21.0, w.left, w.top, w.right, w.bottom, w.line) for w in words]

    words = [
        *unsure(_words("đy", 350, 1000, (1, 1, 1))),  # the entry's number, read through dust
        *_words("Công ty Cổ phần Giống cây trồng;", 430, 1000, (1, 1, 1)),
        *_words("1. Trường THCS Nam Cao;", 350, 1060, (1, 1, 2)),
        *unsure(_words("E", 1100, 1060, (1, 1, 2))),  # a speck after it
        *_words("Ở xã Vũ Lạc", 350, 1120, (1, 1, 3)),  # a short word beginning a sentence stays
    ]
    assert layout_page(words, Rules()).lines == [
        "Công ty Cổ phần Giống cây trồng;",
        "1. Trường THCS Nam Cao;",
        "Ở xã Vũ Lạc",
    ]


def _rereading(*readings: str, conf: float = 93.0):  # type: ignore[no-untyped-def]
    """Second readings of a line, one per call, as Tesseract would give them for its crop."""
    queue = list(readings)

    def reread(box, within, scale):  # type: ignore[no-untyped-def]
        return _words(queue.pop(0), box[0], box[1], (0, 0, 0)) if queue else []

    return reread


def test_a_doubtful_line_read_the_same_twice_alone_is_taken_as_read() -> None:
    words = _words("Bệnh viện Đa.khoa tỉnh Thái Bình", 350, 1000, (1, 1, 1))
    words[2].conf = 55.0
    assert layout_page(words, Rules()).lines == ["\u2047 Bệnh viện Đa khoa tỉnh Thái Bình"]
    reread = _rereading("Bệnh viện Đa khoa tỉnh Thái Bình", "Bệnh viện Đa. khoa tỉnh Thái Bình")
    assert layout_page(words, Rules(), reread=reread).lines == ["Bệnh viện Đa khoa tỉnh Thái Bình"]


def test_a_second_reading_sure_of_itself_but_not_confirmed_stays_doubtful() -> None:
    # Under a stamp, one rereading gives "Nguyễn" with a high confidence; the other reads "Nguyên".
    words = _words("Trường Mầm non Bình Ng", 350, 1000, (1, 1, 1))
    words[4].conf = 0.0
    reread = _rereading("Trường Mầm non Bình Nguyễn", "Trường Mầm non Bình Nguyên")
    (line,) = layout_page(words, Rules(), reread=reread).lines
    assert is_low_confidence(line)
    # Two readings that agree are not doubtful.
    reread = _rereading("Trường Mầm non Bình Nguyên", "Trường Mầm non Bình Nguyên")
    assert layout_page(words, Rules(), reread=reread).lines == ["Trường Mầm non Bình Nguyên"]
    # Nor are two that differ only in a tone a public body's name fixes ("cây trộng": "cây trồng").
    words = _words("Công ty Cổ phần Giống cây C Thái Bình", 350, 1000, (1, 1, 1))
    words[6].conf = 0.0
    reread = _rereading(
        "Công ty Cổ phần Giống cây trộng Thái Bình", "Công ty Cổ phần Giống cây trồng Thái Bình"
    )
    assert layout_page(words, Rules(), reread=reread).lines == ["Công ty Cổ phần Giống cây trồng Thái Bình"]


def test_doubtful_lines_read_again_together_each_get_their_own_words_only() -> None:
    # Three lines set close together (single spacing); the first and the third are read again, stacked
    # on one sheet per scale. Each reading must hold its own line's words, in page pixels.
    from PIL import Image, ImageDraw, ImageFont

    from archive.extract.ocr import reread_lines

    lines = [
        "Chi cục Thủy lợi tỉnh Thái Bình",
        "Trường Mầm non Đông Minh",
        "Hợp tác xã Nông nghiệp Tây Giang",
    ]
    page = Image.new("L", (1400, 330), 255)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(FONT, 40)
    boxes = []
    for n, text in enumerate(lines):
        draw.text((80, 60 + n * 52), text, font=face, fill=0)
        boxes.append(tuple(int(v) for v in draw.textbbox((80, 60 + n * 52), text, font=face)))
    wanted = [(boxes[0], None, 1.0), (boxes[2], None, 1.0), (boxes[0], None, 2.0), (boxes[2], None, 2.0)]
    found = reread_lines(page, wanted, timeout=120)
    read = {request: " ".join(w.text for w in found.get(request, [])) for request in wanted}
    assert read == {request: lines[0 if request[0] == boxes[0] else 2] for request in wanted}
    for request in wanted:  # the words' boxes are back in page pixels, on their own line
        (left, top, right, bottom), _, _ = request
        assert abs(min(w.left for w in found[request]) - left) <= 10
        assert abs(max(w.right for w in found[request]) - right) <= 10
        assert all(top - 10 <= w.middle <= bottom + 10 for w in found[request])


def test_a_colon_and_a_leading_mark_made_of_dust_are_taken_out_and_printed_ones_are_kept() -> None:
    import numpy as np
    from PIL import Image

    from archive.extract.ocr import drop_dust_marks

    page = np.full((200, 1200), 255, dtype=np.uint8)
    line = (1, 1, 1)

    def letters(left: int, right: int) -> None:
        page[60:110, left:right] = 0  # cap height 50 px, baseline at y = 109

    words = []
    letters(100, 200)  # "và:" whose colon is one speck on the baseline: dust
    page[100:109, 210:219] = 0
    words.append(Word("và:", 80.0, 100, 60, 219, 110, line))
    letters(260, 420)  # "ĐỊNH:" with its two printed dots, and a speck beside them
    page[78:87, 430:439] = 0
    page[100:109, 430:439] = 0
    page[62:65, 446:449] = 0
    words.append(Word("ĐỊNH:", 95.0, 260, 60, 449, 110, line))
    page[84:90, 480:486] = 0  # "-Cặn": a speck glued before the word, no wider than tall
    letters(500, 640)
    words.append(Word("-Cặn", 70.0, 480, 60, 640, 110, line))
    page[84:89, 680:705] = 0  # "-Như": a printed dash before it, a stroke across mid-line
    letters(715, 840)
    words.append(Word("-Như", 90.0, 680, 60, 840, 110, line))
    page[100:108, 880:888] = 0  # "“Toàn": a speck on the baseline read as a quote
    letters(900, 1050)
    words.append(Word("“Toàn", 75.0, 880, 60, 1050, 110, line))
    kept = drop_dust_marks(Image.fromarray(page), words)
    assert [w.text for w in kept] == ["và", "ĐỊNH:", "Cặn", "-Như", "Toàn"]
    # A word cut loses the mark's part of its box: it ends where the mark begins, starts where it ends.
    assert [(w.left, w.right) for w in kept if w.text in ("và", "Cặn")] == [(100, 210), (486, 640)]


def _page_with_print(tone: int = 20) -> object:
    """A white A4 page at 300 dpi with ten lines of letter-sized blocks in `tone` ink."""
    import numpy as np

    page = np.full((3508, 2480), 245, dtype=np.uint8)
    for row in range(10):
        top = 300 + row * 90
        for left in range(300, 2100, 70):
            page[top : top + 40, left : left + 45] = tone
            page[top + 5 : top + 35, left + 10 : left + 35] = 245  # a letter's counter
    return page


def _ring(page: object, centre: tuple[int, int], radius: int, tone: int, width: int = 14) -> object:
    import numpy as np

    ys, xs = np.ogrid[: page.shape[0], : page.shape[1]]  # type: ignore[attr-defined]
    distance = np.sqrt((ys - centre[0]) ** 2 + (xs - centre[1]) ** 2)
    ring = (np.abs(distance - radius) < width / 2) | (np.abs(distance - radius * 0.75) < width / 3)
    page[ring] = np.minimum(page[ring], tone)  # type: ignore[index]
    return ring


def test_a_seal_scanned_in_grey_is_whitened_and_the_black_print_over_it_is_kept() -> None:
    import numpy as np
    from PIL import Image

    from archive.extract.ocr import drop_grey_stamps

    page = _page_with_print()
    ring = _ring(page, (2700, 1500), 220, tone=115)  # a 37 mm seal, red scanned as mid grey
    page[2690:2730, 1400:1700] = 20  # the signer's name, printed across it
    seals: list = []
    cleaned = np.asarray(drop_grey_stamps(Image.fromarray(page), seals))
    print_ink = page < 60
    assert (cleaned[print_ink] == page[print_ink]).all()  # every black pixel kept
    seal_left = ring & ~print_ink
    assert (cleaned[seal_left] == 255).mean() > 0.95  # the seal's ring gone, but at letters' rims
    # The seal is told to the layout, about where it lies (its patch is counted in 1 mm cells).
    assert [(round(s.y, -2), round(s.x, -2), s.radius > 200) for s in seals] == [(2700, 1500, True)]


@pytest.mark.parametrize(
    "what",
    ["no seal", "a black seal (a bilevel scan)", "print of one faint tone", "a wide grey band of text"],
)
def test_a_page_with_no_grey_seal_is_left_as_it_is(what: str) -> None:
    import numpy as np
    from PIL import Image

    from archive.extract.ocr import drop_grey_stamps

    page = _page_with_print(tone=110 if what == "print of one faint tone" else 20)
    if what == "a black seal (a bilevel scan)":
        page[page > 128] = 255
        _ring(page, (2700, 1500), 220, tone=0)
    if what == "a wide grey band of text":  # a grey letterhead line across the page, not a seal
        for left in range(200, 2300, 60):
            page[150:190, left : left + 40] = 120
    cleaned = np.asarray(drop_grey_stamps(Image.fromarray(page)))
    assert (cleaned == page).all()


def test_a_signature_is_whitened_and_the_letters_beside_it_are_kept() -> None:
    import numpy as np

    from archive.extract.ocr import drop_scrawls

    page = _page_with_print()
    letters = page < 60
    # A signature: a zigzag stroke 5 px wide wandering over 300 x 500 px, touching no letter.
    scrawl = np.zeros_like(letters)
    previous = None
    for x in range(1300, 1800):
        y = 1800 + int(150 * np.sin(x / 23.0)) + (x - 1300) // 4
        low, high = (y, y) if previous is None else (min(y, previous), max(y, previous))
        scrawl[low - 2 : high + 3, x : x + 3] = True
        previous = y
    page[scrawl] = 25
    cleaned = drop_scrawls(page.copy())
    assert (cleaned[scrawl] == 255).all()
    assert (cleaned[letters] == page[letters]).all()


def test_a_black_seal_touching_the_signers_title_loses_its_ring_and_the_letters_stay() -> None:
    import numpy as np

    from archive.extract.ocr import drop_scrawls

    page = _page_with_print()
    page[page > 128] = 255  # a bilevel scan: the seal is as black as the print
    ring = _ring(page, (2700, 1500), 220, tone=0)
    # The signer's title, letters set across the ring's top: they touch it, one blob with the seal.
    title = np.zeros(page.shape, dtype=bool)  # type: ignore[attr-defined]
    for left in range(1380, 1900, 60):
        title[2470:2510, left : left + 40] = True
    page[title] = 0
    seals: list = []
    cleaned = drop_scrawls(page.copy(), seals)
    assert (cleaned[title & ~ring] == 0).mean() > 0.95  # the letters stay, but where the ring crossed
    ys, xs = np.nonzero(ring & ~title)
    outer_ring = np.hypot(ys - 2700, xs - 1500) > 200
    assert (cleaned[ys[outer_ring], xs[outer_ring]] == 255).mean() > 0.95  # the outer ring is gone
    # The seal found is its outer ring's circle; a word wholly inside it is the seal's, one reaching
    # out of it is not.
    assert len({(round(s.y), round(s.x)) for s in seals}) == 1
    assert abs(seals[0].y - 2700) < 4 and abs(seals[0].x - 1500) < 4 and 220 <= seals[0].radius < 240
    assert seals[0].holds(Word("ẤN", 20.0, 1450, 2650, 1550, 2700, (1, 1, 1)))
    assert not seals[0].holds(Word("TỊCH", 90.0, 1600, 2470, 1800, 2510, (1, 1, 1)))
