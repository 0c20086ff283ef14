"""A whole node served over real sockets inside the test's event loop: the gateway and each
service as uvicorn servers on free ports, with fresh migrated databases and the suite's token
keys, so that requests, proxying and `/metrics` scrapes cross real HTTP connections."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from services.credentials.app import create_app as create_credentials_app
from services.credentials.settings import CredentialsSettings
from services.gateway.app import create_app as create_gateway_app
from services.gateway.settings import GatewaySettings
from services.institutions.app import create_app as create_institutions_app
from services.institutions.settings import InstitutionsSettings
from services.mobility.app import create_app as create_mobility_app
from services.mobility.settings import MobilitySettings
from services.quality.app import create_app as create_quality_app
from services.quality.settings import QualitySettings
from services.recognition.app import create_app as create_recognition_app
from services.recognition.settings import RecognitionSettings
from shared.runtime import ServiceRuntime
from tests.conftest import TokenKeys
from tests.gateway.conftest import serve, unused_url

SERVICES: dict[str, Callable[[dict[str, Any]], FastAPI]] = {
    "institutions": lambda values: create_institutions_app(InstitutionsSettings(**values)),
    "quality": lambda values: create_quality_app(QualitySettings(**values)),
    "recognition": lambda values: create_recognition_app(RecognitionSettings(**values)),
    "credentials": lambda values: create_credentials_app(CredentialsSettings(**values)),
    "mobility": lambda values: create_mobility_app(MobilitySettings(**values)),
}


@dataclass
class ServedNode:
    gateway_url: str
    urls: dict[str, str]
    apps: dict[str, FastAPI] = field(default_factory=dict)

    def runtime(self, service: str) -> ServiceRuntime[Any]:
        runtime: ServiceRuntime[Any] = self.apps[service].state.runtime
        return runtime


@asynccontextmanager
async def served_node(
    node: str,
    *,
    nats_url: str,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    services: Iterable[str] = tuple(SERVICES),
    trust_file: Path | None = None,
    rate_limited: bool = True,
) -> AsyncIterator[ServedNode]:
    """Serve `services` of node `node` and its gateway (federated by `trust_file` if given);
    a service left out is configured at an address where nothing listens. A test that sends
    every route a request or more, not about limits, turns the gateway's off
    (`rate_limited=False`): an anonymous client may send 20 a second."""
    wanted = set(services)
    async with AsyncExitStack() as stack:
        served = ServedNode(gateway_url="", urls={})
        for name, create in SERVICES.items():
            if name not in wanted:
                served.urls[name] = unused_url()
                continue
            app = create(
                {
                    "node_id": node,
                    "database_url": new_migrated_database_url(f"services.{name}", name[:4]),
                    "nats_url": nats_url,
                    "token_public_key_file": token_keys.public_key_file,
                    "environment": "test",
                    "log_json": False,
                    "log_level": "warning",
                    "trust_file": trust_file,
                }
            )
            served.apps[name] = app
            served.urls[name] = await stack.enter_async_context(serve(app))
        gateway = create_gateway_app(
            GatewaySettings(
                node_id=node,
                environment="test",
                database_url=new_migrated_database_url("services.gateway", "gw"),
                token_private_key_file=token_keys.private_key_file,
                institutions_url=served.urls["institutions"],
                quality_url=served.urls["quality"],
                recognition_url=served.urls["recognition"],
                credentials_url=served.urls["credentials"],
                mobility_url=served.urls["mobility"],
                openapi_cache_seconds=0.0,
                trust_file=trust_file,
                log_json=False,
                log_level="warning",
                rate_limit_enabled=rate_limited,
            )
        )
        served.gateway_url = await stack.enter_async_context(serve(gateway))
        yield served


def concrete(path: str) -> str:
    """An OpenAPI path template with an id that names nothing in each of its parameters."""
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(uuid.UUID(int=1)) + path[end + 1 :]
    return path
