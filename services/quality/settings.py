"""Settings of the quality service (prefix `EDUNODE_QUALITY_`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class QualitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUNODE_QUALITY_", extra="ignore", frozen=True)
