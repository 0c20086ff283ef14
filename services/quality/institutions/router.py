"""Read-only HTTP over this service's copy of the directory's institutions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.quality.institutions.schemas import InstitutionRefRead
from services.quality.institutions.service import InstitutionCopyService
from shared.dependencies import SessionDep
from shared.errors import problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/quality/institutions", tags=["quality"])


async def ref_service(session: SessionDep) -> InstitutionCopyService:
    return InstitutionCopyService(session)


ServiceDep = Annotated[InstitutionCopyService, Depends(ref_service)]


@router.get("", summary="Institutions known to QA", response_model=Page[InstitutionRefRead])
async def list_institution_refs(
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> Page[InstitutionRefRead]:
    """The institutions the quality service has received from the directory's events, which
    evaluations can refer to. Read-only: the directory owns them. Public."""
    rows, next_cursor = await service.list_page(page, country=country)
    return Page(
        items=[InstitutionRefRead.model_validate(r) for r in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.get(
    "/{institution_id}",
    summary="One institution known to QA",
    response_model=InstitutionRefRead,
    responses=problem_responses(404),
)
async def get_institution_ref(institution_id: uuid.UUID, service: ServiceDep) -> InstitutionRefRead:
    """The quality service's copy of one institution, with the version it last applied."""
    return InstitutionRefRead.model_validate(await service.get(institution_id))
