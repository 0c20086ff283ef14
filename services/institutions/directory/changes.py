"""What one transaction changed in the directory: kept on its session, handed to the directory
once that session commits, dropped if it rolls back.

The directory hooks onto a session the first time it is told of a change made in it
(`Directory.track`), and onto that session only: a session that changes no institution
carries no hook, and nothing listens on every session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from services.institutions.directory.records import IndexRecord

_PENDING = "edunode.directory.changes"
_HOOKED = "edunode.directory.hooked"


@dataclass
class DirectoryChanges:
    """The institutions a transaction wrote, removed or changed the read of (e.g. the other
    end of a relationship), and the QA statuses it stored."""

    upserted: dict[uuid.UUID, IndexRecord] = field(default_factory=dict)
    versions: dict[uuid.UUID, int] = field(default_factory=dict)
    removed: set[uuid.UUID] = field(default_factory=set)
    touched: set[uuid.UUID] = field(default_factory=set)
    qa: dict[uuid.UUID, str] = field(default_factory=dict)


def pending_changes(
    session: AsyncSession, on_commit: Callable[[DirectoryChanges], None]
) -> DirectoryChanges:
    """The changes noted so far in `session`'s transaction; the first time, hooks `on_commit`
    onto that session's commit (and forgetting them onto its rollback)."""
    sync_session = session.sync_session
    changes: DirectoryChanges | None = sync_session.info.get(_PENDING)
    if changes is None:
        changes = sync_session.info[_PENDING] = DirectoryChanges()
        if not sync_session.info.get(_HOOKED):
            _hook(sync_session, on_commit)
    return changes


def _hook(session: Session, on_commit: Callable[[DirectoryChanges], None]) -> None:
    def committed(session: Session) -> None:
        changes: DirectoryChanges | None = session.info.pop(_PENDING, None)
        if changes is not None:
            on_commit(changes)

    def rolled_back(session: Session, _transaction: SessionTransaction) -> None:
        session.info.pop(_PENDING, None)

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_soft_rollback", rolled_back)
    session.info[_HOOKED] = True
