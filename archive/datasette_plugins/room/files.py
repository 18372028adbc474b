"""The archive's own copies: stored files (content-addressed under files/) and WARC captures.

A stored file is served only after its bytes are hashed again and found equal to the sha256 the
archive recorded: a reader never downloads a damaged copy as if it were the original. Files are sent
as downloads (never rendered inside the reading room's origin), images inline only when they are a
raster type; every such response carries a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from warcio.archiveiterator import ArchiveIterator

CHUNK = 1 << 20
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"})
# For bytes the archive serves as they were captured: nothing runs, nothing is fetched.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"


class StoredFileError(Exception):
    """A stored copy that is missing, outside the files folder, or no longer matches its sha256."""


def stored_file(files_dir: Path, stored_path: str | None, sha256: str | None) -> Path:
    """The stored copy's path, checked to lie under files/ and to hash to `sha256`."""
    if not stored_path or not sha256:
        raise StoredFileError("tệp chưa được tải về / the file has not been downloaded")
    root = files_dir.resolve()
    path = (files_dir.parent / stored_path).resolve()
    if not path.is_relative_to(root):
        raise StoredFileError(f"{stored_path} lies outside the archive's files folder")
    if not path.is_file():
        raise StoredFileError(f"{stored_path} is missing from the archive's files folder; run `tdkt verify`")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise StoredFileError(f"{stored_path} no longer matches its sha256 {sha256}; run `tdkt verify`")
    return path


def download_headers(filename: str | None, sha256: str, *, inline: bool = False) -> dict[str, str]:
    """Headers of a stored file's response: its name (RFC 6266), its digest (RFC 9530), no sniffing."""
    name = filename or sha256
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    disposition = "inline" if inline else "attachment"
    headers = {
        "content-disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        "repr-digest": f"sha-256=:{_base64(sha256)}:",
        "etag": f'"{sha256}"',
        "x-content-type-options": "nosniff",
        "content-security-policy": SANDBOX_CSP,
        "cache-control": "public, max-age=31536000, immutable",
    }
    return headers


def _base64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


@dataclass
class Capture:
    """One HTTP response as the crawler received it, read back from its WARC record."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # the payload, transfer and content encodings undone

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return "application/octet-stream"


def read_capture(warc_dir: Path, filename: str, offset: int) -> Capture:
    """The response record at `offset` of `warc_dir/filename`."""
    root = warc_dir.resolve()
    path = (warc_dir / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise StoredFileError(f"WARC file {filename} is missing from the archive's warc folder")
    with path.open("rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response" or record.http_headers is None:
                raise StoredFileError(
                    f"{filename} at {offset} holds a {record.rec_type} record, not a response"
                )
            return Capture(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(record.http_headers.get_statuscode()),
                headers=list(record.http_headers.headers),
                body=record.content_stream().read(),
            )
    raise StoredFileError(f"{filename} has no record at {offset}")
