"""Fixtures of the recognition tests: a running recognition service on a fresh, migrated
database, officers' tokens, replicas fed by applying events through the service's own
handlers, and helpers to drive a case through its states. With `directory=True` the node's
institutions service runs too, served on a real socket, fed the same institution events: the
recognition service asks its matcher over HTTP, as a deployed node does."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from services.institutions.app import create_app as create_institutions_app
from services.institutions.settings import InstitutionsSettings
from services.recognition.app import create_app
from services.recognition.settings import RecognitionSettings
from shared.auth import Role
from shared.events import CloudEvent
from shared.runtime import ServiceRuntime
from tests.conftest import (
    MakeToken,
    RunningService,
    ServiceLauncher,
    bearer,
    eventually,
    migrated,
)
from tests.gateway.conftest import serve

_numbers = itertools.count(1)

APPLICANT = {
    "given_name": "Siti Nurhaliza",
    "family_name": "Binti Tarudin",
    "birth_date": "1996-01-11",
    "nationality": "MY",
    "email": "siti.tarudin@example.org",
    "phone": "+60 12 345 6789",
    "address": "12 Jalan Ampang, 50450 Kuala Lumpur",
}
DOCUMENTS = [
    {"kind": "diploma", "reference": "docstore://cases/siti-tarudin/diploma.pdf"},
    {"kind": "transcript", "reference": "docstore://cases/siti-tarudin/transcript.pdf"},
]
# Values that identify the applicant: none may leave the case tables.
APPLICANT_VALUES = [
    "Siti Nurhaliza",
    "Tarudin",
    "1996-01-11",
    "siti.tarudin@example.org",
    "+60 12 345 6789",
    "Jalan Ampang",
    "siti-tarudin",
]


@dataclass
class RecognitionNode:
    """A running recognition service of one node, with its officer's credentials."""

    running: RunningService
    node: str
    make_token: MakeToken
    headers: dict[str, str] = field(default_factory=dict)
    directory: FastAPI | None = None  # the node's institutions service, when started

    @property
    def client(self) -> Any:
        return self.running.client

    @property
    def settings(self) -> RecognitionSettings:
        settings = self.running.settings
        assert isinstance(settings, RecognitionSettings)
        return settings

    def token(
        self, role: Role = Role.RECOGNITION_OFFICER, node: str | None = None
    ) -> dict[str, str]:
        return bearer(self.make_token(role, node=node or self.node, client_id=f"{role.value}-1"))

    async def apply(self, *events: CloudEvent) -> None:
        """Apply events through the service's own handlers, as its consumers do (and the
        institution events through the directory's, when it runs)."""
        runtime = self.running.runtime
        async with runtime.database.session() as session:
            for event in events:
                await runtime.apply_event(session, event)
        if self.directory is None:
            return
        directory: ServiceRuntime[Any] = self.directory.state.runtime
        institutions = [e for e in events if e.type.startswith("institutions.institution.")]
        async with directory.database.session() as session:
            for event in institutions:
                await directory.apply_event(session, event)

    async def open_case(
        self, qualification: dict[str, Any], target_level: str, **extra: Any
    ) -> dict[str, Any]:
        body = {
            "applicant": APPLICANT,
            "purpose": "further_study",
            "qualification": qualification,
            "target_level": target_level,
            "documents": DOCUMENTS,
        } | extra
        response = await self.client.post("/v1/recognition/cases", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def move(self, case_id: str, *targets: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for target in targets:
            response = await self.client.post(
                f"/v1/recognition/cases/{case_id}/status",
                json={"to": target, "legal_reason": f"step to {target}"},
                headers=self.headers,
            )
            assert response.status_code == 200, response.text
            data = response.json()
        return data

    async def complete(self, case_id: str) -> dict[str, Any]:
        return await self.move(case_id, "submitted", "complete")

    async def assess(self, case_id: str) -> dict[str, Any]:
        response = await self.client.post(
            f"/v1/recognition/cases/{case_id}/assessment", headers=self.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())


StartNode = Callable[..., Awaitable[RecognitionNode]]


async def _loaded(app: FastAPI) -> bool:
    return bool(app.state.directory.loaded.is_set())


@pytest.fixture
def start_recognition(
    services: ServiceLauncher, make_token: MakeToken, tmp_path: Path
) -> StartNode:
    """`await start_recognition("cn", sqlite=True, deadline_months=4)`: a recognition service
    of a fresh node whose country is `country` (its id is unique to the test); with
    `directory=True`, the node's institutions service too, which the assessment asks to match
    free-text institution names."""

    async def start(
        country: str = "cn",
        *,
        sqlite: bool = False,
        database_url: str | None = None,
        directory: bool = False,
        **settings: Any,
    ) -> RecognitionNode:
        node = f"{country}-r{next(_numbers)}"
        if database_url is None:
            if sqlite:
                database_url = f"sqlite+aiosqlite:///{tmp_path / f'rec-{node}.db'}"
            else:
                database_url = services.new_database_url("rec")
        url = migrated("services.recognition", database_url)
        directory_app = None
        if directory:
            directory_url = (
                f"sqlite+aiosqlite:///{tmp_path / f'inst-{node}.db'}"
                if sqlite
                else services.new_database_url("inst")
            )
            directory_app = create_institutions_app(
                InstitutionsSettings(
                    **services._settings(
                        node, migrated("services.institutions", directory_url), None
                    )
                )
            )
            settings["institutions_url"] = await services.stack.enter_async_context(
                serve(directory_app)
            )
            await eventually(lambda: _loaded(directory_app), what="the directory index", timeout=30)
        app = create_app(RecognitionSettings(**(services._settings(node, url, None) | settings)))
        running = await services.start(app)
        result = RecognitionNode(
            running=running, node=node, make_token=make_token, directory=directory_app
        )
        result.headers = result.token()
        return result

    return start
