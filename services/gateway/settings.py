"""The gateway's configuration: the kernel's service settings plus where the node's services
listen, how long to wait for them, and the key that signs access tokens."""

from __future__ import annotations

from pathlib import Path

from pydantic import AnyHttpUrl, Field, field_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    """Environment variables prefixed `EDUNODE_GATEWAY_` (e.g. `EDUNODE_GATEWAY_QUALITY_URL`)."""

    model_config = SettingsConfigDict(env_prefix="EDUNODE_GATEWAY_", extra="ignore", frozen=True)

    token_private_key_file: Path | None = Field(
        default=None,
        description="PEM file with the node's Ed25519 private key for access tokens; without it "
        "`POST /v1/auth/token` answers 503.",
    )
    token_ttl_seconds: int = Field(default=900, ge=30, le=86_400)
    institutions_url: str = Field(
        default="http://127.0.0.1:8001", description="Base URL of the institutions service."
    )
    quality_url: str = Field(
        default="http://127.0.0.1:8002", description="Base URL of the quality service."
    )
    recognition_url: str = Field(
        default="http://127.0.0.1:8003", description="Base URL of the recognition service."
    )
    upstream_connect_timeout_seconds: float = Field(
        default=2.0, gt=0, description="How long to wait for a TCP connection to a service."
    )
    # No limit on a whole exchange, on purpose: exports stream for as long as they need, and a
    # service that stops sending is caught by the read timeout (nginx's proxy_read_timeout).
    upstream_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a service may stay silent: before its response starts, or between "
        "two chunks of a streamed body.",
    )
    openapi_cache_seconds: float = Field(
        default=10.0, ge=0, description="How long the merged OpenAPI document is reused."
    )

    @field_validator("institutions_url", "quality_url", "recognition_url")
    @classmethod
    def _check_upstream_url(cls, value: str) -> str:
        url = AnyHttpUrl(value)
        if url.query or url.fragment or (url.path not in (None, "", "/")):
            raise ValueError("must be a base URL such as http://127.0.0.1:8001 (no path)")
        return value.rstrip("/")

    def upstream_urls(self) -> dict[str, str]:
        """The services behind the gateway, by name."""
        return {
            "institutions": self.institutions_url,
            "quality": self.quality_url,
            "recognition": self.recognition_url,
        }
