"""The agreements API of one mobility service (on SQLite and PostgreSQL, with the session's
nats-server): who may do what, bad input as problem+json, pagination with a cap, If-Match.
The partner's node `my` is in the trust list; what is sent to it waits in the direct stream."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from contracts.mobility import IiaConditions, IiaPartner
from services.mobility.agreements.approvals import conditions_digest
from services.mobility.app import create_app
from services.mobility.institutions.models import InstitutionCopy
from services.mobility.settings import MobilitySettings
from shared.auth import Role, Scope
from shared.events import CloudEvent, new_event
from shared.inbox import PermanentEventError
from shared.signing import init_node_key, load_node_signer
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.conftest import MakeToken, RunningService, ServiceLauncher, bearer
from tests.mobility.conditions import conditions
from tests.mobility.directory import in_directory
from tests.recognition.factories import institution_event

AGREEMENTS = "/v1/mobility/agreements"
PROBLEM = "application/problem+json"


class Mobility:
    def __init__(self, running: RunningService, node: str, make_token: MakeToken) -> None:
        self.running = running
        self.client = running.client
        self.node = node
        self.make_token = make_token
        self.uni = uuid.uuid4()
        self.partner = uuid.uuid4()
        self.headers = self.university(self.uni)

    def university(self, institution: uuid.UUID | None, **extra: Any) -> dict[str, str]:
        return bearer(
            self.make_token(Role.UNIVERSITY, node=self.node, institution_id=institution, **extra)
        )

    def body(self, **changes: Any) -> dict[str, Any]:
        return {
            "partner": {"institution_id": str(self.partner), "node": "my"},
            "conditions": conditions(self.uni, self.partner),
        } | changes

    async def propose(self, **changes: Any) -> dict[str, Any]:
        response = await self.client.post(
            AGREEMENTS, json=self.body(**changes), headers=self.headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
async def mobility(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> Mobility:
    return await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)


async def _mobility(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> Mobility:
    keys = {}
    for node in (node_id, "my"):
        keys[node] = tmp_path / node
        init_node_key(keys[node], node)
    trust = TrustList(
        nodes=[
            TrustedNode(
                id=node,
                countries=[node[:2].upper()],
                keys=[
                    TrustedKey(
                        kid=f"{node}:1", public_key=(keys[node] / "federation-1.pub").read_text()
                    )
                ],
            )
            for node in keys
        ]
    )
    trust.dump(tmp_path / "trust.yaml")
    url = new_migrated_database_url("services.mobility", "mob")
    settings = MobilitySettings(
        **services._settings(node_id, url, None),
        trust_file=tmp_path / "trust.yaml",
        federation_keys_dir=keys[node_id],
    )
    running = await services.start(create_app(settings))
    mobility = Mobility(running, node_id, make_token)
    await in_directory(running.runtime.database, (mobility.uni, node_id), (mobility.partner, "my"))
    return mobility


async def test_every_call_needs_a_university_client_of_this_node(mobility: Mobility) -> None:
    client = mobility.client
    assert (await client.post(AGREEMENTS, json=mobility.body())).status_code == 401
    assert (await client.get(AGREEMENTS)).status_code == 401
    registrar = bearer(mobility.make_token(Role.REGISTRAR, node=mobility.node))
    for response in (
        await client.post(AGREEMENTS, json=mobility.body(), headers=registrar),
        await client.get(AGREEMENTS, headers=registrar),
        # A university client without the scope, or bound to no institution.
        await client.post(
            AGREEMENTS,
            json=mobility.body(),
            headers=bearer(
                mobility.make_token(
                    Role.UNIVERSITY,
                    [Scope.PROGRAMMES_WRITE],
                    node=mobility.node,
                    institution_id=mobility.uni,
                )
            ),
        ),
        await client.post(AGREEMENTS, json=mobility.body(), headers=mobility.university(None)),
        # A token of another node.
        await client.post(
            AGREEMENTS,
            json=mobility.body(),
            headers=bearer(
                mobility.make_token(Role.UNIVERSITY, node="my", institution_id=mobility.uni)
            ),
        ),
    ):
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith(PROBLEM)


async def test_only_the_partners_and_the_admin_see_an_agreement(mobility: Mobility) -> None:
    agreement = await mobility.propose()
    path = f"{AGREEMENTS}/{agreement['id']}"
    own = await mobility.client.get(path, headers=mobility.headers)
    assert own.status_code == 200 and own.json() == agreement
    assert own.headers["ETag"] == '"1"'
    stranger = mobility.university(uuid.uuid4())
    assert (await mobility.client.get(path, headers=stranger)).status_code == 404
    assert (await mobility.client.get(AGREEMENTS, headers=stranger)).json()["items"] == []
    admin = bearer(mobility.make_token(Role.NODE_ADMIN, node=mobility.node))
    assert (await mobility.client.get(path, headers=admin)).status_code == 200
    # The partner's institution acts at its own node, not here.
    partner = mobility.university(mobility.partner)
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": agreement["digest"]}, headers=partner
    )
    assert response.status_code == 403, response.text
    # The proposer's node approved its proposal already.
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": agreement["digest"]}, headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    missing = await mobility.client.get(f"{AGREEMENTS}/{uuid.uuid4()}", headers=mobility.headers)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda m, c: c["cooperation_conditions"][0].update(
                receiving_institution_id=str(uuid.uuid4())
            ),
            "body.conditions.cooperation_conditions.0",
        ),
        (lambda m, c: c.update(academic_years=["2026/2028"]), "body.conditions.academic_years"),
        (
            lambda m, c: c.update(academic_years=["2026/2027", "2026/2027"]),
            "body.conditions.academic_years",
        ),
        (
            lambda m, c: c["cooperation_conditions"][0].update(eqf_levels=[9]),
            "body.conditions.cooperation_conditions.0.eqf_levels.0",
        ),
        (
            lambda m, c: c["cooperation_conditions"][0].update(isced_f=["business"]),
            "body.conditions.cooperation_conditions.0.isced_f.0",
        ),
        (
            lambda m, c: c["cooperation_conditions"][0].update(mobility_type="tourism"),
            "body.conditions.cooperation_conditions.0.mobility_type",
        ),
        (
            lambda m, c: c["cooperation_conditions"][0]["languages"][0].update(cefr_level="D1"),
            "body.conditions.cooperation_conditions.0.languages.0.cefr_level",
        ),
        (
            lambda m, c: c["cooperation_conditions"][0].update(places_per_year=0),
            "body.conditions.cooperation_conditions.0.places_per_year",
        ),
        (
            lambda m, c: c.update(cooperation_conditions=c["cooperation_conditions"] * 17),
            "body.conditions.cooperation_conditions",
        ),
        (
            lambda m, c: c.update(cooperation_conditions=[]),
            "body.conditions.cooperation_conditions",
        ),
        (lambda m, c: c.update(surprise=True), "body.conditions.surprise"),
    ],
)
async def test_bad_conditions_are_a_422_naming_the_field(
    mobility: Mobility, change: Callable[[Mobility, dict[str, Any]], None], path: str
) -> None:
    body = mobility.body()
    change(mobility, body["conditions"])
    response = await mobility.client.post(AGREEMENTS, json=body, headers=mobility.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    paths = [error["path"] for error in response.json()["errors"]]
    assert any(p.startswith(path) for p in paths), paths


async def test_a_partner_that_is_no_peer_is_refused(mobility: Mobility) -> None:
    for node in ("xx", mobility.node):
        body = mobility.body(partner={"institution_id": str(mobility.partner), "node": node})
        response = await mobility.client.post(AGREEMENTS, json=body, headers=mobility.headers)
        assert response.status_code == 422, response.text
        assert [e["path"] for e in response.json()["errors"]] == ["body.partner.node"]


async def test_partners_must_be_active_institutions_of_their_nodes_in_the_directory(
    mobility: Mobility,
) -> None:
    """An agreement's two institutions are checked against this node's copy of the directory
    (kept from `institutions.institution.*` events): unknown, of another node than the one
    named, or not active → 422 naming the institution; once the directory's event brings the
    partner, the proposal goes through."""
    unknown, closed, elsewhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    database = mobility.running.runtime.database
    await in_directory(database, (closed, "my"), status="closed")
    await in_directory(database, (elsewhere, "de"))

    async def refused(partner: uuid.UUID, headers: dict[str, str]) -> dict[str, Any]:
        body = {
            "partner": {"institution_id": str(partner), "node": "my"},
            "conditions": conditions(mobility.uni, partner),
        }
        response = await mobility.client.post(AGREEMENTS, json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
        return dict(response.json())

    problem = await refused(unknown, mobility.headers)
    assert str(unknown) in problem["detail"] and "not in this node's directory" in problem["detail"]
    assert [e["path"] for e in problem["errors"]] == ["body.partner.institution_id"]
    problem = await refused(closed, mobility.headers)
    assert f"institution {closed}" in problem["detail"] and "is closed" in problem["detail"]
    problem = await refused(elsewhere, mobility.headers)
    assert f"institution {elsewhere}" in problem["detail"]
    assert "is of node 'de', not 'my'" in problem["detail"]
    # The caller's own institution must be there too.
    stranger = uuid.uuid4()
    body = mobility.body(conditions=conditions(stranger, mobility.partner))
    response = await mobility.client.post(
        AGREEMENTS, json=body, headers=mobility.university(stranger)
    )
    assert response.status_code == 422, response.text
    assert str(stranger) in response.json()["detail"]
    assert [e["path"] for e in response.json()["errors"]] == ["token.institution_id"]
    assert (await mobility.client.get(AGREEMENTS, headers=mobility.headers)).json()["items"] == []

    # my's directory publishes the institution: the copy takes it, the proposal is accepted.
    created = new_event(
        node="my", service="institutions", aggregate="institution", action="created",
        subject=str(unknown), version=1,
        data={"id": str(unknown), "origin_node": "my", "country": "MY",
              "name": "Universiti Teknologi Contoh", "updated_at": "2026-12-07T10:00:00Z"},
    )  # fmt: skip
    runtime = mobility.running.runtime
    async with runtime.database.session() as session:
        await runtime.apply_event(session, created)
    body = {
        "partner": {"institution_id": str(unknown), "node": "my"},
        "conditions": conditions(mobility.uni, unknown),
    }
    response = await mobility.client.post(AGREEMENTS, json=body, headers=mobility.headers)
    assert response.status_code == 201, response.text


async def test_the_list_is_paginated_with_a_cap(mobility: Mobility) -> None:
    created = [(await mobility.propose())["id"] for _ in range(3)]
    first = await mobility.client.get(AGREEMENTS, params={"limit": 2}, headers=mobility.headers)
    assert first.status_code == 200
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    second = await mobility.client.get(
        AGREEMENTS, params={"limit": 2, "cursor": page["next_cursor"]}, headers=mobility.headers
    )
    rest = second.json()
    assert rest["next_cursor"] is None
    seen = [a["id"] for a in page["items"] + rest["items"]]
    assert sorted(seen) == sorted(created) and seen == list(reversed(created))
    too_many = await mobility.client.get(
        AGREEMENTS, params={"limit": 201}, headers=mobility.headers
    )
    assert too_many.status_code == 422
    by_status = await mobility.client.get(
        AGREEMENTS, params={"status": "approved"}, headers=mobility.headers
    )
    assert by_status.json()["items"] == []


async def test_changes_need_the_current_version_and_end_at_termination(
    mobility: Mobility,
) -> None:
    agreement = await mobility.propose()
    path = f"{AGREEMENTS}/{agreement['id']}"
    new = {"conditions": conditions(mobility.uni, mobility.partner, places=5)}
    response = await mobility.client.put(f"{path}/conditions", json=new, headers=mobility.headers)
    assert response.status_code == 428, response.text
    stale = mobility.headers | {"If-Match": '"7"'}
    response = await mobility.client.put(f"{path}/conditions", json=new, headers=stale)
    assert response.status_code == 412, response.text
    current = mobility.headers | {"If-Match": '"1"'}
    response = await mobility.client.put(f"{path}/conditions", json=new, headers=current)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["revision"], changed["version"], changed["status"]) == (2, 2, "proposed")
    assert changed["digest"] != agreement["digest"]
    assert response.headers["ETag"] == '"2"'
    response = await mobility.client.post(
        f"{path}/termination",
        json={"reason": "the programme closes"},
        headers=mobility.headers | {"If-Match": '"2"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "terminated"
    response = await mobility.client.put(
        f"{path}/conditions", json=new, headers=mobility.headers | {"If-Match": '"3"'}
    )
    assert response.status_code == 409, response.text
    response = await mobility.client.post(
        f"{path}/termination", json={"reason": ""}, headers=mobility.headers | {"If-Match": '"3"'}
    )
    assert response.status_code == 422, response.text


async def test_a_partner_s_state_applies_by_version_once_checked(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> None:
    """A state of an agreement my's node proposed to this node, as its direct message
    carries it: applied once, again (no change), and an older version after a newer one
    changes nothing; the same state with a tampered approval is refused."""
    mobility = await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)
    runtime = mobility.running.runtime
    my_signer = load_node_signer(tmp_path / "my", "my")
    assert my_signer is not None
    proposer = IiaPartner(institution_id=mobility.partner, node="my")
    partner = IiaPartner(institution_id=mobility.uni, node=node_id)
    agreement_id = uuid.uuid4()

    def state(version: int, places: int) -> dict[str, Any]:
        body = conditions(mobility.partner, mobility.uni, places=places)
        terms = IiaConditions.model_validate(body)
        digest = conditions_digest(agreement_id, version, proposer, partner, terms)
        return {
            "id": str(agreement_id),
            "proposer": proposer.model_dump(mode="json"),
            "partner": partner.model_dump(mode="json"),
            "revision": version,
            "conditions": terms.model_dump(mode="json"),
            "digest": digest,
            "status": "proposed",
            "approvals": [
                {
                    "institution_id": str(mobility.partner),
                    "node": "my",
                    "digest": digest,
                    "signature": my_signer.sign(digest.encode()),
                    "approved_at": "2026-12-07T10:00:00Z",
                    "approved_by": "uni-my",
                }
            ],
            "version": version,
            "terminated_reason": None,
            "updated_at": f"2026-12-07T10:0{version}:00Z",
        }

    def message(data: dict[str, Any]) -> CloudEvent:
        return new_event(
            node="my", service="mobility", aggregate="agreement", action="updated",
            subject=str(agreement_id), data=data, version=data["version"],
        ).model_copy(update={"recipientnode": node_id})  # fmt: skip

    async def apply(data: dict[str, Any]) -> None:
        async with runtime.database.session() as session:
            await runtime.apply_event(session, message(data))

    async def read() -> dict[str, Any]:
        response = await mobility.client.get(
            f"{AGREEMENTS}/{agreement_id}", headers=mobility.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    await apply(state(1, 2))
    await apply(state(1, 2))
    assert (await read())["conditions"]["cooperation_conditions"][0]["places_per_year"] == 2
    await apply(state(2, 3))
    await apply(state(1, 2))
    latest = await read()
    assert (latest["version"], latest["revision"]) == (2, 2)
    assert latest["conditions"]["cooperation_conditions"][0]["places_per_year"] == 3
    tampered = state(3, 3)
    tampered["approvals"][0]["signature"] = my_signer.sign(b"sha256:" + b"0" * 64)
    with pytest.raises(PermanentEventError, match="bad signature for key 'my:1'"):
        await apply(tampered)
    assert (await read())["version"] == 2


async def test_writes_of_the_same_version_at_both_nodes_converge_on_the_proposer_s(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> None:
    """my proposes (v1); at the same moment this node approves it (its v2) and my changes the
    conditions (my's v2). my's v2 arrives here: both nodes must end with the same record, the
    proposer's, which this node's university then approves again."""
    mobility = await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)
    runtime = mobility.running.runtime
    my_signer = load_node_signer(tmp_path / "my", "my")
    assert my_signer is not None
    proposer = IiaPartner(institution_id=mobility.partner, node="my")
    partner = IiaPartner(institution_id=mobility.uni, node=node_id)
    agreement_id = uuid.uuid4()

    def state(version: int, places: int) -> dict[str, Any]:
        body = conditions(mobility.partner, mobility.uni, places=places)
        terms = IiaConditions.model_validate(body)
        digest = conditions_digest(agreement_id, version, proposer, partner, terms)
        return {
            "id": str(agreement_id),
            "proposer": proposer.model_dump(mode="json"),
            "partner": partner.model_dump(mode="json"),
            "revision": version,
            "conditions": terms.model_dump(mode="json"),
            "digest": digest,
            "status": "proposed",
            "approvals": [
                {
                    "institution_id": str(mobility.partner),
                    "node": "my",
                    "digest": digest,
                    "signature": my_signer.sign(digest.encode()),
                    "approved_at": "2026-12-07T10:00:00Z",
                    "approved_by": "uni-my",
                }
            ],
            "version": version,
            "terminated_reason": None,
            "updated_at": f"2026-12-07T10:0{version}:00Z",
        }

    async def apply(data: dict[str, Any]) -> None:
        event = new_event(
            node="my", service="mobility", aggregate="agreement", action="updated",
            subject=str(agreement_id), data=data, version=data["version"],
        ).model_copy(update={"recipientnode": node_id})  # fmt: skip
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)

    path = f"{AGREEMENTS}/{agreement_id}"
    await apply(state(1, 2))
    proposed = (await mobility.client.get(path, headers=mobility.headers)).json()
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": proposed["digest"]}, headers=mobility.headers
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    mys = state(2, 5)
    await apply(mys)
    held = (await mobility.client.get(path, headers=mobility.headers)).json()
    assert held == mys  # the proposer's version 2, exactly as my holds it
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": mys["digest"]}, headers=mobility.headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["version"]) == ("approved", 3)


async def test_a_batch_of_institution_events_applies_as_one_by_one_would(
    mobility: Mobility,
) -> None:
    """A node catching up takes the directory's events a fetched batch at a time: the copy
    ends where applying them one by one would — each institution at its newest version, a
    stale version in the same batch ignored, a second delivery changing nothing — and the
    partner check reads it (issue 18: the batch is one transaction, not one per event)."""
    runtime = mobility.running.runtime
    assert runtime.apply_events is not None
    renamed, added = mobility.partner, uuid.uuid4()
    batch = [
        institution_event(node="my", name="Universiti Malaya", country="MY",
                          institution_id=renamed, status="closed", version=3),
        institution_event(node="my", name="stale", country="MY", institution_id=renamed,
                          version=2),
        institution_event(node="my", name="Universiti Putra Malaysia", country="MY",
                          institution_id=added, version=1),
    ]  # fmt: skip
    for _ in range(2):
        async with runtime.database.session() as session:
            await runtime.apply_events(session, batch)
    async with runtime.database.session() as session:
        rows = {
            row.id: (row.name, row.status, row.version)
            for row in await session.scalars(
                select(InstitutionCopy).where(InstitutionCopy.id.in_([renamed, added]))
            )
        }
    assert rows == {
        renamed: ("Universiti Malaya", "closed", 3),
        added: ("Universiti Putra Malaysia", "active", 1),
    }
    body = {
        "partner": {"institution_id": str(renamed), "node": "my"},
        "conditions": conditions(mobility.uni, renamed),
    }
    response = await mobility.client.post(AGREEMENTS, json=body, headers=mobility.headers)
    assert response.status_code == 422, response.text  # closed now
