"""Whether a server can listen on an address, said in words an operator can act on."""

from __future__ import annotations

import errno
import socket


def port_problem(host: str, port: int, *, option: str = "--port") -> str | None:
    """None when `host:port` can be listened on now; otherwise what is wrong and what to do, in one line."""
    if port == 0:
        return None  # the system picks a free one
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
            # As the servers themselves bind: a port left in TIME_WAIT by a stopped server is free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        return bind_error(exc, host, port, option=option)
    return None


def bind_error(exc: OSError, host: str, port: int, *, option: str = "--port") -> str:
    """What a failed bind means for the operator, in one line."""
    if isinstance(exc, PermissionError) or exc.errno == errno.EACCES:
        return (
            f"port {port} needs administrator rights (ports below 1024 are privileged); "
            f"choose a port of 1024 or more with {option}"
        )
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use by another program; choose another with {option}"
    if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
        return f"cannot listen on {host}: it is not an address of this machine ({exc.strerror})"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
