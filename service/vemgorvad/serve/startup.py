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
from pathlib import Path

import pyoxigraph

from .. import paths
from ..datastore import stale_reason
from ..store import EmbeddedStore, GraphMissing, GraphStore
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


def check_resources() -> None:
    """Raise ResourceBroken (one line) for the first missing or unreadable file the endpoints need:
    every Turtle file of ontology/ and shapes/ (and the ones named above), every query of
    queries/ (parsed by the engine), every JSON file of data/ and data/lexicon/."""
    for folder, names in REQUIRED_TURTLE.items():
        for name in names:
            if not (folder / name).is_file():
                raise _broken(folder / name, "saknas")
        for file in sorted(folder.glob("*.ttl")):
            try:
                for _ in pyoxigraph.parse(path=str(file), format=pyoxigraph.RdfFormat.TURTLE):
                    pass
            except (SyntaxError, ValueError, OSError) as err:
                raise _broken(file, f"går inte att läsa ({' '.join(str(err).split())[:200]})") from None
    queries = sorted(paths.QUERIES.glob("*.rq")) if paths.QUERIES.is_dir() else []
    if not queries:
        raise _broken(paths.QUERIES, "saknas eller är tom")
    empty = pyoxigraph.Store()
    for file in queries:
        try:
            empty.query(file.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError, OSError, UnicodeDecodeError) as err:
            raise _broken(file, f"är inte en giltig SPARQL-fråga ({' '.join(str(err).split())[:200]})") from None
    for folder, names in REQUIRED_JSON.items():
        for name in names:
            if not (folder / name).is_file():
                raise _broken(folder / name, "saknas")
        for file in sorted(folder.glob("*.json")):
            try:
                json.loads(file.read_text(encoding="utf-8"))
            except (ValueError, OSError) as err:
                raise _broken(file, f"är inte giltig JSON ({' '.join(str(err).split())[:200]})") from None


def check_graph(store: GraphStore, allow_stale: bool = False) -> dict:
    """The store's stats if it may be served; GraphMissing with a one-line reason if not."""
    stats = store.stats()
    if stats["agreements"] == 0:
        raise GraphMissing("grafen innehåller inga överenskommelser (the graph holds no agreements)")
    if not isinstance(store, EmbeddedStore):
        return stats
    where = store.build_dir
    manifest = store.manifest if isinstance(store.manifest, dict) else {}
    listed = {a.get("key") for a in manifest.get("agreements", []) if isinstance(a, dict)}
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
    def handler(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, handler)
