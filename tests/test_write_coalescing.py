"""serve/protocol.py's WriteCoalescing: what a response writes within one turn of the event loop
(uvicorn: the head, then the body, then an empty end) reaches the socket in one write; closing,
write_eof and a large body write what is held first, in order; and a real response over a socket
still arrives whole."""
from __future__ import annotations

import asyncio
import socket

import pytest

from vemgorvad.serve.protocol import COALESCE_BYTES, WriteCoalescing


class Recorder(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, bytes]] = []
        self.closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.calls.append(("write", bytes(data)))

    def write_eof(self) -> None:
        self.calls.append(("eof", b""))

    def close(self) -> None:
        self.calls.append(("close", b""))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 0


def test_head_and_body_written_in_one_turn_go_out_as_one_write():
    async def go() -> list[tuple[str, bytes]]:
        inner = Recorder()
        outer = WriteCoalescing(inner)
        outer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n")
        outer.write(b"ok")
        outer.write(b"")
        assert inner.calls == [] and outer.get_write_buffer_size() == 40
        await asyncio.sleep(0)
        return inner.calls
    assert asyncio.run(go()) == [("write", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]


def test_close_eof_and_a_large_body_write_what_is_held_first():
    async def go() -> list[tuple[str, bytes]]:
        inner = Recorder()
        outer = WriteCoalescing(inner)
        outer.write(b"a")
        outer.write_eof()
        outer.write(b"b")
        outer.close()
        other = Recorder()
        big = WriteCoalescing(other)
        big.write(b"x" * COALESCE_BYTES)        # not held past the limit
        assert other.calls == [("write", b"x" * COALESCE_BYTES)]
        await asyncio.sleep(0)
        return inner.calls
    calls = asyncio.run(go())
    assert calls == [("write", b"a"), ("eof", b""), ("write", b"b"), ("close", b"")]


@pytest.fixture(scope="module")
def live_service(build_dir):
    from oxigraph_server import shared_service
    return shared_service("embedded", build_dir)


def test_a_served_response_arrives_in_one_segment(live_service):
    """Head and body of /health in the first read: with uvicorn's two writes the first read may end
    at the head; here there is one write, so it holds the whole answer."""
    host, port = "127.0.0.1", live_service.port
    for _ in range(20):
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            first = sock.recv(1 << 20)
        head, _, body = first.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        assert len(body) == length, first[:300]
