"""Database kernel: declarative base with a naming convention, id/timestamp/version mixins,
one async engine per service, and its units of work.

SQLite is the embedded default and PostgreSQL the production engine; everything here works on
both. Every session is a unit of work's (`Database.session`, `Database.unit_of_work`): the
unit commits, never a service, and it runs what was registered for its commit (the audit,
after-commit callbacks; `shared/unit_of_work.py` states the rules). A request's unit commits
before the response is sent, so a failed commit is an error response, not a lost write.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar

import aiosqlite
import uuid6
from sqlalchemy import Integer, MetaData, event, make_url, text
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_

# Models take their column type and clock from here, beside the mixins (explicit re-exports).
from shared.timestamps import UtcDateTime as UtcDateTime
from shared.timestamps import utcnow as utcnow
from shared.unit_of_work import UnitOfWork, open_unit

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the project's constraint naming convention (one per service)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> uuid.UUID:
    """A UUIDv7: unique without coordination between nodes, and ordered by creation time."""
    return uuid.UUID(int=uuid6.uuid7().int)


class IdMixin:
    """A UUIDv7 primary key."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    """`created_at` and `updated_at`, in UTC."""

    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class VersionMixin:
    """A record version: 1 on creation, +1 on every change; the ETag and the event's
    `aggregateversion`, and what makes replicas idempotent and order-tolerant."""

    version: Mapped[int] = mapped_column(Integer, default=1)


class Database:
    """One async engine and the units of work of a service's own database.

    On SQLite, a writer waits up to `busy_timeout` seconds for another connection's write
    lock before giving up with "database is locked" (`database_busy`). The writers of one
    process take turns first (`_SqliteWriters`), so that SQLite's own wait, a sleep of up to
    100 ms between tries that lets later writers overtake, is left to other processes."""

    def __init__(self, url: str, *, echo: bool = False, busy_timeout: float = 30.0) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:  # SQLite's busy timeout, on connections that take turns to write
            options["async_creator"] = _sqlite_connector(url, busy_timeout)
        else:
            options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            _SqliteWriters(busy_timeout).listen(self.engine)
        # Private: every session is opened as a unit of work, through the two methods below.
        self._sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """A new unit of work: it commits when the block ends without error (the audit's
        entries with the writes, then its after-commit callbacks) and rolls back on error."""
        async with open_unit(self._sessionmaker) as unit:
            yield unit

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The session of a new unit of work (`unit_of_work`), for code that needs only the
        session; `shared.unit_of_work.unit_of(session)` reaches the unit."""
        async with self.unit_of_work() as unit:
            yield unit.session

    async def ping(self) -> None:
        """Raise if the database does not answer."""
        async with self.engine.connect() as connection:
            await connection.execute(text("select 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the one writer; FULL sync makes every commit durable, as a
    # committed change and its outbox event must survive a crash. Foreign keys are off by
    # default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


T = TypeVar("T")

_WRITES = ("insert", "update", "delete", "replace")
# How long a writer holding its turn runs its statements on the event loop's thread.
INLINE_SECONDS = 0.02


class _TurnConnection(aiosqlite.Connection):
    """aiosqlite's connection, to a database whose writers of one process take turns
    (`_SqliteWriters`).

    - It gives its turn back once SQLite has done its commit or rollback, not before: the next
      writer would find SQLite's lock still held and sleep in SQLite's busy handler (1, 2, 5,
      10 ms...), which it did for a third of the creates under `bench/load.py`'s mix.
    - While it holds the turn, for at most `INLINE_SECONDS`, its statements run on the event
      loop's thread instead of making a round trip through aiosqlite's thread. Each round trip
      waits for the loop, which under load is serving other requests: a create's few
      statements held the turn 16 to 26 ms (p50) and the turn was never free, where SQLite
      answers them in microseconds.
    - The first write is tried without SQLite's busy wait, so the loop never sleeps in
      SQLite; if another process holds SQLite's lock, it is tried again every millisecond or
      two (`_after_another_process`).
    - The commit runs on the loop's thread too while the time lasts: its round trip through
      aiosqlite's thread was most of what remained (p50 12 ms of a 17 ms turn, where the
      commit itself, a WAL append and its fsync, takes about 1 ms)."""

    busy_timeout_ms = 0
    turn: asyncio.Lock | None = None
    inline_until = 0.0

    def take_turn(self, lock: asyncio.Lock) -> None:
        self.turn = lock
        if self._connection is not None:
            self._connection.execute("PRAGMA busy_timeout = 0")
            self.inline_until = time.perf_counter() + INLINE_SECONDS

    def give_turn_back(self) -> None:
        self._stop_inline()
        lock, self.turn = self.turn, None
        if lock is not None:
            lock.release()

    def _stop_inline(self) -> None:
        if self.inline_until and self._connection is not None:
            self._connection.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        self.inline_until = 0.0

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.inline_until:
            if time.perf_counter() < self.inline_until and self._connection is not None:
                try:
                    return fn(*args, **kwargs)
                except sqlite3.OperationalError as error:
                    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                        raise
                return await self._after_another_process(fn, *args, **kwargs)
            self._stop_inline()  # the time is up
        result: T = await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
        return result

    async def _after_another_process(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Another process (a second worker, an import) holds SQLite's write lock: try again
        every millisecond or two, on the loop (sleeping between tries, so the loop serves
        others), until the busy timeout; SQLite's own busy handler would sleep up to 100 ms
        at a time, and a writer of the other process holds the lock for a few milliseconds.
        A statement refused as busy did nothing, so trying it again is safe. Once it passes,
        this writer's time on the loop's thread starts again."""
        deadline = time.perf_counter() + self.busy_timeout_ms / 1000
        pause = 0.0005
        while time.perf_counter() < deadline and self._connection is not None:
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.002)
            try:
                result = fn(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
                continue
            self.inline_until = time.perf_counter() + INLINE_SECONDS
            return result
        self._stop_inline()  # out of time: SQLite's own answer, through aiosqlite's thread
        final: T = await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
        return final

    async def commit(self) -> None:
        try:
            await super().commit()
        finally:
            self.give_turn_back()

    async def rollback(self) -> None:
        self._stop_inline()
        try:
            await super().rollback()
        finally:
            self.give_turn_back()


def _sqlite_connector(url: str, busy_timeout: float) -> Callable[[], Awaitable[_TurnConnection]]:
    """What `create_async_engine(async_creator=...)` calls for a new connection: SQLAlchemy's
    own connect arguments for `url`, on a `_TurnConnection` whose sqlite3 connection may be
    used from the loop's thread as well as aiosqlite's (never from both at once: a
    connection's statements are awaited one after the other)."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    options = {**kwargs, "timeout": busy_timeout, "check_same_thread": False}
    connect = functools.partial(sqlite3.connect, *args, **options)

    async def creator() -> _TurnConnection:
        connection = _TurnConnection(connect, iter_chunk_size=64)
        connection.busy_timeout_ms = int(busy_timeout * 1000)
        connection._thread.daemon = True  # as SQLAlchemy's own connect does
        await connection  # starts its thread and connects
        return connection

    return creator


class _SqliteWriters:
    """The writers of one process take the database's write lock in turn, first come first
    served: a transaction waits for its turn (an asyncio lock) at its first write statement,
    and its connection (`_TurnConnection`) gives it back when its commit or rollback is done.
    Measured with `bench/load.py`: without it, concurrent writes each polled SQLite's lock
    with sleeps and the tail reached seconds. A writer that waited `timeout` seconds goes on
    without its turn (SQLite's busy timeout then decides, as before)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def listen(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._before_execute)
        # A connection given back to the pool, closed or lost while it held the turn (its
        # commit or rollback never ran) gives the turn back too.
        pool = engine.sync_engine.pool
        event.listen(pool, "checkin", self._release_entry)
        event.listen(pool, "close", self._release_entry)
        for lost in ("invalidate", "soft_invalidate"):
            event.listen(pool, lost, self._release_lost)

    def _before_execute(self, connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        driver = connection.connection.driver_connection
        if (
            not isinstance(driver, _TurnConnection)
            or driver.turn is not None
            or not statement.lstrip()[:7].lower().startswith(_WRITES)
        ):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous engine's caller: SQLite's busy timeout alone
            return
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        try:  # a free turn is taken at once, without a pass through the event loop
            await_(
                lock.acquire()
                if not lock.locked()
                else asyncio.wait_for(lock.acquire(), self.timeout)
            )
        except TimeoutError:
            return
        driver.take_turn(lock)

    def _release_entry(self, _dbapi_connection: Any, entry: ConnectionPoolEntry | None) -> None:
        driver = entry.driver_connection if entry is not None else None
        if isinstance(driver, _TurnConnection) and driver.turn is not None:
            driver.give_turn_back()

    def _release_lost(self, dbapi_connection: Any, entry: ConnectionPoolEntry, _: Any) -> None:
        self._release_entry(dbapi_connection, entry)


def database_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database is locked": another connection held the write
    lock longer than the busy timeout. Worth trying again later, not a fault."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


class Base(DeclarativeBase):
    """Abstract root. Each service declares one abstract subclass (`class XBase(Base):
    __abstract__ = True`) and gets its own mapper registry and metadata with the naming
    convention: its tables, and only its tables, belong to its database, and two services'
    models of the same name never collide when loaded in one process (tests, tools)."""

    __abstract__ = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if Base in cls.__bases__ and cls.__dict__.get("__abstract__", False):
            own = registry(metadata=new_metadata())
            cls.registry = own
            cls.metadata = own.metadata
            cls._sa_registry = own
        super().__init_subclass__(**kwargs)
