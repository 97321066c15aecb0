"""What a worker process (a client's SPARQL query, a gap check of an uploaded file) may do: no
network at all, a memory ceiling, a lower CPU priority. Applied by the worker itself, first thing,
before it starts a thread or reads anything a client sent.

The network is closed twice, independently:

1. a new, empty network namespace (unshare(CLONE_NEWNET); as non-root inside a new user namespace
   mapping the worker's own uid, so it still reads its files): no interface but a loopback that is
   down, so no address, not even the server's own port on 127.0.0.1, can be reached;
2. a seccomp filter (libseccomp through pyseccomp): creating any socket other than AF_UNIX fails
   with EACCES, and io_uring (which can make sockets without the socket() call) is refused too.

Either one alone stops SERVICE, a FROM that a parser mistakes for a fetch, or a bug in a document
parser from reaching anything. Where the kernel allows neither, the worker says so on stderr in one
line ("NETWORK SANDBOX UNAVAILABLE …") and the pool logs it; the tests fail in CI if that happens.
"""
from __future__ import annotations

import ctypes
import errno
import os
import resource
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


@dataclass
class Status:
    network_namespace: bool = False
    seccomp: bool = False
    memory_mb: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def network_closed(self) -> bool:
        return self.network_namespace or self.seccomp

    def as_dict(self) -> dict[str, bool | int | list[str]]:
        return {"network_namespace": self.network_namespace, "seccomp": self.seccomp,
                "memory_mb": self.memory_mb, "problems": list(self.problems)}


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) != 0:
        return ctypes.get_errno()
    return 0


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


def _network_namespace(status: Status) -> None:
    code = _unshare(CLONE_NEWNET)
    if code == 0:
        status.network_namespace = True
        return
    uid, gid = os.getuid(), os.getgid()
    code2 = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if code2 == 0:
        try:                                   # keep our own uid and gid, so our files stay readable
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        except OSError as err:
            status.problems.append(f"user namespace map: {err}")
        status.network_namespace = True
        return
    status.problems.append(f"network namespace: {os.strerror(code)} / {os.strerror(code2)}")


def _load_filter(status: Status, deny: Callable[[Any, Any], None]) -> None:
    """Load a seccomp filter that allows every call but those `deny(sc, rules)` adds, and io_uring
    (which makes sockets without the socket() call); note on `status` whether it took. The binding
    is imported here, where its absence is a problem reported, not an error."""
    try:
        import pyseccomp as sc
    except (ImportError, OSError) as err:    # the binding, or libseccomp.so.2, is missing
        status.problems.append(f"seccomp: {err}")
        return
    try:
        rules = sc.SyscallFilter(defaction=sc.ALLOW)
        rules.set_attr(sc.Attr.CTL_TSYNC, 1)
        deny(sc, rules)
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            try:
                rules.add_rule(sc.ERRNO(errno.ENOSYS), call)
            except (ValueError, RuntimeError, OSError):
                pass                           # an architecture without io_uring
        rules.load()
        status.seccomp = True
    except (OSError, RuntimeError, ValueError) as err:
        status.problems.append(f"seccomp: {err}")


def _no_network_socket(sc: Any, rules: Any) -> None:
    """Creating any socket other than AF_UNIX fails with EACCES."""
    rules.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))


#: Flag of sendto/sendmsg that opens a TCP connection without connect() (TCP Fast Open).
MSG_FASTOPEN = 0x20000000


def _no_outgoing(sc: Any, rules: Any) -> None:
    """For a server that must accept connections but never open one (the SPARQL engine,
    engine.py): connect() is refused whatever the socket, and so are the other ways a packet could leave
    without an accepted connection — datagram and raw sockets, a send that opens a TCP connection
    itself (MSG_FASTOPEN)."""
    denied = sc.ERRNO(errno.EACCES)
    rules.add_rule(denied, "connect")
    for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW, socket.SOCK_SEQPACKET):
        rules.add_rule(denied, "socket", sc.Arg(1, sc.MASKED_EQ, 0xF, int(kind)))
    rules.add_rule(denied, "sendto", sc.Arg(3, sc.MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN))
    rules.add_rule(denied, "sendmsg", sc.Arg(2, sc.MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN))
    rules.add_rule(denied, "sendmmsg", sc.Arg(3, sc.MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN))


def listen_only() -> Status:
    """Let this process (and what it executes) accept connections but open none. Never raises."""
    status = Status()
    _load_filter(status, _no_outgoing)
    return status


def limit_memory(megabytes: int, status: Status | None = None) -> None:
    """Address-space ceiling: an allocation past it fails (MemoryError, or the process dies),
    never the machine."""
    if megabytes <= 0:
        return
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if status is not None:
            status.memory_mb = megabytes
    except (ValueError, OSError) as err:
        if status is not None:
            status.problems.append(f"memory limit: {err}")


def lower_priority(nice: int | None = None) -> None:
    try:
        os.nice(int(os.environ.get("VEMGORVAD_WORKER_NICE", "10")) if nice is None else nice)
    except (OSError, ValueError):
        pass


def close_network() -> Status:
    """Close the network for this process (call before any thread starts). Never raises."""
    status = Status()
    _network_namespace(status)
    _load_filter(status, _no_network_socket)
    return status


def network_reachable(host: str = "127.0.0.1", port: int = 9) -> bool:
    """Whether this process can still open a TCP connection attempt (a refused connection counts
    as reachable: the packet got out)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
