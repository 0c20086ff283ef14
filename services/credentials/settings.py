"""Settings of the credentials service (prefix `EDUNODE_CREDENTIALS_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class CredentialsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="EDUNODE_CREDENTIALS_", extra="ignore", frozen=True
    )

    quality_url: str | None = Field(
        default=None,
        description="Base URL of this node's quality service (e.g. `http://127.0.0.1:8002`): a "
        "diploma records, as evidence, the institution's QA status at the award date that "
        "`/v1/quality/status` gives.",
    )
    quality_timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds to wait for the quality service."
    )
    recognition_url: str | None = Field(
        default=None,
        description="Base URL of this node's recognition service (e.g. `http://127.0.0.1:8003`): "
        "a statement of recognition is issued from the decision it records, read with the "
        "issuing officer's own token.",
    )
    recognition_timeout: float = Field(
        default=5.0, gt=0, le=60, description="Seconds to wait for the recognition service."
    )
    public_url: str | None = Field(
        default=None,
        description="The node's public base URL (its gateway), which credentials' status list "
        "URLs start with; default: the node's `gateway_url` in the trust list.",
    )
    status_list_size: int = Field(
        default=131072,
        ge=131072,
        le=16 * 1024 * 1024,
        description="Entries per status list: at least 131,072 (16 KB), the minimum the W3C "
        "Bitstring Status List sets for group privacy.",
    )
