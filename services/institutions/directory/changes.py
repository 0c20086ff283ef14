"""What one transaction changed in the directory: kept on its session, handed to the directory
once that session's unit of work commits, dropped if it rolls back.

The directory registers with the unit of work (`shared/unit_of_work.py`) the first time it is
told of a change made in it (`Directory.track`): a transaction that changes no institution
registers nothing, and nothing listens on every session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.directory.records import IndexRecord
from shared.unit_of_work import unit_of

_PENDING = "edunode.directory.changes"


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
    """The changes noted so far in `session`'s transaction; the first time, registers with
    its unit of work that they go to `on_commit` once it commits (and are forgotten if it
    rolls back)."""
    info = session.sync_session.info
    changes: DirectoryChanges | None = info.get(_PENDING)
    if changes is None:
        changes = info[_PENDING] = DirectoryChanges()
        unit = unit_of(session)
        unit.after_commit(lambda: on_commit(info.pop(_PENDING)))
        unit.after_rollback(lambda: info.pop(_PENDING, None))
    return changes
