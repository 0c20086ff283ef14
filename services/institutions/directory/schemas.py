"""What the directory's lists and matches answer (their JSON is joined from cached reads by
`service.py`; these models describe it in the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.institutions.registry.schemas import InstitutionRead


class InstitutionPage(BaseModel):
    """One page of institutions, with facet counts over the whole (filtered) result."""

    items: list[InstitutionRead]
    next_cursor: str | None = Field(
        default=None, description="Opaque cursor of the next page; null on the last page."
    )
    limit: int
    total: int | None = Field(default=None, description="How many institutions match.")
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Counts by country, type and status."
    )


class MatchItem(BaseModel):
    institution: InstitutionRead
    score: float = Field(ge=0, le=1)
    chosen: bool
    matching_type: str


class MatchResult(BaseModel):
    """Ranked candidates; `chosen` is true for at most one, and only when confident."""

    items: list[MatchItem]
