"""Settings of the institutions service (prefix `EDUNODE_INSTITUTIONS_`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class InstitutionsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="EDUNODE_INSTITUTIONS_", extra="ignore", frozen=True
    )
