"""Helpers for the directory's tests: a running institutions service and ready-made payloads."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.auth import Role
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer

# Real identifiers of Tsinghua University (ROR, Wikidata, ISNI).
TSINGHUA_ROR = "03cve4549"
TSINGHUA_WIKIDATA = "Q16955"
TSINGHUA_ISNI = "0000000106623178"


def tsinghua(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Tsinghua University",
        "country": "CN",
        "city": "Beijing",
        "latitude": 39.9996,
        "longitude": 116.3264,
        "website": "https://www.tsinghua.edu.cn",
        "type": "university",
        "legal_status": "public",
        "founded_on": "1911-04-29",
        "names": [
            {"value": "清华大学", "lang": "zh", "kind": "official"},
            {"value": "Tsinghua University", "lang": "en", "kind": "english"},
            {"value": "Qinghua Daxue", "lang": "zh", "kind": "transliterated"},
            {"value": "THU", "kind": "acronym"},
            {
                "value": "Tsing Hua College",
                "lang": "en",
                "kind": "official",
                "valid_to": "1928-08-17",
            },
        ],
        "identifiers": [
            {"resource": "ror", "value": f"https://ror.org/{TSINGHUA_ROR}"},
            {"resource": "wikidata", "value": TSINGHUA_WIKIDATA},
            {"resource": "isni", "value": "0000 0001 0662 3178"},
        ],
    }
    return body | overrides


@pytest.fixture
async def directory(services: ServiceLauncher, node_id: str) -> RunningService:
    """The institutions service of this test's node (country CN)."""
    return await services.institutions(node_id)


@pytest.fixture
def admin(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.NODE_ADMIN, node=node_id))


@pytest.fixture
def registrar(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.REGISTRAR, node=node_id))


async def create(
    service: RunningService, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await service.client.post(
        "/v1/institutions", json=tsinghua(**overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def version_in(etag: str) -> int:
    """The version an institution's ETag names (`"3-5f0c1a2b"` → 3)."""
    return int(etag.strip('"').split("-", 1)[0])


def new_uuid() -> str:
    return str(uuid.uuid4())
