"""A query sent to the engine (engine.py) over loopback HTTP/1.1, its answer read back as it
streams in: kept-alive connections on the event loop (no thread per request), the result cap
counted on the way — the engine is asked for SPARQL TSV (one line per solution) or N-Triples (one
line per triple), so a result past the cap stops the reading at once and is a 422, never held
whole — and the answer passed on as it came when the client asked for that format (TSV,
N-Triples), else read once and written in the negotiated format (results.py's writers, as the
workers write it)."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import cast

import pyoxigraph

from .engine import Engine, request_target
from .pool import timed_out
from .results import (UNDECIDED, Job, Outcome, ResultTooLarge, error, format_for, not_acceptable, serialise,
                      serialise_graph, too_large)

ACCEPT = b"text/tab-separated-values, application/n-triples;q=0.9"
#: Bytes of an engine's error text passed on to the client.
ERROR_TEXT = 2000
#: Share of the engine's timeout that a kept-alive connection may stay idle: Oxigraph's server applies
#: its --timeout-s to reading a request too, and answers an idle connection past it with an error
#: ("Resource temporarily unavailable") that the next request on it would read as its own.
IDLE_SHARE = 0.5
#: Seconds past a query's deadline that its answer may still take before the engine is replaced.
OVERDUE_GRACE = 2.0


#: Outcome kind of a query the engine did not answer because it is gone or being replaced: the
#: caller has the workers evaluate it (runtime.py), so a replacement does not stop /sparql.
ENGINE_GONE = "engine-gone"
GONE = Outcome(0, "", b"", ENGINE_GONE)


class EngineGone(Exception):
    """The engine closed the connection or answered something that is not HTTP."""


class _Answer:
    def __init__(self, status: int, media: str, body: bytes, reusable: bool, lines: int = 0) -> None:
        self.status, self.media, self.body, self.reusable = status, media, body, reusable
        self.lines = lines           # of a successful answer: TSV's header and one per solution, one per triple


class EngineClient:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # kept-alive connections: (engine generation, when it went idle, reader, writer)
        self._idle: list[tuple[int, float, asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def run(self, job: Job, deadline: float, timeout: float, screened: bool) -> Outcome:
        """The engine's answer to a query already screened (screen.py) or decided (decide.py)."""
        if not self.engine.ready:
            return GONE
        query = f"BASE <{job.base_iri}>\n{job.query}" if job.base_iri else job.query
        target = request_target(job.default_graphs, job.named_graphs)
        wait = deadline - time.monotonic()
        if wait <= 0:
            return timed_out(timeout)
        exchange = asyncio.ensure_future(self._exchange(target, query.encode("utf-8"), job.limit))
        done, _pending = await asyncio.wait({exchange}, timeout=wait)
        if not done:
            # our wait ends; the engine's own --timeout-s should end its work, and the answer is still
            # read (and dropped) to know that it did: if it has not come by then, the engine is
            # replaced (Engine.overdue) — Oxigraph does not stop every kind of work at its timeout
            ticket = self.engine.abandoned(deadline + OVERDUE_GRACE)

            def settled(task: asyncio.Future[_Answer]) -> None:
                self.engine.answered(ticket)
                if not task.cancelled():
                    task.exception()           # read, so that asyncio does not log it as never retrieved
            exchange.add_done_callback(settled)
            return timed_out(timeout)
        try:
            answer = exchange.result()
        except ResultTooLarge as err:
            return too_large(str(err), job.limit)
        except (OSError, EngineGone, ValueError):
            return GONE
        if answer.status != 200:
            if screened:                       # an update, a syntax error, an unknown function: decide it in full
                return Outcome(0, "", b"", UNDECIDED)
            text = answer.body[:ERROR_TEXT].decode("utf-8", "replace")
            return error(400, f"Frågan kunde inte besvaras: {text}")
        return _written(answer, job)

    async def _exchange(self, target: bytes, body: bytes, limit: int) -> _Answer:
        """One request (the query as its body, application/sparql-query) on a kept-alive connection;
        once more on a new connection when a kept one turns out closed by the engine (an engine
        replaced, or its idle timeout)."""
        head = (b"POST " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                b"Accept: " + ACCEPT + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        while True:
            generation, reader, writer, kept = await self._connection()
            try:
                writer.write(head + body)
                answer = await _read(reader, limit)
            except (EngineGone, ConnectionError):
                writer.close()
                if kept:
                    continue
                raise
            except BaseException:
                writer.close()                 # a refused or oversized answer: the connection is spent
                raise
            if answer.reusable and answer.status == 200 and generation == self.engine.generation:
                self._idle.append((generation, time.monotonic(), reader, writer))
            else:
                writer.close()
            return answer

    async def _connection(self) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter, bool]:
        fresh_since = time.monotonic() - self.engine.timeout * IDLE_SHARE
        while self._idle:
            generation, since, reader, writer = self._idle.pop()
            if generation == self.engine.generation and since > fresh_since and not reader.at_eof():
                return generation, reader, writer, True
            writer.close()
        generation = self.engine.generation
        reader, writer = await asyncio.open_connection("127.0.0.1", self.engine.port)
        return generation, reader, writer, False

    def close(self) -> None:
        for _generation, _since, _reader, writer in self._idle:
            try:
                writer.close()
            except RuntimeError:               # its event loop is already closed: nothing left to close
                pass
        self._idle.clear()


async def _read(reader: asyncio.StreamReader, limit: int) -> _Answer:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as err:
        raise EngineGone("closed") from err
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise EngineGone(lines[0][:100])
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    # rows are counted in a successful answer: TSV has a header line, N-Triples none
    cap = (limit + 1 if media == "text/tab-separated-values" else limit) if status == 200 else None
    kind = "solutions" if media == "text/tab-separated-values" else "graph"
    chunks: list[bytes] = []
    counted = [0]

    def take(chunk: bytes) -> None:
        chunks.append(chunk)
        if cap is not None:
            counted[0] += chunk.count(b"\n")
            if counted[0] > cap:
                raise ResultTooLarge(kind)
    try:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                data = await reader.readexactly(size + 2)
                if size == 0:
                    break
                take(data[:-2])
        else:
            length = int(headers.get("content-length", "0"))
            if length:
                take(await reader.readexactly(length))
    except asyncio.IncompleteReadError as err:
        raise EngineGone("cut off") from err
    return _Answer(status, media, b"".join(chunks), headers.get("connection", "").lower() != "close", counted[0])


def _triples(body: bytes) -> Iterator[pyoxigraph.Triple]:
    return (quad.triple for quad in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES))


def _written(answer: _Answer, job: Job) -> Outcome:
    """The engine's answer in the negotiated format: as it came when that is the format it was
    asked for (SPARQL TSV, N-Triples: the same writer the workers' pyoxigraph has), else read once
    and written by results.py (the cap counted in _read; ASK as CSV/TSV, the prefixes of Turtle and
    the other graph formats)."""
    try:
        if answer.media == "text/tab-separated-values":
            result = pyoxigraph.parse_query_results(answer.body, format=pyoxigraph.QueryResultsFormat.TSV)
            if not isinstance(result, pyoxigraph.QuerySolutions):
                return serialise(result, job)
            chosen = format_for(job, "solutions")
            if not chosen:
                return not_acceptable("solutions")
            count = max(0, answer.lines - 1)
            if chosen[1] == "TSV":
                return Outcome(200, chosen[0], answer.body, "solutions", count)
            body = cast(bytes, result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, chosen[1])))
            return Outcome(200, chosen[0], body, "solutions", count)
        chosen = format_for(job, "graph")
        if not chosen:
            return not_acceptable("graph")
        if chosen[1] == "N_TRIPLES":
            return Outcome(200, chosen[0], answer.body, "graph", answer.lines)
        return Outcome(200, chosen[0], serialise_graph(list(_triples(answer.body)), chosen[1]), "graph", answer.lines)
    except (SyntaxError, ValueError) as err:
        return error(502, f"SPARQL-motorn gav ett svar som inte gick att läsa: {err}")
