"""HTTP for programmes: `/v1/programmes` and, under their institution,
`/v1/institutions/{id}/programmes`."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from services.institutions.programmes.models import ProgrammeStatus
from services.institutions.programmes.repository import ProgrammeFilters
from services.institutions.programmes.schemas import (
    FieldCode,
    ProgrammeCreate,
    ProgrammeCreateForInstitution,
    ProgrammeRead,
    ProgrammeUpdate,
)
from services.institutions.programmes.service import ProgrammeService, programme_state
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, RuntimeDep, SessionDep, etag_for
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/programmes", tags=["programmes"])
institution_programmes_router = APIRouter(prefix="/v1/institutions", tags=["programmes"])

WriterDep = Annotated[Principal, require_scope(Scope.PROGRAMMES_WRITE)]


async def programme_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> ProgrammeService:
    return ProgrammeService(session=session, publisher=publisher, settings=runtime.settings)


ServiceDep = Annotated[ProgrammeService, Depends(programme_service)]

EXAMPLE: dict[str, Any] = {
    "id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8c",
    "origin_node": "my",
    "country": "MY",
    "institution_id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "name": "Bachelor of Computer Science",
    "names": [{"value": "Bachelor of Computer Science", "lang": "en", "kind": "official"}],
    "qualification": "Bachelor of Computer Science (Honours)",
    "levels": ["MQF:6", "AQRF:6"],
    "field": "0613",
    "credits": 120,
    "credit_system": "MQA",
    "duration_years": 4,
    "mode": "full-time",
    "languages": ["en", "ms"],
    "joint_partners": [],
    "status": "active",
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}
WRITE_ERRORS = problem_responses(401, 403, 404, 412, 422, 428, examples={200: EXAMPLE})


def _page(rows: list[Any], next_cursor: str | None, limit: int) -> Page[ProgrammeRead]:
    return Page(
        items=[ProgrammeRead.model_validate(programme_state(row)) for row in rows],
        next_cursor=next_cursor,
        limit=limit,
    )


@router.get("", summary="List programmes", response_model=Page[ProgrammeRead])
async def list_programmes(
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    institution_id: uuid.UUID | None = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    field: Annotated[FieldCode | None, Query(description="ISCED-F 2013 code.")] = None,
    status_: Annotated[ProgrammeStatus | None, Query(alias="status")] = None,
) -> Page[ProgrammeRead]:
    """Programmes this node knows (its own and replicas), filtered, in a stable order. Public."""
    filters = ProgrammeFilters(
        institution_id=institution_id, country=country, field=field, status=status_
    )
    rows, next_cursor = await service.list_page(page, filters)
    return _page(rows, next_cursor, page.limit)


async def _create(
    service: ServiceDep, principal: Principal, data: ProgrammeCreate, request: Request
) -> ProgrammeRead:
    programme = await service.create(principal, data)
    return ProgrammeRead.model_validate(programme_state(programme))


@router.post(
    "",
    summary="Create a programme",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgrammeRead,
    responses=problem_responses(401, 403, 422, examples={201: EXAMPLE}),
)
async def create_programme(
    data: ProgrammeCreate,
    principal: WriterDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> ProgrammeRead:
    """Register a programme of an institution this node owns. Needs `programmes:write`: a
    registrar or node admin for any of the node's institutions, a university only for its own.
    Publishes `institutions.programme.created`."""
    read = await _create(service, principal, data, request)
    response.headers["ETag"] = etag_for(read.version)
    response.headers["Location"] = str(request.url_for("get_programme", programme_id=read.id))
    return read


@router.get(
    "/{programme_id}",
    summary="Get a programme",
    response_model=ProgrammeRead,
    responses=problem_responses(404, examples={200: EXAMPLE}),
)
async def get_programme(
    programme_id: uuid.UUID, service: ServiceDep, response: Response
) -> ProgrammeRead:
    """One programme; its `ETag` is its version (send it as `If-Match` to update). Public."""
    programme = await service.get(programme_id)
    response.headers["ETag"] = etag_for(programme.version)
    return ProgrammeRead.model_validate(programme_state(programme))


@router.patch(
    "/{programme_id}",
    summary="Update a programme",
    response_model=ProgrammeRead,
    responses=WRITE_ERRORS,
)
async def update_programme(
    programme_id: uuid.UUID,
    data: ProgrammeUpdate,
    version: IfMatchVersion,
    principal: WriterDep,
    service: ServiceDep,
    response: Response,
) -> ProgrammeRead:
    """Change a programme (412 on a stale `If-Match`). Ending a programme is a status change
    (`discontinued`), never a delete. Publishes `institutions.programme.updated`."""
    programme = await service.update(principal, programme_id, data, expected_version=version)
    response.headers["ETag"] = etag_for(programme.version)
    return ProgrammeRead.model_validate(programme_state(programme))


@institution_programmes_router.get(
    "/{institution_id}/programmes",
    summary="List an institution's programmes",
    response_model=Page[ProgrammeRead],
)
async def list_institution_programmes(
    institution_id: uuid.UUID,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    status_: Annotated[ProgrammeStatus | None, Query(alias="status")] = None,
) -> Page[ProgrammeRead]:
    """The programmes an institution offers. Public."""
    rows, next_cursor = await service.list_page(
        page, ProgrammeFilters(institution_id=institution_id, status=status_)
    )
    return _page(rows, next_cursor, page.limit)


@institution_programmes_router.post(
    "/{institution_id}/programmes",
    summary="Create a programme of an institution",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgrammeRead,
    responses=problem_responses(401, 403, 404, 422, examples={201: EXAMPLE}),
)
async def create_institution_programme(
    institution_id: uuid.UUID,
    data: ProgrammeCreateForInstitution,
    principal: WriterDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> ProgrammeRead:
    """As `POST /v1/programmes`, with the institution taken from the path."""
    from pydantic import ValidationError

    from services.institutions.registry.service import unprocessable

    try:
        full = ProgrammeCreate.model_validate(
            data.model_dump() | {"institution_id": institution_id}
        )
    except ValidationError as error:
        raise unprocessable(error) from None
    read = await _create(service, principal, full, request)
    response.headers["ETag"] = etag_for(read.version)
    response.headers["Location"] = str(request.url_for("get_programme", programme_id=read.id))
    return read
