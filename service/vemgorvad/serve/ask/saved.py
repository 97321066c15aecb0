"""The ask index as `vemgorvad build` leaves it beside the graph (``ask-index.pickle`` in the build
folder), so `serve` reads it at start instead of computing it: at N = 300 agreements computing it
(the provision queries and the stemming of every provision, its paragraph and its heading) was
minutes and most of the server's memory; reading it is seconds.

The file is valid for one graph and one version of what the index is made with: its key is the
SHA-256 of the dump (the manifest's ``dataset_sha256``) with the digest of the package's code and
data (buildcache.dependencies: the lexicon, the named queries, the stemming code …). A file whose key
is not the key now — made by another version, for another graph — is not read: the index is
computed from the store, as for a remote store, which has no build folder. The file is the build's
own output, written where the graph is and trusted like it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

from ... import buildcache
from ...store import EmbeddedStore, GraphStore
from .index import Index

FILE = "ask-index.pickle"
#: From this many quads on, the build reads its graph for the index from a temporary read-only on-disk
#: store, as `serve` does (settings.query_shared_quads), instead of holding it in memory.
ON_DISK_QUADS = 1_000_000
FORMAT = 1          # of the file: its key, then the index


def key(dataset_sha256: str) -> str:
    """The key of the index of the graph whose dump has this SHA-256, made by this code and data."""
    return hashlib.sha256(f"{FORMAT}\0{buildcache.dependencies()}\0{dataset_sha256}".encode()).hexdigest()


def write(path: Path, index: Index, file_key: str) -> None:
    """The index into `path` (written whole to a temporary file, then renamed)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            pickle.dump(file_key, handle, protocol=pickle.HIGHEST_PROTOCOL)   # first, so read() checks it alone
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def has_key(path: Path, file_key: str) -> bool:
    """The file at `path` is an index with this key (only its key is read)."""
    try:
        with open(path, "rb") as handle:
            return bool(pickle.load(handle) == file_key)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return False


def read(path: Path, file_key: str) -> Index | None:
    """The index in `path` if its key is `file_key`, else None (missing, another key, unreadable)."""
    try:
        with open(path, "rb") as handle:
            if pickle.load(handle) != file_key:
                return None
            index = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError,
            IndexError, MemoryError):
        return None
    return index if isinstance(index, Index) else None


def for_store(store: GraphStore) -> tuple[Index, bool]:
    """The index of the store's graph, and whether it was read from the build (False: computed)."""
    if isinstance(store, EmbeddedStore) and store.build_dir is not None:
        digest = store.manifest.get("dataset_sha256") if isinstance(store.manifest, dict) else None
        if isinstance(digest, str) and digest:
            found = read(Path(store.build_dir) / FILE, key(digest))
            if found is not None:
                return found, True
    return Index(store), False


def make(folder: Path, var: Path, dataset_sha256: str, quads: int) -> bool:
    """The index file in a new build's folder (build.Derive; dataset.nq is written): linked from the
    current build when that one's has the same key (the same graph, code and data: a rebuild that
    changed nothing), else made from the graph. True when made."""
    file_key = key(dataset_sha256)
    target, previous = folder / FILE, Path(var) / "current" / FILE
    if has_key(previous, file_key):
        try:
            os.link(previous, target)
        except OSError:
            shutil.copy2(previous, target)
        return False
    store = EmbeddedStore.from_dump(folder / "dataset.nq", on_disk=quads >= ON_DISK_QUADS)
    try:
        write(target, Index(store), file_key)
    finally:
        store.close()
    return True
