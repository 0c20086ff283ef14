"""HTTP for QA status."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.quality.status.schemas import JustifyingEvaluation, QAStatusRead
from services.quality.status.service import StatusService, today
from shared.dependencies import PublisherDep, RuntimeDep, SessionDep
from shared.errors import BadRequest, problem_responses
from shared.fields import IsoDate

router = APIRouter(prefix="/v1/quality/status", tags=["quality"])


async def status_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> StatusService:
    return StatusService(session, publisher, runtime.settings)


ServiceDep = Annotated[StatusService, Depends(status_service)]

EXAMPLE = {
    "institution_id": "01935f4e-1111-7a2b-8c3d-4e5f6a7b8c9d",
    "programme_id": None,
    "at": "2024-06-30",
    "status": "accredited",
    "evaluations": [
        {
            "id": "01935f4e-9d1c-7a2b-8c3d-4e5f6a7b8c9d",
            "agency_id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
            "local_identifier": "MQA-I-2019-0007",
            "activity_type": "institutional",
            "decision": "positive",
            "valid_from": "2019-05-01",
            "valid_to": "2025-04-30",
        }
    ],
}


@router.get(
    "",
    summary="QA status of an institution or programme at a date",
    response_model=QAStatusRead,
    responses=problem_responses(400, 404, examples={200: EXAMPLE}),
)
async def qa_status(
    service: ServiceDep,
    institution: Annotated[
        str | None,
        Query(
            max_length=300,
            description="The institution's id, or one of its identifiers (e.g. a ROR id).",
        ),
    ] = None,
    programme: Annotated[uuid.UUID | None, Query(description="A programme's id.")] = None,
    at: Annotated[IsoDate | None, Query(description="The date (default: today).")] = None,
) -> QAStatusRead:
    """`accredited`, `accredited with conditions`, `not accredited`, `expired` or `none`, with
    the evaluations that justify it (the decisive one first). Institutional evaluations cover
    the institution's programmes; the most recent valid decision wins (a later negative over an
    earlier positive); with nothing valid, an ended positive gives `expired`. Withdrawn and
    uncleared high-flagged evaluations do not count. Public."""
    if institution is None and programme is None:
        raise BadRequest("name an institution, a programme, or both")
    institution_id = await service.institution_id_for(institution) if institution else None
    day = at or today()
    resolution = await service.qa_status_at(institution_id, programme, day)
    return QAStatusRead(
        institution_id=institution_id,
        programme_id=programme,
        at=day,
        status=resolution.status,
        evaluations=[JustifyingEvaluation.model_validate(e) for e in resolution.evaluations],
    )
