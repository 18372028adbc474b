"""Text and tables of attached files (PDF, DOCX, XLSX, XLS, ZIP), parsed in a child process.

Attachments come from the open web: a ZIP or DOCX bomb, a PDF that sends pypdf into a loop, or a
spreadsheet with a million rows must not take the crawler down with it. The parsing therefore runs in
`python -m archive.extract` under an address-space limit (RLIMIT_AS) and a wall-clock timeout, and ZIP
containers are checked from their directory before anything is decompressed. Every failure comes
back as an error string; `extract_file` never raises for a bad file.

One module per concern:
- `sandbox`: the limited child process, one file at a time or a batch, and its parent side;
- `ocr`: page images read by Tesseract, for scans without a text layer;
- `readers`: one reader per format, run inside the child;
- `legacy`: legacy Vietnamese encodings undone, text tidied (NFC, spaces).
"""

from archive.extract.legacy import legacy_decoder, repair_legacy_text, tidy_text
from archive.extract.readers import (
    MAX_COMPRESSION_RATIO,
    MAX_NESTED_ZIP_DEPTH,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    RATIO_CHECK_MIN_BYTES,
    ExtractionError,
    check_zip,
    pdf_tables,
)
from archive.extract.sandbox import Extracted, ExtractJob, extract_file, extract_files
from archive.filetypes import SUPPORTED_TYPES, detect_type

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_NESTED_ZIP_DEPTH",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_MEMBERS",
    "RATIO_CHECK_MIN_BYTES",
    "SUPPORTED_TYPES",
    "ExtractJob",
    "Extracted",
    "ExtractionError",
    "check_zip",
    "detect_type",
    "extract_file",
    "extract_files",
    "legacy_decoder",
    "pdf_tables",
    "repair_legacy_text",
    "tidy_text",
]
