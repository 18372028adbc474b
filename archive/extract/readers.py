"""One reader per format (PDF, DOCX, XLSX, XLS, RTF, HTML, ZIP), run inside the limited child.

Each returns (text, tables) or raises `ExtractionError` with the reason users see; ZIP containers
(DOCX and XLSX included) are checked from their directory before anything is decompressed.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.extract.legacy import tidy_cell
from archive.filetypes import DOCUMENT_TYPES, IMAGE_TYPES, detect_type

# ZIP containers (DOCX/XLSX are ZIPs too) above these are refused from their directory alone.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # deflate of real documents stays far below; zeros reach ~1000:1
RATIO_CHECK_MIN_BYTES = 20 * 1024 * 1024  # small members may legitimately compress very well
MAX_ZIP_MEMBERS = 5000
MAX_NESTED_ZIP_DEPTH = 2


class ExtractionError(Exception):
    """A file we refuse or cannot read; the message is what users see in attachments.text_error."""


def _human_size(size: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= factor:
            return f"{size / factor:.0f} {unit}"
    return f"{size} bytes"


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a ZIP from its directory alone: too many members, too large, or compressed too well."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ExtractionError(f"zip bomb: {len(members)} members")
    declared = sum(member.file_size for member in members)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise ExtractionError(f"zip bomb: declared {_human_size(declared)} uncompressed")
    for member in members:
        if member.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise ExtractionError(
                    f"zip bomb: {member.filename} expands {ratio:.0f}:1 to {_human_size(member.file_size)}"
                )


@dataclass
class Parsed:
    """What a reader found in a file. `method` is "layer" when the text is the file's own, "ocr" when
    any of it was read from page images (then with each page's mean word confidence, None for a page
    whose text layer was kept, and the engine)."""

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    method: str = "layer"
    page_confidences: list[float | None] | None = None
    engine: str | None = None
    note: str | None = None  # a limit that cut the reading short, kept beside the text


@dataclass
class ReadOptions:
    progress: Callable[[int, int], None] | None = None  # (OCR page about to be read, pages to OCR)
    ocr_page_timeout: float = 120.0


# A page whose text layer holds fewer characters than this, over a picture of at least SCAN_PIXELS,
# is a scan: the few characters are a digital signature's stamp or a page number, not its text.
MIN_LAYER_CHARS = 200
SCAN_PIXELS = 1_000_000


def _page_images(resources: Any, depth: int = 0) -> list[tuple[int, int]]:
    """(width, height) of the images a page draws, read from their dictionaries, never decoded."""
    found: list[tuple[int, int]] = []
    if depth > 3 or resources is None:
        return found
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return found
    for ref in xobjects.get_object().values():
        xobject = ref.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            found.append((int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))))
        elif subtype == "/Form":
            found += _page_images(xobject.get("/Resources"), depth + 1)
    return found


def _extract_pdf(path: Path, options: ReadOptions) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PdfStreamError

    scanned: list[int] = []
    sizes: list[tuple[float, float]] = []
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" PDFs only restrict printing
            except Exception as exc:  # any failure here means we cannot read it
                raise ExtractionError(f"encrypted PDF: {exc}") from exc
        pages: list[str] = []
        page_chunks: list[list[_Chunk]] = []
        for number, page in enumerate(reader.pages):
            chunks: list[_Chunk] = []
            pages.append(page.extract_text(visitor_text=_chunk_collector(chunks)) or "")
            page_chunks.append(chunks)
            sizes.append((float(page.mediabox.width), float(page.mediabox.height)))
            if len(pages[-1].strip()) < MIN_LAYER_CHARS:
                images = _page_images(page.get("/Resources"))
                if any(w * h >= SCAN_PIXELS for w, h in images):
                    from archive.extract import ocr

                    for width, height in images:
                        ocr.check_pixels(width, height, f"image on page {number + 1}")
                    scanned.append(number)
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(f"malformed PDF: {exc}") from exc
    if scanned:
        return _ocr_pdf(path, pages, page_chunks, sizes, scanned, options)
    text = "\n\n".join(pages)
    if not text.strip():
        raise ExtractionError(f"no text layer (scanned PDF?): {len(pages)} pages")
    return Parsed(text, pdf_tables(page_chunks))


def _ocr_pdf(
    path: Path,
    pages: list[str],
    page_chunks: list[list[_Chunk]],
    sizes: list[tuple[float, float]],
    scanned: list[int],
    options: ReadOptions,
) -> Parsed:
    from archive.extract import ocr

    engine = ocr.engine()
    note = None
    if len(scanned) > ocr.MAX_OCR_PAGES:
        note = f"OCR stopped after {ocr.MAX_OCR_PAGES} of {len(scanned)} scanned pages"
        scanned = scanned[: ocr.MAX_OCR_PAGES]
    confidences: list[float | None] = [None] * len(pages)
    tables: list[list[list[str]]] = []
    for done, number in enumerate(scanned, 1):
        if options.progress:
            options.progress(done, len(scanned))
        image, dpi = ocr.render_pdf_page(path, number + 1, *sizes[number], options.ocr_page_timeout)
        page = ocr.ocr_page_image(image, dpi, options.ocr_page_timeout)
        pages[number] = "\n".join(page.lines)
        page_chunks[number] = []
        confidences[number] = page.confidence
        tables += page.tables
    layer_tables = pdf_tables(page_chunks)
    return Parsed("\n\n".join(pages), layer_tables + tables, "ocr", confidences, engine, note)


def _extract_image(path: Path, options: ReadOptions) -> Parsed:
    from archive.extract import ocr

    engine = ocr.engine()
    frames = ocr.open_image(path)
    texts, tables, confidences = [], [], []
    for done, (image, dpi) in enumerate(frames, 1):
        if options.progress:
            options.progress(done, len(frames))
        page = ocr.ocr_page_image(image, dpi, options.ocr_page_timeout)
        texts.append("\n".join(page.lines))
        tables += page.tables
        confidences.append(page.confidence)
    return Parsed("\n\n".join(texts), tables, "ocr", confidences, engine)


@dataclass
class _Chunk:
    x: float
    y: float  # PDF space: grows upwards
    text: str


def _chunk_collector(chunks: list[_Chunk]) -> Callable[..., None]:
    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            chunks.append(_Chunk(round(x, 1), round(y, 1), text))

    return visit


_HEADER_STT = re.compile(r"^\s*(?:STT|TT|Số\s*TT)\s*$", re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.)]?\s*$")
_COLUMN_TOLERANCE = 6.0


def pdf_tables(pages: list[list[_Chunk]]) -> list[list[list[str]]]:
    """Tables rebuilt from text positions: pypdf flattens a table into lines that mix its cells.

    A table starts at a header line holding "STT"; its cells' left edges give the columns; each
    numbered cell in the first column starts a row, and wrapped lines (vertically centred around the
    number) join the row whose number is nearest. The table ends at text that fits no column.
    """
    tables: list[list[list[str]]] = []
    columns: list[float] | None = None
    current: list[list[str]] | None = None
    for chunks in pages:
        header = next((c for c in chunks if _HEADER_STT.match(c.text)), None)
        if header is not None:
            columns, header_row, below = _pdf_header(chunks, header)
            current = [header_row]
            tables.append(current)
        elif columns is not None and current is not None:
            below = chunks  # a table running on from the previous page without repeated headings
        else:
            continue
        assert columns is not None and current is not None
        rows = _pdf_rows(below, columns)
        current.extend(rows)
        if not rows:
            columns, current = None, None
    return [table for table in tables if len(table) > 1]


def _column_of(x: float, columns: list[float]) -> int | None:
    best = None
    for index, start in enumerate(columns):
        if x >= start - _COLUMN_TOLERANCE:
            best = index
    return best


def _pdf_header(chunks: list[_Chunk], stt: _Chunk) -> tuple[list[float], list[str], list[_Chunk]]:
    # Header cells may wrap onto two lines centred on the STT line.
    near = [c for c in chunks if abs(c.y - stt.y) <= 12 and c.x >= stt.x - _COLUMN_TOLERANCE]
    starts = sorted({c.x for c in near})
    columns: list[float] = []
    for x in starts:
        if not columns or x - columns[-1] > _COLUMN_TOLERANCE:
            columns.append(x)
    header = ["" for _ in columns]
    for c in sorted(near, key=lambda c: (-c.y, c.x)):
        index = _column_of(c.x, columns)
        if index is not None:
            header[index] = f"{header[index]} {c.text}".strip()
    lowest = min(c.y for c in near)
    below = [c for c in chunks if c.y < lowest - 1]
    return columns, [tidy_cell(h) for h in header], below


def _pdf_rows(chunks: list[_Chunk], columns: list[float]) -> list[list[str]]:
    ordered = sorted(chunks, key=lambda c: (-c.y, c.x))
    numbers = [c for c in ordered if _column_of(c.x, columns) == 0 and _ROW_NUMBER.match(c.text)]
    if not numbers:
        return []
    # Below the first row, text left of the table or in the number column that is no number ends it.
    stop_y = None
    for c in ordered:
        column = _column_of(c.x, columns)
        if c.y < numbers[0].y and (column is None or (column == 0 and not _ROW_NUMBER.match(c.text))):
            stop_y = c.y
            break
    numbers = [n for n in numbers if stop_y is None or n.y > stop_y]
    rows: list[list[list[str]]] = [[[] for _ in columns] for _ in numbers]
    for c in ordered:
        column = _column_of(c.x, columns)
        inside = numbers[-1].y - 40 <= c.y <= numbers[0].y + 40 and (stop_y is None or c.y > stop_y)
        if column is None or not inside:
            continue
        row = min(range(len(numbers)), key=lambda i: abs(numbers[i].y - c.y))
        rows[row][column].append(c.text)
    return [[tidy_cell(" ".join(parts)) for parts in row] for row in rows]


def _extract_docx(path: Path) -> tuple[str, list[list[list[str]]]]:
    with zipfile.ZipFile(path) as archive:
        check_zip(archive)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ExtractionError(f"malformed DOCX: {exc}") from exc
    parts: list[str] = []
    tables: list[list[list[str]]] = []
    # Paragraphs and tables in document order: a recipient table belongs under its section heading.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            rows = _docx_table_rows(Table(child, document))
            tables.append(rows)
            parts.extend(" | ".join(cell for cell in row if cell) for row in rows)
    return "\n".join(parts), tables


def _docx_table_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A horizontally merged cell comes back once per grid column; keep it once.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(tidy_cell(cell.text))
        rows.append(cells)
    return rows


def _extract_xlsx(path: Path) -> tuple[str, list[list[list[str]]]]:
    with zipfile.ZipFile(path) as archive:
        check_zip(archive)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(f"malformed XLSX: {exc}") from exc
    tables: list[list[list[str]]] = []
    parts: list[str] = []
    try:
        for sheet in workbook.worksheets:
            rows = [[tidy_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            rows = _trim_table(rows)
            tables.append(rows)
            parts.append(sheet.title)
            parts.extend(" | ".join(cell for cell in row if cell) for row in rows)
    finally:
        workbook.close()
    return "\n".join(parts), tables


def _extract_xls(path: Path) -> tuple[str, list[list[list[str]]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.XLRDError as exc:
        raise ExtractionError(f"malformed XLS: {exc}") from exc
    tables: list[list[list[str]]] = []
    parts: list[str] = []
    for sheet in book.sheets():
        rows = _trim_table([[tidy_cell(v) for v in sheet.row_values(i)] for i in range(sheet.nrows)])
        tables.append(rows)
        parts.append(sheet.name)
        parts.extend(" | ".join(cell for cell in row if cell) for row in rows)
    return "\n".join(parts), tables


_RTF_TOKEN = re.compile(
    r"\\([a-z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-f]{2})|\\([^a-z])|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.I
)
_RTF_SKIPPED = {
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "footer",
    "themedata",
    "datastore",
    "latentstyles",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
}


def _extract_rtf(path: Path) -> tuple[str, list[list[list[str]]]]:
    """Plain text of an RTF file: enough for search and recipient lines, no layout."""
    raw = path.read_bytes().decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", raw)
    encoding = f"cp{codepage[1]}" if codepage else "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skipping, skip_chars, uc = False, 0, 1
    pending = bytearray()

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for match in _RTF_TOKEN.finditer(raw):
        word, arg, hexbyte, symbol, brace, plain = match.groups()
        if brace == "{":
            stack.append((skipping, uc))
            continue
        if brace == "}":
            flush()
            skipping, uc = stack.pop() if stack else (False, 1)
            continue
        if skip_chars and (plain or hexbyte):
            if plain:
                skip_chars -= 1
                plain = plain[1:]
                if not plain:
                    continue
            else:
                skip_chars -= 1
                continue
        if skipping:
            continue
        if word:
            flush()
            if word in _RTF_SKIPPED:
                skipping = True
            elif word == "u" and arg:
                value = int(arg)
                out.append(chr(value + 65536 if value < 0 else value))
                skip_chars = uc
            elif word == "uc" and arg:
                uc = int(arg)
            elif word in ("par", "line", "row", "sect", "page"):
                out.append("\n")
            elif word in ("tab", "cell"):
                out.append(" | " if word == "cell" else "\t")
        elif hexbyte:
            pending.append(int(hexbyte, 16))
        elif symbol:
            flush()
            if symbol == "*":
                skipping = True
            elif symbol in "\\{}":
                out.append(symbol)
            elif symbol == "~":
                out.append(" ")
        elif plain:
            flush()
            out.append(plain)
    flush()
    return "".join(out), []


def _extract_html(path: Path) -> tuple[str, list[list[list[str]]]]:
    from lxml import html

    data = path.read_bytes()
    try:
        root = html.fromstring(data)
    except Exception as exc:  # lxml's parser errors have no common public base
        raise ExtractionError(f"malformed HTML: {exc}") from exc
    tables = []
    for table in root.iter("table"):
        rows = [
            [tidy_cell(cell.text_content()) for cell in row if cell.tag in ("td", "th")]
            for row in table.iter("tr")
        ]
        tables.append(_trim_table(rows))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    # text_content() runs cells and paragraphs together; give them the breaks a browser shows.
    for element in root.iter():
        if element.tag in ("td", "th"):
            element.tail = " | " + (element.tail or "")
        elif element.tag in ("tr", "p", "div", "br", "li", "h1", "h2", "h3", "h4", "table"):
            element.tail = "\n" + (element.tail or "")
    return root.text_content(), tables


def _trim_table(rows: list[list[str]]) -> list[list[str]]:
    rows = [row for row in rows if any(row)]
    width = max((max((i + 1 for i, cell in enumerate(row) if cell), default=0) for row in rows), default=0)
    return [row[:width] for row in rows]


def _extract_zip(path: Path, depth: int, options: ReadOptions) -> Parsed:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(f"malformed ZIP: {exc}") from exc
    parts: list[str] = []
    tables: list[list[list[str]]] = []
    read = Parsed("")
    with archive, tempfile.TemporaryDirectory(prefix="tdkt-extract-") as scratch:
        check_zip(archive)
        for index, member in enumerate(archive.infolist()):
            if member.is_dir():
                continue
            extension = member.filename.rsplit(".", 1)[-1].lower() if "." in member.filename else ""
            if extension not in DOCUMENT_TYPES or (extension == "zip" and depth >= MAX_NESTED_ZIP_DEPTH):
                parts.append(f"== {member.filename} == (skipped: unsupported type .{extension})")
                continue
            # Members are written under our own names: a member called "../../x" must not escape.
            target = Path(scratch) / f"{index}.{extension}"
            _copy_member(archive, member, target)
            try:
                parsed = parse_file(target, detect_type(target, filename=member.filename), depth + 1, options)
            except ExtractionError as exc:
                parts.append(f"== {member.filename} == ({exc})")
                continue
            parts.append(f"== {member.filename} ==\n{parsed.text}")
            tables.extend(parsed.tables)
            if parsed.method == "ocr":
                read.method, read.engine = "ocr", parsed.engine
                read.page_confidences = (read.page_confidences or []) + (parsed.page_confidences or [])
    read.text, read.tables = "\n\n".join(parts), tables
    return read


def _copy_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> None:
    # Declared sizes can lie; never write more than the declared size (already checked) plus one chunk.
    limit = member.file_size + 65536
    written = 0
    with archive.open(member) as source, open(target, "wb") as sink:
        while chunk := source.read(65536):
            written += len(chunk)
            if written > limit:
                raise ExtractionError(f"zip bomb: {member.filename} is larger than it declares")
            sink.write(chunk)


def parse_file(path: Path, file_type: str, depth: int = 0, options: ReadOptions | None = None) -> Parsed:
    options = options or ReadOptions()
    if file_type == "pdf":
        return _extract_pdf(path, options)
    if file_type in IMAGE_TYPES and depth == 0:
        return _extract_image(path, options)
    if file_type == "zip":
        return _extract_zip(path, depth, options)
    parsers = {
        "docx": _extract_docx,
        "xlsx": _extract_xlsx,
        "xls": _extract_xls,
        "rtf": _extract_rtf,
        "html": _extract_html,
    }
    if file_type not in parsers:
        raise ExtractionError(f"unsupported type .{file_type}")
    return Parsed(*parsers[file_type](path))
