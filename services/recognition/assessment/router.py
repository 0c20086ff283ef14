"""HTTP for assessments of a case."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.recognition.assessment.directory import DirectoryMatcher
from services.recognition.assessment.schemas import Assessment
from services.recognition.assessment.service import AssessmentService
from services.recognition.dependencies import SettingsDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import SessionDep, runtime_of
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/recognition/cases", tags=["recognition cases"])

OfficerDep = Annotated[Principal, require_scope(Scope.RECOGNITION_CASES)]


async def assessment_service(
    request: Request, session: SessionDep, settings: SettingsDep
) -> AssessmentService:
    directory = runtime_of(request).work_of(DirectoryMatcher)
    return AssessmentService(session=session, settings=settings, directory=directory)


ServiceDep = Annotated[AssessmentService, Depends(assessment_service)]


@router.post(
    "/{case_id}/assessment",
    summary="Assess a case",
    response_model=Assessment,
    responses=problem_responses(401, 403, 404, 409, 503),
)
async def assess_case(case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep) -> Assessment:
    """Run the explained assessment of a complete case (it moves to `under_assessment`):
    identity, quality at the award date, level through the reference frameworks, workload,
    agreements in force, precedents; a recommendation and each substantial difference tied to
    level, workload, quality, profile or learning outcomes. Reads this node's replicas; a
    free-text institution name is resolved by this node's directory (503 if it cannot be asked).
    Deterministic: the same inputs (see `inputs_hash`) return the same stored result."""
    return await service.assess_case(principal, case_id)


@router.get(
    "/{case_id}/assessment",
    summary="The latest assessment of a case",
    response_model=Assessment,
    responses=problem_responses(401, 403, 404),
)
async def get_assessment(
    case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep
) -> Assessment:
    """The most recent assessment of the case, as stored."""
    return await service.latest(principal, case_id)
