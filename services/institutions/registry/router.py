"""HTTP for the institution directory's writes: parse, authorise, call the service, shape the
reply (the new read, with its ETag). The reads are the directory's: `directory/router.py`."""

from __future__ import annotations

import uuid
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response, status

from services.institutions.directory.cache import CachedRead
from services.institutions.directory.dependencies import DirectoryDep
from services.institutions.directory.responses import EXAMPLE, read_response
from services.institutions.registry.models import Institution
from services.institutions.registry.schemas import (
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
)
from services.institutions.registry.service import InstitutionService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, RuntimeDep, SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/institutions", tags=["institutions"])

WriterDep = Annotated[Principal, require_scope(Scope.INSTITUTIONS_WRITE)]


async def institution_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep, directory: DirectoryDep
) -> InstitutionService:
    return InstitutionService(
        session=session,
        publisher=publisher,
        settings=runtime.settings,
        directory=directory,
        trust=runtime.trust,
    )


ServiceDep = Annotated[InstitutionService, Depends(institution_service)]


async def current_read(service: InstitutionService, institution: Institution) -> CachedRead:
    """The read of an institution just written, as its transaction sees it."""
    return CachedRead(institution.version, orjson.dumps(await service.read_row(institution)))


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
) -> Response:
    """Register an institution of a country this node has authority over. Needs the scope
    `institutions:write` (registrar or node admin). A world-wide identifier (ROR, ISNI, ...)
    names one institution: 409 if another record holds it. Publishes
    `institutions.institution.created`.

    With `reference_source`, a node admin enters a **reference record** of a country no node
    has authority over (403 for a country that has a node): published like any record, marked
    `is_reference`, and superseded when that country's own node publishes the institution with
    the same ROR/ETER/DEQAR/WHED or national identifier (docs/reference-records.md)."""
    institution = await service.create(principal, data)
    location = str(request.url_for("get_institution", institution_id=institution.id))
    read = CachedRead(institution.version, orjson.dumps(await service.read_created(institution)))
    return read_response(read, status_code=201, headers={"Location": location})


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
) -> Response:
    """Change fields of an institution this node owns. `If-Match` must carry the current ETag
    (412 if another change came first). Closing or merging an institution is a status change,
    never a delete. A change publishes `institutions.institution.updated` with the whole new
    state; a request that changes nothing keeps the version and publishes nothing."""
    institution = await service.update(principal, institution_id, data, expected_version=version)
    return read_response(await current_read(service, institution))
