"""The directory's unit of work: what a write tells the in-memory directory reaches the index
and the read cache when, and only when, the write's transaction commits (a search must never
show an institution the database does not hold)."""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.institutions.directory.cache import CachedRead
from services.institutions.directory.follower import DirectoryFollower
from services.institutions.directory.memory import Directory
from services.institutions.registry.models import Institution
from shared.db import Database, new_id
from tests.conftest import migrated


class WriteFailed(Exception):
    pass


def institution(name: str) -> Institution:
    return Institution(
        id=new_id(),
        origin_node="my",
        country="MY",
        name=name,
        names=[{"value": name, "lang": "en", "kind": "official"}],
        version=1,
    )


def found(directory: Directory, query: str) -> list[uuid.UUID]:
    return [hit.id for hit in directory.index.search(query).hits]


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = migrated("services.institutions", f"sqlite+aiosqlite:///{tmp_path / 'changes.db'}")
    database = Database(url)
    yield database
    await database.dispose()


async def test_a_write_reaches_the_index_when_its_transaction_commits(
    database: Database,
) -> None:
    directory = Directory()
    malaya = institution("Universiti Malaya")
    async with database.session() as session:
        session.add(malaya)
        await session.flush()
        directory.track(session, upserted=[malaya])
        assert found(directory, "Universiti Malaya") == []  # not before the commit
    assert found(directory, "Universiti Malaya") == [malaya.id]
    assert directory.versions[malaya.id] == 1


async def test_a_rolled_back_write_never_reaches_the_index_nor_drops_cached_reads(
    database: Database,
) -> None:
    directory = Directory()
    cached = CachedRead(1, b'{"name":"Universiti Sains Malaysia"}')
    directory.cache.put(other_id := new_id(), cached, directory.cache.generation)
    sains = institution("Universiti Sains Malaysia")
    with pytest.raises(WriteFailed):
        async with database.session() as session:
            session.add(sains)
            await session.flush()
            directory.track(session, upserted=[sains], touched=[other_id])
            raise WriteFailed
    assert found(directory, "Universiti Sains Malaysia") == []
    assert directory.cache.get(other_id) == cached


async def test_a_session_reused_after_a_rollback_applies_only_its_committed_changes(
    database: Database,
) -> None:
    directory = Directory()
    abandoned, kept = institution("Universiti Putra Malaysia"), institution("Multimedia University")
    async with database.session() as session:
        session.add(abandoned)
        await session.flush()
        directory.track(session, upserted=[abandoned])
        await session.rollback()
        session.add(kept)
        await session.flush()
        directory.track(session, upserted=[kept])
    assert found(directory, "Universiti Putra Malaysia") == []
    assert found(directory, "Multimedia University") == [kept.id]


async def test_a_failed_first_load_is_tried_again_until_the_directory_is_loaded(
    tmp_path: Path,
) -> None:
    """A process whose first load fails (here: its database not there yet) must not serve
    503 for ever: the follower loads again until it succeeds. The database is built (migrated,
    one institution) in a directory beside it, which is then renamed into place, so that no
    load can see it half-made."""
    place = tmp_path / "late"  # not there yet: SQLite cannot even create the file
    database = Database(f"sqlite+aiosqlite:///{place / 'late.db'}")
    directory = Directory()
    follower = DirectoryFollower(directory, database, poll_interval=0.05)
    follower.start()
    try:
        await asyncio.sleep(0.5)  # the first loads fail: no database yet
        assert not directory.loaded.is_set()
        building = tmp_path / "building"
        building.mkdir()
        built_url = f"sqlite+aiosqlite:///{building / 'late.db'}"
        migrated("services.institutions", built_url)
        built = Database(built_url)
        try:
            async with built.session() as session:
                session.add(institution("Universiti Putra Malaysia"))
        finally:
            await built.dispose()
        building.rename(place)  # at once: no load sees a directory without its database
        await asyncio.wait_for(directory.loaded.wait(), timeout=30)
        assert len(found(directory, "Universiti Putra Malaysia")) == 1
    finally:
        await follower.stop()
        await database.dispose()


async def test_the_loaded_index_is_left_out_of_the_collectors_full_passes(
    tmp_path: Path,
) -> None:
    """The index lives as long as the process: once loaded, its objects are frozen (out of
    the cyclic collector's full passes, which walked them all and made search's p99 372 ms
    under 16 connections in bench.directory; issue 18, item 4). Still freed by reference
    counting when a record leaves the index."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'frozen.db'}"
    migrated("services.institutions", url)
    database = Database(url)
    try:
        async with database.session() as session:
            session.add_all(institution(f"Universiti {n}") for n in range(200))
        directory = Directory()
        gc.unfreeze()
        await DirectoryFollower(directory, database).load()
        frozen = gc.get_freeze_count()
        assert len(found(directory, "Universiti 117")) >= 1
    finally:
        gc.unfreeze()
        await database.dispose()
    assert frozen > 0  # frozen by the load (nothing was before it): the index with the rest
