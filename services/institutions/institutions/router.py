"""HTTP for the institution directory: parse, authorise, call the service, shape the reply."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from services.institutions.institutions.models import InstitutionStatus
from services.institutions.institutions.schemas import (
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
)
from services.institutions.institutions.service import InstitutionService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import (
    IfMatchVersion,
    RuntimeDep,
    SessionDep,
    TraceparentDep,
    etag_for,
    set_etag,
)
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/institutions", tags=["institutions"])

WriterDep = Annotated[Principal, require_scope(Scope.INSTITUTIONS_WRITE)]


def institution_service(
    session: SessionDep, runtime: RuntimeDep, traceparent: TraceparentDep
) -> InstitutionService:
    return InstitutionService(
        session=session, outbox=runtime.outbox, settings=runtime.settings, traceparent=traceparent
    )


ServiceDep = Annotated[InstitutionService, Depends(institution_service)]

EXAMPLE = {
    "id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "origin_node": "my",
    "country": "MY",
    "name": "Universiti Malaya",
    "city": "Kuala Lumpur",
    "website": "https://www.um.edu.my/",
    "status": "active",
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


@router.get("", summary="List institutions", response_model=Page[InstitutionRead])
async def list_institutions(
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    ] = None,
    status_: Annotated[InstitutionStatus | None, Query(alias="status")] = None,
) -> Page[InstitutionRead]:
    """Every institution this node knows (its own and replicas), in a stable order, one page
    at a time. Public: no token needed."""
    rows, next_cursor = await service.list_page(page, country=country, status=status_)
    return Page(
        items=[InstitutionRead.model_validate(row) for row in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.post(
    "",
    summary="Create an institution",
    status_code=status.HTTP_201_CREATED,
    response_model=InstitutionRead,
    responses=problem_responses(401, 403, 409, 422, examples={201: EXAMPLE}),
)
async def create_institution(
    data: InstitutionCreate,
    principal: WriterDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> InstitutionRead:
    """Register an institution of a country this node has authority over. Needs the scope
    `institutions:write` (registrar or node admin). Publishes `institutions.institution.created`."""
    institution = await service.create(principal, data)
    set_etag(response, institution.version)
    response.headers["Location"] = str(
        request.url_for("get_institution", institution_id=institution.id)
    )
    return InstitutionRead.model_validate(institution)


@router.get(
    "/{institution_id}",
    summary="Get an institution",
    response_model=InstitutionRead,
    responses=problem_responses(404, examples={200: EXAMPLE})
    | {304: {"description": "Not modified (If-None-Match matched the current ETag)."}},
)
async def get_institution(
    institution_id: uuid.UUID, service: ServiceDep, request: Request, response: Response
) -> InstitutionRead | Response:
    """One institution. The `ETag` is its version: send it back as `If-Match` to update, or as
    `If-None-Match` to revalidate a cached copy. Public: no token needed."""
    institution = await service.get(institution_id)
    etag = etag_for(institution.version)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return InstitutionRead.model_validate(institution)


@router.patch(
    "/{institution_id}",
    summary="Update an institution",
    response_model=InstitutionRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428, examples={200: EXAMPLE}),
)
async def update_institution(
    institution_id: uuid.UUID,
    data: InstitutionUpdate,
    version: IfMatchVersion,
    principal: WriterDep,
    service: ServiceDep,
    response: Response,
) -> InstitutionRead:
    """Change fields of an institution this node owns. `If-Match` must carry the current ETag
    (412 if another change came first). Closing an institution is a status change, never a
    delete. Publishes `institutions.institution.updated` with the whole new state."""
    institution = await service.update(principal, institution_id, data, expected_version=version)
    set_etag(response, institution.version)
    return InstitutionRead.model_validate(institution)
