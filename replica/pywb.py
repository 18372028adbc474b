"""A real pywb on 127.0.0.1 serving a collection of WARC files, for the tests of import and export.

pywb lives in its own virtual environment (`.venv-pywb`, made by `make install`): its pins clash with
ours. `running_pywb(warcs)` builds a collection with pywb's own `wb-manager`, starts `wayback` on a free
loopback port and stops it (by its pid) when the `with` block ends.

    with running_pywb([Path("a.warc.gz")]) as pywb:
        pywb.cdx_url      # http://127.0.0.1:<port>/tdkt/cdx
        pywb.replay_url   # http://127.0.0.1:<port>/tdkt/
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYWB_VENV = Path(os.environ.get("TDKT_PYWB_VENV", REPO / ".venv-pywb"))


class PywbMissing(RuntimeError):
    pass


def tool(name: str) -> Path:
    """A command of the pywb environment (wb-manager, wayback, wacz)."""
    path = PYWB_VENV / "bin" / name
    if not path.exists():
        raise PywbMissing(f"{path} is missing: run `make install` (it makes {PYWB_VENV.name})")
    return path


@dataclass
class PywbHandle:
    port: int
    collection: str
    root: Path
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def cdx_url(self) -> str:
        return f"{self.base_url}{self.collection}/cdx"

    @property
    def replay_url(self) -> str:
        return f"{self.base_url}{self.collection}/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_collection(root: Path, collection: str, archives: Iterable[Path]) -> None:
    """A pywb collection of WARC files (or the WARC files inside WACZ packages), indexed by pywb."""
    subprocess.run([tool("wb-manager"), "init", collection], cwd=root, check=True, capture_output=True)
    files = [str(p) for p in archives]
    warcs = [f for f in files if not f.endswith(".wacz")]
    packages = [f for f in files if f.endswith(".wacz")]
    if warcs:
        subprocess.run(
            [tool("wb-manager"), "add", collection, *warcs], cwd=root, check=True, capture_output=True
        )
    for package in packages:
        # pywb replays a WACZ by taking in its WARC files and merging its own CDXJ index into the
        # collection's: the package's index is what pywb looks captures up in.
        subprocess.run(
            [tool("wb-manager"), "add", "--unpack-wacz", collection, package],
            cwd=root,
            check=True,
            capture_output=True,
        )


@contextmanager
def running_pywb(
    archives: Iterable[Path], *, collection: str = "tdkt", timeout: float = 60.0
) -> Iterator[PywbHandle]:
    root = Path(tempfile.mkdtemp(prefix="tdkt-pywb-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        make_collection(root, collection, archives)
        port = _free_port()
        log_path = root / "wayback.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [tool("wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=root, stdout=log, stderr=log
            )
        handle = PywbHandle(port, collection, root, log_path)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(handle.base_url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"pywb did not start: {log_path.read_text(errors='replace')[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield handle
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)
