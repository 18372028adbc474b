"""`tdkt import` and `tdkt export`: an operator's mistake gets one line and the documented exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_tdkt


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr
    return result.stderr.strip()


def test_an_import_needs_a_source(tmp_path: Path) -> None:
    result = run_tdkt("import", "--db", str(tmp_path / "a.sqlite"), check=False)
    assert result.returncode == 2
    assert "give WARC/WACZ files, or --cdx URL" in one_line_error(result)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    result = run_tdkt(
        "import", "--db", str(tmp_path / "a.sqlite"), str(tmp_path / "none.warc.gz"), check=False
    )
    assert result.returncode == 2
    assert "none.warc.gz does not exist" in one_line_error(result)


@pytest.mark.parametrize("name", ["notes.txt", "broken.warc.gz"])
def test_a_file_that_is_no_web_archive_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Bien ban hop Hoi dong thi dua\n" * 10)
    result = run_tdkt("import", "--db", str(tmp_path / "a.sqlite"), str(path), check=False)
    assert result.returncode == 2
    assert name in one_line_error(result)


def test_a_date_that_is_no_date_is_refused(tmp_path: Path) -> None:
    result = run_tdkt(
        "import",
        "--db",
        str(tmp_path / "a.sqlite"),
        "--cdx",
        "http://127.0.0.1:9/cdx/search/cdx",
        "--from",
        "2024-13",
        check=False,
    )
    assert result.returncode == 2
    assert "'2024-13' is not a date" in one_line_error(result)


def test_an_archive_that_does_not_answer_exits_4_saying_to_run_again(tmp_path: Path) -> None:
    result = run_tdkt(
        "import",
        "--db",
        str(tmp_path / "a.sqlite"),
        "--cdx",
        "http://127.0.0.1:9/cdx/search/cdx",
        "--backoff",
        "0",
        "--quiet",
        check=False,
    )
    assert result.returncode == 4
    assert "run the same command later to go on" in one_line_error(result)


def test_an_export_needs_warc_files(tmp_path: Path) -> None:
    from archive.store import ArchiveStore

    ArchiveStore(tmp_path / "tdkt.sqlite").close()
    result = run_tdkt(
        "export", "--db", str(tmp_path / "tdkt.sqlite"), "--wacz", str(tmp_path / "x.wacz"), check=False
    )
    assert result.returncode == 2
    assert "holds no WARC file" in one_line_error(result)
    assert not (tmp_path / "x.wacz").exists()
