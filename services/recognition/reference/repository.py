"""All SQL of the added reference records (framework levels and agreements)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.reference.models import AgreementRecord, FrameworkLevelRecord


@dataclass
class ReferenceRepository:
    session: AsyncSession

    async def levels(self) -> list[FrameworkLevelRecord]:
        return list(await self.session.scalars(select(FrameworkLevelRecord)))

    async def agreements(self) -> list[AgreementRecord]:
        return list(await self.session.scalars(select(AgreementRecord)))

    async def level(self, code: str) -> FrameworkLevelRecord | None:
        return await self.session.get(FrameworkLevelRecord, code)

    async def agreement(self, agreement_id: str) -> AgreementRecord | None:
        return await self.session.get(AgreementRecord, agreement_id)

    def add(self, record: object) -> None:
        self.session.add(record)

    async def flush(self) -> None:
        await self.session.flush()
