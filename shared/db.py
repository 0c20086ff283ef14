"""Database kernel: declarative base with a naming convention, id/timestamp/version mixins,
one async engine per service and one session per request.

SQLite is the embedded default and PostgreSQL the production engine; everything here works on
both. Services never commit: the request's unit of work (`shared.dependencies.get_session`)
does, before the response is sent, so a failed commit is an error response, not a lost write.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import uuid6
from sqlalchemy import DateTime, Integer, MetaData, TypeDecorator, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.pool import ConnectionPoolEntry

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


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    """One async engine and its session factory for a service's own database."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            options["connect_args"] = {"timeout": 30}
        else:
            options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

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
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


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
