"""Running gap checks for the service: the peers come from the graph once, each check runs in a
worker process with a time limit, so a hostile or huge upload cannot stall other users."""
from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache

from ...ingest import IngestError
from ...store import GraphStore
from ..ask.index import named
from ..observability.flags import note_timeout
from .report import Peers, check, fingerprint

CHECK_TIMEOUT = 60.0


def peers_from(store: GraphStore) -> Peers:
    topics: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in store.values(named("coverage")):
        labels[row["topic"]] = row["label"]
        topics[row["topic"]] = set((row.get("keys") or "").split())
    prints = {row["key"]: fingerprint(row["text"]) for row in store.values(named("agreement_texts"))}
    return Peers(topics, labels, prints)


@cache
def _vocabulary():
    from ...graph.vocabulary import vocabulary_quads
    from ...validate.rdflib_bridge import to_graph
    return to_graph(vocabulary_quads())


def run_check(data: bytes, filename: str, peers: Peers) -> dict:
    """One check, in whatever process calls it (the CLI, a worker)."""
    return check(data, filename, peers, _vocabulary())


def _warm() -> bool:
    _vocabulary()
    return True


class CheckService:
    def __init__(self, store: GraphStore, timeout: float = CHECK_TIMEOUT):
        self.peers = peers_from(store)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                self._pool.submit(_warm)
            return self._pool

    def run(self, data: bytes, filename: str) -> dict:
        future = self._executor().submit(run_check, data, filename, self.peers)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            note_timeout("check")
            self._restart()
            raise IngestError("Granskningen tog för lång tid och avbröts; filen är för stor eller för komplex.",
                              "The check took too long and was stopped.", 422) from None
        except IngestError:
            raise
        except Exception as err:  # a worker that died (memory, a crash in a parser) is replaced
            self._restart()
            raise IngestError("Filen kunde inte granskas.", f"The file could not be checked ({type(err).__name__}).",
                              422) from None

    def _restart(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._restart()
