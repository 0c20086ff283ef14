"""What a university sends to issue a diploma, and what it gets back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.credentials.caps import MAX_TITLES
from shared.caps import CODE_MAX, NAME_MAX, NOTE_MAX, SHORT_TEXT_MAX
from shared.fields import IsoDate


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HolderIdentifier(_Input):
    scheme: str = Field(
        min_length=1, max_length=40, description="e.g. `national-id`, `passport`, `student-id`"
    )
    value: str = Field(min_length=1, max_length=CODE_MAX)


class Holder(_Input):
    """The graduate. Personal data: it stays in this node's database and in the credential."""

    given_name: str = Field(min_length=1, max_length=NAME_MAX)
    family_name: str = Field(min_length=1, max_length=NAME_MAX)
    birth_date: IsoDate
    identifier: HolderIdentifier


class QualificationTitle(_Input):
    lang: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1.", examples=["en"])
    value: str = Field(min_length=1, max_length=NAME_MAX)


class QualificationLevel(_Input):
    """A level on a qualifications framework: the issuing country's NQF or a regional one it
    is referenced to (e.g. `EQF` 6, `AQRF` 6)."""

    framework: str = Field(min_length=2, max_length=40, examples=["CN-NQF", "EQF", "AQRF"])
    level: str = Field(min_length=1, max_length=20, examples=["6"])


class ModeOfStudy(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    DISTANCE = "distance"
    BLENDED = "blended"


class DiplomaQualification(_Input):
    titles: list[QualificationTitle] = Field(min_length=1, max_length=MAX_TITLES)
    level: QualificationLevel = Field(description="The level on the issuing country's framework.")
    referenced_levels: list[QualificationLevel] = Field(default_factory=list, max_length=10)
    isced_f: str = Field(
        pattern=r"^\d{2,4}$", description="ISCED-F 2013 field code.", examples=["0714"]
    )
    credits: float = Field(gt=0, le=1000)
    credit_system: str = Field(min_length=2, max_length=40, examples=["ECTS", "CN-credits"])
    award_date: IsoDate
    mode_of_study: ModeOfStudy


class DiplomaCreate(_Input):
    holder: Holder
    qualification: DiplomaQualification
    valid_until: datetime | None = Field(
        default=None, description="When the credential stops being valid (usually never)."
    )


class RevocationCreate(_Input):
    reason: str = Field(min_length=3, max_length=NOTE_MAX)


class QualityEvidence(BaseModel):
    """What the node's quality service said of the institution at the award date."""

    status: str = Field(max_length=SHORT_TEXT_MAX)
    at: date
    evaluations: list[str] = Field(default_factory=list)
    note: str | None = None


class IssuedCredentialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    institution_id: uuid.UUID
    status_list_id: uuid.UUID
    status_index: int
    valid_from: datetime
    revoked_at: datetime | None
    revocation_reason: str | None
    credential: dict[str, Any] = Field(description="The credential (W3C VCDM 2.0).")
    jwt: str = Field(description="The credential secured as `vc+jwt`.")
