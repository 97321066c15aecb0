"""How often this process built an answer index, and how long the last build took: the start-up
builds one (before `serve` listens), a reload one for the new graph, and never a request — three
users asking at once after a start share the one built at start. Exported at GET /metrics."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class IndexBuilds:
    count: int = 0
    last_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def note(self, seconds: float) -> None:
        with self._lock:
            self.count += 1
            self.last_seconds = seconds


ASK_INDEX = IndexBuilds()
