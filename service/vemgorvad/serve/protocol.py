"""uvicorn's HTTP/1.1 protocol (h11) with request heads bounded: a head larger than
`Settings.max_header_kb` gets `431 Request Header Fields Too Large` with a Swedish JSON `detail`,
which the client can read.

uvicorn alone answers such a head with a 400 and closes the socket while the client is still
sending it; the kernel then resets the connection (unread data at close), and the client sees
"connection reset", never the answer. Here the answer goes out, the sending side is shut, and what
the client still sends is read and thrown away (at most LINGER_BYTES, for at most LINGER_SECONDS:
a lingering close, as nginx does) before the socket closes. A head that arrived whole in one read
is measured too, so the limit does not depend on how the bytes were split on the way.

And a response goes out in one write: uvicorn writes a response's head and its body separately,
two sends (two TCP segments, two wake-ups of the client) where one does (WriteCoalescing)."""
from __future__ import annotations

import asyncio
import json
from typing import Any, cast

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

#: What is read and discarded after a 431 before the socket closes anyway.
LINGER_SECONDS = 5.0
LINGER_BYTES = 16 * 1024 * 1024
#: h11's own limit, for a configuration made without config() below.
DEFAULT_HEAD_BYTES = 16 * 1024


def too_large_detail(limit: int) -> str:
    return (f"Begärans huvudfält är för stora (högst {limit // 1024} KB tillsammans); skicka färre eller "
            f"kortare huvudfält. (Request header fields too large.)")


#: Bytes held at most before they are written at once (a large body is not held whole).
COALESCE_BYTES = 64 * 1024


class WriteCoalescing(asyncio.Transport):
    """A connection's transport whose writes within one turn of the event loop go out as one:
    uvicorn writes a response's head, then its body (then an empty end of message) — on loopback
    each send costs a system call and a wake-up of the reader (at N = 100 under load: 0.47 ms of
    the event loop's time per send, two per /sparql answer). What is written is held until the
    loop's next turn (or COALESCE_BYTES), then written at once; closing, a write_eof or the
    buffer's size write it first, so nothing is reordered or lost."""

    def __init__(self, transport: asyncio.Transport) -> None:
        super().__init__()
        self._transport = transport
        self._held: list[bytes] = []
        self._size = 0
        self._scheduled = False

    def flush(self) -> None:
        self._scheduled = False
        if self._held:
            data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
            self._held, self._size = [], 0
            if not self._transport.is_closing():
                self._transport.write(data)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        self._held.append(bytes(data))
        self._size += len(data)
        if self._size >= COALESCE_BYTES:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held, self._size = [], 0
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)


class _BoundedHead(h11.Connection):
    """h11's connection, refusing a complete head over the limit as h11 refuses an incomplete one."""

    def __init__(self, limit: int):
        super().__init__(h11.SERVER, max_incomplete_event_size=limit)
        self.limit = limit
        self.too_large = False

    def next_event(self) -> Any:
        try:
            event = super().next_event()
        except h11.RemoteProtocolError as err:
            self.too_large = err.error_status_hint == 431
            raise
        if isinstance(event, h11.Request):
            size = len(event.method) + len(event.target) + sum(len(n) + len(v) + 4 for n, v in event.headers.raw_items())
            if size > self.limit:
                self.too_large = True
                raise h11.RemoteProtocolError("Request header fields too large", error_status_hint=431)
        return event


class BoundedHeadProtocol(H11Protocol):
    """H11Protocol whose oversized heads get a readable 431 (see the module's description)."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any):
        super().__init__(config, *args, **kwargs)
        self.conn = _BoundedHead(config.h11_max_incomplete_event_size or DEFAULT_HEAD_BYTES)
        self._discarded: int | None = None          # bytes thrown away since the 431 (None: not refused)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(WriteCoalescing(cast(asyncio.Transport, transport)))

    def data_received(self, data: bytes) -> None:
        if self._discarded is not None:
            self._discarded += len(data)
            if self._discarded > LINGER_BYTES:
                self.transport.close()
            return
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        conn = self.conn
        if not (isinstance(conn, _BoundedHead) and conn.too_large):
            super().send_400_response(msg)
            return
        body = json.dumps({"detail": too_large_detail(conn.limit)}, ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        self.transport.write(conn.send(h11.Response(status_code=431, headers=headers,
                                                    reason=b"Request Header Fields Too Large")) or b"")
        self.transport.write(conn.send(h11.Data(data=body)) or b"")
        self.transport.write(conn.send(h11.EndOfMessage()) or b"")
        self._discarded = 0
        if self.transport.can_write_eof():
            self.transport.write_eof()              # the answer, then FIN; the client's rest is still read
        asyncio.get_running_loop().call_later(LINGER_SECONDS, self.transport.close)


def config(app: Any, host: str, port: int, max_header_kb: int, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration of every server of the app (`vemgorvad serve`, the tests' live
    service): HTTP/1.1 through BoundedHeadProtocol with heads up to `max_header_kb`."""
    return uvicorn.Config(app, host=host, port=port, http=BoundedHeadProtocol,
                          h11_max_incomplete_event_size=max_header_kb * 1024, **options)
