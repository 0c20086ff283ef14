"""A verification's request and its explained report."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.credentials.caps import MAX_CREDENTIAL_CHARS


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: str = Field(
        min_length=1,
        max_length=MAX_CREDENTIAL_CHARS,
        description="The credential as `vc+jwt` (a compact JWS).",
    )


class CheckOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"


class VerificationCheck(BaseModel):
    name: str = Field(examples=["signature"])
    outcome: CheckOutcome
    reason: str


class VerificationReport(BaseModel):
    valid: bool = Field(description="Whether every check passed.")
    checks: list[VerificationCheck]
    credential_id: str | None = None
    issuer_node: str | None = None
    credential: dict[str, Any] | None = Field(
        default=None, description="The credential as read (even when it is not valid)."
    )
