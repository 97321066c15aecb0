"""The witness of the tests that prove nothing reaches another host (test_sandbox,
test_sparql_safety): a TCP port on loopback that counts every connection made to it and answers
each, should one ever come, with an empty SPARQL result. A pytest plugin (conftest.py), so the
`listener` fixture is the same everywhere."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

EMPTY_RESULT = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                b"Content-Length: 40\r\n\r\n{\"head\":{\"vars\":[]},\"results\":{\"bindings\":[]}}")


class Listener:
    """A TCP port on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.sendall(EMPTY_RESULT)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    it = Listener()
    yield it
    it.close()
