"""HTTP for decisions and appeals (recognition officers, scope `recognition:decide`) and the
public, anonymised precedents (`/v1/recognition/decisions`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from services.recognition.assessment.schemas import Outcome
from services.recognition.decisions.schemas import (
    AppealCreate,
    AppealDecisionCreate,
    AppealRead,
    DecisionCreate,
    DecisionRead,
    PublishedDecisionRead,
)
from services.recognition.decisions.service import DecisionService
from services.recognition.dependencies import SettingsDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import PublisherDep, SessionDep
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

cases_router = APIRouter(prefix="/v1/recognition/cases", tags=["recognition cases"])
decisions_router = APIRouter(prefix="/v1/recognition/decisions", tags=["recognition decisions"])

DeciderDep = Annotated[Principal, require_scope(Scope.RECOGNITION_DECIDE)]
OfficerDep = Annotated[Principal, require_scope(Scope.RECOGNITION_CASES)]


async def decision_service(
    session: SessionDep, settings: SettingsDep, publisher: PublisherDep
) -> DecisionService:
    return DecisionService(session=session, settings=settings, publisher=publisher)


ServiceDep = Annotated[DecisionService, Depends(decision_service)]


@cases_router.post(
    "/{case_id}/decision",
    summary="Decide a case",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide_case(
    case_id: uuid.UUID, data: DecisionCreate, principal: DeciderDep, service: ServiceDep
) -> DecisionRead:
    """Record the decision on an assessed case: outcome, legal basis (required), conditions,
    substantial differences (at least one for a refusal) and a justification (required when
    departing from the recommendation or refusing). Publishes the anonymised
    `recognition.decision.published` to the federation."""
    return DecisionRead.model_validate(await service.decide(principal, case_id, data))


@cases_router.get(
    "/{case_id}/decision",
    summary="The decision on a case",
    response_model=DecisionRead,
    responses=problem_responses(401, 403, 404),
)
async def get_decision(
    case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep
) -> DecisionRead:
    """The decision as recorded (with its justification, which is never published)."""
    return DecisionRead.model_validate(await service.get_decision(principal, case_id))


@cases_router.post(
    "/{case_id}/appeal",
    summary="Lodge an appeal",
    status_code=status.HTTP_201_CREATED,
    response_model=AppealRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def lodge_appeal(
    case_id: uuid.UUID, data: AppealCreate, principal: DeciderDep, service: ServiceDep
) -> AppealRead:
    """Record an appeal against a decided case (`decided` → `appealed`)."""
    return AppealRead.model_validate(await service.lodge_appeal(principal, case_id, data))


@cases_router.post(
    "/{case_id}/appeal/outcome",
    summary="Decide an appeal",
    response_model=AppealRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide_appeal(
    case_id: uuid.UUID, data: AppealDecisionCreate, principal: DeciderDep, service: ServiceDep
) -> AppealRead:
    """Record the appeal's outcome (`appealed` → `appeal_decided`). A granted appeal changes
    the decision's outcome and re-publishes the anonymised decision with a new version."""
    return AppealRead.model_validate(await service.decide_appeal(principal, case_id, data))


@cases_router.get(
    "/{case_id}/appeal",
    summary="The appeal on a case",
    response_model=AppealRead,
    responses=problem_responses(401, 403, 404),
)
async def get_appeal(case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep) -> AppealRead:
    """The appeal as recorded."""
    return AppealRead.model_validate(await service.get_appeal(principal, case_id))


@decisions_router.get(
    "",
    summary="Published decisions (precedents)",
    response_model=Page[PublishedDecisionRead],
)
async def list_published_decisions(
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    institution_id: uuid.UUID | None = None,
    level: Annotated[
        str | None, Query(max_length=40, description="The qualification's level, e.g. `MQF:6`.")
    ] = None,
    origin_country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    host_country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    outcome: Outcome | None = None,
    origin_node: Annotated[str | None, Query(max_length=16)] = None,
) -> Page[PublishedDecisionRead]:
    """Anonymised decisions of this node and of the federation's other nodes, newest first,
    filterable by institution, level, country pair and outcome. Public: no person in them."""
    rows, next_cursor = await service.list_published(
        page,
        institution_id=institution_id,
        level=level,
        origin_country=origin_country,
        host_country=host_country,
        outcome=outcome.value if outcome else None,
        origin_node=origin_node,
    )
    return Page(
        items=[PublishedDecisionRead.model_validate(r) for r in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@decisions_router.get(
    "/{decision_id}",
    summary="One published decision",
    response_model=PublishedDecisionRead,
    responses=problem_responses(404),
)
async def get_published_decision(
    decision_id: uuid.UUID, service: ServiceDep
) -> PublishedDecisionRead:
    """One anonymised decision. Public."""
    return PublishedDecisionRead.model_validate(await service.published(decision_id))
