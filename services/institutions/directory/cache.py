"""The read cache: each institution's read, serialized once, kept by id.

A cached read is stored only if no invalidation happened while it was being read, so a slow
reader can never put back a version older than one a writer has just committed.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Iterable
from typing import NamedTuple


class CachedRead(NamedTuple):
    """An institution's read as JSON bytes, and the version it shows."""

    version: int
    body: bytes


class ReadCache:
    """Serialized reads by id, least recently used first out."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[uuid.UUID, CachedRead] = OrderedDict()
        # Counts invalidations: a read taken at one generation is kept only at the same.
        self.generation = 0

    def get(self, key: uuid.UUID) -> CachedRead | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: uuid.UUID, read: CachedRead, generation: int) -> None:
        if generation != self.generation:
            return  # something changed while this was being read: do not keep it
        self._items[key] = read
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def invalidate(self, keys: Iterable[uuid.UUID]) -> None:
        self.generation += 1
        for key in keys:
            self._items.pop(key, None)
