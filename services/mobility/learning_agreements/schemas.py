"""The learning agreements' API shapes; the learning agreement itself is the published
language's `LearningAgreementState`, with whether the receiving side's answer is overdue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.mobility import LaComponents, LearningAgreementState

DIGEST = Field(pattern=r"^sha256:[0-9a-f]{64}$", examples=["sha256:" + "9f2c" * 16])


class LearningAgreementRead(LearningAgreementState):
    overdue: bool = Field(
        description="The receiving coordinator has not answered the current version after its "
        "`respond_by` day (5 working days)."
    )


class LaProposal(BaseModel):
    """The components of a nominated student's stay, proposed by the sending institution."""

    model_config = ConfigDict(extra="forbid")

    nomination_id: uuid.UUID
    components: LaComponents


class LaChange(BaseModel):
    """New components (replaced whole): a new version the three parties approve again."""

    model_config = ConfigDict(extra="forbid")

    components: LaComponents


class LaApprovalRequest(BaseModel):
    """The digest of the version being approved, as it was read (409 if it changed since)."""

    model_config = ConfigDict(extra="forbid")

    digest: Annotated[str, DIGEST]


class LaRejectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    digest: Annotated[str, DIGEST]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class StudentTokenRead(BaseModel):
    """A single-use token for the student to approve one version: the sending coordinator
    hands it to the student (e-mail, the institution's portal); it is shown once."""

    token: str
    learning_agreement_id: uuid.UUID
    revision: int
    digest: str
    expires_at: datetime


class StudentApprovalRequest(BaseModel):
    """The student's approval: their token and the digest of the version they read."""

    model_config = ConfigDict(extra="forbid")

    token: Annotated[
        str,
        Field(
            min_length=20,
            max_length=200,
            examples=["la_Vd3xq9T0bS2kq1m8Jc4uYwz5fNhE7rLp6aGiKtDoQB"],
        ),
    ]
    digest: Annotated[str, DIGEST]


class StudentTokenRequest(BaseModel):
    """The token is for the version of this digest only."""

    model_config = ConfigDict(extra="forbid")

    digest: Annotated[str, DIGEST]


class StudentViewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[
        str,
        Field(
            min_length=20,
            max_length=200,
            examples=["la_Vd3xq9T0bS2kq1m8Jc4uYwz5fNhE7rLp6aGiKtDoQB"],
        ),
    ]
