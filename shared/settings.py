"""Settings shared by every service, read from the environment (12-factor).

Each service subclasses `ServiceSettings` with its own prefix (`EDUNODE_INSTITUTIONS_`, ...), so
one environment can configure a whole node without ambiguity. `load_settings` validates at
start-up and stops with a message that names the offending variable.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

NODE_ID_PATTERN = r"^[a-z]{2}(-[a-z0-9]{1,8})?$"
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """What every service process needs to know about its node and its infrastructure."""

    model_config = SettingsConfigDict(
        env_prefix="EDUNODE_", extra="ignore", frozen=True, populate_by_name=True
    )

    node_id: Annotated[str, Field(pattern=NODE_ID_PATTERN)] = Field(
        description="This node's id: the lowercase ISO 3166-1 alpha-2 code (e.g. `cn`, `be-fl`)."
    )
    countries: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Countries this node has authority over (comma-separated ISO alpha-2); "
        "defaults to the node id's country.",
    )
    environment: Environment = "development"
    database_url: str = Field(description="SQLAlchemy async URL of this service's own database.")
    nats_url: str = "nats://127.0.0.1:4222"
    token_public_key_file: Path | None = Field(
        default=None, description="PEM file with the gateway's Ed25519 public key for tokens."
    )
    token_issuer: str = "edunode"
    trust_file: Path | None = Field(
        default=None,
        description="The federation trust list (docs/federation.md); without it the node is "
        "on its own: it neither replicates peers nor checks their events.",
    )
    federation_keys_dir: Path | None = Field(
        default=None,
        description="Directory of the node's federation keys (`edunode keys init`); every "
        "published event is signed with the newest.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = True
    otlp_endpoint: str | None = Field(
        default=None,
        validation_alias="EDUNODE_OTLP_ENDPOINT",
        description="Base URL of an OTLP/HTTP receiver (`http://collector:4318`) to export the "
        "node's traces to, from every service; the SDK's `OTEL_EXPORTER_OTLP_ENDPOINT` and "
        "`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` are read too. None set: nothing is exported.",
    )
    idempotency_ttl_seconds: int = Field(
        default=86400,
        ge=60,
        description="How long a POST's `Idempotency-Key` and its stored response are kept.",
    )
    idempotency_lease_seconds: int = Field(
        default=60,
        ge=1,
        description="How long a key stays claimed by a request that never finished (a crash) "
        "before a retry may take it over.",
    )
    stream_replicas: int = Field(
        default=1,
        ge=1,
        le=5,
        description="How many servers of the node's JetStream cluster keep each of its "
        "streams: 1 for a single server, 3 for the three-server cluster of deploy/k8s.",
    )
    background_workers: bool = Field(
        default=True,
        description="Run the background workers (outbox relay, event consumers, scheduled "
        "passes, replica watchdog). Exactly one process per service of a node runs them; "
        "extra replicas that only serve HTTP set it to false (docs/deployment.md).",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Processes serving the service on its one port (uvicorn workers); exactly "
        "one of them runs the background workers, the others only serve HTTP.",
    )

    @field_validator("countries", mode="before")
    @classmethod
    def _split_countries(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().upper() for part in value.split(",") if part.strip()]
        return value

    @field_validator("countries")
    @classmethod
    def _check_countries(cls, value: list[str]) -> list[str]:
        for code in value:
            if not COUNTRY_PATTERN.match(code):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be an async SQLAlchemy URL: sqlite+aiosqlite:///path.db or "
                "postgresql+asyncpg://user@host/db"
            )
        return value

    @model_validator(mode="after")
    def _default_countries(self) -> ServiceSettings:
        if not self.countries:
            object.__setattr__(self, "countries", [self.node_id[:2].upper()])
        if self.environment == "production" and self.token_public_key_file is None:
            # A model-level error has no field location: name the variable in the message.
            prefix = str(self.model_config.get("env_prefix", "")).upper()
            raise ValueError(f"{prefix}TOKEN_PUBLIC_KEY_FILE is required in production")
        return self


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def describe_validation_error(cls: type[BaseSettings], error: ValidationError) -> str:
    """Turn a pydantic error into lines that name the environment variables to fix."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    lines = [f"invalid configuration for {cls.__name__}:"]
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if not item["loc"]:  # a check across fields: its message names the variables
            lines.append(f"  {message}")
            continue
        variable = f"{prefix}{item['loc'][0]}".upper()
        if item["type"] == "missing":
            message = "is required but not set"
        lines.append(f"  {variable}: {message}")
    return "\n".join(lines)


def load_settings(cls: type[SettingsT]) -> SettingsT:
    """Read settings from the environment, or exit with a message naming each bad variable."""
    try:
        return cls()
    except ValidationError as error:
        print(describe_validation_error(cls, error), file=sys.stderr)
        raise SystemExit(2) from None
