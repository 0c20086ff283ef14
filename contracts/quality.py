"""What the quality service's events carry: `quality.status.changed`."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class StatusChanged(BaseModel):
    """`quality.status.changed`: the QA status the node derived for an institution (or one of
    its programmes) from the evaluations naming it, as of a day."""

    model_config = ConfigDict(extra="ignore")

    institution_id: uuid.UUID
    programme_id: uuid.UUID | None = None
    status: str = Field(description="A QA status (`rules/qa_status.py`).")
    as_of: date | None = None
    evaluation_ids: list[uuid.UUID] = Field(default_factory=list)

    @property
    def subject_id(self) -> uuid.UUID:
        """What the status is of: the programme, or else the institution."""
        return self.programme_id or self.institution_id
