"""HTTP for issuing diplomas by batch (a registrar's graduation day): up to `MAX_BATCH`
diplomas of the caller's institution in one request and one transaction — every one issued, or
none (the first refusal answers for the batch). Each is issued exactly as `POST
/v1/credentials/diplomas` issues one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from services.credentials.issuance.router import IssuerDep, ServiceDep
from services.credentials.issuance.schemas import DiplomaCreate
from shared.errors import problem_responses

MAX_BATCH = 1000

router = APIRouter(prefix="/v1/credentials", tags=["credentials"])


class DiplomaBatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    diplomas: list[DiplomaCreate] = Field(min_length=1, max_length=MAX_BATCH)


class BatchIssued(BaseModel):
    id: uuid.UUID
    jwt: str = Field(description="The credential secured as `vc+jwt`.")


class DiplomaBatchRead(BaseModel):
    count: int
    items: list[BatchIssued] = Field(description="In the order of the request.")


@router.post(
    "/diplomas/batch",
    summary="Issue diplomas by batch",
    status_code=status.HTTP_201_CREATED,
    response_model=DiplomaBatchRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def issue_diploma_batch(
    data: DiplomaBatchCreate, principal: IssuerDep, service: ServiceDep
) -> DiplomaBatchRead:
    """Issue up to 1,000 diplomas of the caller's institution at once, all or none; each
    as `POST /v1/credentials/diplomas` would. Read one in full with `GET
    /v1/credentials/{id}`."""
    items = []
    for diploma in data.diplomas:
        row = await service.issue_diploma(principal, diploma)
        items.append(BatchIssued(id=row.id, jwt=row.jwt))
    return DiplomaBatchRead(count=len(items), items=items)
