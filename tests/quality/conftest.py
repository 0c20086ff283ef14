"""Fixtures of the quality tests: a running quality service on a fresh node, with helpers to
feed its institution reference table and to register agencies."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from contracts.institutions import Identifier, InstitutionState
from services.quality.institutions.service import InstitutionCopyService
from shared.auth import Role
from shared.db import new_id, utcnow
from shared.events import CloudEvent
from tests.conftest import (
    MakeToken,
    RunningService,
    ServiceLauncher,
    bearer,
    stream_events,
    stream_message_count,
)

_names = itertools.count(1)

ALL_ACTIVITIES = [
    {"type": "institutional"},
    {"type": "programme"},
    {"type": "joint programme"},
    {"type": "institutional-programme"},
]
REPORT = [{"url": "https://example.org/report.pdf", "languages": ["en"]}]


def agency_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": "Higher Education Evaluation Center",
        "acronym": f"HEEC{next(_names)}",
        "country": "CN",
        "focus_countries": [{"country": "MY", "kind": "cross-border"}],
        "registrations": [
            {"register": "national", "valid_from": "2010-01-01", "decision": "admission"}
        ],
        "activities": ALL_ACTIVITIES,
        "framework": "national",
    }
    return payload | overrides


def evaluation_payload(
    local_identifier: str, institutions: Iterable[uuid.UUID | str], **overrides: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "local_identifier": local_identifier,
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "valid_to": "2025-12-31",
        "institutions": [str(i) for i in institutions],
        "files": REPORT,
    }
    return payload | overrides


@dataclass
class QualityNode:
    """A running quality service of node `node`, and who may write to it."""

    service: RunningService
    node: str
    make_token: MakeToken

    @property
    def client(self) -> Any:
        return self.service.client

    @property
    def admin(self) -> dict[str, str]:
        return bearer(self.make_token(Role.NODE_ADMIN, node=self.node, client_id="admin-1"))

    def agency_client(self, agency_id: uuid.UUID | str) -> dict[str, str]:
        return bearer(
            self.make_token(Role.QA_AGENCY, node=self.node, agency_id=uuid.UUID(str(agency_id)))
        )

    async def add_institution(
        self,
        country: str = "CN",
        *,
        status: str = "active",
        identifiers: Iterable[tuple[str, str]] = (),
        origin_node: str | None = None,
        version: int = 1,
        institution_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Apply an institution event's state to the reference table, as the consumer does."""
        state = InstitutionState(
            id=institution_id or new_id(),
            origin_node=origin_node or self.node,
            country=country,
            name=f"University {next(_names)}",
            status=status,
            identifiers=[Identifier(resource=r, value=v) for r, v in identifiers],
            updated_at=utcnow(),
        )
        async with self.service.runtime.database.session() as session:
            await InstitutionCopyService(session).apply_institution_state(state, version)
        return state.id

    async def create_agency(self, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/quality/agencies", json=agency_payload(**overrides), headers=self.admin
        )
        assert response.status_code == 201, response.text
        agency: dict[str, Any] = response.json()
        return agency

    async def submit(
        self, agency_id: uuid.UUID | str, payload: dict[str, Any], *, expect: int = 201
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/quality/evaluations", json=payload, headers=self.agency_client(agency_id)
        )
        assert response.status_code == expect, response.text
        body: dict[str, Any] = response.json()
        return body

    async def status(self, institution: uuid.UUID | str, at: date | str, **params: Any) -> Any:
        response = await self.client.get(
            "/v1/quality/status", params={"institution": str(institution), "at": str(at)} | params
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def quality(services: ServiceLauncher, node_id: str, make_token: MakeToken) -> QualityNode:
    running = await services.quality(node_id, expiry_interval_seconds=3600)
    await running.wait_connected()
    return QualityNode(running, node_id, make_token)


async def published_events(nats_client: Any, node: str) -> list[CloudEvent]:
    """The events of the node's stream so far (none while the stream is still empty)."""
    if await stream_message_count(nats_client, node) == 0:
        return []
    return [event for _, event in await stream_events(nats_client, node)]
