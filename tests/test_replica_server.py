"""The replica over real HTTP on loopback: request log, live state switch, faults, and the CLI."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from replica.site import FAULT_KINDS, build_site
from replica.testing import ReplicaHandle, running_replica


def get(
    replica: ReplicaHandle, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One raw request without following redirects or retrying (http.client, not our crawler)."""
    host = urlsplit(replica.base_url)
    conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    try:
        conn.request("GET", path, headers={"User-Agent": "replica-test/1.0", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_requests_are_logged_with_status_and_user_agent() -> None:
    with running_replica() as replica:
        item = replica.ground_truth["items"][0]
        assert get(replica, item["url"])[0] == 200
        assert get(replica, "/khong-co-trang-nay.html")[0] == 404
        logged = [(r.method, r.path, r.status, r.user_agent) for r in replica.requests]
        assert logged == [
            ("GET", item["url"], 200, "replica-test/1.0"),
            ("GET", "/khong-co-trang-nay.html", 404, "replica-test/1.0"),
        ]
        replica.clear_requests()
        assert replica.requests == []


def test_server_answers_exactly_what_the_site_object_answers() -> None:
    site = build_site()
    with running_replica() as replica:
        for path in ["/", "/robots.txt", "/thong-bao/", *site.all_paths()[5:400:7]]:
            status, headers, body = get(replica, path)
            expected = site.respond(path)
            assert (status, body) == (expected.status, expected.body), path
            assert headers["Content-Length"] == str(len(body))
            assert headers["Content-Type"] == expected.header("Content-Type")


def test_set_state_switches_live_and_the_truth_follows() -> None:
    with running_replica() as replica:
        removed_later = build_site(state=2).ground_truth()["changes"]["removed"][0]
        assert get(replica, removed_later)[0] == 200
        etags = {it["url"]: get(replica, it["url"])[1]["ETag"] for it in replica.ground_truth["items"][:40]}
        replica.set_state(2)
        assert replica.ground_truth["site"]["state"] == 2
        assert get(replica, removed_later)[0] in (404, 410)
        new = replica.ground_truth["changes"]["new"][0]
        assert get(replica, new)[0] == 200
        edited = set(replica.ground_truth["changes"]["edited"])
        for url, etag in etags.items():
            if url in edited:
                assert get(replica, url, {"If-None-Match": etag})[0] == 200
            elif url not in replica.ground_truth["changes"]["removed"]:
                assert get(replica, url, {"If-None-Match": etag})[0] == 304


def fault_paths(replica: ReplicaHandle) -> dict[str, str]:
    """One known path per fault kind (pages and files), from the public fault_for."""
    found: dict[str, str] = {}
    for path in replica.site.all_paths():
        kind = replica.fault_for(path)
        if kind and kind not in found and (kind != "wrong_charset" or path.endswith(".html")):
            found[kind] = path
    return found


def test_faults_hit_a_tenth_of_paths_once_and_the_retry_succeeds() -> None:
    site = build_site()
    with running_replica(faults=True, stall_seconds=0.3) as replica:
        paths = replica.site.all_paths()
        share = sum(replica.fault_for(p) is not None for p in paths) / len(paths)
        assert 0.05 < share < 0.16
        found = fault_paths(replica)
        assert set(found) == set(FAULT_KINDS)
        for kind, path in found.items():
            expected = site.respond(path)
            if kind == "truncated":
                with pytest.raises(http.client.IncompleteRead):
                    get(replica, path)
            else:
                status, headers, body = get(replica, path)
                if kind in ("status_500", "status_503"):
                    assert status == int(kind[-3:])
                elif kind == "redirect_loop":
                    assert status == 302 and headers["Location"] == path
                elif kind == "wrong_charset":
                    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
                    assert b'<meta charset="utf-8">' in body and body == expected.body
                elif kind == "stall":
                    assert status == 200 and body == expected.body
            status, headers, body = get(replica, path)  # the retry
            assert (status, body) == (200, expected.body), (kind, path)
            assert headers["Content-Type"] == expected.header("Content-Type")
        faults = [r.fault for r in replica.requests if r.fault]
        assert sorted(faults) == sorted(FAULT_KINDS)


def test_decoy_redirect_loops_are_permanent() -> None:
    with running_replica(faults=True) as replica:
        decoy = replica.ground_truth["decoys"][-1]
        for _ in range(3):
            status, headers, _ = get(replica, decoy)
            assert status == 302 and headers["Location"] == decoy


def test_the_windows_1258_page_over_http() -> None:
    with running_replica() as replica:
        (legacy,) = [it for it in replica.ground_truth["items"] if "cp1258" in it["quirks"]]
        _, headers, body = get(replica, legacy["url"])
        assert headers["Content-Type"] == "text/html; charset=windows-1258"
        import unicodedata

        assert legacy["title"] in unicodedata.normalize("NFC", body.decode("cp1258"))


def test_cli_serves_writes_truth_and_stops_on_sigterm(tmp_path: Path) -> None:
    truth_path, log_path = tmp_path / "truth.json", tmp_path / "requests.log"
    code = "from replica.cli import replica_command; replica_command()"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "--port",
            "0",
            "--items",
            "120",
            "--ground-truth",
            str(truth_path),
            "--log",
            str(log_path),
            "--theme",
            "modern",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stderr is not None
        line = ""
        while "serving on" not in line:
            line = proc.stderr.readline()
            assert line, "the replica exited before serving"
        base = line.strip().rsplit(" ", 1)[-1]
        truth: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
        assert truth["site"]["theme"] == "modern" and len(truth["items"]) == 120
        host = urlsplit(base)
        conn = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
        conn.request("GET", truth["items"][0]["url"], headers={"User-Agent": "cli-test"})
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert f"GET {truth['items'][0]['url']} 200" in log_path.read_text(encoding="utf-8")
        assert "cli-test" in log_path.read_text(encoding="utf-8")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
