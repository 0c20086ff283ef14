"""All SQL of stored assessments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.assessment.models import AssessmentRecord


@dataclass
class AssessmentRepository:
    session: AsyncSession

    def add(self, record: AssessmentRecord) -> None:
        self.session.add(record)

    async def flush(self) -> None:
        await self.session.flush()

    async def latest(self, case_id: uuid.UUID) -> AssessmentRecord | None:
        return await self.session.scalar(
            select(AssessmentRecord)
            .where(AssessmentRecord.case_id == case_id)
            .order_by(AssessmentRecord.created_at.desc(), AssessmentRecord.id.desc())
            .limit(1)
        )
