"""What kind of file a link or a download is, and the names it may keep: the one home of file-type rules.

The spider asks whether a link is a document or an image, the store which extension a stored copy gets,
and both what a download's original name was. A name from the network is metadata only: it never
becomes a path, and the extension a stored file gets is checked to be a short word of letters and digits.
"""

from __future__ import annotations

import posixpath
import re
from email.message import Message
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import parse_qsl, unquote, urlsplit

# Documents a page attaches (with a leading dot, as os.path.splitext gives them).
DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".ppt", ".pptx", ".7z", ".odt", ".ods", ".rtf"}
)
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg"})
# Script endings that serve downloads on portals of this kind ("download.aspx?file=..").
DOWNLOAD_HANDLER = re.compile(r"(?:^|/)(?:download|tai-?ve|getfile|file|attach\w*)(?:\.\w+)?$", re.I)

_SAFE_EXTENSION = re.compile(r"^[a-z0-9]{1,5}$")
_NAME_PARAMETER = re.compile(r"(?:^|&)(?:file|filename|name)=([^&]+)", re.I)


def url_extension(url: str) -> str:
    """The extension of the URL path's last segment, lowercased, with its dot ("" when it has none)."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return posixpath.splitext(last)[1].lower()


def is_document_url(url: str) -> bool:
    """A document download: by extension, or a download handler carrying a file name in its query."""
    if url_extension(url) in DOCUMENT_EXTENSIONS:
        return True
    parts = urlsplit(url)
    if DOWNLOAD_HANDLER.search(parts.path):
        return any(posixpath.splitext(v)[1].lower() in DOCUMENT_EXTENSIONS for _, v in parse_qsl(parts.query))
    return False


def is_image_url(url: str) -> bool:
    return url_extension(url) in IMAGE_EXTENSIONS


def is_image_type(content_type: str | None) -> bool:
    """Whether a response's Content-Type is an image (an HTML error page served for an image is not)."""
    return (content_type or "").split(";")[0].strip().lower().startswith("image/")


def name_in_url(url: str) -> str | None:
    """The last path segment of a link, as the attachment's name until its download says otherwise."""
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None


def stored_extension(filename: str | None, url: str) -> str | None:
    """The extension a stored copy gets: from the original name, else the URL; None unless it is safe."""
    for candidate in (filename or "", url.split("?")[0]):
        ext = candidate.rsplit(".", 1)[-1].lower() if "." in candidate else ""
        if _SAFE_EXTENSION.match(ext):
            return ext
    return None


def original_filename(disposition: str | None, url: str) -> str | None:
    """The file's original name, from Content-Disposition or the URL; directories never survive."""
    name: str | None = None
    if disposition:
        msg = Message()
        msg["content-disposition"] = disposition
        name = msg.get_filename()
    if not name:
        parts = urlsplit(url)
        name = unquote(parts.path.rsplit("/", 1)[-1])
        m = _NAME_PARAMETER.search(parts.query)
        if m and "." in unquote(m[1]):
            name = unquote(m[1])
    if not name:
        return None
    # "..\..\x.pdf" or "/etc/passwd": the name is metadata, and only its last component is kept.
    name = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    name = name.strip().lstrip(".")
    return name or None
