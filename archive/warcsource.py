"""Captures read from WARC/WARC.gz files (ours or anyone's: Browsertrix, wget, Heritrix) and WACZ packages.

A WACZ is a ZIP whose `archive/` folder holds WARC files, stored uncompressed so each can be read in
place. Records are found by one pass over each file and read again later by offset.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator

from archive.captures import REVISIT_MIME, Capture
from archive.cdx import RawCapture
from archive.normalize.dates import iso_to_timestamp

WARC = "warc"
WACZ = "wacz"
_SKIPPED_HEADERS = frozenset({"content-length", "transfer-encoding", "content-encoding"})


class UnreadableArchive(ValueError):
    """A file given to import is neither a WARC nor a WACZ (or is damaged past its first record)."""


def kind_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".wacz"):
        return WACZ
    if name.endswith((".warc", ".warc.gz")):
        return WARC
    raise UnreadableArchive(f"{path}: not a .warc, .warc.gz or .wacz file")


def scan(path: Path) -> Iterator[Capture]:
    """Every response, resource and revisit record of an http(s) URL in a WARC or WACZ file."""
    path = path.resolve()
    if kind_of(path) == WARC:
        with open(path, "rb") as fh:
            yield from _scan_stream(fh, f"{path}#")
        return
    try:
        package = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableArchive(f"{path}: not a ZIP file ({exc})") from None
    with package:
        members = sorted(
            n
            for n in package.namelist()
            if n.startswith("archive/") and n.lower().endswith((".warc", ".warc.gz"))
        )
        if not members:
            raise UnreadableArchive(f"{path}: no WARC file under archive/ (is it a WACZ?)")
        for member in members:
            with package.open(member) as fh:
                yield from _scan_stream(fh, f"{path}!{member}#")


def _scan_stream(fh: IO[bytes], locator_prefix: str) -> Iterator[Capture]:
    records = ArchiveIterator(fh)
    where = locator_prefix.rstrip("#")
    try:
        for number, record in enumerate(records):
            if number == 0 and not record.format.startswith("warc"):
                # warcio reads any line of words as an old ARC header: a WARC file opens with a WARC record.
                raise UnreadableArchive(f"{where}: not a WARC file (no WARC record at its start)")
            if record.rec_type not in ("response", "revisit", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if not url.startswith(("http://", "https://")):
                continue
            date = record.rec_headers.get_header("WARC-Date") or ""
            digest = (record.rec_headers.get_header("WARC-Payload-Digest") or "").removeprefix("sha1:")
            if record.rec_type == "revisit":
                status, mime = None, REVISIT_MIME
            elif record.http_headers is not None and record.rec_type == "response":
                status = int(record.http_headers.get_statuscode() or 0) or None
                mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip() or None
            else:  # a resource record: the bytes themselves, as if answered 200
                status = 200
                mime = (record.rec_headers.get_header("Content-Type") or "").split(";")[0].strip() or None
            offset = records.get_record_offset()
            yield Capture(
                url=url,
                timestamp=iso_to_timestamp(date),
                status=status,
                mime=mime,
                digest=digest or None,
                locator=f"{locator_prefix}{offset}",
            )
    except UnreadableArchive:
        raise
    except Exception as exc:
        raise UnreadableArchive(f"{where}: damaged WARC ({type(exc).__name__}: {exc})") from None


def member_data_offset(package: zipfile.ZipFile, member: str) -> int | None:
    """Where a stored (not deflated) member's bytes start in the ZIP file, or None if it is deflated.

    WACZ stores its WARC files so that a record is read by seeking the ZIP itself; seeking inside a
    member through zipfile would re-read the member from its start on every backward jump."""
    info = package.getinfo(member)
    if info.compress_type != zipfile.ZIP_STORED:
        return None
    fp = package.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = fp.read(30)
    if header[:4] != b"PK\x03\x04":
        raise UnreadableArchive(f"{member}: damaged ZIP entry")
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_length + extra_length


@contextmanager
def open_at(locator: str) -> Iterator[IO[bytes]]:
    """A file positioned at a locator: "<file>#<offset>" or "<wacz>!<member>#<offset>"."""
    where, _, offset = locator.rpartition("#")
    if "!" in where:
        package_path, _, member = where.partition("!")
        with zipfile.ZipFile(package_path) as package:
            start = member_data_offset(package, member)
            if start is not None:
                with open(package_path, "rb") as fh:
                    fh.seek(start + int(offset))
                    yield fh
                return
            with package.open(member) as inner:
                inner.seek(int(offset))
                yield inner
    else:
        with open(where, "rb") as fh:
            fh.seek(int(offset))
            yield fh


def read(locator: str) -> RawCapture:
    """The capture at a locator: status, the site's headers and the payload (transfer and content
    encodings undone, as a browser would see it)."""
    with open_at(locator) as fh:
        record = next(iter(ArchiveIterator(fh)))
        body = record.content_stream().read()
        if record.rec_type == "resource":
            ctype = record.rec_headers.get_header("Content-Type") or "application/octet-stream"
            return RawCapture(200, "OK", [("Content-Type", ctype)], body)
        http = record.http_headers
        status = int(http.get_statuscode() or 0)
        reason = http.get_statuscode_reason() if hasattr(http, "get_statuscode_reason") else ""
        headers = [(k, v) for k, v in http.headers if k.lower() not in _SKIPPED_HEADERS]
        return RawCapture(status, reason or "", headers, body)
