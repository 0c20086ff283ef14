"""HTTP for the public, anonymous mobility statistics: every node's, served to anybody."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from contracts.mobility import ACADEMIC_YEAR, MobilityStatisticsState
from services.mobility.statistics.service import StatisticsRepository, to_state
from shared.dependencies import SessionDep
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/mobility/statistics", tags=["mobility statistics"])


@router.get("", summary="Mobility statistics", response_model=Page[MobilityStatisticsState])
async def list_statistics(
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    academic_year: Annotated[
        str | None, Query(pattern=ACADEMIC_YEAR, examples=["2026/2027"])
    ] = None,
) -> Page[MobilityStatisticsState]:
    """Every node's outgoing flows of students accepted for a stay, per academic year,
    country pair, ISCED-F broad field and EQF level; anonymous (no person, no institution)
    and public. Flows of fewer than 5 students are left out."""
    rows, next_cursor = await StatisticsRepository(session).page(page, academic_year)
    return Page(items=[to_state(r) for r in rows], next_cursor=next_cursor, limit=page.limit)
