"""The database kernel on SQLite and PostgreSQL: timestamps come back in UTC, naive ones are
refused, the mixins fill ids, timestamps and versions, and constraints get their names."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import String, Table, UniqueConstraint, event, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import (
    Base,
    Database,
    IdMixin,
    TimestampMixin,
    UtcDateTime,
    VersionMixin,
    new_metadata,
)


class DbTestBase(Base):
    __abstract__ = True
    metadata = new_metadata()


class Record(IdMixin, TimestampMixin, VersionMixin, DbTestBase):
    __tablename__ = "record"
    __table_args__ = (UniqueConstraint("code"),)

    code: Mapped[str] = mapped_column(String(10))
    happened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(DbTestBase.metadata.create_all)
    try:
        yield database
    finally:
        await database.dispose()


async def test_timestamps_round_trip_as_utc(database: Database) -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 26, 18, 30, 15, 123456, tzinfo=beijing)
    async with database.session() as session:
        session.add(Record(code="a", happened_at=moment))

    async with database.session() as session:
        record = (await session.scalars(select(Record))).one()

    assert record.happened_at == moment
    assert record.happened_at is not None and record.happened_at.tzinfo == UTC
    assert record.happened_at.hour == 10
    assert record.created_at.tzinfo == UTC


async def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="naive datetimes are not stored"):
        async with database.session() as session:
            session.add(Record(code="a", happened_at=datetime(2026, 1, 1)))
            await session.flush()


async def test_mixins_fill_a_uuid7_id_timestamps_and_version_one(database: Database) -> None:
    async with database.session() as session:
        first, second = Record(code="a"), Record(code="b")
        session.add_all([first, second])
        await session.flush()

    assert first.id.version == 7 and first.id < second.id
    assert first.version == 1
    assert timedelta(0) <= first.updated_at - first.created_at < timedelta(seconds=1)


async def test_constraints_are_named_by_convention(database: Database) -> None:
    table = cast(Table, Record.__table__)
    names = {constraint.name for constraint in table.constraints}

    assert {"pk_record", "uq_record_code"} <= names


async def test_session_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            session.add(Record(code="gone"))
            await session.flush()
            raise RuntimeError("the request failed")

    async with database.session() as session:
        assert (await session.scalars(select(Record))).all() == []


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}")
    try:
        async with database.engine.connect() as connection:
            journal = (await connection.execute(text("pragma journal_mode"))).scalar_one()
            foreign_keys = (await connection.execute(text("pragma foreign_keys"))).scalar_one()
            synchronous = (await connection.execute(text("pragma synchronous"))).scalar_one()
            busy_timeout = (await connection.execute(text("pragma busy_timeout"))).scalar_one()
    finally:
        await database.dispose()

    assert journal == "wal"
    assert foreign_keys == 1
    assert synchronous == 2  # FULL: a committed change and its outbox event survive a crash
    assert busy_timeout == 30_000  # ms a writer waits for another's write lock


async def test_sqlite_writers_of_one_process_take_turns(tmp_path: Path) -> None:
    """Many units of one process write at once, each holding its transaction across an await,
    some failing: every committed row is there, no writer meets "database is locked", and a
    rolled-back writer gives its turn back (a later writer goes on)."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}", busy_timeout=20)
    async with database.engine.begin() as connection:
        await connection.run_sync(DbTestBase.metadata.create_all)

    async def write(number: int) -> None:
        async with database.session() as session:
            session.add(Record(code=f"r{number}"))
            await session.flush()  # the write lock is taken here
            await asyncio.sleep(0.01)  # other writers run meanwhile
            if number % 5 == 0:
                raise RuntimeError("this request failed")

    try:
        results = await asyncio.gather(*(write(n) for n in range(30)), return_exceptions=True)
        async with database.session() as session:
            codes = set((await session.scalars(select(Record.code))).all())
    finally:
        await database.dispose()

    failed = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(r, RuntimeError) for r in failed), failed
    assert len(failed) == 6
    assert codes == {f"r{n}" for n in range(30) if n % 5 != 0}


async def _sqlite_records(path: Path, busy_timeout: float = 30.0) -> Database:
    database = Database(f"sqlite+aiosqlite:///{path}", busy_timeout=busy_timeout)
    async with database.engine.begin() as connection:
        await connection.run_sync(DbTestBase.metadata.create_all)
    return database


async def _thread_function(database: Database) -> None:
    """`thread()` in SQL: the name of the thread SQLite runs the statement on (on every
    connection opened from now on)."""

    @event.listens_for(database.engine.sync_engine, "connect")
    def thread_function(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread", 0, lambda: threading.current_thread().name)

    await database.engine.dispose()


async def test_a_writer_gives_its_turn_back_only_once_sqlite_has_committed(
    tmp_path: Path,
) -> None:
    """30 writers of one process at once: each one's first write finds SQLite's lock free and
    runs on the loop's thread, so the next writer's turn started after the previous commit
    was done in SQLite, not when it was asked for (the writer would otherwise have met
    SQLite's lock and waited for it in aiosqlite's thread; issue 18, item 6)."""
    database = await _sqlite_records(tmp_path / "turns-after-commit.db")
    await _thread_function(database)
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE written (n INTEGER, thread TEXT)"))

    async def write(number: int) -> None:
        async with database.session() as session:
            await session.execute(text("INSERT INTO written VALUES (:n, thread())"), {"n": number})
            await asyncio.sleep(0)

    loop_thread = threading.current_thread().name
    try:
        await asyncio.gather(*(write(n) for n in range(30)))
        async with database.session() as session:
            rows = (await session.execute(text("SELECT n, thread FROM written"))).all()
    finally:
        await database.dispose()
    assert sorted(n for n, _ in rows) == list(range(30))
    assert {thread for _, thread in rows} == {loop_thread}


async def test_a_writer_holding_its_turn_runs_its_statements_on_the_loops_thread(
    tmp_path: Path,
) -> None:
    """Reads outside a write go through aiosqlite's thread; once a transaction holds the
    write turn, its statements run on the event loop's own thread (no round trip through
    the loop, which under load is busy with other requests); after its commit, statements go
    through aiosqlite's thread again."""
    database = await _sqlite_records(tmp_path / "inline.db")
    await _thread_function(database)

    async def thread(session: AsyncSession) -> str:
        return str((await session.execute(text("SELECT thread()"))).scalar_one())

    loop_thread = threading.current_thread().name
    try:
        async with database.session() as session:
            before = await thread(session)
            session.add(Record(code="a"))
            await session.flush()  # the first write: the turn is taken
            during = await thread(session)
        async with database.session() as session:
            after = await thread(session)
            assert (await session.scalars(select(Record.code))).all() == ["a"]
    finally:
        await database.dispose()
    assert before != loop_thread and after != loop_thread
    assert during == loop_thread


async def test_a_write_waiting_for_another_process_does_not_stop_the_event_loop(
    tmp_path: Path,
) -> None:
    """Another process (here a plain sqlite3 connection on another thread) holds SQLite's
    write lock for 0.5 s: this process's writer, although it holds its turn, waits for SQLite
    in aiosqlite's thread, not on the event loop's, which keeps serving (a ticker runs all
    along), and then commits."""
    path = tmp_path / "two-processes.db"
    database = await _sqlite_records(path)
    locked, ticks = threading.Event(), 0

    def other_process() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(0.5)
        connection.execute("COMMIT")
        connection.close()

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    holder = threading.Thread(target=other_process)
    holder.start()
    await asyncio.to_thread(locked.wait)
    ticking = asyncio.create_task(ticker())
    try:
        async with database.session() as session:
            session.add(Record(code="late"))
            await session.flush()
        waited = ticks
        async with database.session() as session:
            assert (await session.scalars(select(Record.code))).all() == ["late"]
    finally:
        ticking.cancel()
        holder.join()
        await database.dispose()
    assert waited >= 20  # the loop ran on through most of the half second
