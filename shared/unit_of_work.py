"""Units of work: how every session that may write is opened, who commits it, and what runs
at its commit.

A unit of work is one transaction in a service's own database, with its session. The kernel
opens it, in these places and nowhere else:

- an HTTP request: `shared.dependencies.get_session` (`SessionDep`), or, for a POST with an
  `Idempotency-Key`, `shared.idempotency.IdempotencyMiddleware`, which commits the stored
  response with the write;
- an incoming event: the consumer's transaction (`shared.inbox.EventConsumer`), and a
  resync's (`shared.resync.rebuild_replicas`);
- a command, a bulk load, a background job: `async with database.session() as session`.

**Who commits**: the unit, once the work inside it returned without error (the endpoint, the
event's handler, the command's block); an error rolls it back. Services, repositories and
event handlers never commit.

**What runs at commit**, all of it registered on the unit, none on SQLAlchemy's `Session`
class (so no session of the process runs anything it did not ask for):

1. the audit trail (`shared.audit.record_writes`, which listens to this unit's session only):
   at every flush it notes the changes to audited records, and at commit it appends them to
   the hash chain inside the same transaction, so a write never commits without its entry;
2. after the commit, the unit's after-commit callbacks, in the order they were registered.
   Code that writes registers one with `unit_of(session).after_commit(callback)`: the outbox
   wakes its relay (`shared.outbox.Outbox`); what a service keeps in memory beside its
   database (an index, a cache) follows the commit the same way. After a rollback none runs.
   The data is committed by then, so a callback's failure is logged and fails nothing. What
   was kept for the commit is forgotten with `after_rollback(callback)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from shared.audit import record_writes

log = structlog.get_logger("edunode.unit_of_work")

AfterCommit = Callable[[], None]
AfterRollback = Callable[[], None]

_UNIT = "edunode.unit_of_work"  # the session's `info` key of its unit


class UnitOfWork:
    """One transaction and what runs at its commit (see the module's docstring)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after_commit: list[AfterCommit] = []
        self._after_rollback: list[AfterRollback] = []
        self._watching_rollbacks = False
        session.sync_session.info[_UNIT] = self
        record_writes(session)

    def after_commit(self, callback: AfterCommit) -> None:
        """Call `callback` once this unit's transaction has committed (never after a
        rollback, whoever rolls it back). A callback already registered is not added twice,
        so code may register it at each change it makes. It runs outside the transaction:
        it must not use the session."""
        self._watch_rollbacks()
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    def after_rollback(self, callback: AfterRollback) -> None:
        """Call `callback` if this unit's transaction rolls back (whoever rolls it back): to
        forget what was kept for its commit. Not added twice, as `after_commit`."""
        self._watch_rollbacks()
        if callback not in self._after_rollback:
            self._after_rollback.append(callback)

    def _watch_rollbacks(self) -> None:
        # Only a unit with callbacks has any to drop (reads pay nothing for it).
        if not self._watching_rollbacks:
            event.listen(self.session.sync_session, "after_soft_rollback", self._rolled_back)
            self._watching_rollbacks = True

    def _rolled_back(self, _session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # the whole transaction, not a savepoint
            self._forget()

    def _forget(self) -> None:
        callbacks, self._after_rollback = self._after_rollback, []
        self._after_commit.clear()
        self._run(callbacks)

    async def commit(self) -> None:
        """Commit the transaction (the audit appends its entries in it), then run the
        after-commit callbacks."""
        await self.session.commit()
        callbacks, self._after_commit = self._after_commit, []
        self._after_rollback.clear()
        self._run(callbacks)

    async def rollback(self) -> None:
        """Roll the transaction back: its after-rollback callbacks run, its after-commit
        callbacks are dropped."""
        await self.session.rollback()
        self._forget()  # if the session had begun nothing, no rollback event ran it

    def _run(self, callbacks: list[Callable[[], None]]) -> None:
        for callback in callbacks:
            try:
                callback()
            except Exception as error:
                log.exception("unit_callback_failed", callback=repr(callback), error=str(error))


@asynccontextmanager
async def open_unit(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
    """A new unit of work: committed when the block ends without error, else rolled back.
    (`Database.unit_of_work` and `Database.session` open theirs with it.)"""
    async with sessionmaker() as session:
        unit = UnitOfWork(session)
        try:
            yield unit
            await unit.commit()
        except BaseException:
            await unit.rollback()
            raise


def unit_of(session: AsyncSession) -> UnitOfWork:
    """The unit of work `session` belongs to: where to register an after-commit callback."""
    unit = session.sync_session.info.get(_UNIT)
    if not isinstance(unit, UnitOfWork):
        raise RuntimeError(
            "this session is not a unit of work's: open it with database.session() "
            "(or take the request's SessionDep)"
        )
    return unit
