"""All SQL of the added reference records (framework levels and agreements)."""

from __future__ import annotations

from sqlalchemy import select

from services.recognition.catalogue.models import AgreementRecord, FrameworkLevelRecord
from shared.repository import Repository


class CatalogueRepository(Repository):
    async def levels(self) -> list[FrameworkLevelRecord]:
        return list(await self.session.scalars(select(FrameworkLevelRecord)))

    async def agreements(self) -> list[AgreementRecord]:
        return list(await self.session.scalars(select(AgreementRecord)))

    async def level(self, code: str) -> FrameworkLevelRecord | None:
        return await self.session.get(FrameworkLevelRecord, code)

    async def agreement(self, agreement_id: str) -> AgreementRecord | None:
        return await self.session.get(AgreementRecord, agreement_id)
