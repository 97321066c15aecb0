"""What `vemgorvad serve` checks before it listens, and how it stops.

It refuses, in one line and with a non-zero exit, a graph that is missing or broken (store/embedded.py),
empty, not the build its manifest describes, or stale: built from other data than data/ holds now
(the data fingerprint in the manifest, see datastore.py). `--allow-stale` or VEMGORVAD_ALLOW_STALE=1
serves a stale graph anyway.

SIGTERM: uvicorn stops accepting, lets the requests in flight finish (up to its graceful timeout),
then re-raises the signal; the handler installed here turns that into a normal exit with status 0.
"""
from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pyoxigraph

from .. import paths
from ..datastore import stale_reason
from ..store import EmbeddedStore, GraphMissing, GraphStore
from ..store.base import Stats
from ..store.embedded import AGREEMENT_GRAPHS


#: What the endpoints read besides the graph: the ontology and SKOS schemes (answers, gap check),
#: the shapes (gap check), the named queries (answers, /api/queries), the language data and laws.
REQUIRED_TURTLE = {paths.ONTOLOGY: ("vemgorvad.ttl", "topics.ttl", "activities.ttl", "target-groups.ttl"),
                   paths.SHAPES: ("integrity.ttl", "completeness.ttl")}
REQUIRED_JSON = {paths.DATA: ("laws.json", "requirements.json"), paths.LEXICON: ("question.json",)}


class ResourceBroken(GraphMissing):
    """A file the endpoints need is missing or cannot be read."""


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _broken(path: Path, why: str) -> ResourceBroken:
    return ResourceBroken(f"{_rel(path)} {why}; tjänsten startar inte utan den (a file the service needs is "
                          f"missing or broken)")


def _readable(file: Path, read: Callable[[Path], object], errors: tuple[type[Exception], ...], what: str) -> None:
    """read(file), or ResourceBroken saying the file `what` (e.g. "är inte giltig JSON") and why."""
    try:
        read(file)
    except errors as err:
        raise _broken(file, f"{what} ({' '.join(str(err).split())[:200]})") from None


def _folders(required: dict[Path, tuple[str, ...]], pattern: str, read: Callable[[Path], object],
             errors: tuple[type[Exception], ...], what: str) -> None:
    """Every required file of each folder is there, and every file matching `pattern` reads."""
    for folder, names in required.items():
        for name in names:
            if not (folder / name).is_file():
                raise _broken(folder / name, "saknas")
        for file in sorted(folder.glob(pattern)):
            _readable(file, read, errors, what)


def _turtle(file: Path) -> None:
    for _ in pyoxigraph.parse(path=str(file), format=pyoxigraph.RdfFormat.TURTLE):
        pass


def check_resources() -> None:
    """Raise ResourceBroken (one line) for the first missing or unreadable file the endpoints need:
    every Turtle file of ontology/ and shapes/ (and the ones named above), every query of
    queries/ (parsed by the engine), every JSON file of data/ and data/lexicon/."""
    _folders(REQUIRED_TURTLE, "*.ttl", _turtle, (SyntaxError, ValueError, OSError), "går inte att läsa")
    queries = sorted(paths.QUERIES.glob("*.rq")) if paths.QUERIES.is_dir() else []
    if not queries:
        raise _broken(paths.QUERIES, "saknas eller är tom")
    empty = pyoxigraph.Store()
    for file in queries:
        _readable(file, lambda f: empty.query(f.read_text(encoding="utf-8")),
                  (SyntaxError, ValueError, OSError, UnicodeDecodeError), "är inte en giltig SPARQL-fråga")
    _folders(REQUIRED_JSON, "*.json", lambda f: json.loads(f.read_text(encoding="utf-8")), (ValueError, OSError),
             "är inte giltig JSON")


def check_graph(store: GraphStore, allow_stale: bool = False) -> Stats:
    """The store's stats if it may be served; GraphMissing with a one-line reason if not."""
    stats = store.stats()
    if stats["agreements"] == 0:
        raise GraphMissing("grafen innehåller inga överenskommelser (the graph holds no agreements)")
    if not isinstance(store, EmbeddedStore):
        return stats
    where = store.build_dir
    manifest = store.manifest if isinstance(store.manifest, dict) else {}
    listed = {str(a.get("key")) for a in manifest.get("agreements", []) if isinstance(a, dict)}
    served = {g[len(AGREEMENT_GRAPHS):] for g in stats["graphs"]
              if g.startswith(AGREEMENT_GRAPHS) and not g.endswith("/vocabulary")}
    if listed != served:
        raise GraphMissing(f"grafen i {where} stämmer inte med sitt manifest (överenskommelser "
                           f"{', '.join(sorted(served ^ listed))}); bygg om med 'vemgorvad build' "
                           f"(graph and manifest disagree; rebuild)")
    if manifest.get("shacl_violations"):
        raise GraphMissing(f"grafen i {where} har SHACL-överträdelser; bygg om med 'vemgorvad build' "
                           f"(the graph violates its shapes; rebuild)")
    if not allow_stale:
        reason = stale_reason(manifest)
        if reason:
            raise GraphMissing(f"grafen i {where} är inaktuell: {reason}; kör 'vemgorvad build' (stale graph: "
                               f"run 'vemgorvad build', or serve it anyway with --allow-stale)")
    return stats


def exit_zero_on_sigterm() -> None:
    """SIGTERM before uvicorn listens ends the process at once; after uvicorn's graceful shutdown
    (which re-raises the signal it caught) it ends `serve` with status 0."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, handler)
