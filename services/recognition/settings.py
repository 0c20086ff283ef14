"""Settings of the recognition service (prefix `EDUNODE_RECOGNITION_`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class RecognitionSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="EDUNODE_RECOGNITION_", extra="ignore", frozen=True
    )
