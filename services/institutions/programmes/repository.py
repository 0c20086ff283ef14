"""All SQL of the programmes domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from services.institutions.programmes.models import Programme, ProgrammeStatus
from shared.pagination import PageParams, paginate
from shared.repository import Repository


@dataclass(frozen=True)
class ProgrammeFilters:
    institution_id: uuid.UUID | None = None
    country: str | None = None
    field: str | None = None
    status: ProgrammeStatus | None = None


class ProgrammeRepository(Repository):
    async def get(self, programme_id: uuid.UUID) -> Programme | None:
        return await self.session.get(Programme, programme_id)

    async def list_page(
        self, params: PageParams, filters: ProgrammeFilters
    ) -> tuple[list[Programme], str | None]:
        statement = select(Programme)
        if filters.institution_id:
            statement = statement.where(Programme.institution_id == filters.institution_id)
        if filters.country:
            statement = statement.where(Programme.country == filters.country.upper())
        if filters.field:
            statement = statement.where(Programme.field == filters.field)
        if filters.status:
            statement = statement.where(Programme.status == filters.status)
        return await paginate(
            self.session, statement, params, order_by=[Programme.id], key=lambda row: [row.id]
        )
