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
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import uuid6
from sqlalchemy import Integer, MetaData, event, text
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
        if self.is_sqlite:
            options["connect_args"] = {"timeout": busy_timeout}  # SQLite's busy timeout
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


_WRITES = ("insert", "update", "delete", "replace")
_HOLDS = "edunode_write_turn"


class _SqliteWriters:
    """The writers of one process take the database's write lock in turn, first come first
    served: a transaction waits for its turn (an asyncio lock) at its first write statement,
    and gives it back when it commits or rolls back. Measured with `bench/load.py`: without
    it, concurrent writes each polled SQLite's lock with sleeps and the tail reached seconds.
    A writer that waited `timeout` seconds goes on without its turn (SQLite's busy timeout
    then decides, as before)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def listen(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._before_execute)
        event.listen(engine.sync_engine, "commit", self._release)
        event.listen(engine.sync_engine, "rollback", self._release)
        pool = engine.sync_engine.pool
        event.listen(pool, "checkin", self._release_entry)
        event.listen(pool, "close", self._release_entry)
        for lost in ("invalidate", "soft_invalidate"):
            event.listen(pool, lost, self._release_lost)

    def _before_execute(self, connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if _HOLDS in connection.info or not statement.lstrip()[:7].lower().startswith(_WRITES):
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
        connection.info[_HOLDS] = lock

    def _release(self, connection: Any) -> None:
        lock = connection.info.pop(_HOLDS, None)
        if lock is not None:
            lock.release()

    def _release_entry(self, _dbapi_connection: Any, entry: ConnectionPoolEntry | None) -> None:
        if entry is not None:
            self._release(entry)

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
