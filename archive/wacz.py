"""`tdkt export --wacz`: the archive's WARC files as one WACZ 1.1.1 package, and a validator for it.

A WACZ is a ZIP that ReplayWeb.page and pywb open as is:

    archive/<name>.warc.gz   the WARC files, stored (not deflated) so a record is read in place
    indexes/index.cdx        CDXJ: "<SURT> <timestamp> {json}" per response/revisit record, sorted
    pages/pages.jsonl        a header line, then one line per archived page: url, ts, title, text
    datapackage.json         every file above with its sha256 and size
    datapackage-digest.json  the sha256 of datapackage.json

`validate_wacz` checks a package against those rules, reading every indexed record back; the `wacz`
package's own validator (in the tests' pywb environment) and pywb's replay check it independently.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from io import TextIOWrapper
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from archive.normalize.dates import iso_to_timestamp, timestamp_to_iso
from archive.warcsource import member_data_offset, open_at

WACZ_VERSION = "1.1.1"
PAGES_FORMAT = "json-pages-1.0"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
_WWW = re.compile(r"^www\d*\.")


def surt(url: str) -> str:
    """The SURT key web archives sort and look up captures by (the IA's canonicalisation, as pywb's):
    host reversed with commas and www. dropped, default port dropped, path and query lowercased,
    a trailing slash dropped, query arguments in order."""
    parts = urlsplit(url)
    host = _WWW.sub("", (parts.hostname or "").lower())
    key = ",".join(reversed(host.split(".")))
    port = parts.port
    if port is not None and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        key += f":{port}"
    path = (parts.path or "/").lower()
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    key += ")" + path
    if parts.query:
        arguments = sorted(tuple(a.split("=", 1)) for a in parts.query.lower().split("&"))
        key += "?" + "&".join("=".join(a) for a in arguments)
    return key


@dataclass
class IndexLine:
    key: str
    timestamp: str
    fields: dict[str, str]

    def __str__(self) -> str:
        return f"{self.key} {self.timestamp} {json.dumps(self.fields, ensure_ascii=False)}"


def index_warc(path: Path, name: str) -> Iterator[IndexLine]:
    """CDXJ lines of one WARC file's response, revisit and resource records."""
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type not in ("response", "revisit", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if not url.startswith(("http://", "https://")):
                continue
            record.content_stream().read()  # to the end of the record, so its length is known
            fields: dict[str, str] = {"url": url}
            if record.rec_type == "revisit":
                fields["mime"] = "warc/revisit"
            elif record.http_headers is not None:
                fields["mime"] = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
            if record.http_headers is not None and record.rec_type != "resource":
                fields["status"] = record.http_headers.get_statuscode()
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            if digest:
                fields["digest"] = digest
            fields |= {
                "length": str(records.get_record_length()),
                "offset": str(records.get_record_offset()),
                "filename": name,
            }
            stamp = iso_to_timestamp(record.rec_headers.get_header("WARC-Date"))
            yield IndexLine(surt(url), stamp, fields)


def _sha256_of(package: zipfile.ZipFile, name: str) -> tuple[str, int]:
    """sha256 and size of a member's bytes. A stored member is read straight from the ZIP file, so a
    damaged one is hashed as it is (zipfile would stop at its CRC) and the mismatch can be named."""
    digest = hashlib.sha256()
    size = 0
    start = member_data_offset(package, name)
    if start is not None and package.filename:
        remaining = package.getinfo(name).file_size
        with open(package.filename, "rb") as fh:
            fh.seek(start)
            while remaining:
                block = fh.read(min(1 << 20, remaining))
                if not block:
                    break
                digest.update(block)
                size += len(block)
                remaining -= len(block)
        return "sha256:" + digest.hexdigest(), size
    with package.open(name) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return "sha256:" + digest.hexdigest(), size


def _pages(db_path: Path, captured: dict[str, str]) -> Iterator[dict[str, str]]:
    """Every page still on the site with a capture in the WARC files, dated by its latest full capture."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT url, title, body_text FROM pages WHERE removed_at IS NULL ORDER BY url"
        ).fetchall()
    for url, title, text in rows:
        stamp = captured.get(url)
        if stamp is None:
            continue
        page = {"url": url, "ts": timestamp_to_iso(stamp).replace("+00:00", "Z"), "title": title or ""}
        if text:
            page["text"] = text
        yield page


def export_wacz(db_path: Path, out_path: Path, *, title: str | None = None) -> dict[str, int]:
    """Write the package; returns how many WARC files, index lines and pages it holds."""
    db_path = Path(db_path)
    warc_dir = db_path.parent / "warc"
    warcs = sorted(warc_dir.glob("*.warc.gz")) + sorted(warc_dir.glob("*.warc"))
    if not warcs:
        raise FileNotFoundError(f"{warc_dir} holds no WARC file: crawl with --warc (the default) first")
    lines: list[IndexLine] = []
    for path in warcs:
        lines.extend(index_warc(path, path.name))
    lines.sort(
        key=lambda line: (line.key, line.timestamp, line.fields["filename"], int(line.fields["offset"]))
    )
    # A page is listed at its latest capture that holds its bytes: replay tools answer a revisit of a
    # 304 with the 304 itself.
    captured: dict[str, str] = {}
    for line in lines:
        if line.fields.get("status") == "200" and line.fields.get("mime") != "warc/revisit":
            captured[line.fields["url"]] = max(captured.get(line.fields["url"], ""), line.timestamp)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    pages = 0
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as package:
        for path in warcs:
            package.write(path, f"archive/{path.name}", compress_type=zipfile.ZIP_STORED)
        with package.open(INDEX_PATH, "w") as fh, TextIOWrapper(fh, encoding="utf-8") as text:
            for line in lines:
                text.write(f"{line}\n")
        with package.open(PAGES_PATH, "w") as fh, TextIOWrapper(fh, encoding="utf-8") as text:
            header = {"format": PAGES_FORMAT, "id": "pages", "title": "Pages", "hasText": True}
            text.write(json.dumps(header) + "\n")
            for page in _pages(db_path, captured):
                text.write(json.dumps(page, ensure_ascii=False) + "\n")
                pages += 1
    # The digests are read back from the closed package: what is hashed is what was written.
    with zipfile.ZipFile(partial) as written:
        resources = []
        for name in written.namelist():
            digest, size = _sha256_of(written, name)
            resources.append({"name": Path(name).name.lower(), "path": name, "hash": digest, "bytes": size})
    datapackage = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title or f"tdkt-archive: {db_path.name}",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"tdkt-archive {_version()}",
        "resources": resources,
    }
    payload = json.dumps(datapackage, indent=2, ensure_ascii=False).encode()
    digest_doc = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(payload).hexdigest()}
    with zipfile.ZipFile(partial, "a", compression=zipfile.ZIP_STORED) as package:
        package.writestr("datapackage.json", payload)
        package.writestr("datapackage-digest.json", json.dumps(digest_doc, indent=2))
    partial.replace(out_path)  # a kill never leaves a half package under the final name
    return {"warc_files": len(warcs), "index_lines": len(lines), "pages": pages}


def _version() -> str:
    try:
        return version("tdkt-archive")
    except PackageNotFoundError:
        return "unknown"


# -- validation -----------------------------------------------------------------------------------------


def validate_wacz(path: Path) -> list[str]:
    """Every way the package breaks the WACZ 1.1.1 rules above; empty when it keeps them all."""
    problems: list[str] = []
    try:
        package = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{path}: not a ZIP file ({exc})"]
    with package:
        names = set(package.namelist())
        if "datapackage.json" not in names:
            return ["datapackage.json is missing"]
        try:
            datapackage = json.loads(package.read("datapackage.json"))
        except json.JSONDecodeError as exc:
            return [f"datapackage.json is not JSON ({exc})"]
        if datapackage.get("profile") != "data-package":
            problems.append("datapackage.json: profile is not data-package")
        if not str(datapackage.get("wacz_version", "")).startswith("1."):
            problems.append(f"datapackage.json: wacz_version {datapackage.get('wacz_version')!r} is not 1.x")
        listed: dict[str, dict] = {}
        for resource in datapackage.get("resources", []):
            name = resource.get("path", "")
            listed[name] = resource
            if name not in names:
                problems.append(f"{name}: listed in datapackage.json, not in the package")
                continue
            digest, size = _sha256_of(package, name)
            if resource.get("hash") != digest:
                problems.append(f"{name}: sha256 {digest}, datapackage.json says {resource.get('hash')}")
            if resource.get("bytes") != size:
                problems.append(f"{name}: {size} bytes, datapackage.json says {resource.get('bytes')}")
        for name in sorted(names - set(listed) - {"datapackage.json", "datapackage-digest.json"}):
            problems.append(f"{name}: in the package but not listed in datapackage.json")
        if "datapackage-digest.json" in names:
            expected = json.loads(package.read("datapackage-digest.json")).get("hash")
            actual = "sha256:" + hashlib.sha256(package.read("datapackage.json")).hexdigest()
            if expected != actual:
                problems.append("datapackage-digest.json does not match datapackage.json")
        warcs = sorted(n for n in names if n.startswith("archive/") and n.endswith((".warc", ".warc.gz")))
        if not warcs:
            problems.append("archive/ holds no WARC file")
        for name in warcs:
            if package.getinfo(name).compress_type != zipfile.ZIP_STORED:
                problems.append(f"{name}: deflated; WARC files must be stored for reading in place")
        problems += _check_index(package, names)
        problems += _check_pages(package, names)
    return problems


def _check_index(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    if INDEX_PATH not in names:
        return [f"{INDEX_PATH} is missing"]
    problems: list[str] = []
    previous: tuple[str, str] | None = None
    for number, raw in enumerate(package.read(INDEX_PATH).decode("utf-8").splitlines(), 1):
        key, _, rest = raw.partition(" ")
        stamp, _, blob = rest.partition(" ")
        try:
            fields = json.loads(blob)
        except json.JSONDecodeError:
            problems.append(f"{INDEX_PATH} line {number}: not '<key> <timestamp> <json>'")
            continue
        if previous is not None and (key, stamp) < previous:
            problems.append(f"{INDEX_PATH} line {number}: out of order")
        previous = (key, stamp)
        if not (len(stamp) == 14 and stamp.isdigit()):
            problems.append(f"{INDEX_PATH} line {number}: timestamp {stamp!r} is not 14 digits")
        member = f"archive/{fields.get('filename')}"
        if member not in names:
            problems.append(f"{INDEX_PATH} line {number}: {member} is not in the package")
            continue
        if surt(fields.get("url", "")) != key:
            problems.append(f"{INDEX_PATH} line {number}: key {key} is not the SURT of {fields.get('url')}")
        with open_at(f"{package.filename}!{member}#{int(fields.get('offset', 0))}") as fh:
            try:
                record = next(iter(ArchiveIterator(fh)))
            except Exception as exc:  # a wrong offset lands mid-record
                problems.append(
                    f"{INDEX_PATH} line {number}: no WARC record at {member}:{fields.get('offset')} ({exc})"
                )
                continue
            target = record.rec_headers.get_header("WARC-Target-URI")
            if target != fields.get("url"):
                problems.append(
                    f"{INDEX_PATH} line {number}: the record there is of {target}, not {fields.get('url')}"
                )
    return problems


def _check_pages(package: zipfile.ZipFile, names: set[str]) -> list[str]:
    if PAGES_PATH not in names:
        return [f"{PAGES_PATH} is missing"]
    lines = package.read(PAGES_PATH).decode("utf-8").splitlines()
    if not lines:
        return [f"{PAGES_PATH} is empty"]
    problems: list[str] = []
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError:
        return [f"{PAGES_PATH}: the first line is not JSON"]
    if header.get("format") != PAGES_FORMAT:
        problems.append(f"{PAGES_PATH}: the first line does not say format {PAGES_FORMAT}")
    for number, raw in enumerate(lines[1:], 2):
        try:
            page = json.loads(raw)
        except json.JSONDecodeError:
            problems.append(f"{PAGES_PATH} line {number}: not JSON")
            continue
        if not page.get("url") or not page.get("ts"):
            problems.append(f"{PAGES_PATH} line {number}: url and ts are required")
    return problems
