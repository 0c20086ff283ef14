"""The one upsert by version (BRIEF §4: every event carries its record's whole state and its
version), on SQLite: a newer version of the same origin's record replaces the stored one, an
older or equal one changes nothing; a stored state of another origin gives way to the
authority's; `check` refuses before the versions compare; a copy without an origin compares
versions alone; `replacing` decides the same for rows written with bulk statements; `load`
reads the stored rows with the relationships `write` changes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from shared.db import Base, Database, new_metadata
from shared.inbox import PermanentEventError, ensure_owned_by
from shared.repository import Repository


class RepositoryTestBase(Base):
    __abstract__ = True
    metadata = new_metadata()


class Replica(RepositoryTestBase):
    __tablename__ = "replica"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]


class Copy(RepositoryTestBase):
    """A copy of what another service of the node derives: no origin."""

    __tablename__ = "copy"

    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]


class Tagged(RepositoryTestBase):
    """A record with rows of its own that are never loaded lazily."""

    __tablename__ = "tagged"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    tags: Mapped[list[Tag]] = relationship(cascade="all, delete-orphan", lazy="raise")


class Tag(RepositoryTestBase):
    __tablename__ = "tag"

    tagged_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tagged.id"), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)


@dataclass(frozen=True)
class TaggedState:
    id: uuid.UUID
    origin_node: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class State:
    id: uuid.UUID
    origin_node: str
    name: str


@dataclass(frozen=True)
class Derived:
    subject_id: uuid.UUID
    status: str


def write(row: Replica, state: State) -> None:
    row.name = state.name


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'repository.db'}")
    async with database.engine.begin() as connection:
        await connection.run_sync(RepositoryTestBase.metadata.create_all)
    try:
        yield database
    finally:
        await database.dispose()


async def stored(database: Database) -> dict[uuid.UUID, tuple[str, str, int]]:
    async with database.session() as session:
        rows = await session.scalars(select(Replica))
        return {row.id: (row.origin_node, row.name, row.version) for row in rows}


async def apply(database: Database, *states: tuple[State, int], **options: object) -> int:
    async with database.session() as session:
        written = await Repository(session).upsert_by_version(
            Replica,
            list(states),
            write,
            **options,  # type: ignore[arg-type]
        )
        return len(written)


async def test_a_newer_version_replaces_an_older_or_equal_one_changes_nothing(
    database: Database,
) -> None:
    record = uuid.uuid4()
    assert await apply(database, (State(record, "my", "v2"), 2)) == 1
    assert await apply(database, (State(record, "my", "v1"), 1)) == 0
    assert await apply(database, (State(record, "my", "v2 again"), 2)) == 0
    assert await stored(database) == {record: ("my", "v2", 2)}
    assert await apply(database, (State(record, "my", "v3"), 3)) == 1
    assert await stored(database) == {record: ("my", "v3", 3)}


async def test_a_batch_applies_each_records_newest_state_whatever_the_order(
    database: Database,
) -> None:
    one, two = uuid.uuid4(), uuid.uuid4()
    batch = [
        (State(one, "my", "one v3"), 3),
        (State(two, "cn", "two v1"), 1),
        (State(one, "my", "one v1"), 1),
        (State(one, "my", "one v2"), 2),
    ]
    assert await apply(database, *batch) == 2
    assert await stored(database) == {one: ("my", "one v3", 3), two: ("cn", "two v1", 1)}


async def test_another_origins_stored_state_gives_way_to_the_authority(
    database: Database,
) -> None:
    record = uuid.uuid4()
    await apply(database, (State(record, "xx", "forged"), 99))
    assert await apply(database, (State(record, "my", "genuine"), 3)) == 1
    assert await stored(database) == {record: ("my", "genuine", 3)}


async def test_this_nodes_own_record_is_refused_to_another_origin(database: Database) -> None:
    record = uuid.uuid4()
    await apply(database, (State(record, "cn", "own"), 1), this_node="cn")
    with pytest.raises(ValueError, match="belongs to 'cn'"):
        await apply(database, (State(record, "my", "taken"), 5), this_node="cn")
    assert await stored(database) == {record: ("cn", "own", 1)}


async def test_check_refuses_before_the_versions_compare(database: Database) -> None:
    record = uuid.uuid4()
    await apply(database, (State(record, "cn", "decision"), 2))

    def owned(row: Replica, state: State) -> None:
        ensure_owned_by(row.origin_node, state.origin_node, f"record {state.id}")

    # Even a stale state of another origin is refused, not quietly ignored: it is a forgery.
    with pytest.raises(PermanentEventError, match="owned by node 'cn'"):
        await apply(database, (State(record, "my", "forged"), 1), check=owned)
    assert await apply(database, (State(record, "cn", "v3"), 3), check=owned) == 1


async def test_a_copy_without_an_origin_compares_versions_alone(database: Database) -> None:
    subject = uuid.uuid4()

    def write_copy(row: Copy, state: Derived) -> None:
        row.status = state.status

    async def derive(status: str, version: int) -> int:
        async with database.session() as session:
            written = await Repository(session).upsert_by_version(
                Copy,
                [(Derived(subject, status), version)],
                write_copy,
                key="subject_id",
                by_origin=False,
            )
            return len(written)

    assert await derive("accredited", 2) == 1
    assert await derive("not accredited", 1) == 0
    assert await derive("expired", 3) == 1
    async with database.session() as session:
        row = await session.get(Copy, subject)
    assert row is not None and (row.status, row.version) == ("expired", 3)


async def test_replacing_decides_for_bulk_writes_from_the_columns_it_loads(
    database: Database,
) -> None:
    kept, stale, new = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await apply(database, (State(kept, "my", "a"), 1), (State(stale, "my", "b"), 5))
    async with database.session() as session:
        batch = [
            (State(kept, "my", "a2"), 2),
            (State(stale, "my", "b old"), 4),
            (State(new, "my", "c"), 1),
        ]
        decided = await Repository(session).replacing(
            Replica, batch, columns=("id", "origin_node", "version")
        )
    assert [(state.name, version) for state, version, _ in decided] == [("a2", 2), ("c", 1)]
    assert [row.version if row is not None else None for _, _, row in decided] == [1, None]


async def test_load_reads_the_stored_rows_with_what_write_changes(database: Database) -> None:
    record = uuid.uuid4()

    def write_tags(row: Tagged, state: TaggedState) -> None:
        row.tags = [Tag(value=value) for value in state.tags]

    async def tag(*tags: str, version: int, load: bool) -> int:
        async with database.session() as session:
            written = await Repository(session).upsert_by_version(
                Tagged,
                [(TaggedState(record, "my", tags), version)],
                write_tags,
                load=[selectinload(Tagged.tags)] if load else (),
            )
            return len(written)

    assert await tag("a", "b", version=1, load=False) == 1  # a new row has nothing to load
    with pytest.raises(InvalidRequestError, match="lazy='raise'"):
        await tag("c", version=2, load=False)
    assert await tag("c", version=2, load=True) == 1
    async with database.session() as session:
        values = await session.scalars(select(Tag.value).where(Tag.tagged_id == record))
        assert list(values) == ["c"]
