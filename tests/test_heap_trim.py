"""heap.freeze() (what `serve` runs after its warm-up, and a reload after its swap) hands the C
heap's free pages back: memory a start allocated and freed is no longer counted in the server's
resident memory (issue 16: at N = 300 a third of the server's heap after ready was such pages).

Run in a child process of its own, so that what other tests left in this process's heap does not
count: it allocates ~96 MB in 2 KB blocks (C malloc, not Python's small-object arenas), keeps one
block above them so the heap's top cannot shrink by itself, frees the rest, and reads its resident
memory before and after heap.freeze()."""
from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json
from vemgorvad.serve import heap
base = heap.rss_mb()
blocks = [bytes(2048) for _ in range(48_000)]
guard = bytes(2048)
held = heap.rss_mb()
del blocks
freed = heap.rss_mb()
frozen = heap.freeze()
print(json.dumps({"base": base, "held": held, "freed": freed, "trimmed": heap.rss_mb(), "frozen": frozen,
                  "guard": len(guard)}))
"""


def test_freeze_returns_the_freed_heap_to_the_system():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60, check=True)
    mb = json.loads(done.stdout)
    allocated = mb["held"] - mb["base"]
    assert allocated > 80, mb
    assert mb["freed"] - mb["base"] > 0.8 * allocated, mb    # freed but kept: what serve held before
    assert mb["trimmed"] - mb["base"] < 0.2 * allocated, mb  # handed back by freeze
    assert mb["frozen"] > 0, mb                              # and the heap is still frozen
