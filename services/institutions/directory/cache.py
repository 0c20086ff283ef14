"""The read cache: each institution's read, serialized once, kept by id.

A cached read is stored only if its institution was not invalidated while it was being read, so
a slow reader can never put back a version older than one a writer has just committed.
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

    def __init__(self, capacity: int, *, remembered: int = 10_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[uuid.UUID, CachedRead] = OrderedDict()
        # Counts invalidations: a reader notes the generation before it reads, and its read is
        # kept unless its key was invalidated since.
        self.generation = 0
        # The generation of each key's last invalidation, for the `remembered` latest keys; a
        # read begun before the oldest of them forgotten is not kept (it cannot be told apart).
        # Per key, not one counter for all: under bench.load's mix, with --workers 2, one
        # process refused 44 % of the reads it missed, because some other institution had
        # been written meanwhile, and read them from the database again and again.
        self.remembered = remembered
        self._invalidated: OrderedDict[uuid.UUID, int] = OrderedDict()
        self._forgotten = 0

    def get(self, key: uuid.UUID) -> CachedRead | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: uuid.UUID, read: CachedRead, generation: int) -> None:
        # A key no longer remembered was last invalidated at `_forgotten` at the latest.
        if self._invalidated.get(key, self._forgotten) > generation:
            return  # it changed while this was being read: do not keep it
        self._items[key] = read
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def invalidate(self, keys: Iterable[uuid.UUID]) -> None:
        self.generation += 1
        invalidated = self._invalidated
        for key in keys:
            self._items.pop(key, None)
            invalidated[key] = self.generation
            invalidated.move_to_end(key)
        while len(invalidated) > self.remembered:
            _, generation = invalidated.popitem(last=False)
            self._forgotten = max(self._forgotten, generation)
