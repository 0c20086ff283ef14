"""Programmes: the model, its validation and versions, and listing under an institution."""

from __future__ import annotations

from typing import Any

from tests.conftest import RunningService
from tests.institutions.conftest import create, new_uuid


def physics(institution_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "institution_id": institution_id,
        "name": "Bachelor of Science in Physics",
        "names": [{"value": "物理学学士", "lang": "zh"}],
        "qualification": "Bachelor of Science",
        "levels": ["CN:xueshi", "EQF:6", "AQRF:6", "QF-EHEA:first", "ISCED-2011:6"],
        "field": "0533",
        "credits": 160,
        "credit_system": "CN",
        "duration_years": 4,
        "mode": "full-time",
        "languages": ["zh", "en"],
    } | overrides


async def test_programme_lifecycle(directory: RunningService, registrar: dict[str, str]) -> None:
    institution = await create(directory, registrar)
    partner = await create(directory, registrar, name="Peking University", names=[], identifiers=[])
    created = await directory.client.post(
        "/v1/programmes",
        json=physics(institution["id"], joint_partners=[partner["id"]]),
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    programme = created.json()
    assert programme["country"] == "CN" and programme["version"] == 1
    assert programme["names"][0] == {
        "value": "Bachelor of Science in Physics",
        "lang": None,
        "kind": "official",
        "valid_to": None,
    }
    under = await directory.client.post(
        f"/v1/institutions/{institution['id']}/programmes",
        json={"name": "Master of Physics", "field": "05"},
        headers=registrar,
    )
    assert under.status_code == 201, under.text
    listed = await directory.client.get(f"/v1/institutions/{institution['id']}/programmes")
    assert {p["name"] for p in listed.json()["items"]} == {
        "Bachelor of Science in Physics",
        "Master of Physics",
    }
    url = f"/v1/programmes/{programme['id']}"
    stale = await directory.client.patch(
        url, json={"status": "discontinued"}, headers=registrar | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    ended = await directory.client.patch(
        url, json={"status": "discontinued"}, headers=registrar | {"If-Match": '"1"'}
    )
    assert ended.status_code == 200 and ended.json()["status"] == "discontinued"
    assert ended.headers["etag"] == '"2"'
    by_field = await directory.client.get("/v1/programmes", params={"field": "0533"})
    assert [p["id"] for p in by_field.json()["items"]] == [programme["id"]]


BAD: list[tuple[str, dict[str, Any]]] = [
    ("bad ISCED-F", {"field": "0599x"}),
    ("unknown ISCED-F", {"field": "0577"}),
    ("bad level shape", {"levels": ["level six"]}),
    ("EQF has no level 9", {"levels": ["EQF:9"]}),
    ("credits without system", {"credit_system": None}),
    ("negative credits", {"credits": -1}),
    ("unknown mode", {"mode": "evening"}),
    ("unknown language", {"languages": ["xx"]}),
    ("zero duration", {"duration_years": 0}),
    ("unknown partner", {"joint_partners": [new_uuid()]}),
    ("unknown institution", {"institution_id": new_uuid()}),
]


async def test_each_bad_programme_is_a_422_and_stores_nothing(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    institution = await create(directory, registrar)
    for label, override in BAD:
        response = await directory.client.post(
            "/v1/programmes", json=physics(institution["id"]) | override, headers=registrar
        )
        assert response.status_code == 422, (label, response.text)
    assert (await directory.client.get("/v1/programmes")).json()["items"] == []
