"""Settings of the recognition service (prefix `EDUNODE_RECOGNITION_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class RecognitionSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="EDUNODE_RECOGNITION_", extra="ignore", frozen=True
    )

    deadline_months: int = Field(
        default=4,
        ge=1,
        le=24,
        description="Months from `complete` within which a case must be decided (LRC: four).",
    )
    match_threshold: float = Field(
        default=90.0,
        ge=50,
        le=100,
        description="Score (0-100) above which a free-text institution name is taken as matched.",
    )

    @property
    def host_country(self) -> str:
        """The country whose qualifications framework is the host of this node's cases."""
        return self.countries[0]
