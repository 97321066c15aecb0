"""A small thread-safe LRU cache of finished answers, bounded in bytes. The graph changes only at
a rebuild, and a rebuild gives a new store and with it a new, empty cache (see runtime.py)."""
from __future__ import annotations

import threading
from collections import OrderedDict


class AnswerCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_item: int = 4 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_item = max_item
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key):
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key, value, size: int) -> None:
        if self.max_bytes <= 0 or size > self.max_item:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, (_, old) = self._items.popitem(last=False)
                self._bytes -= old

    def __len__(self) -> int:
        return len(self._items)
