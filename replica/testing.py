"""Test harness: a served replica on a free loopback port for the length of a `with` block.

with running_replica(state=1) as replica:
    fetch(replica.base_url + "tin-tuc-su-kien/")
    truth = replica.ground_truth
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from replica.server import ReplicaServer, RequestLog, fault_for
from replica.site import Site, build_site

__all__ = ["ReplicaHandle", "RequestLog", "build_site", "running_replica"]


class ReplicaHandle:
    def __init__(self, server: ReplicaServer) -> None:
        self._server = server

    @property
    def site(self) -> Site:
        return self._server.site

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def ground_truth(self) -> dict[str, Any]:
        """The truth for the current state (computed on first use: it hashes every file)."""
        return self._server.site.ground_truth()

    @property
    def requests(self) -> list[RequestLog]:
        return self._server.requests

    def set_state(self, state: int) -> None:
        self._server.site.set_state(state)

    def clear_requests(self) -> None:
        with self._server.lock:
            self._server.requests.clear()

    def fault_for(self, path: str) -> str | None:
        """The fault this path suffers on its first request when faults are on (path with query, as sent)."""
        return fault_for(path, self.site.seed) if self._server.faults else None

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


@contextmanager
def running_replica(
    *,
    state: int = 1,
    faults: bool = False,
    items: int | None = None,
    theme: str = "classic",
    seed: int = 2022,
    stall_seconds: float = 10.0,
    scans: int = 0,
    hostile_scans: bool = False,
) -> Iterator[ReplicaHandle]:
    site = build_site(
        state=state, items=items, theme=theme, seed=seed, scans=scans, hostile_scans=hostile_scans
    )
    server = ReplicaServer(site, 0, faults=faults, stall_seconds=stall_seconds, log_stream=None)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ReplicaHandle(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
