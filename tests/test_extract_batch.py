"""archive.extract.extract_files: one child for many files, the same answers and limits as one at a time."""

from __future__ import annotations

import zipfile
from pathlib import Path

from archive.extract import ExtractJob, extract_file, extract_files
from tests.test_extract import make_docx, make_pdf


def test_batch_gives_the_same_results_as_one_file_at_a_time(tmp_path: Path) -> None:
    paths = [
        make_docx(tmp_path / "qd.docx"),
        make_pdf(tmp_path / "qd.pdf"),
        make_pdf(tmp_path / "kh.pdf", pages=3),
    ]
    batch = dict(extract_files(ExtractJob(p.name, p) for p in paths))
    for path in paths:
        single = extract_file(path)
        assert (batch[path.name].text, batch[path.name].tables, batch[path.name].error) == (
            single.text,
            single.tables,
            single.error,
        )


def test_a_hang_in_the_middle_costs_only_that_file(tmp_path: Path) -> None:
    before = make_docx(tmp_path / "truoc.docx")
    slow = make_pdf(tmp_path / "dai.pdf", pages=3000)
    after = make_pdf(tmp_path / "sau.pdf")
    jobs = [ExtractJob("before", before), ExtractJob("slow", slow), ExtractJob("after", after)]
    # 3000 pages take about 4 s to parse, one page milliseconds: a 1 s limit stops only the slow file.
    results = dict(extract_files(jobs, timeout=1.0))
    assert results["slow"].error == "timeout after 1 s"
    assert results["before"].text == extract_file(before).text
    assert results["after"].text == extract_file(after).text


def test_a_bomb_in_the_middle_is_refused_and_the_rest_still_read(tmp_path: Path) -> None:
    bomb = tmp_path / "zeros.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("du-lieu.xlsx", "w") as member,
    ):
        for _ in range(64):
            member.write(bytes(1024 * 1024))
    good = make_docx(tmp_path / "qd.docx")
    results = dict(extract_files([ExtractJob("bomb", bomb), ExtractJob("good", good)]))
    assert results["bomb"].error is not None and results["bomb"].error.startswith("zip bomb")
    assert results["good"].text == extract_file(good).text


def test_unsupported_and_missing_files_are_answered_without_the_child(tmp_path: Path) -> None:
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    results = dict(extract_files([ExtractJob("doc", legacy), ExtractJob("gone", tmp_path / "gone.pdf")]))
    assert results["doc"].error == "unsupported type .doc"
    assert results["gone"].error is not None and results["gone"].error.startswith("cannot read file")


def test_memory_limit_is_enforced_in_batch_mode(tmp_path: Path) -> None:
    results = dict(extract_files([ExtractJob("docx", make_docx(tmp_path / "qd.docx"))], memory_mb=30))
    assert results["docx"].error == "memory limit (30 MB)"
