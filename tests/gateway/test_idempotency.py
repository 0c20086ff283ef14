"""`Idempotency-Key` end to end over real sockets: a client whose request timed out at the
gateway cannot know whether it was created; it retries with the same key (the gateway forwards
it untouched) and a real institutions service (SQLite or PostgreSQL) answers with the original
creation instead of a second one."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from edunode.natsserver import NatsServer
from services.gateway.app import create_app as create_gateway_app
from services.institutions.app import create_app as create_institutions_app
from services.institutions.settings import InstitutionsSettings
from shared.auth import Role
from shared.idempotency import REPLAYED_HEADER
from tests.conftest import MakeToken, TokenKeys, bearer, ensure_running, eventually
from tests.gateway.conftest import Stubs, gateway_settings, serve
from tests.institutions.conftest import tsinghua


@dataclass
class FrontDoors:
    """Two gateways in front of one real institutions service: a patient one, and an impatient
    one whose upstream read timeout (1 ms) no write can meet."""

    patient: httpx.AsyncClient
    impatient: httpx.AsyncClient


@pytest.fixture
async def front_doors(
    stubs: Stubs,
    gateway_database_url: str,
    token_keys: TokenKeys,
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
) -> AsyncIterator[FrontDoors]:
    settings = InstitutionsSettings(
        node_id="cn",
        database_url=new_migrated_database_url("services.institutions", "inst"),
        nats_url=ensure_running(nats_server).url,
        token_public_key_file=token_keys.public_key_file,
        environment="test",
        log_json=False,
        log_level="warning",
    )

    def gateway(timeout: float, institutions: str) -> Any:
        return create_gateway_app(
            gateway_settings(
                stubs,
                gateway_database_url,
                token_keys,
                institutions_url=institutions,
                upstream_timeout_seconds=timeout,
            )
        )

    async with (
        serve(create_institutions_app(settings)) as institutions,
        serve(gateway(30.0, institutions)) as patient,
        serve(gateway(0.001, institutions)) as impatient,
        httpx.AsyncClient(base_url=patient, timeout=30) as patient_client,
        httpx.AsyncClient(base_url=impatient, timeout=30) as impatient_client,
    ):
        yield FrontDoors(patient_client, impatient_client)


async def test_a_client_that_timed_out_retries_and_gets_the_original_creation(
    front_doors: FrontDoors, make_token: MakeToken
) -> None:
    headers = bearer(make_token(Role.REGISTRAR, node="cn")) | {"Idempotency-Key": str(uuid.uuid4())}
    timed_out = await front_doors.impatient.post(
        "/v1/institutions", json=tsinghua(), headers=headers
    )
    assert timed_out.status_code == 504  # the client cannot know whether it was created

    async def retried() -> httpx.Response | None:
        response = await front_doors.patient.post(
            "/v1/institutions", json=tsinghua(), headers=headers
        )
        assert response.status_code in (201, 409), response.text  # 409: still in progress
        return response if response.status_code == 201 else None

    # The first attempt created it (the retry is its replay) or, cut off before its body was
    # through, never ran (the retry creates it): either way, one institution.
    retry = await eventually(retried, what="the retry's answer")
    again = await asyncio.gather(
        *(
            front_doors.patient.post("/v1/institutions", json=tsinghua(), headers=headers)
            for _ in range(3)
        )
    )
    assert {r.json()["id"] for r in again} == {retry.json()["id"]}
    assert {r.headers[REPLAYED_HEADER] for r in again} == {"true"}
    listed = await front_doors.patient.get("/v1/institutions", params={"q": "Tsinghua"})
    assert [item["id"] for item in listed.json()["items"]] == [retry.json()["id"]]
