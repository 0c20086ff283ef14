"""The gateway's configuration: the kernel's service settings plus where the node's services
listen, how long to wait for them, the key that signs access tokens, and the limits it
enforces at the front door (docs/limits.md)."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import NoDecode, SettingsConfigDict

from services.gateway.console.roles import ConsoleRole
from shared.auth import Role
from shared.settings import ServiceSettings

MIB = 1024 * 1024


class RatePolicy(BaseModel):
    """A token bucket: `burst` requests at once, refilled at `per_second`."""

    model_config = ConfigDict(frozen=True)

    per_second: float = Field(gt=0, le=1_000_000)
    burst: int = Field(ge=1, le=1_000_000)


ANONYMOUS_RATE_DEFAULT = RatePolicy(per_second=20, burst=100)
ROLE_RATES_DEFAULT: dict[Role, RatePolicy] = {
    Role.NODE_ADMIN: RatePolicy(per_second=200, burst=1000),
    Role.REGISTRAR: RatePolicy(per_second=50, burst=250),
    Role.QA_AGENCY: RatePolicy(per_second=50, burst=250),
    Role.RECOGNITION_OFFICER: RatePolicy(per_second=50, burst=250),
    Role.UNIVERSITY: RatePolicy(per_second=20, burst=100),
}
# Bulk routes take more than one record's worth (1000 evaluations of a few KiB each).
ROUTE_BODY_LIMITS_DEFAULT: dict[str, int] = {
    "/v1/quality/evaluations:batch": 16 * MIB,
    "/v1/quality/evaluations:import": 16 * MIB,
}


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
    credentials_url: str = Field(
        default="http://127.0.0.1:8004", description="Base URL of the credentials service."
    )
    mobility_url: str = Field(
        default="http://127.0.0.1:8006", description="Base URL of the mobility service."
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

    rate_limit_enabled: bool = Field(
        default=True, description="Whether requests are rate limited (per gateway process)."
    )
    anonymous_rate_limit: RatePolicy = Field(
        default=ANONYMOUS_RATE_DEFAULT,
        description="Per client IP, for requests without a valid token; JSON such as "
        '`{"per_second": 20, "burst": 100}`.',
    )
    role_rate_limits: dict[Role, RatePolicy] = Field(
        default_factory=lambda: dict(ROLE_RATES_DEFAULT),
        description='Per client of a role; JSON such as `{"university": {"per_second": 5, '
        '"burst": 20}}`. Roles left out keep their defaults.',
    )
    rate_limit_max_keys: int = Field(
        default=100_000,
        ge=100,
        description="Most clients and addresses tracked at once; the least recently seen "
        "beyond that are forgotten (they start again with a full bucket).",
    )
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated addresses or networks of reverse proxies in front of the "
        "gateway whose `X-Forwarded-For` is believed; empty: the socket peer is the client.",
    )
    max_body_bytes: int = Field(
        default=MIB, ge=1024, description="Largest request body accepted (413 beyond)."
    )
    route_body_limits: dict[str, int] = Field(
        default_factory=lambda: dict(ROUTE_BODY_LIMITS_DEFAULT),
        description="Larger (or smaller) body limits for exact paths; JSON such as "
        '`{"/v1/quality/evaluations:batch": 16777216}`. Paths left out keep their defaults.',
    )
    hsts_max_age_seconds: int | None = Field(
        default=None,
        ge=0,
        description="Send `Strict-Transport-Security` with this max-age (set it when the node "
        "is served over HTTPS).",
    )

    # The console's sign-in with the agency's own identity provider (OpenID Connect, the
    # authorization code flow with PKCE; docs/console.md). Off unless an issuer is set.
    console_oidc_issuer: str | None = Field(
        default=None,
        description="The identity provider's issuer URL (its discovery document is "
        "`<issuer>/.well-known/openid-configuration`); unset: no OpenID Connect sign-in.",
    )
    console_oidc_client_id: str = Field(default="", description="The console's client id there.")
    console_oidc_client_secret: SecretStr = Field(
        default=SecretStr(""), description="The console's client secret there."
    )
    console_oidc_redirect_uri: str | None = Field(
        default=None,
        description="The callback URL registered at the provider; unset: "
        "`<this gateway's URL>/console/login/oidc/callback`.",
    )
    console_oidc_role_claim: str = Field(
        default="roles",
        description="The ID token's claim (a string or a list of strings) that says the "
        "person's roles there.",
    )
    console_oidc_roles: dict[str, str] = Field(
        default_factory=dict,
        description="Each value of the role claim that opens the console, with the console role "
        'it gives; JSON such as `{"enic-officers": "recognition_officer"}`. The first match in '
        "the order given wins; a person with none is refused.",
    )
    console_oidc_institution_claim: str = Field(
        default="edunode_institution",
        description="The claim with a university user's institution id.",
    )
    console_oidc_agency_claim: str = Field(
        default="edunode_agency", description="The claim with a QA agency user's agency id."
    )
    console_oidc_label: str = Field(
        default="Sign in with your organisation's account",
        description="The sign-in button's text.",
    )

    @field_validator("console_oidc_roles")
    @classmethod
    def _console_roles_only(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value.values()) - {role.value for role in ConsoleRole})
        if unknown:
            roles = ", ".join(role.value for role in ConsoleRole)
            raise ValueError(f"unknown console roles {unknown}; roles: {roles}")
        return value

    @model_validator(mode="after")
    def _oidc_client_named(self) -> GatewaySettings:
        if self.console_oidc_issuer is not None and not self.console_oidc_client_id:
            raise ValueError("CONSOLE_OIDC_ISSUER needs CONSOLE_OIDC_CLIENT_ID")
        return self

    @field_validator("role_rate_limits")
    @classmethod
    def _keep_default_role_rates(cls, value: dict[Role, RatePolicy]) -> dict[Role, RatePolicy]:
        return ROLE_RATES_DEFAULT | value

    @field_validator("route_body_limits")
    @classmethod
    def _check_route_body_limits(cls, value: dict[str, int]) -> dict[str, int]:
        for path, limit in value.items():
            if not path.startswith("/") or limit < 1024:
                raise ValueError(f"{path!r}: {limit} must map a path to at least 1024 bytes")
        return ROUTE_BODY_LIMITS_DEFAULT | value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_trusted_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return [ip_network(part, strict=False) for part in parts]
        return value

    def body_limit_for(self, path: str) -> int:
        """The largest request body accepted on `path`."""
        return self.route_body_limits.get(path, self.max_body_bytes)

    @field_validator(
        "institutions_url", "quality_url", "recognition_url", "credentials_url", "mobility_url"
    )
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
            "credentials": self.credentials_url,
            "mobility": self.mobility_url,
        }
