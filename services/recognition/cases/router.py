"""HTTP for recognition cases: this node's recognition officers only (scope
`recognition:cases`). Personal data appears in these responses and nowhere else."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from services.recognition.cases.models import CaseStatus
from services.recognition.cases.schemas import (
    CaseCounts,
    CaseCreate,
    CaseRead,
    CaseSort,
    CaseSummary,
    StatusChangeRequest,
)
from services.recognition.cases.service import CaseService
from services.recognition.dependencies import SettingsDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import SessionDep, set_etag
from shared.errors import problem_responses
from shared.fields import IsoDate
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/recognition/cases", tags=["recognition cases"])

OfficerDep = Annotated[Principal, require_scope(Scope.RECOGNITION_CASES)]


async def case_service(session: SessionDep, settings: SettingsDep) -> CaseService:
    return CaseService(session=session, settings=settings)


ServiceDep = Annotated[CaseService, Depends(case_service)]


@router.post(
    "",
    summary="Open a case",
    status_code=status.HTTP_201_CREATED,
    response_model=CaseRead,
    responses=problem_responses(401, 403, 422),
)
async def create_case(
    data: CaseCreate,
    principal: OfficerDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> CaseRead:
    """Open a case (status `draft`) for an applicant and the qualification they present.
    Recognition officers of this node only. The applicant's data stays in this node."""
    case = await service.create(principal, data)
    set_etag(response, case.version)
    response.headers["Location"] = str(request.url_for("get_case", case_id=case.id))
    return await service.read(case)


AsOf = Annotated[
    IsoDate | None,
    Query(description="The day deadlines are judged on (`overdue`, `due_within_7_days`); today."),
]


@router.get(
    "",
    summary="List cases",
    response_model=Page[CaseSummary],
    responses=problem_responses(401, 403, 422),
)
async def list_cases(
    principal: OfficerDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    open_: Annotated[
        bool,
        Query(
            alias="open",
            description="Only open cases: not decided, not appeal decided, not withdrawn.",
        ),
    ] = False,
    overdue: Annotated[
        bool, Query(description="Only cases past their deadline and not yet decided.")
    ] = False,
    as_of: AsOf = None,
    sort: Annotated[
        CaseSort,
        Query(
            description="`id`: the oldest first. `deadline`: the nearest deadline first, the "
            "cases whose deadline has not started (not yet complete) last, ties by id."
        ),
    ] = CaseSort.ID,
) -> Page[CaseSummary]:
    """This node's cases (no personal data in the list), oldest first or by deadline (the
    officers' queue: `?open=true&sort=deadline`)."""
    rows, next_cursor = await service.list_page(
        principal, page, status=status_, open_only=open_, overdue=overdue, as_of=as_of, sort=sort
    )
    on = as_of or service.today()
    return Page(
        items=[service.summary(row, on) for row in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.get(
    "/counts",
    summary="Count the open, overdue and due cases",
    response_model=CaseCounts,
    responses=problem_responses(401, 403, 422),
)
async def count_cases(principal: OfficerDep, service: ServiceDep, as_of: AsOf = None) -> CaseCounts:
    """Over all of this node's open cases (the queue's figures): how many are open, overdue
    (as `?overdue=true` lists them) and due within seven days (not overdue, the deadline at
    most seven days after `as_of`)."""
    return await service.counts(principal, as_of)


@router.get(
    "/{case_id}",
    summary="Get a case",
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404),
)
async def get_case(
    case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep, response: Response
) -> CaseRead:
    """One case with its applicant, documents, deadline and status history."""
    case = await service.get(principal, case_id)
    set_etag(response, case.version)
    return await service.read(case)


@router.post(
    "/{case_id}/status",
    summary="Change a case's status",
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def change_case_status(
    case_id: uuid.UUID,
    data: StatusChangeRequest,
    principal: OfficerDep,
    service: ServiceDep,
    response: Response,
) -> CaseRead:
    """Move a case along its state machine with the legal reason for the step: draft →
    submitted → incomplete ⇄ submitted → complete (the deadline starts) → under assessment;
    withdrawn from any state before decided. Deciding and appealing have their own
    endpoints. Any other transition is a 409."""
    case = await service.change_status(principal, case_id, data.to, data.legal_reason)
    set_etag(response, case.version)
    return await service.read(case)


@router.delete(
    "/{case_id}/applicant",
    summary="Erase the applicant's personal data",
    response_model=CaseRead,
    responses=problem_responses(401, 403, 404),
)
async def erase_applicant(
    case_id: uuid.UUID, principal: OfficerDep, service: ServiceDep, response: Response
) -> CaseRead:
    """Erase the applicant's personal data and documents on request. The case, its history
    and the anonymised published decision stay."""
    case = await service.erase_applicant(principal, case_id)
    set_etag(response, case.version)
    return await service.read(case)
