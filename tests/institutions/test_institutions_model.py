"""The institution model over HTTP: validation, versions (ETag / If-Match), identifiers,
relationships, status changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunningService
from tests.institutions.conftest import (
    TSINGHUA_ISNI,
    TSINGHUA_ROR,
    create,
    new_uuid,
    tsinghua,
    version_in,
)


async def test_create_stores_the_whole_model_and_reads_it_back(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    assert created["version"] == 1 and created["origin_node"] == directory.settings.node_id
    assert created["identifiers"][0] == {
        "resource": "ror",
        "value": TSINGHUA_ROR,
        "valid_from": None,
        "valid_to": None,
    }
    assert created["identifiers"][2]["value"] == TSINGHUA_ISNI  # normalised
    assert created["website"] == "https://www.tsinghua.edu.cn/"
    historical = [n for n in created["names"] if n["valid_to"]]
    assert historical == [
        {"value": "Tsing Hua College", "lang": "en", "kind": "official", "valid_to": "1928-08-17"}
    ]
    read = await directory.client.get(f"/v1/institutions/{created['id']}")
    assert read.status_code == 200 and version_in(read.headers["etag"]) == 1
    assert read.json() == created


BAD_INPUTS: list[tuple[str, dict[str, Any]]] = [
    ("unknown country", {"country": "XX"}),
    ("country not alpha-2", {"country": "CHN"}),
    ("unknown language", {"names": [{"value": "x", "lang": "qq"}]}),
    ("unknown name kind", {"names": [{"value": "x", "kind": "nickname"}]}),
    ("bad ROR checksum", {"identifiers": [{"resource": "ror", "value": "03cve4548"}]}),
    ("bad ISNI check", {"identifiers": [{"resource": "isni", "value": "0000000106623179"}]}),
    ("bad Wikidata id", {"identifiers": [{"resource": "wikidata", "value": "16955"}]}),
    ("unknown resource", {"identifiers": [{"resource": "grid", "value": "grid.1.1"}]}),
    (
        "identifier validity reversed",
        {
            "identifiers": [
                {
                    "resource": "local",
                    "value": "T1",
                    "valid_from": "2020-01-01",
                    "valid_to": "2019-01-01",
                }
            ]
        },
    ),
    ("website not http", {"website": "ftp://tsinghua.edu.cn"}),
    ("website not a URL", {"website": "tsinghua"}),
    ("closed before founded", {"founded_on": "2000-01-01", "closed_on": "1999-12-31"}),
    ("latitude out of range", {"latitude": 91, "longitude": 0}),
    ("latitude without longitude", {"latitude": 10, "longitude": None}),
    ("unknown type", {"type": "school"}),
    ("unknown legal status", {"legal_status": "state"}),
    ("blank name", {"name": ""}),
    ("unknown field", {"motto": "自强不息"}),
    (
        "relationship to nobody",
        {"relationships": [{"type": "part_of", "institution_id": new_uuid()}]},
    ),
    (
        "unknown relationship",
        {"relationships": [{"type": "friend_of", "institution_id": new_uuid()}]},
    ),
]


async def test_each_bad_input_is_a_422_and_stores_nothing(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    for label, override in BAD_INPUTS:
        response = await directory.client.post(
            "/v1/institutions", json=tsinghua(**override), headers=registrar
        )
        assert response.status_code == 422, (label, response.text)
        problem = response.json()
        assert problem["type"] == "urn:edunode:problem:validation-failed", label
        assert problem["errors"], label
    listed = await directory.client.get("/v1/institutions")
    assert listed.json()["items"] == []


async def test_update_needs_the_current_etag(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    url = f"/v1/institutions/{created['id']}"
    missing = await directory.client.patch(url, json={"city": "北京"}, headers=registrar)
    assert missing.status_code == 428
    ok = await directory.client.patch(
        url, json={"city": "北京"}, headers=registrar | {"If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["city"] == "北京"
    assert version_in(ok.headers["etag"]) == 2
    stale = await directory.client.patch(
        url, json={"city": "Peking"}, headers=registrar | {"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    same = await directory.client.patch(
        url, json={"city": "北京"}, headers=registrar | {"If-Match": '"2"'}
    )
    assert same.status_code == 200 and same.json()["version"] == 2  # nothing changed
    read = await directory.client.get(url, headers={"If-None-Match": same.headers["etag"]})
    assert read.status_code == 304
    bad = await directory.client.patch(
        url,
        json={"closed_on": "1900-01-01"},
        headers=registrar | {"If-Match": '"2"'},
    )
    assert bad.status_code == 422  # the merged record is validated: closed before founded
    assert (await directory.client.get(url)).json()["version"] == 2


async def test_closing_is_a_status_change(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    url = f"/v1/institutions/{created['id']}"
    response = await directory.client.patch(
        url,
        json={"status": "closed", "closed_on": "2030-01-01"},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert (await directory.client.delete(url, headers=registrar)).status_code == 405
    filtered = await directory.client.get("/v1/institutions", params={"status": "closed"})
    assert [i["id"] for i in filtered.json()["items"]] == [created["id"]]


async def test_lookup_by_any_identifier(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    for path in (
        f"ror/{TSINGHUA_ROR}",
        f"ror/https://ror.org/{TSINGHUA_ROR}",
        "wikidata/Q16955",
        f"isni/{TSINGHUA_ISNI}",
    ):
        response = await directory.client.get(f"/v1/institutions/by-identifier/{path}")
        assert response.status_code == 200, path
        assert response.json()["id"] == created["id"]
    assert (
        await directory.client.get("/v1/institutions/by-identifier/ror/00f54p054")
    ).status_code == 404
    assert (await directory.client.get("/v1/institutions/by-identifier/grid/x")).status_code == 422
    duplicate = await directory.client.post(
        "/v1/institutions", json=tsinghua(name="Another"), headers=registrar
    )
    assert duplicate.status_code == 409  # a ROR id names one institution


async def test_relationships_are_reciprocal(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    parent = await create(directory, registrar)
    campus = await create(
        directory,
        registrar,
        name="Tsinghua Shenzhen International Graduate School",
        names=[],
        identifiers=[],
        relationships=[{"type": "campus_of", "institution_id": parent["id"]}],
    )
    seen_from_parent = (await directory.client.get(f"/v1/institutions/{parent['id']}")).json()
    assert seen_from_parent["relationships"] == [
        {"type": "has_campus", "institution_id": campus["id"]}
    ]
    self_related = await directory.client.patch(
        f"/v1/institutions/{parent['id']}",
        json={"relationships": [{"type": "related_to", "institution_id": parent["id"]}]},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert self_related.status_code == 422


@pytest.mark.parametrize(
    "filter_", [{"country": "CN"}, {"type": "university"}, {"identifier_resource": "ror"}]
)
async def test_list_filters(
    directory: RunningService, registrar: dict[str, str], filter_: dict[str, str]
) -> None:
    created = await create(directory, registrar)
    await create(
        directory, registrar, name="Peking University", names=[], identifiers=[], type="college"
    )
    response = await directory.client.get("/v1/institutions", params=filter_ | {"limit": 50})
    ids = [item["id"] for item in response.json()["items"]]
    assert created["id"] in ids
    if "country" not in filter_:
        assert len(ids) == 1
