"""All SQL of the institution reference table."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.institutions.models import InstitutionRef
from shared.pagination import PageParams, paginate


@dataclass
class InstitutionRefRepository:
    session: AsyncSession

    async def get(self, institution_id: uuid.UUID) -> InstitutionRef | None:
        return await self.session.get(InstitutionRef, institution_id)

    def add(self, ref: InstitutionRef) -> None:
        self.session.add(ref)

    async def list_page(
        self, params: PageParams, *, country: str | None
    ) -> tuple[list[InstitutionRef], str | None]:
        statement = select(InstitutionRef)
        if country:
            statement = statement.where(InstitutionRef.country == country.upper())
        return await paginate(
            self.session, statement, params, order_by=[InstitutionRef.id], key=lambda r: [r.id]
        )
