"""A verification's request and its explained report."""

from __future__ import annotations

from datetime import date
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


class LevelComparison(BaseModel):
    """The credential's level in one of the verifying node's frameworks (information for the
    reader: it does not make a credential valid or not)."""

    framework: str = Field(description="A framework of this node's country.", examples=["DQR"])
    stated_level: str | None = Field(
        default=None,
        description="The level the credential states that was compared.",
        examples=["CNDL:xueshi"],
    )
    comparable_level: str | None = Field(
        default=None, description="Where it lands in `framework`.", examples=["DQR:6"]
    )
    comparable_level_name: str | None = None
    route: str | None = Field(
        default=None,
        description="The levels walked, through reference frameworks only.",
        examples=["CNDL:xueshi → EQF:6 → DQR:6"],
    )
    bases: list[str] = Field(
        default_factory=list, description="Each step's basis (official_referencing, …)."
    )
    verified: bool = Field(
        default=False, description="Whether every step is verified against its source."
    )
    reason: str


class QualityFinding(BaseModel):
    """The awarding institution's QA status at the award date: what this node's quality
    service says (from the evaluations every node publishes) beside the evidence the issuer
    recorded. Information for the reader: it does not make a credential valid or not."""

    award_date: date | None = None
    status: str | None = Field(
        default=None,
        description="At this node (null if not known: see `reason`).",
        examples=["accredited"],
    )
    evidence_status: str | None = Field(
        default=None, description="What the credential's evidence says (the issuer's view)."
    )
    agrees: bool | None = Field(default=None, description="Whether both are known and the same.")
    reason: str


class VerificationReport(BaseModel):
    valid: bool = Field(description="Whether every check passed.")
    checks: list[VerificationCheck]
    levels: list[LevelComparison] = Field(
        default_factory=list,
        description="The credential's level in each framework of this node's countries "
        "(empty if its signature did not verify).",
    )
    quality: QualityFinding | None = Field(
        default=None,
        description="The institution's QA status at the award date (null if the signature "
        "did not verify).",
    )
    credential_id: str | None = None
    issuer_node: str | None = None
    credential: dict[str, Any] | None = Field(
        default=None, description="The credential as read (even when it is not valid)."
    )
