"""All SQL of cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.cases.deadlines import due_soon, overdue
from services.recognition.cases.models import (
    DEADLINE_ORDER,
    NO_DEADLINE,
    CaseApplicant,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    RecognitionCase,
)
from services.recognition.cases.states import OPEN
from shared.pagination import PageParams, paginate

_OPEN = [s.value for s in OPEN]


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int
    due_soon: int


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
        open_only: bool = False,
        overdue_on: date | None = None,
        by_deadline: bool = False,
    ) -> tuple[list[RecognitionCase], str | None]:
        """A page of cases, by id or by deadline (the nearest first, none last, ties by id)."""
        statement: Select[RecognitionCase] = select(RecognitionCase)
        if status is not None:
            statement = statement.where(RecognitionCase.status == status)
        if open_only:
            statement = statement.where(RecognitionCase.status.in_(_OPEN))
        if overdue_on is not None:
            statement = statement.where(overdue(overdue_on))
        if by_deadline:
            return await paginate(
                self.session,
                statement,
                params,
                order_by=[DEADLINE_ORDER, RecognitionCase.id],
                key=lambda r: [r.deadline_on or NO_DEADLINE, r.id],
            )
        return await paginate(
            self.session, statement, params, order_by=[RecognitionCase.id], key=lambda r: [r.id]
        )

    async def counts(self, on: date) -> Counts:
        """The open cases, and of them the overdue and the due-soon ones on `on`: one query."""
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    func.count(case((overdue(on), 1))),
                    func.count(case((due_soon(on), 1))),
                ).where(RecognitionCase.status.in_(_OPEN))
            )
        ).one()
        return Counts(open=row[0], overdue=row[1], due_soon=row[2])
