"""The SQL the directory's follower reads the database with: institutions in batches, what
changed since a moment, and the QA statuses of institutions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.registry.models import Institution, InstitutionQaStatus

# Ids per `IN (...)` list: well below every database's limit on bound parameters.
IDS_PER_QUERY = 500
_INSTITUTION_LEVEL = InstitutionQaStatus.programme_id.is_(None)


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def institutions_after(self, last_id: uuid.UUID | None, limit: int) -> list[Institution]:
        """The next `limit` institutions in id order, after `last_id`."""
        statement = select(Institution).order_by(Institution.id).limit(limit)
        if last_id is not None:
            statement = statement.where(Institution.id > last_id)
        return list((await self.session.scalars(statement)).all())

    async def versions_changed_since(self, since: datetime) -> dict[uuid.UUID, int]:
        """Id and version of every institution updated at or after `since`."""
        rows = await self.session.execute(
            select(Institution.id, Institution.version).where(Institution.updated_at >= since)
        )
        return {row.id: row.version for row in rows}

    async def institutions(self, ids: Sequence[uuid.UUID]) -> list[Institution]:
        """The institutions with these ids (any order), a few hundred ids per query."""
        found: list[Institution] = []
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            found.extend(
                (
                    await self.session.scalars(select(Institution).where(Institution.id.in_(chunk)))
                ).all()
            )
        return found

    async def qa_statuses(self, *, changed_since: datetime | None = None) -> dict[uuid.UUID, str]:
        """Institutions' own QA statuses (not their programmes'), all or those changed at or
        after `changed_since`."""
        statement = select(InstitutionQaStatus.subject_id, InstitutionQaStatus.status).where(
            _INSTITUTION_LEVEL
        )
        if changed_since is not None:
            statement = statement.where(InstitutionQaStatus.updated_at >= changed_since)
        return {row.subject_id: row.status for row in await self.session.execute(statement)}

    async def count_qa_statuses(self) -> int:
        """How many institutions have a QA status."""
        count = await self.session.scalar(
            select(func.count()).select_from(InstitutionQaStatus).where(_INSTITUTION_LEVEL)
        )
        return int(count or 0)
