"""What the recognition service's events carry: `recognition.decision.published`. (Its
framework levels and agreements travel as its reference schemas, `FrameworkLevel` and
`Agreement`, for now.)"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class PublishedDecisionState(BaseModel):
    """`recognition.decision.published`: an anonymised decision. It has no field that could
    hold a person (docs/events.md); tests scan it."""

    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: uuid.UUID
    origin_node: str
    institution_id: uuid.UUID | None
    institution_name: str | None
    qualification: str
    programme_level: str | None
    origin_country: str
    host_country: str
    outcome: str
    comparable_level: str | None
    reasons: list[str]
    legal_basis: str
    decided_on: date
    # Older events have none: they apply with None.
    processing_days: int | None = Field(
        default=None,
        ge=0,
        description="Days from the day the applicant's file was complete (the day the "
        "deadline starts, BRIEF §3) to the decision date; none when not known (decisions "
        "published before it was carried).",
    )
