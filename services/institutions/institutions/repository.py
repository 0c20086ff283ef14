"""All SQL of the institutions domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.institutions.models import Institution, InstitutionStatus
from shared.pagination import PageParams, paginate


@dataclass
class InstitutionRepository:
    session: AsyncSession

    async def get(self, institution_id: uuid.UUID) -> Institution | None:
        return await self.session.get(Institution, institution_id)

    def add(self, institution: Institution) -> None:
        self.session.add(institution)

    async def flush(self) -> None:
        await self.session.flush()

    async def list_page(
        self,
        params: PageParams,
        *,
        country: str | None = None,
        status: InstitutionStatus | None = None,
    ) -> tuple[list[Institution], str | None]:
        statement: Select[Institution] = select(Institution)
        if country:
            statement = statement.where(Institution.country == country.upper())
        if status:
            statement = statement.where(Institution.status == status)
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[Institution.id],
            key=lambda row: [row.id],
        )
