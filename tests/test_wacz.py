"""`tdkt export --wacz`: the package validates (ours and the `wacz` tool's validator), a real pywb replays
every listed page with the archived bytes, damage is named, and the package imports back whole."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.wacz import INDEX_PATH, PAGES_PATH, surt, validate_wacz
from replica.pywb import running_pywb, tool
from tests.conftest import Recorded, run_tdkt
from tests.test_import_e2e import assert_same_archive, rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def package(recorded: Recorded, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wacz") / "tdkt.wacz"
    result = run_tdkt(
        "export", "--db", str(recorded.live_db), "--wacz", str(out), "--title", "Ban TĐKT Thái Bình"
    )
    assert "valid" in result.stdout
    return out


def pages_of(path: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as z:
        return [json.loads(line) for line in z.read(PAGES_PATH).decode().splitlines()]


def archived_bodies(warc_dir: Path) -> dict[tuple[str, str], bytes]:
    """(url, 14-digit time) → payload of every 200 response in the archive's own WARC files."""
    out = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response" and record.http_headers.get_statuscode() == "200":
                    stamp = "".join(ch for ch in record.rec_headers.get_header("WARC-Date") if ch.isdigit())[
                        :14
                    ]
                    out[(record.rec_headers.get_header("WARC-Target-URI"), stamp)] = (
                        record.content_stream().read()
                    )
    return out


def test_our_validator_and_the_wacz_tool_accept_it(package: Path) -> None:
    assert validate_wacz(package) == []
    result = subprocess.run([tool("wacz"), "validate", "-f", str(package)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout


def test_it_holds_every_warc_file_stored_every_record_indexed_and_every_page(
    recorded: Recorded, package: Path
) -> None:
    warc_dir = recorded.live_db.parent / "warc"
    with zipfile.ZipFile(package) as z:
        stored = {n: z.getinfo(n) for n in z.namelist() if n.startswith("archive/")}
        index = z.read(INDEX_PATH).decode().splitlines()
        datapackage = json.loads(z.read("datapackage.json"))
    assert sorted(stored) == sorted(f"archive/{p.name}" for p in warc_dir.glob("*.warc.gz"))
    assert all(info.compress_type == zipfile.ZIP_STORED for info in stored.values())
    records = 0
    for path in warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as fh:
            records += sum(1 for r in ArchiveIterator(fh) if r.rec_type in ("response", "revisit"))
    assert len(index) == records
    assert datapackage["wacz_version"] == "1.1.1" and datapackage["title"] == "Ban TĐKT Thái Bình"
    listed = {p["url"]: p for p in pages_of(package)[1:]}
    live = {
        r["url"]: r
        for r in rows(recorded.live_db, "SELECT url, title, body_text FROM pages WHERE removed_at IS NULL")
    }
    assert sorted(listed) == sorted(live)
    assert [
        u
        for u in live
        if (listed[u]["title"], listed[u].get("text")) != (live[u]["title"], live[u]["body_text"])
    ] == []


def test_pywb_replays_every_page_with_the_archived_bytes(recorded: Recorded, package: Path) -> None:
    bodies = archived_bodies(recorded.live_db.parent / "warc")
    pages = pages_of(package)[1:]
    with running_pywb([package]) as pywb:
        wrong = []
        for page in pages:
            stamp = "".join(ch for ch in page["ts"] if ch.isdigit())
            with urllib.request.urlopen(f"{pywb.replay_url}{stamp}id_/{page['url']}") as answer:
                if (answer.status, answer.read()) != (200, bodies[(page["url"], stamp)]):
                    wrong.append(page["url"])
    assert pages and wrong == []


def test_the_package_imports_back_into_the_same_archive(
    recorded: Recorded, package: Path, tmp_path: Path
) -> None:
    db = tmp_path / "tdkt.sqlite"
    run_tdkt(
        "import", "--db", str(db), "--quiet", "--all-captures", "--site", recorded.base_url, str(package)
    )
    assert_same_archive(db, recorded.live_db)


# -- damage is named ---------------------------------------------------------------------------------------


@pytest.fixture
def damaged(package: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "damaged.wacz"
    shutil.copy(package, copy)
    yield copy


def test_a_flipped_byte_in_a_warc_file_is_named(damaged: Path) -> None:
    with zipfile.ZipFile(damaged) as z:
        member = sorted(n for n in z.namelist() if n.startswith("archive/"))[0]
        info = z.getinfo(member)
    data = bytearray(damaged.read_bytes())
    data[info.header_offset + 30 + len(member) + info.file_size // 2] ^= 0x01  # inside the stored bytes
    damaged.write_bytes(bytes(data))
    problems = validate_wacz(damaged)
    assert any(p.startswith(f"{member}: sha256") for p in problems)


def rewrite_member(path: Path, name: str, change: Any) -> None:
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members[name] = change(members[name])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for n, data in members.items():
            z.writestr(n, data)


def test_an_index_line_pointing_at_the_wrong_record_is_named(damaged: Path) -> None:
    def shift(index: bytes) -> bytes:
        lines = index.decode().splitlines()
        key, stamp, blob = lines[0].split(" ", 2)
        fields = json.loads(blob)
        fields["offset"] = str(int(fields["offset"]) + 7)
        lines[0] = f"{key} {stamp} {json.dumps(fields)}"
        return ("\n".join(lines) + "\n").encode()

    rewrite_member(damaged, INDEX_PATH, shift)
    problems = validate_wacz(damaged)
    assert any("line 1: no WARC record" in p for p in problems)
    assert any(p.startswith(f"{INDEX_PATH}: sha256") for p in problems)


def test_a_page_list_without_its_header_is_named(damaged: Path) -> None:
    rewrite_member(damaged, PAGES_PATH, lambda data: data.split(b"\n", 1)[1])
    assert any("does not say format json-pages-1.0" in p for p in validate_wacz(damaged))


@pytest.mark.parametrize(
    ("url", "key"),
    [
        # as pywb's own indexer writes them (its SURT library), for the shapes of the site's URLs
        ("http://tdkt.thaibinh.gov.vn/thong-bao/?page=2&b=1", "vn,gov,thaibinh,tdkt)/thong-bao?b=1&page=2"),
        ("http://www.tdkt.thaibinh.gov.vn/", "vn,gov,thaibinh,tdkt)/"),
        (
            "https://tdkt.thaibinh.gov.vn:8080/A/B.html?x=%C3%A1",
            "vn,gov,thaibinh,tdkt:8080)/a/b.html?x=%c3%a1",
        ),
        ("http://127.0.0.1:4100/a/", "1,0,0,127:4100)/a"),
    ],
)
def test_index_keys_are_the_surt_form_pywb_looks_up(url: str, key: str) -> None:
    assert surt(url) == key
