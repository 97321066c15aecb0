"""Bounded caches (cachetools): every entry is counted in bytes, its key included, so no sequence
of requests can make a cache grow past its bound; least recently used entries go first.

Keys are made one way, by :class:`Key`: a name and the parts that decide the value, typed with
the value's type, so a cache of many kinds of values (:class:`Memo`) still gives each caller its
own type back, and two call sites cannot collide on a string."""
from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from cachetools import LRUCache

ENTRY_OVERHEAD = 200      # the entry's own tuple, dictionary slot and bookkeeping, roughly


def size_of(obj: Any) -> int:
    """Bytes an object holds, following the containers a key or an answer is made of."""
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return total


class ByteBoundedCache:
    """A thread-safe LRU cache bounded in bytes (keys included); max_mb 0 turns it off."""

    def __init__(self, max_mb: float | None = 64, max_item_share: float = 1 / 16):
        max_bytes = int((64 if max_mb is None else max_mb) * 1024 * 1024)
        self.max_bytes = max_bytes
        self.max_item = int(max_bytes * max_item_share) if max_bytes > 0 else 0
        self._cache: LRUCache[Hashable, tuple[Any, int]] = LRUCache(maxsize=max(1, max_bytes), getsizeof=lambda entry: entry[1])
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                self.misses += 1
                return default
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: Any, size: int | None = None) -> None:
        if self.max_bytes <= 0:
            return
        total = ENTRY_OVERHEAD + size_of(key) + (size_of(value) if size is None else size)
        if total > self.max_item:
            return
        with self._lock:
            self._cache[key] = (value, total)

    @property
    def bytes(self) -> int:
        with self._lock:
            return int(self._cache.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


V = TypeVar("V")
_MISSING = object()


@dataclass(frozen=True)
class Key(Generic[V]):
    """The one kind of cache key: `name` says what is cached, `parts` what decides the value
    (a format, a graph, a query). `Key[bytes]("dump", (graph, fmt))` is typed by its value."""
    name: str
    parts: tuple[Hashable, ...] = ()


class Memo:
    """Values computed from the served graph (descriptions, dumps, tables read once), each
    computed once however many requests ask for it at the same time, kept in a ByteBoundedCache:
    a value larger than its share of the bound is computed again when asked for, never kept."""

    def __init__(self, max_mb: float | None = 64) -> None:
        self._cache = ByteBoundedCache(max_mb, max_item_share=1 / 4)
        self._guard = threading.Lock()
        self._computing: dict[Key[Any], threading.Lock] = {}

    def get(self, key: Key[V], compute: Callable[[], V]) -> V:
        found = self._cache.get(key, _MISSING)
        if found is not _MISSING:
            return cast(V, found)   # under a Key[V] only a V is ever put (below)
        with self._guard:
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            found = self._cache.get(key, _MISSING)
            if found is not _MISSING:       # another request computed it while this one waited
                return cast(V, found)
            value = compute()
            self._cache.put(key, value)
        with self._guard:
            if self._computing.get(key) is lock:
                del self._computing[key]
        return value

    @property
    def bytes(self) -> int:
        return self._cache.bytes

    def __len__(self) -> int:
        return len(self._cache)
