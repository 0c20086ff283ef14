"""All SQL of cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.cases.models import (
    CaseApplicant,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    RecognitionCase,
)
from services.recognition.cases.states import OPEN_FOR_DEADLINE
from shared.pagination import PageParams, paginate


@dataclass
class CaseRepository:
    session: AsyncSession

    def add(self, record: object) -> None:
        self.session.add(record)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, case_id: uuid.UUID, *, for_update: bool = False) -> RecognitionCase | None:
        if for_update:
            return await self.session.scalar(
                select(RecognitionCase).where(RecognitionCase.id == case_id).with_for_update()
            )
        return await self.session.get(RecognitionCase, case_id)

    async def applicant(self, case_id: uuid.UUID) -> CaseApplicant | None:
        return await self.session.get(CaseApplicant, case_id)

    async def documents(self, case_id: uuid.UUID) -> list[CaseDocument]:
        rows = await self.session.scalars(
            select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(CaseDocument.id)
        )
        return list(rows)

    async def history(self, case_id: uuid.UUID) -> list[CaseStatusChange]:
        rows = await self.session.scalars(
            select(CaseStatusChange)
            .where(CaseStatusChange.case_id == case_id)
            .order_by(CaseStatusChange.id)
        )
        return list(rows)

    async def erase_applicant(self, case_id: uuid.UUID) -> None:
        await self.session.execute(delete(CaseApplicant).where(CaseApplicant.case_id == case_id))
        await self.session.execute(delete(CaseDocument).where(CaseDocument.case_id == case_id))

    async def list_page(
        self,
        params: PageParams,
        *,
        status: CaseStatus | None,
        overdue_on: date | None,
    ) -> tuple[list[RecognitionCase], str | None]:
        statement: Select[RecognitionCase] = select(RecognitionCase)
        if status is not None:
            statement = statement.where(RecognitionCase.status == status)
        if overdue_on is not None:
            statement = statement.where(
                RecognitionCase.deadline_on < overdue_on,
                RecognitionCase.status.in_([s.value for s in OPEN_FOR_DEADLINE]),
            )
        return await paginate(
            self.session, statement, params, order_by=[RecognitionCase.id], key=lambda r: [r.id]
        )
