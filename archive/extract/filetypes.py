"""What a stored file is: its first bytes decide, its name and Content-Type header only hint."""

from __future__ import annotations

import zipfile
from pathlib import Path

DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "xls", "zip", "rtf", "html")
# Scans posted as pictures, read by OCR. Not inside ZIPs: a ZIP of page photos would spend a file's
# OCR budget on pictures nobody linked. GIF is left out: on these sites it is logos and banners.
IMAGE_TYPES = ("jpg", "png", "tiff", "bmp", "webp")
SUPPORTED_TYPES = DOCUMENT_TYPES + IMAGE_TYPES
_EXTENSION_BY_CONTENT_TYPE = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.rar": "rar",
    "application/x-rar-compressed": "rar",
}


def detect_type(path: Path, *, content_type: str | None = None, filename: str | None = None) -> str:
    """pdf | docx | xlsx | xls | doc | zip | <extension>: the bytes decide, the name and header only hint.

    Sites label files loosely (a DOCX served as application/octet-stream, a PDF named .doc).
    """
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"  # the child reports what is wrong with it
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    hinted = _hinted_extension(content_type, filename or path.name)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: legacy Word or Excel
        return "xls" if hinted in ("xls", "xlsx") else "doc"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and hinted == "bmp":
        return "bmp"
    if head.startswith(b"Rar!"):
        return "rar"
    # Portals serve RTF under .doc and HTML tables under .xls; Word and Excel open both.
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if (
        head.lstrip(b"\xef\xbb\xbf \r\n\t")
        .lower()
        .startswith((b"<html", b"<!doctype", b"<table", b"<meta", b"<?xml"))
    ):
        return "html"
    return hinted or "unknown"


def _hinted_extension(content_type: str | None, filename: str | None) -> str | None:
    if filename and "." in filename:
        return filename.rsplit(".", 1)[1].lower().strip() or None
    if content_type:
        return _EXTENSION_BY_CONTENT_TYPE.get(content_type.split(";")[0].strip().lower())
    return None
