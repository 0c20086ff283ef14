"""Caps on the directory's searches and payloads: over a cap is a 422 problem naming the
field, never a slow query or a silently truncated record."""

from __future__ import annotations

import asyncio

import httpx

from services.institutions import caps
from shared.caps import LANGUAGES_MAX, NAMES_MAX
from tests.conftest import RunningService
from tests.institutions.conftest import create, tsinghua


def failed_paths(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["path"] for error in response.json()["errors"]]


async def test_a_search_is_capped_in_words_and_length(directory: RunningService) -> None:
    client = directory.client
    words = " ".join(f"w{n}" for n in range(caps.SEARCH_TERMS_MAX + 1))
    assert failed_paths(await client.get("/v1/institutions", params={"q": words})) == ["query.q"]
    too_long = "u" * (caps.SEARCH_TEXT_MAX + 1)
    assert failed_paths(await client.get("/v1/institutions", params={"q": too_long})) == ["query.q"]
    await asyncio.wait_for(directory.app.state.directory.loaded.wait(), 10)
    at_the_cap = " ".join(["university"] * caps.SEARCH_TERMS_MAX)
    assert (await client.get("/v1/institutions", params={"q": at_the_cap})).status_code == 200


async def test_an_affiliation_to_match_is_capped(directory: RunningService) -> None:
    affiliation = " ".join(["Dept."] * (caps.AFFILIATION_TERMS_MAX + 1))
    response = await directory.client.get(
        "/v1/institutions/match", params={"affiliation": affiliation}
    )
    assert failed_paths(response) == ["query.affiliation"]
    await asyncio.wait_for(directory.app.state.directory.loaded.wait(), 10)
    # a consortium's members, as sent to ROR's matcher (109 words): answered
    members = ", ".join(f"Univ. of P{n}, UK" for n in range(28))
    assert len(members.split()) > 100
    response = await directory.client.get("/v1/institutions/match", params={"affiliation": members})
    assert response.status_code == 200, response.text


async def test_a_record_is_capped_in_names_and_text(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    names = [{"value": f"Name {n}", "kind": "alias"} for n in range(NAMES_MAX + 1)]
    response = await directory.client.post(
        "/v1/institutions",
        json=tsinghua(names=names, city="B" * (caps.PLACE_MAX + 1)),
        headers=registrar,
    )
    assert sorted(failed_paths(response)) == ["body.city", "body.names"]


async def test_an_update_is_capped_like_a_new_record(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    identifiers = [
        {"resource": "local", "value": f"code-{n}"} for n in range(caps.IDENTIFIERS_MAX + 1)
    ]
    response = await directory.client.patch(
        f"/v1/institutions/{created['id']}",
        json={"identifiers": identifiers},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert failed_paths(response) == ["body.identifiers"]


async def test_a_programme_update_is_capped(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    institution = await create(directory, registrar)
    created = await directory.client.post(
        "/v1/programmes",
        json={"institution_id": institution["id"], "name": "Bachelor of Physics"},
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    response = await directory.client.patch(
        f"/v1/programmes/{created.json()['id']}",
        json={"languages": ["en"] * (LANGUAGES_MAX + 1)},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert failed_paths(response) == ["body.languages"]
