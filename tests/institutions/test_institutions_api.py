"""The institution directory over HTTP, on SQLite and PostgreSQL: create, read, update and
list with versions (ETag / If-Match), the authorisation rules, validation that stores nothing,
and one event per change carrying the whole state."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import func, select

from contracts.institutions import InstitutionState
from services.institutions.db import kernel_tables
from services.institutions.registry.models import Institution
from services.institutions.registry.records import apply_content
from services.institutions.registry.repository import InstitutionRepository
from services.institutions.registry.schemas import InstitutionContent
from services.institutions.registry.service import InstitutionService
from shared.auth import Role, Scope
from shared.db import new_id, utcnow
from shared.events import CloudEvent
from shared.pagination import PAGE_SIZE_MAX
from tests.conftest import (
    MakeToken,
    RunningService,
    ServiceLauncher,
    bearer,
    eventually,
    stream_events,
)
from tests.institutions.conftest import version_in

PEKING = {
    "name": "Peking University",
    "country": "CN",
    "city": "Beijing",
    "website": "https://www.pku.edu.cn/",
}


@pytest.fixture
async def institutions(services: ServiceLauncher, node_id: str) -> RunningService:
    running = await services.institutions(node_id)
    await running.wait_connected()
    return running


@pytest.fixture
def registrar(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.REGISTRAR, node=node_id))


async def create(
    institutions: RunningService, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    response = await institutions.client.post(
        "/v1/institutions", json=PEKING | fields, headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored_rows(institutions: RunningService) -> tuple[int, int]:
    """How many institutions and outbox events the service's database holds."""
    async with institutions.runtime.database.session() as session:
        records = await session.scalar(select(func.count()).select_from(Institution))
        events = await session.scalar(select(func.count()).select_from(kernel_tables.outbox))
    return int(records or 0), int(events or 0)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


# -- create and read ----------------------------------------------------------------------------


async def test_create_answers_201_with_location_and_etag(
    institutions: RunningService, registrar: dict[str, str], node_id: str
) -> None:
    response = await institutions.client.post("/v1/institutions", json=PEKING, headers=registrar)

    assert response.status_code == 201, response.text
    body = response.json()
    assert uuid.UUID(body["id"]).version == 7
    assert response.headers["location"] == f"http://test/v1/institutions/{body['id']}"
    assert version_in(response.headers["etag"]) == 1
    assert body["version"] == 1
    assert body["origin_node"] == node_id
    assert {k: body[k] for k in PEKING} == PEKING
    assert body["status"] == "active"
    read = await institutions.client.get(response.headers["location"])
    assert read.status_code == 200
    assert read.json() == body


async def test_read_is_revalidated_with_if_none_match(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(institutions, registrar)
    url = f"/v1/institutions/{created['id']}"

    first = await institutions.client.get(url)
    etag = first.headers["etag"]
    cached = await institutions.client.get(url, headers={"If-None-Match": etag})
    stale = await institutions.client.get(url, headers={"If-None-Match": '"7"'})

    assert version_in(etag) == 1
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert stale.status_code == 200
    assert stale.json() == first.json()


async def test_unknown_institution_is_a_404_problem(institutions: RunningService) -> None:
    missing = await institutions.client.get(f"/v1/institutions/{new_id()}")
    malformed = await institutions.client.get("/v1/institutions/not-an-id")

    assert "does not exist" in assert_problem(missing, 404)["detail"]
    errors = assert_problem(malformed, 422)["errors"]
    assert [e["path"] for e in errors] == ["path.institution_id"]


# -- list ---------------------------------------------------------------------------------------


async def test_list_pages_through_every_institution_once(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = [
        (await create(institutions, registrar, name=f"University {n}"))["id"] for n in range(5)
    ]

    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    for _ in range(5):
        response = await institutions.client.get("/v1/institutions", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]

    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == set(created)
    elsewhere = await institutions.client.get("/v1/institutions", params={"country": "FR"})
    assert elsewhere.json()["items"] == []


async def test_list_refuses_an_oversized_page_and_a_bad_cursor(
    institutions: RunningService,
) -> None:
    oversized = await institutions.client.get(
        "/v1/institutions", params={"limit": PAGE_SIZE_MAX + 1}
    )
    bad_cursor = await institutions.client.get(
        "/v1/institutions", params={"cursor": "bm90IGEgY3Vyc29y"}
    )

    assert [e["path"] for e in assert_problem(oversized, 422)["errors"]] == ["query.limit"]
    assert assert_problem(bad_cursor, 400)["detail"] == "the cursor is not valid for this list"


# -- update -------------------------------------------------------------------------------------


async def test_update_with_the_current_etag_makes_a_new_version(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(institutions, registrar)
    url = f"/v1/institutions/{created['id']}"

    response = await institutions.client.patch(
        url,
        json={"name": "Peking University (PKU)", "city": "Haidian, Beijing"},
        headers=registrar | {"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.text
    assert version_in(response.headers["etag"]) == 2
    body = response.json()
    assert body["version"] == 2
    assert (body["name"], body["city"]) == ("Peking University (PKU)", "Haidian, Beijing")
    assert body["website"] == PEKING["website"]  # left out: kept
    assert body["updated_at"] > created["updated_at"]
    assert (await institutions.client.get(url)).json() == body


async def test_stale_or_missing_if_match_changes_nothing(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(institutions, registrar)
    url = f"/v1/institutions/{created['id']}"
    await institutions.client.patch(
        url, json={"city": "Haidian"}, headers=registrar | {"If-Match": '"1"'}
    )

    stale = await institutions.client.patch(
        url, json={"name": "Lost update"}, headers=registrar | {"If-Match": '"1"'}
    )
    missing = await institutions.client.patch(url, json={"name": "Lost update"}, headers=registrar)
    garbage = await institutions.client.patch(
        url, json={"name": "Lost update"}, headers=registrar | {"If-Match": "*"}
    )

    assert "version 2" in assert_problem(stale, 412)["detail"]
    assert_problem(missing, 428)
    assert_problem(garbage, 412)
    current = (await institutions.client.get(url)).json()
    assert (current["name"], current["version"]) == (PEKING["name"], 2)


async def test_an_update_that_changes_nothing_keeps_the_version_and_publishes_nothing(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(institutions, registrar)

    response = await institutions.client.patch(
        f"/v1/institutions/{created['id']}",
        json={"name": PEKING["name"], "city": PEKING["city"]},
        headers=registrar | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert version_in(response.headers["etag"]) == 1
    assert await stored_rows(institutions) == (1, 1)


async def test_a_replica_of_another_node_cannot_be_changed_here(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    replica = InstitutionState(
        id=new_id(), origin_node="my", name="Universiti Malaya", country="MY", updated_at=utcnow()
    )
    async with institutions.runtime.database.session() as session:
        service = InstitutionService(
            session=session, publisher=None, settings=institutions.runtime.settings
        )
        assert await service.apply_state(replica, 1)

    response = await institutions.client.patch(
        f"/v1/institutions/{replica.id}",
        json={"name": "Hijacked"},
        headers=registrar | {"If-Match": '"1"'},
    )

    problem = assert_problem(response, 403)
    assert problem["owner_node"] == "my"


# -- who may write ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nobody", 401),
        ("garbage", 401),
        ("registrar without the scope", 403),
        ("university", 403),
        ("registrar of another node", 403),
        ("registrar, a country elsewhere", 403),
    ],
)
async def test_writes_are_refused_without_the_right_token(
    institutions: RunningService, make_token: MakeToken, node_id: str, who: str, status: int
) -> None:
    registrar = bearer(make_token(Role.REGISTRAR, node=node_id))
    created = await create(institutions, registrar)
    headers = {
        "nobody": {},
        "garbage": bearer("x.y.z"),
        "registrar without the scope": bearer(
            make_token(Role.REGISTRAR, [Scope.PROGRAMMES_WRITE], node=node_id)
        ),
        # A token claiming a scope the role may not hold: the role is checked too.
        "university": bearer(make_token(Role.UNIVERSITY, [Scope.INSTITUTIONS_WRITE], node=node_id)),
        "registrar of another node": bearer(make_token(Role.REGISTRAR, node="my")),
        "registrar, a country elsewhere": registrar,
    }[who]
    payload = PEKING | ({"country": "MY"} if who.endswith("elsewhere") else {})

    created_again = await institutions.client.post(
        "/v1/institutions", json=payload, headers=headers
    )
    assert_problem(created_again, status)
    if not who.endswith("elsewhere"):
        updated = await institutions.client.patch(
            f"/v1/institutions/{created['id']}",
            json={"name": "Changed"},
            headers=headers | {"If-Match": '"1"'},
        )
        assert_problem(updated, status)
    assert await stored_rows(institutions) == (1, 1)


async def test_anyone_may_read(institutions: RunningService, registrar: dict[str, str]) -> None:
    created = await create(institutions, registrar)

    assert (await institutions.client.get(f"/v1/institutions/{created['id']}")).status_code == 200
    assert (await institutions.client.get("/v1/institutions")).status_code == 200


# -- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        (PEKING | {"country": "CHN"}, "body.country"),
        (PEKING | {"country": "C1"}, "body.country"),
        (PEKING | {"rank": 1}, "body.rank"),
        (PEKING | {"name": ""}, "body.name"),
        (PEKING | {"website": "not a url"}, "body.website"),
        (PEKING | {"website": "ftp://ftp.pku.edu.cn/"}, "body.website"),
        ({"country": "CN"}, "body.name"),
    ],
    ids=[
        "long-country",
        "bad-country",
        "unknown-field",
        "empty-name",
        "bad-url",
        "ftp-url",
        "no-name",
    ],
)
async def test_invalid_payload_is_a_422_naming_the_field_and_stores_nothing(
    institutions: RunningService, registrar: dict[str, str], payload: dict[str, Any], path: str
) -> None:
    response = await institutions.client.post("/v1/institutions", json=payload, headers=registrar)

    problem = assert_problem(response, 422)
    assert path in [error["path"] for error in problem["errors"]]
    assert await stored_rows(institutions) == (0, 0)


async def test_invalid_update_is_a_422_and_changes_nothing(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    created = await create(institutions, registrar)
    url = f"/v1/institutions/{created['id']}"

    response = await institutions.client.patch(
        url, json={"name": "", "founded": 1898}, headers=registrar | {"If-Match": '"1"'}
    )

    paths = {error["path"] for error in assert_problem(response, 422)["errors"]}
    assert {"body.name", "body.founded"} <= paths
    assert (await institutions.client.get(url)).json() == created
    assert await stored_rows(institutions) == (1, 1)


# -- events -------------------------------------------------------------------------------------


async def test_every_change_publishes_an_event_with_the_whole_state(
    institutions: RunningService,
    registrar: dict[str, str],
    nats_client: NatsClient,
    node_id: str,
) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    created = await create(institutions, registrar)
    updated = await institutions.client.patch(
        f"/v1/institutions/{created['id']}",
        json={"status": "closed", "closed_on": "2026-06-30"},
        headers=registrar
        | {"If-Match": '"1"', "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
    )
    assert updated.status_code == 200, updated.text

    async def two_events() -> list[tuple[str, CloudEvent]]:
        events = await stream_events(nats_client, node_id)
        return events if len(events) >= 2 else []

    (subject_1, first), (subject_2, second) = await eventually(two_events, what="two events")

    assert subject_1 == f"evt.{node_id}.institutions.institution.created"
    assert subject_2 == f"evt.{node_id}.institutions.institution.updated"
    assert (first.type, second.type) == (
        "institutions.institution.created.v1",
        "institutions.institution.updated.v1",
    )
    assert (first.aggregateversion, second.aggregateversion) == (1, 2)
    assert first.subject == second.subject == created["id"]
    assert first.source == f"/nodes/{node_id}/institutions"
    assert first.originnode == node_id
    assert second.traceparent is not None and second.traceparent.split("-")[1] == trace_id
    for event, read in ((first, created), (second, updated.json())):
        shared_fields = set(event.data) & set(read)
        assert {
            "id",
            "origin_node",
            "name",
            "country",
            "city",
            "website",
            "status",
        } <= shared_fields
        assert {key: event.data[key] for key in shared_fields} == {
            key: read[key] for key in shared_fields
        }
    assert (second.data["status"], second.data["closed_on"]) == ("closed", "2026-06-30")
    jsm = nats_client.jsm()
    stored = await jsm.get_msg(f"EVT_{node_id.upper().replace('-', '_')}", 1)
    assert stored.headers is not None and stored.headers["Nats-Msg-Id"] == first.id


async def test_a_website_longer_than_the_directory_keeps_is_refused(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    """Found by the conformance run: a valid URL of 2,082 characters (HTTP's practical limit
    is 2,083) used to reach the database, whose `website` column holds 500, and fail there."""
    from tests.institutions.conftest import tsinghua

    labels = ".".join(["a" * 63] * 31)
    website = f"https://{'0' * 63}.{labels}.{'a' * 26}"
    assert len(website) == 2082
    refused = await directory.client.post(
        "/v1/institutions", json=tsinghua(website=website), headers=registrar
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "body.website"
    kept = await directory.client.post(
        "/v1/institutions", json=tsinghua(website=f"https://{'a' * 63}.edu.cn/"), headers=registrar
    )
    assert kept.status_code == 201, kept.text


async def test_a_created_record_answers_as_it_then_reads(
    institutions: RunningService, registrar: dict[str, str]
) -> None:
    """The 201's body is what a GET of the record answers, including when the record takes
    over a reference record another source entered for this country: the relationships that
    pointed at the reference record now point at it, and the 201 shows them (the created
    record's read skips its queries only when nothing was taken over)."""
    reference_id = new_id()
    async with institutions.runtime.database.session() as session:
        reference = Institution(
            id=reference_id, origin_node="ror", is_reference=True, reference_source="ROR v1"
        )
        apply_content(
            reference,
            InstitutionContent.model_validate(
                PEKING | {"identifiers": [{"resource": "ror", "value": "02v51f717"}]}
            ),
        )
        reference.created_at = reference.updated_at = utcnow()
        reference.version = 1
        session.add(reference)
        await session.flush()
        await InstitutionRepository(session).write_derived(reference)
    plain = await create(institutions, registrar, name="Peking University Health Science Center")
    assert (await institutions.client.get(f"/v1/institutions/{plain['id']}")).json() == plain
    part = await create(
        institutions,
        registrar,
        name="Peking University School of Medicine",
        relationships=[{"type": "faculty_of", "institution_id": str(reference_id)}],
    )
    owner = await create(
        institutions, registrar, identifiers=[{"resource": "ror", "value": "02v51f717"}]
    )
    assert {"type": "has_faculty", "institution_id": part["id"]} in owner["relationships"]
    assert (await institutions.client.get(f"/v1/institutions/{owner['id']}")).json() == owner
    retired = (await institutions.client.get(f"/v1/institutions/{reference_id}")).json()
    assert retired["superseded_by"] == owner["id"]
