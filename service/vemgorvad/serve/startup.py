"""What `vemgorvad serve` checks before it listens, and how it stops.

It refuses, in one line and with a non-zero exit, a graph that is missing or broken (store/embedded.py),
empty, not the build its manifest describes, or stale: built from other data than data/ holds now
(the data fingerprint in the manifest, see datastore.py). `--allow-stale` or VEMGORVAD_ALLOW_STALE=1
serves a stale graph anyway.

SIGTERM: uvicorn stops accepting, lets the requests in flight finish (up to its graceful timeout),
then re-raises the signal; the handler installed here turns that into a normal exit with status 0.
"""
from __future__ import annotations

import signal

from ..datastore import stale_reason
from ..store import EmbeddedStore, GraphMissing, GraphStore
from ..store.embedded import AGREEMENT_GRAPHS


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
