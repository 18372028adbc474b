"""Operator mistakes through the real `tdkt` command: one line saying what is wrong and what to do, and
README's exit code (2: bad arguments, unusable paths, no site there; 3 only for a held lock)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

NOBODY = 65534


def unprivileged() -> list[str]:
    """The command prefix that runs a program as an ordinary user (util-linux setpriv, when root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def tdkt(
    *args: str, cwd: Path = REPO, as_nobody: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(unprivileged() if as_nobody else []), sys.executable, "-m", "archive.cli", *args],
        cwd=cwd,
        env=dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The command's one line on stderr, after checking the exit code and that nothing else was said."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens on it any more


def privileged_port_is_refused() -> bool:
    """Whether an unprivileged user here is refused port 80 (the test needs to run as one)."""
    probe = "import socket; socket.socket().bind(('127.0.0.1', 80))"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return False
    result = subprocess.run([*unprivileged(), sys.executable, "-c", probe], capture_output=True)
    return result.returncode != 0 and b"PermissionError" in result.stderr


needs_privilege_rules = pytest.mark.skipif(
    not privileged_port_is_refused(), reason="ports below 1024 are open to every user on this machine"
)


def test_db_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    line = one_line(tdkt("crawl", "--db", str(tmp_path / "notes.txt" / "tdkt.sqlite")), 2)
    assert line == (
        f"tdkt crawl: --db {tmp_path}/notes.txt/tdkt.sqlite: {tmp_path}/notes.txt is a file, not a folder; "
        "give a path in a folder"
    )


def test_db_in_a_missing_folder_outside_the_current_one_is_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "deeper"
    line = one_line(tdkt("crawl", "--db", str(missing / "tdkt.sqlite")), 2)
    assert line == (
        f"tdkt crawl: --db {missing}/tdkt.sqlite: the folder {missing} does not exist; "
        f"create it first (mkdir -p {missing})"
    )
    assert not (tmp_path / "nowhere").exists()


def test_db_that_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "tdkt.sqlite").write_text("a list of names")
    for command in ("crawl", "verify", "enrich", "serve"):
        line = one_line(tdkt(command, "--db", str(tmp_path / "tdkt.sqlite")), 2)
        assert line.startswith(f"tdkt {command}: --db {tmp_path}/tdkt.sqlite is not an SQLite archive")
    assert (tmp_path / "tdkt.sqlite").read_text() == "a list of names"


def test_an_unreachable_site_is_named_and_the_default_said(tmp_path: Path, closed_port: int) -> None:
    # Run inside tmp_path: a --db folder inside the current folder is made, as data/ is.
    site = f"http://127.0.0.1:{closed_port}/"
    result = tdkt(
        "crawl", "--site", site, "--db", "data/tdkt.sqlite", "--delay", "0", "--quiet", cwd=tmp_path
    )
    line = one_line(result, 2)
    assert line == (
        f"tdkt crawl: cannot reach {site} (connection refused: nothing listens there): check --site; "
        "without it the crawl goes to the real site, http://tdkt.thaibinh.gov.vn/"
    )
    assert (tmp_path / "data").is_dir() and not (tmp_path / "data" / "tdkt.sqlite").exists()


def test_replica_on_a_busy_port(busy_port: int) -> None:
    line = one_line(tdkt("replica", "--port", str(busy_port)), 2)
    assert line == (
        f"tdkt replica: port {busy_port} on 127.0.0.1 is already in use by another program; "
        "choose another with --port"
    )


@needs_privilege_rules
def test_replica_on_a_privileged_port() -> None:
    line = one_line(tdkt("replica", "--port", "80", as_nobody=True), 2)
    assert line == (
        "tdkt replica: port 80 needs administrator rights (ports below 1024 are privileged); "
        "choose a port of 1024 or more with --port"
    )


@pytest.fixture
def archive_file() -> Iterator[Path]:
    """An archive any user may read (the privileged-port tests run the command as an ordinary user)."""
    from archive.store import ArchiveStore

    folder = Path(tempfile.mkdtemp(prefix="tdkt-mistakes-"))
    folder.chmod(0o755)
    db = folder / "tdkt.sqlite"
    ArchiveStore(db).close()
    db.chmod(0o644)
    yield db
    shutil.rmtree(folder)


def test_serve_on_a_busy_port(archive_file: Path, busy_port: int) -> None:
    line = one_line(tdkt("serve", "--db", str(archive_file), "--port", str(busy_port)), 2)
    assert line == (
        f"tdkt serve: port {busy_port} on 127.0.0.1 is already in use by another program; "
        "choose another with --port"
    )


@needs_privilege_rules
def test_serve_on_a_privileged_port(archive_file: Path) -> None:
    result = tdkt("serve", "--db", str(archive_file), "--port", "80", as_nobody=True)
    assert one_line(result, 2) == (
        "tdkt serve: port 80 needs administrator rights (ports below 1024 are privileged); "
        "choose a port of 1024 or more with --port"
    )
