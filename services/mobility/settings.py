"""Settings of the mobility service (prefix `EDUNODE_MOBILITY_`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MobilitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUNODE_MOBILITY_", extra="ignore", frozen=True)
