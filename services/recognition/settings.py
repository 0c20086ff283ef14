"""Settings of the recognition service (prefix `EDUNODE_RECOGNITION_`)."""

from __future__ import annotations

from pydantic import Field, model_validator
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
    institutions_url: str | None = Field(
        default=None,
        description="Base URL of this node's institutions service (e.g. `http://127.0.0.1:8001`): "
        "a free-text institution name in a case is matched by the directory's "
        "`/v1/institutions/match`, the node's one matcher.",
    )
    directory_timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds to wait for the directory's matcher."
    )

    national_legal_basis: str | None = Field(
        default=None,
        min_length=3,
        max_length=300,
        description="The name of the law on which this node recognises foreign "
        "qualifications when no agreement or convention binds both countries, as decisions "
        "cite it (e.g. `Degree Law of the People's Republic of China`). Required in "
        "production.",
    )

    @model_validator(mode="after")
    def _require_legal_basis(self) -> RecognitionSettings:
        if self.environment == "production" and not self.national_legal_basis:
            raise ValueError("EDUNODE_RECOGNITION_NATIONAL_LEGAL_BASIS is required in production")
        return self

    @property
    def national_law(self) -> str:
        """The national legal basis by name (a placeholder naming the country if unset)."""
        return self.national_legal_basis or f"the national law of {self.host_country}"

    @property
    def host_country(self) -> str:
        """The country whose qualifications framework is the host of this node's cases."""
        return self.countries[0]
