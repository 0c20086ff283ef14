"""Settings of the quality service (prefix `EDUNODE_QUALITY_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class QualitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUNODE_QUALITY_", extra="ignore", frozen=True)

    expiry_interval_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="How often the expiry pass looks for evaluations whose validity ended.",
    )
    institutions_url: str | None = Field(
        default=None,
        description="Where this node's institutions service listens. An evaluation naming an "
        "institution its copy does not know yet (its event still on the way) is "
        "checked there instead of being refused.",
    )
