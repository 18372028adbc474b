"""The replica behind HTTP on 127.0.0.1, with a request log and optional first-request faults."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any
from urllib.parse import urlsplit

from replica.site import FAULT_KINDS, FAULT_SHARE, Response, Site

NEVER_FAULTY = {"/", "/robots.txt"}


@dataclass
class RequestLog:
    method: str
    path: str
    status: int
    user_agent: str | None
    headers: dict[str, str] = field(default_factory=dict)
    bytes: int = 0
    fault: str | None = None


def fault_for(path: str, seed: int) -> str | None:
    """The fault a path suffers on its first request, or None: a fixed ~10% share, kinds spread evenly."""
    if urlsplit(path).path in NEVER_FAULTY:
        return None
    digest = hashlib.sha256(f"{seed}:fault:{path}".encode()).digest()
    if digest[0] * 100 // 256 >= FAULT_SHARE:
        return None
    return FAULT_KINDS[digest[1] % len(FAULT_KINDS)]


class ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        site: Site,
        port: int = 0,
        *,
        faults: bool = False,
        stall_seconds: float = 10.0,
        log_stream: IO[str] | None = None,
    ) -> None:
        self.site = site
        self.faults = faults
        self.stall_seconds = stall_seconds
        self.log_stream = log_stream
        self.requests: list[RequestLog] = []
        self.seen: set[str] = set()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def first_time(self, target: str) -> bool:
        with self.lock:
            if target in self.seen:
                return False
            self.seen.add(target)
            return True

    def record(self, entry: RequestLog) -> None:
        with self.lock:
            self.requests.append(entry)
        if self.log_stream is not None:
            self.log_stream.write(
                f"{entry.method} {entry.path} {entry.status} {entry.bytes} "
                f"{entry.user_agent or '-'}{' fault=' + entry.fault if entry.fault else ''}\n"
            )
            self.log_stream.flush()


class Handler(BaseHTTPRequestHandler):
    server: ReplicaServer
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/8.5"
    sys_version = ""

    def do_GET(self) -> None:
        self.answer("GET")

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # our own log line is written in record()

    def answer(self, method: str) -> None:
        srv = self.server
        target = self.path
        headers = {k: v for k, v in self.headers.items()}
        fault = None
        if srv.faults and srv.first_time(target):
            fault = fault_for(target, srv.site.seed)
        resp = srv.site.respond(target, headers, method="GET")
        if fault is not None:
            resp = self.apply_fault(fault, target, resp)
        planned = 0 if method == "HEAD" or resp.status == 304 else len(resp.body)
        if resp.truncate_to is not None:
            planned = resp.truncate_to
        # Logged before the body goes out, so a client that has its answer always finds it in the log.
        srv.record(
            RequestLog(method, target, resp.status, headers.get("User-Agent"), headers, planned, fault)
        )
        self.send(resp, method)

    def apply_fault(self, fault: str, target: str, resp: Response) -> Response:
        if fault in ("status_500", "status_503"):
            status = int(fault[-3:])
            body = f"<html><body><h1>Server Error {status}</h1></body></html>".encode()
            headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))}
            if status == 503:
                headers["Retry-After"] = "1"
            return Response(status, headers, body)
        if fault == "stall":
            resp.stall = self.server.stall_seconds
            return resp
        if fault == "truncated" and len(resp.body) > 16:
            resp.truncate_to = len(resp.body) // 2
            return resp
        if fault == "redirect_loop":
            return Response(302, {"Location": target, "Content-Length": "0"})
        if (
            fault == "wrong_charset"
            and (resp.header("Content-Type") or "").startswith("text/html")
            and "utf-8" in (resp.header("Content-Type") or "")
        ):
            resp.headers["Content-Type"] = "text/html; charset=iso-8859-1"
            return resp
        return resp

    def send(self, resp: Response, method: str) -> int:
        if resp.stall:
            time.sleep(resp.stall)
        self.send_response(resp.status)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        if "Content-Length" not in resp.headers:
            self.send_header("Content-Length", str(len(resp.body)))
        if resp.truncate_to is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if method == "HEAD" or resp.status == 304:
            return 0
        body = resp.body if resp.truncate_to is None else resp.body[: resp.truncate_to]
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return 0
        if resp.truncate_to is not None:
            self.close_connection = True
        return len(body)


def serve(
    site: Site,
    port: int,
    *,
    faults: bool = False,
    stall_seconds: float = 10.0,
    log_stream: IO[str] | None = sys.stderr,
) -> ReplicaServer:
    return ReplicaServer(site, port, faults=faults, stall_seconds=stall_seconds, log_stream=log_stream)
