"""The gap-check worker's work (run by serve/worker.py inside a sandboxed, memory-limited process):
one job at a time — a check of an uploaded file (rendered as a document if asked), or a report
rendered as a document —, with the peers' coverage sent once at start. The parent kills the process
at the request's deadline; a file that needs more memory than the ceiling fails alone."""
from __future__ import annotations

from typing import Any

from ...hunspell.words import warm as warm_dictionary
from ...ingest import IngestError
from ...pipeline import vocabulary
from .documents import render
from .report import check


class CheckWorker:
    def __init__(self, init: dict[str, Any]) -> None:   # {"peers": Peers}, sent once at start
        self.peers = init["peers"]
        vocabulary()                # warm: the first check should not pay for it,
        warm_dictionary()           # nor for the dictionary that rejoins split words (ingest/hyphens.py)

    def info(self) -> dict[str, Any]:
        return {}

    def handle(self, job: tuple[Any, ...]) -> tuple[str, Any]:   # ("render", report, format, filename) or ("check", data, filename, format)
        try:
            if job[0] == "render":
                _, report, fmt, filename = job
                return ("ok", render(report, fmt, filename))
            _, data, filename, fmt = job
            report = check(data, filename, self.peers)     # as service.run_check, without the pool's imports
            return ("ok", report if fmt is None else render(report, fmt, filename))
        except IngestError as err:
            return ("error", err)
        except MemoryError:
            return ("error", IngestError("Filen krävde mer minne än granskningen får använda och kunde inte granskas.",
                                         "The file needed more memory than a check may use.", 422))
        except RecursionError:
            return ("error", IngestError("Filen är för djupt nästlad för att granskas.",
                                         "The file is nested too deeply to be checked.", 422))

    def failed(self, err: Exception) -> tuple[str, Any]:
        return ("error", IngestError("Filen kunde inte granskas.", f"The file could not be checked ({type(err).__name__}).",
                                     422))
