"""The nominations' API shapes; the nomination itself is the published language's
`NominationState`, with whether its answer is overdue, as this node reckons today."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.mobility import (
    ACADEMIC_YEAR,
    AcademicTerm,
    IscedF,
    MobilityType,
    NominatedStudent,
    NominationState,
)


class NominationRead(NominationState):
    overdue: bool = Field(
        description="Still unanswered after `respond_by` (the receiving side's 5 working days)."
    )


class NominationRequest(BaseModel):
    """A student of the caller's institution nominated to the partner of an approved
    agreement, within one of its cooperation conditions (type, direction, year, field, level)
    and its places."""

    model_config = ConfigDict(extra="forbid")

    agreement_id: uuid.UUID
    mobility_type: MobilityType = MobilityType.STUDENT_STUDIES
    academic_year: Annotated[str, Field(pattern=ACADEMIC_YEAR, examples=["2026/2027"])]
    term: AcademicTerm
    isced_f: IscedF
    eqf_level: Annotated[int, Field(ge=1, le=8, examples=[6])]
    student: NominatedStudent


class NominationReason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=2000)]
