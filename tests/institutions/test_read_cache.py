"""The read cache keeps a read unless its institution was invalidated while it was being read
(`services/institutions/directory/cache.py`): a slow reader never puts back a version older
than one a writer has just committed, and a write to one institution does not throw away the
reads of others taken meanwhile."""

from __future__ import annotations

import uuid

from services.institutions.directory.cache import CachedRead, ReadCache

OLD = CachedRead(1, b'{"version": 1}')


def test_a_read_of_an_institution_invalidated_while_it_was_read_is_not_kept() -> None:
    cache = ReadCache(10)
    key = uuid.uuid4()
    began = cache.generation
    cache.invalidate([key])  # a writer committed version 2 meanwhile
    cache.put(key, OLD, began)
    assert cache.get(key) is None


def test_a_read_is_kept_when_only_other_institutions_were_invalidated_meanwhile() -> None:
    cache = ReadCache(10)
    key = uuid.uuid4()
    began = cache.generation
    cache.invalidate([uuid.uuid4(), uuid.uuid4()])
    cache.put(key, OLD, began)
    assert cache.get(key) == OLD


def test_a_read_begun_after_the_invalidation_is_kept() -> None:
    cache = ReadCache(10)
    key = uuid.uuid4()
    cache.invalidate([key])
    cache.invalidate([uuid.uuid4()])  # and after another one
    began = cache.generation
    cache.put(key, OLD, began)
    assert cache.get(key) == OLD


def test_a_read_older_than_what_the_cache_remembers_is_not_kept() -> None:
    cache = ReadCache(10, remembered=2)
    key = uuid.uuid4()
    began = cache.generation
    cache.invalidate([key])
    cache.invalidate([uuid.uuid4()])
    cache.invalidate([uuid.uuid4()])  # the key's invalidation is forgotten now
    cache.put(key, OLD, began)
    assert cache.get(key) is None


def test_an_invalidation_drops_the_cached_read() -> None:
    cache = ReadCache(10)
    key = uuid.uuid4()
    cache.put(key, OLD, cache.generation)
    cache.invalidate([key])
    assert cache.get(key) is None


def test_only_the_oldest_invalidations_are_forgotten() -> None:
    cache = ReadCache(10, remembered=2)
    began_first = cache.generation
    cache.invalidate([uuid.uuid4()])
    began_second = cache.generation
    cache.invalidate([uuid.uuid4()])  # two remembered: nothing forgotten yet
    kept_first = uuid.uuid4()
    cache.put(kept_first, OLD, began_first)
    assert cache.get(kept_first) == OLD
    cache.invalidate([uuid.uuid4()])  # the first (oldest) is forgotten
    kept_second, refused = uuid.uuid4(), uuid.uuid4()
    cache.put(kept_second, OLD, began_second)
    cache.put(refused, OLD, began_first)  # began before an invalidation now forgotten
    assert cache.get(kept_second) == OLD
    assert cache.get(refused) is None


def test_a_full_cache_lets_the_least_recently_used_read_go() -> None:
    cache = ReadCache(2)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cache.put(first, OLD, cache.generation)
    cache.put(second, OLD, cache.generation)
    assert cache.get(first) == OLD  # used: now the most recent
    cache.put(third, OLD, cache.generation)
    assert cache.get(second) is None
    assert cache.get(first) == OLD
    assert cache.get(third) == OLD
