"""A student's data erased on request reaches their transcripts too: when a nomination's
student is erased (at either partner's node, `nominations.service`), the learner of every
transcript of its learning agreements held at that node is erased with it. Each node erases
its own copies: both receive the nomination's erasure."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mobility import TranscriptLearner
from services.mobility.learning_agreements.models import LearningAgreement
from services.mobility.transcripts.models import TranscriptRecord
from shared.idempotency import redact_stored_responses

ERASED = TranscriptLearner(given_names="", family_name="")


async def erase_learners_of_nomination(
    session: AsyncSession, nomination_id: uuid.UUID, at: datetime
) -> int:
    """Erase the learner of the nomination's transcripts held here; how many were erased."""
    learning_agreements = select(LearningAgreement.id).where(
        LearningAgreement.nomination_id == nomination_id
    )
    rows = (
        await session.scalars(
            select(TranscriptRecord)
            .where(
                TranscriptRecord.mobility_id.in_(learning_agreements),
                TranscriptRecord.learner_erased_at.is_(None),
            )
            .with_for_update()
        )
    ).all()
    for row in rows:
        row.transcript = row.transcript | {"learner": ERASED.model_dump(mode="json")}
        row.learner_erased_at = at
        row.updated_at = at
        await redact_stored_responses(session, str(row.id))
    await session.flush()
    return len(rows)
