"""Fixtures of the credentials tests: a small federation (trust list, each node's federation
key) and each node's running credentials service on a fresh, migrated database, connected to
the session's nats-server; institutions fed by applying the directory's events through the
service's own handlers."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from services.credentials.app import create_app
from services.credentials.settings import CredentialsSettings
from shared.auth import Role
from shared.events import CloudEvent
from shared.signing import init_node_key
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer, migrated

# The gateway tests' fixtures (its stub services, its database), for a real gateway in front.
from tests.gateway.conftest import gateway_database_url, stubs  # noqa: F401

_numbers = itertools.count(1)


@dataclass
class CredentialsNode:
    running: RunningService
    node: str
    keys_dir: Path

    @property
    def client(self) -> Any:
        return self.running.client

    async def apply(self, *events: CloudEvent) -> None:
        """Apply events through the service's own handlers, as its consumers do."""
        runtime = self.running.runtime
        async with runtime.database.session() as session:
            for event in events:
                await runtime.apply_event(session, event)


@dataclass
class Federation:
    """Nodes `cn-…` and `de-…` (countries CN and DE), each with a federation key, in one
    trust list."""

    nodes: dict[str, str]  # country → node id
    keys: dict[str, Path]  # node id → keys dir
    trust_file: Path
    trust: TrustList


@pytest.fixture
def federation(tmp_path: Path) -> Federation:
    number = next(_numbers)
    nodes = {"CN": f"cn-v{number}", "DE": f"de-v{number}"}
    keys = {}
    entries = []
    for country, node in nodes.items():
        keys[node] = tmp_path / node / "keys"
        kid, public = init_node_key(keys[node], node)
        entries.append(
            TrustedNode(
                id=node,
                countries=[country],
                gateway_url=f"https://{node}.edunode.example",
                keys=[TrustedKey(kid=kid, public_key=public.read_text())],
            )
        )
    trust = TrustList(nodes=entries)
    trust_file = tmp_path / "trust.yaml"
    trust.dump(trust_file)
    return Federation(nodes=nodes, keys=keys, trust_file=trust_file, trust=trust)


StartNode = Callable[..., Awaitable[CredentialsNode]]


@pytest.fixture
def start_credentials(services: ServiceLauncher, federation: Federation) -> StartNode:
    """`await start_credentials("CN")`: the credentials service of the federation's node for
    that country, on a fresh database of the test's backend."""

    async def start(country: str, **settings: Any) -> CredentialsNode:
        app = create_app(credentials_settings(services, federation, country, **settings))
        running = await services.start(app)
        node = federation.nodes[country]
        return CredentialsNode(running=running, node=node, keys_dir=federation.keys[node])

    return start


def credentials_settings(
    services: ServiceLauncher, federation: Federation, country: str, **settings: Any
) -> CredentialsSettings:
    """The settings of the federation's node for `country`, on a fresh, migrated database."""
    node = federation.nodes[country]
    url = migrated("services.credentials", services.new_database_url("cred"))
    return CredentialsSettings(
        **(
            services._settings(node, url, None)
            | {"trust_file": federation.trust_file, "federation_keys_dir": federation.keys[node]}
            | settings
        )
    )


def university(make_token: MakeToken, node: str, institution_id: Any) -> dict[str, str]:
    return bearer(
        make_token(
            Role.UNIVERSITY, node=node, institution_id=institution_id, client_id="registrar-office"
        )
    )
