"""Settings of the mobility service (prefix `EDUNODE_MOBILITY_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MobilitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUNODE_MOBILITY_", extra="ignore", frozen=True)

    answer_working_days: int = Field(
        default=5,
        ge=1,
        le=60,
        description="Working days the receiving institution has to answer a nomination or a "
        "learning agreement (EWP's rule: 5).",
    )
    student_token_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 30,
        description="How long a student's approval token stays valid.",
    )
