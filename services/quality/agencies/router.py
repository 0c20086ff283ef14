"""HTTP for QA agencies: parse, authorise, call the service, shape the reply."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from services.quality.agencies.schemas import AgencyCreate, AgencyRead, AgencyUpdate
from services.quality.agencies.service import AgencyService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import PublisherDep, RuntimeDep, SessionDep, etag_for, set_etag
from shared.errors import PreconditionFailed, problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/quality/agencies", tags=["quality"])

AdminDep = Annotated[Principal, require_scope(Scope.QUALITY_ADMIN)]


async def agency_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> AgencyService:
    return AgencyService(
        session=session, publisher=publisher, settings=runtime.settings, trust=runtime.trust
    )


ServiceDep = Annotated[AgencyService, Depends(agency_service)]

EXAMPLE = {
    "id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "origin_node": "my",
    "name": "Malaysian Qualifications Agency",
    "acronym": "MQA",
    "names": [{"value": "Agensi Kelayakan Malaysia", "lang": "ms"}],
    "country": "MY",
    "website": "https://www.mqa.gov.my/",
    "focus_countries": [{"country": "MY", "kind": "official"}],
    "registrations": [
        {"register": "AQAN", "valid_from": "2008-07-01", "valid_to": None, "decision": "admission"}
    ],
    "activities": [{"type": "programme", "name": "Programme accreditation"}],
    "framework": "national",
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


async def optional_version(
    if_match: Annotated[
        str | None,
        Header(description='The ETag being changed (e.g. `"3"`); 412 when stale.', max_length=64),
    ] = None,
) -> int | None:
    """The version named by an optional `If-Match`."""
    if if_match is None:
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise PreconditionFailed(f"If-Match {if_match!r} names no version of this record")
    return int(tag)


OptionalVersion = Annotated[int | None, Depends(optional_version)]


@router.get("", summary="List QA agencies", response_model=Page[AgencyRead])
async def list_agencies(
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    ] = None,
    origin_node: Annotated[
        str | None, Query(max_length=16, description="Only the agencies owned by this node.")
    ] = None,
) -> Page[AgencyRead]:
    """Every QA agency this node knows: its own and the replicas of other nodes' agencies.
    Public: no token needed."""
    rows, next_cursor = await service.list_page(page, country=country, origin_node=origin_node)
    return Page(
        items=[AgencyRead.model_validate(row) for row in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.post(
    "",
    summary="Register a QA agency",
    status_code=status.HTTP_201_CREATED,
    response_model=AgencyRead,
    responses=problem_responses(401, 403, 422, examples={201: EXAMPLE}),
)
async def create_agency(
    data: AgencyCreate,
    principal: AdminDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> AgencyRead:
    """Register an agency of a country this node has authority over, with its register
    listings (EQAR, AQAN, national), focus countries and activities. Node admin only (scope
    `quality:admin`). Publishes `quality.agency.created`.

    With `reference_source`, a **reference record** of an agency of a country no node has
    authority over (403 for a country that has a node): published like any agency, and
    superseded when that country's node publishes the agency with the same acronym
    (docs/reference-records.md). Its evaluations are reference records too."""
    agency = await service.create(principal, data)
    set_etag(response, agency.version)
    response.headers["Location"] = str(request.url_for("get_agency", agency_id=agency.id))
    return AgencyRead.model_validate(agency)


@router.get(
    "/{agency_id}",
    summary="Get a QA agency",
    response_model=AgencyRead,
    responses=problem_responses(404, examples={200: EXAMPLE}),
)
async def get_agency(agency_id: uuid.UUID, service: ServiceDep, response: Response) -> AgencyRead:
    """One agency; its `ETag` is its version. Public: no token needed."""
    agency = await service.get(agency_id)
    response.headers["ETag"] = etag_for(agency.version)
    return AgencyRead.model_validate(agency)


@router.patch(
    "/{agency_id}",
    summary="Update a QA agency",
    response_model=AgencyRead,
    responses=problem_responses(401, 403, 404, 412, 422, examples={200: EXAMPLE}),
)
async def update_agency(
    agency_id: uuid.UUID,
    data: AgencyUpdate,
    version: OptionalVersion,
    principal: AdminDep,
    service: ServiceDep,
    response: Response,
) -> AgencyRead:
    """Change an agency this node owns (lists are replaced whole). With `If-Match`, a stale
    version is refused with 412. Another node's agency is read-only here: 403 naming its
    owner. Publishes `quality.agency.updated`."""
    agency = await service.update(principal, agency_id, data, expected_version=version)
    set_etag(response, agency.version)
    return AgencyRead.model_validate(agency)
