"""Units of work on SQLite and PostgreSQL: every session a service writes in is opened as one;
its writes are audited and its after-commit callbacks run once it committed, in order, never
after a rollback; and nothing of it reaches a session opened outside the kernel's units (no
listener on SQLAlchemy's `Session` class)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import String, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from structlog.testing import capture_logs

from shared.audit import Actor, Audited, act_as, audit_table, entries, note_write
from shared.db import Base, Database, IdMixin, VersionMixin, new_id, new_metadata
from shared.outbox import Outbox, outbox_table
from shared.unit_of_work import unit_of
from tests.shared.test_backbone import institution_created


class UnitTestBase(Base):
    __abstract__ = True
    metadata = new_metadata()


class Note(Audited, IdMixin, VersionMixin, UnitTestBase):
    __tablename__ = "note"
    __audit_type__ = "note"

    text: Mapped[str] = mapped_column(String(100))


audit_table(UnitTestBase.metadata)
outbox = outbox_table(UnitTestBase.metadata)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(UnitTestBase.metadata.create_all)
    try:
        yield database
    finally:
        await database.dispose()


async def audit_actions(database: Database) -> list[tuple[str, str]]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(entries.c.action, entries.c.actor_client_id).order_by(entries.c.seq)
        )
        return [(row.action, row.actor_client_id) for row in rows]


async def test_a_unit_s_writes_are_audited_and_a_session_outside_any_unit_runs_nothing(
    database: Database,
) -> None:
    async with database.session() as session:
        act_as(session, Actor("cli:operator", "operator"))
        session.add(Note(text="written in a unit of work"))
    assert await audit_actions(database) == [("note.created", "cli:operator")]

    # A session the kernel did not open (a library's, a test's) is none of the audit's
    # business: no hook of the units reaches it.
    async with AsyncSession(database.engine) as foreign:
        foreign.add(Note(text="written past the kernel"))
        await foreign.commit()
        with pytest.raises(RuntimeError, match="unit of work"):
            unit_of(foreign)
        with pytest.raises(RuntimeError, match="unit of work"):
            note_write(
                foreign,
                record_type="note",
                record_id=new_id(),
                change="created",
                version_before=None,
                version_after=1,
            )
    assert await audit_actions(database) == [("note.created", "cli:operator")]


async def test_core_writes_noted_in_a_unit_are_chained_at_its_commit(database: Database) -> None:
    async with database.session() as session:
        note_id = new_id()
        await session.execute(insert(Note).values(id=note_id, text="bulk", version=1))
        note_write(
            session,
            record_type="note",
            record_id=note_id,
            change="created",
            version_before=None,
            version_after=1,
        )
    assert await audit_actions(database) == [("note.created", "system")]


async def test_after_commit_callbacks_run_once_committed_in_order_and_once_each(
    database: Database,
) -> None:
    calls: list[tuple[str, bool]] = []
    async with database.unit_of_work() as unit:

        def first() -> None:
            calls.append(("first", unit.session.in_transaction()))

        def second() -> None:
            calls.append(("second", unit.session.in_transaction()))

        unit.session.add(Note(text="a"))
        unit.after_commit(first)
        unit_of(unit.session).after_commit(second)  # as code holding only the session does
        unit.after_commit(first)  # registered at each change: still called once
        await unit.session.flush()
        assert calls == []  # flushed is not committed
    # Each ran after the transaction ended, and saw it ended.
    assert calls == [("first", False), ("second", False)]


async def test_after_a_rollback_only_the_rollback_callbacks_run(database: Database) -> None:
    calls: list[str] = []
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            session.add(Note(text="lost"))
            unit_of(session).after_commit(lambda: calls.append("woken"))
            unit_of(session).after_rollback(lambda: calls.append("forgotten"))
            raise RuntimeError("the work failed")
    assert calls == ["forgotten"]
    assert await audit_actions(database) == []
    async with database.session() as session:
        assert (await session.scalars(select(Note))).all() == []


async def test_a_rollback_inside_a_unit_drops_the_callbacks_registered_before_it(
    database: Database,
) -> None:
    calls: list[str] = []
    async with database.session() as session:
        session.add(Note(text="abandoned"))
        unit_of(session).after_commit(lambda: calls.append("abandoned"))
        unit_of(session).after_rollback(lambda: calls.append("abandoned forgotten"))
        await session.rollback()  # however it is rolled back, its callbacks go with it
        session.add(Note(text="kept"))
        unit_of(session).after_commit(lambda: calls.append("kept"))
    assert calls == ["abandoned forgotten", "kept"]
    async with database.session() as session:
        assert [n.text for n in (await session.scalars(select(Note))).all()] == ["kept"]


async def test_a_failing_callback_is_logged_and_the_work_stays_committed(
    database: Database,
) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise ValueError("the index is gone")

    with capture_logs() as logs:
        async with database.session() as session:
            session.add(Note(text="kept"))
            unit_of(session).after_commit(broken)
            unit_of(session).after_commit(lambda: calls.append("after the broken one"))
    assert calls == ["after the broken one"]
    assert [log["event"] for log in logs if log["log_level"] == "error"] == ["unit_callback_failed"]
    async with database.session() as session:
        assert [n.text for n in (await session.scalars(select(Note))).all()] == ["kept"]
    assert await audit_actions(database) == [("note.created", "system")]


async def test_the_outbox_wakes_its_relay_after_the_commit_only(
    database: Database, node_id: str
) -> None:
    wakes: list[Any] = []
    events = Outbox(outbox, on_added=lambda: wakes.append("woken"))
    async with database.session() as session:
        await events.add(session, institution_created(node_id))
        await events.add(session, institution_created(node_id))
        assert wakes == []
    assert wakes == ["woken"]  # one wake-up per commit, however many events
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            await events.add(session, institution_created(node_id))
            raise RuntimeError("the request failed")
    assert wakes == ["woken"]
