"""The server's long-lived heap out of the cyclic garbage collector's way.

After the warm-up the server holds close to a million Python objects that live as long as the
graph (the answer index, vocabularies, parsed templates). Every full collection walks them all:
~400 ms of CPU holding the interpreter lock, during which no request — not even /health — is
answered (measured under `make attack`: full collections of 100–300 ms CPU, stretched to seconds
of wall time on a loaded machine). gc.freeze() moves them to the permanent generation, which
collections skip; objects freed by reference counting are still freed. A reload thaws, collects
what the previous graph left in cycles, and freezes again (once, in the reload's own thread).
Each freeze then returns the C heap's free pages to the system (trim): what the start or the
reload freed is otherwise kept, counted in the server's memory, until something reuses it."""
from __future__ import annotations

import ctypes
import gc
import os


def freeze() -> int:
    """Collect once, freeze everything alive, then hand the C heap's free pages back (trim);
    returns how many objects are frozen.

    The start leaves a third of the server's heap free but held: at N = 300 agreements (one
    process loading what `serve` loads) 934 MB PSS after the warm-up, 639 MB after malloc_trim — the
    RocksDB bulk load of the on-disk copy alone leaves ~270 MB of freed pages in its threads' arenas,
    the ask index's computation the rest. Nothing is moved or changed, only pages no object uses are
    returned (a reload's retired graph too, as refreeze() comes here)."""
    gc.collect()
    gc.freeze()
    trim()
    return gc.get_freeze_count()


def refreeze() -> int:
    """After a reload retired the previous graph: let its cycles be collected, freeze the rest."""
    gc.unfreeze()
    return freeze()


def frozen() -> int:
    return gc.get_freeze_count()


_LIBC: ctypes.CDLL | None = None


def trim() -> bool:
    """Hand the C heap's free pages back to the system (glibc malloc_trim): after a large job the
    memory Python freed stays in the process's heap, counted in its RSS, until the next job reuses
    it. False where there is no glibc (the call is then a no-op)."""
    global _LIBC
    try:
        if _LIBC is None:
            _LIBC = ctypes.CDLL("libc.so.6")
        return bool(_LIBC.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def rss_mb(pid: int | None = None) -> float:
    """Resident memory in MB of this process, or of process `pid`, from /proc (0 where there is none,
    or the process is gone)."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return 0.0
