"""The ask index as `vemgorvad build` leaves it beside the graph (``ask-index.pickle`` in the build
folder), so `serve` reads it at start instead of computing it: at N = 300 agreements computing it
(the provision queries and the stemming of every provision, its paragraph and its heading) was
minutes and most of the server's memory; reading it is seconds.

The file is valid for one graph and one version of what the index is made with: its key is the
SHA-256 of the dump (the manifest's ``dataset_sha256``) with the digest of the package's code and
data (buildcache.dependencies: the lexicon, the named queries, the stemming code …) and of the
thesaurus the synonym table was taken from (thesaurus.digest). A file whose key
is not the key now — made by another version, for another graph — is not read: the index is
computed from the store, as for a remote store, which has no build folder. The file is the build's
own output, written where the graph is and trusted like it.

The build makes it from a part per agreement (index.Part: that agreement's rows of the named
queries, its provisions and the stems of its paragraphs, from its own graph and the vocabulary),
cached with the agreement, so `vemgorvad add` makes the new agreement's part only. `add` of one
agreement at N = 300 (synthetic corpus, two rounds alternating with the whole-graph index at load 5-8
on 2 cores): the index step 168 and 157 s -> 19 and 6 s, the whole add 75 and 79 -> 15 and 15 CPU-s,
peak memory 1.5 -> 0.85 GB. The merge does what spans agreements: the vocabulary, the compound splits
over it (those of the current build's index that no stem that came or went can touch are taken,
``ask-splits.pickle``) and BM25 (index.bm25s_index).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pyoxigraph

from ... import buildcache, thesaurus
from ...store import EmbeddedStore, GraphStore
from .index import Common, Index, Part, read_parts
from .text import Splits

T = TypeVar("T")

FILE = "ask-index.pickle"
SPLITS = "ask-splits.pickle"                       # the compound splits the index made (Splits)
PART_FILE = "ask-index" + buildcache.PART_SUFFIX   # an agreement's part, in its build cache entry
FORMAT = 4          # of the file: its key, then the index; of a part; of the splits (4: own stems a tuple, Named in slots)


def key(dataset_sha256: str) -> str:
    """The key of the index of the graph whose dump has this SHA-256, made by this code and data."""
    return hashlib.sha256(f"{FORMAT}\0{buildcache.dependencies()}\0{thesaurus.digest()}\0"
                          f"{dataset_sha256}".encode()).hexdigest()


def write(path: Path, index: Index, file_key: str) -> None:
    """The index into `path` (written whole to a temporary file, then renamed); its key first, so
    read() checks it alone."""
    _write(path, file_key, index)


def has_key(path: Path, file_key: str) -> bool:
    """The file at `path` is an index with this key (only its key is read)."""
    try:
        with open(path, "rb") as handle:
            return bool(pickle.load(handle) == file_key)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return False


def read(path: Path, file_key: str) -> Index | None:
    """The index in `path` if its key is `file_key`, else None (missing, another key, unreadable)."""
    return _keyed(path, file_key, Index)


def _keyed(path: Path, key: object, kind: type[T]) -> T | None:
    """The object pickled in `path` after `key`, if the file holds that key and a `kind`; else None."""
    try:
        with open(path, "rb") as handle:
            if pickle.load(handle) != key:
                return None
            found = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError,
            IndexError, MemoryError):
        return None
    return found if isinstance(found, kind) else None


def for_store(store: GraphStore) -> tuple[Index, bool]:
    """The index of the store's graph, and whether it was read from the build (False: computed)."""
    if isinstance(store, EmbeddedStore) and store.build_dir is not None:
        digest = store.manifest.get("dataset_sha256") if isinstance(store.manifest, dict) else None
        if isinstance(digest, str) and digest:
            found = read(Path(store.build_dir) / FILE, key(digest))
            if found is not None:
                return found, True
    return Index(store), False


def part(key: str, graph: Sequence[pyoxigraph.Quad], vocabulary: Sequence[pyoxigraph.Quad]) -> bytes:
    """One agreement's part of the index (index.Part), with the vocabulary's share, from its own graph
    and the vocabulary graph — what the whole graph gives for it (buildcache.Derived.part: made in the
    build's worker and cached with the agreement)."""
    store = pyoxigraph.Store()
    store.extend(vocabulary)
    store.extend(graph)
    common, parts = read_parts(EmbeddedStore(store))
    mine = next((p for p in parts if p.key == key), None)
    if mine is None or len(parts) != 1:
        raise ValueError(f"{key}: the graph holds the parts of {[p.key for p in parts]}")
    return pickle.dumps((FORMAT, common, mine), protocol=pickle.HIGHEST_PROTOCOL)


def _read_part(path: Path) -> tuple[Common, Part]:
    """A part from its cache entry (whose key holds the code's digest: a part of this version)."""
    with open(path, "rb") as handle:
        form, common, found = pickle.load(handle)
    if form != FORMAT or not isinstance(found, Part):
        raise ValueError(f"{path}: a part of another version of the index")
    return common, found


def _previous_splits(var: Path) -> Splits | None:
    """The compound splits the current build's index made, when this version made them."""
    return _keyed(Path(var) / "current" / SPLITS, (FORMAT, buildcache.dependencies()), Splits)


def _write(path: Path, *objects: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            for item in objects:
                pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def make(folder: Path, var: Path, dataset_sha256: str, quads: int, parts: list[Path]) -> bool:
    """The index file in a new build's folder (buildcache.Derived.merge; dataset.nq is written):
    linked from the current build when that one's has the same key (the same graph, code and data: a
    rebuild that changed nothing), else put together from every agreement's cached part with the
    compound splits of the current build's index that the new vocabulary leaves as they were (so
    `vemgorvad add` stems only what changed), and those splits beside it. True when made."""
    file_key = key(dataset_sha256)
    target, previous = folder / FILE, Path(var) / "current" / FILE
    if has_key(previous, file_key):
        for name in (FILE, SPLITS):
            try:
                os.link(Path(var) / "current" / name, folder / name)
            except OSError:
                with contextlib.suppress(OSError):
                    shutil.copy2(Path(var) / "current" / name, folder / name)
        return False
    read = [_read_part(path) for path in parts]
    if not read:
        raise ValueError("no agreements to index")
    index = Index(common=read[0][0], parts=[p for _, p in read], splits=_previous_splits(var))
    write(target, index, file_key)
    _write(folder / SPLITS, (FORMAT, buildcache.dependencies()), index.vocab.splits())
    return True


#: The ask index's part per agreement and its merge, for the build (the CLI and `add` pass it).
DERIVED = buildcache.Derived(PART_FILE, part, make)
