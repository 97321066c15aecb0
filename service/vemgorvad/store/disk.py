"""The graph's read-only on-disk copy (a RocksDB store), for a national graph.

From `VEMGORVAD_QUERY_SHARED_QUADS` quads on, the server's own store and the evaluating query
workers read the graph from files (through the OS page cache), not from a copy in each process's
heap. `vemgorvad build` writes that store once, beside the dump (`STORE` in the build's folder,
write()), and `serve` opens it (opened()) instead of bulk-loading the dump at every start — at
N = 300 the load was 18-25 CPU-s of the start; the written store opens in 0.5 CPU-s. Opened, it is
only read.

A server opens a folder of its own whose files are hard links to the build's: RocksDB never changes
a table file once written and a store opened read-only writes nothing, so the links cost no space,
and a later build pruning the build's folder cannot take the files away from a server still
serving it (as the query workers' link to the dump, sparql/pool.py). Across file systems the files
are copied. A build without the store (below the threshold when built, or made by older code) is
bulk-loaded into such a folder at start, as before (loaded()). The folders are removed at exit.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph

from .pieces import pieces

#: The store's folder in a build's folder.
STORE = "store"
_FOLDERS: set[str] = set()        # folders made by this process, removed at exit


def write(dump: Path, folder: Path) -> None:
    """The N-Quads dump bulk-loaded into a new store in `folder` a piece of whole lines at a time (the
    engine's pieces, store/pieces.py), then closed. The bulk loader holds what it loads in
    memory until it writes it: the N = 300 dump (562 MB) in one load peaked at 1.57 GB resident, in
    pieces of 64 MB at 347 MB — for about the same CPU (20.0 against 16.1 CPU-s, not side by side,
    load 20-28), 31 table files against 25, and queries as fast (the graphs' counts 0.78 against
    0.87 CPU-s)."""
    writer = pyoxigraph.Store(str(folder))
    with open(dump, "rb") as handle:
        for start, end in pieces(str(dump)):
            handle.seek(start)
            writer.bulk_load(handle.read(end - start), format=pyoxigraph.RdfFormat.N_QUADS)
    writer.flush()
    del writer                  # closed: from here on it is only read


class Background:
    """`make()` (writing a store) in a thread of its own — pyoxigraph's loads run without the
    interpreter lock —, so the build's last steps (the cross-agreement SHACL pass, the peers, the ask
    index's merge) run beside it; wait() before the build's folder is published or removed."""

    def __init__(self, make: Callable[[], None]) -> None:
        self._failed: list[Exception] = []
        self._seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(make,), name="build-store", daemon=True)
        self._thread.start()

    def _run(self, make: Callable[[], None]) -> None:
        started = time.perf_counter()
        try:
            make()
        except Exception as err:            # reported by wait(), in the build's thread
            self._failed.append(err)
        self._seconds = time.perf_counter() - started

    def wait(self) -> float:
        """The seconds the store took once it is written; the error if it could not be."""
        self._thread.join()
        if self._failed:
            raise self._failed[0]
        return self._seconds


def count(folder: Path) -> int:
    """The quads of the closed store in `folder`."""
    return len(pyoxigraph.Store.read_only(str(folder)))


def revise(source: Path, folder: Path, drop: Iterable[pyoxigraph.NamedNode], files: Iterable[Path],
           quads: Iterable[pyoxigraph.Quad]) -> None:
    """A store in `folder` that is the closed store `source` with the graphs `drop` removed, then the
    N-Quads `files` and the `quads` added: what `vemgorvad add` writes, from the current build's
    store, instead of loading the whole dump again. `source` is not changed: its table files are
    linked (RocksDB never changes one once written; the new store writes tables of its own), the
    rest of its files copied."""
    folder.mkdir()
    for item in _files(source):
        if item.suffix == ".sst":
            _link(item, folder / item.name)
        else:
            shutil.copyfile(item, folder / item.name)
    writer = pyoxigraph.Store(str(folder))
    for graph in drop:
        writer.remove_graph(graph)
    for file in files:
        writer.load(path=str(file), format=pyoxigraph.RdfFormat.N_QUADS)
    writer.extend(quads)
    writer.flush()
    del writer


def _files(store: Path) -> list[Path]:
    """The files of the store in `store`; OSError if it holds anything else."""
    found = sorted(store.iterdir())
    for item in found:
        if not item.is_file():
            raise OSError(f"{item}: not a file of a store")
    return found


def _link(item: Path, target: Path) -> None:
    """`target` a hard link to `item`, or a copy of it across file systems (or where links are not allowed)."""
    try:
        os.link(item, target)
    except OSError:
        shutil.copyfile(item, target)


def _folder() -> str:
    folder = tempfile.mkdtemp(prefix="vemgorvad-graph-")
    _FOLDERS.add(folder)
    return folder


def loaded(dump: Path) -> tuple[pyoxigraph.Store, str]:
    """The dump bulk-loaded into a folder of this process's own, opened read-only."""
    folder = _folder()
    write(dump, Path(folder))
    return pyoxigraph.Store.read_only(folder), folder


def opened(built: Path) -> tuple[pyoxigraph.Store, str]:
    """The build's store (`built`, made by write()) opened read-only through a folder of this
    process's own holding links to its files (copies across file systems). OSError if a file
    cannot be linked or copied, RuntimeError (RocksDB's "Corruption: …") if the store is broken."""
    folder = _folder()
    try:
        for item in _files(built):
            _link(item, Path(folder) / item.name)
        return pyoxigraph.Store.read_only(folder), folder
    except BaseException:
        remove(folder)
        raise


def remove(folder: str) -> None:
    """Remove a folder made here (a retired store's)."""
    shutil.rmtree(folder, ignore_errors=True)
    _FOLDERS.discard(folder)


@atexit.register
def _remove_all() -> None:
    for folder in list(_FOLDERS):
        remove(folder)
