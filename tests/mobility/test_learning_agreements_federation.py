"""Nominations and learning agreements between two nodes of a real federation (issue 19,
item 3): the hub and the nodes cn, my, de of tests/federation/test_direct_messages.py, each
running the mobility service on its own migrated SQLite database.

A university of cn and one of my have an approved agreement; cn nominates a student, my
accepts; cn proposes the learning agreement, the student approves it with the token cn's
coordinator handed them, my's coordinator approves: both nodes serve the same record with the
three approvals, each a signature over the digest of the exact version by the node of the
party's institution; a change is a new version, the approved one kept in the history. The
receiving side's 5 working days (EWP) start once the student and the sending coordinator
approved. de holds nothing of it, and the student's name is in no stream of any server and in
no database but cn's and my's — until it is erased on request, at both."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.auth import Role
from shared.direct import DirectSender
from shared.signing import signature_key_id, verify_detached
from shared.trust import TrustList
from tests.conftest import MakeToken, bearer, eventually
from tests.federation.test_direct_messages import (
    Federation,
    _database_holds,
    _streams_holding,
    federation,  # noqa: F401  (the module's federation: hub, cn, my, de)
)
from tests.mobility.conditions import conditions
from tests.mobility.test_agreements_federation import (
    MobilityNode,
    nodes,  # noqa: F401  (the mobility service at each node)
    university,
)

pytestmark = pytest.mark.slow

CN_UNI, MY_UNI, DE_UNI, MY_OTHER = (uuid.uuid4() for _ in range(4))
AGREEMENTS = "/v1/mobility/agreements"
NOMINATIONS = "/v1/mobility/nominations"
LAS = "/v1/mobility/learning-agreements"
STUDENT_APPROVALS = "/v1/mobility/student-approvals"
PROBLEM = "application/problem+json"


def components(credits: float = 6) -> dict[str, Any]:
    """Two courses at the receiving university (MY credits) replacing two at home (CN)."""
    return {
        "abroad": [
            {
                "code": "BFM3013",
                "title": "International Financial Management",
                "credits": credits,
                "credit_system": "MY",
                "term": "1/2",
            },
            {
                "code": "BMK3023",
                "title": "Services Marketing",
                "credits": 3,
                "credit_system": "MY",
                "term": "1/2",
            },
        ],
        "home": [
            {
                "code": "FIN301",
                "title": "Corporate Finance",
                "credits": 3,
                "credit_system": "CN",
                "term": "1/2",
                "replaced_by": ["BFM3013"],
            },
            {
                "code": "MKT205",
                "title": "Marketing of Services",
                "credits": 2,
                "credit_system": "CN",
                "term": "1/2",
                "replaced_by": ["BMK3023"],
            },
        ],
    }


def la_digest(la: dict[str, Any], version: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no whitespace) of what the three parties
    sign: the learning agreement, its nomination, the version's revision, both institutions
    and the components."""
    signed = {
        "learning_agreement_id": la["id"],
        "nomination_id": la["nomination_id"],
        "revision": version["revision"],
        "sending": la["sending"],
        "receiving": la["receiving"],
        "components": version["components"],
    }
    text = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def verified_parties(la: dict[str, Any], trust: TrustList) -> dict[str, str]:
    """The parties whose approval of the current version is a valid signature over its digest
    by a key the trust list gives the approval's node: party → node."""
    current = la["current"]
    parties = {}
    for approval in current["approvals"]:
        kid = signature_key_id(approval["signature"])
        entry = trust.node(approval["node"])
        assert entry is not None and kid is not None
        key = next(k for k in entry.keys if k.kid == kid)
        if approval["digest"] == current["digest"] and verify_detached(
            approval["signature"], current["digest"].encode(), key.public_key.encode()
        ):
            parties[approval["party"]] = approval["node"]
    return parties


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days in (start, end]."""
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if (start + timedelta(days=offset)).weekday() < 5
    )


def rows_holding(database: Path, needle: str) -> list[str]:
    """Every table whose rows hold `needle` in a text or binary cell."""
    found = []
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                cells = [c.decode(errors="replace") if isinstance(c, bytes) else c for c in row]
                if any(isinstance(c, str) and needle in c for c in cells):
                    found.append(table)
                    break
    return found


async def _read(node: MobilityNode, headers: dict[str, str], path: str) -> Any:
    response = await node.client.get(path, headers=headers)
    return response.json() if response.status_code == 200 else None


async def approved_agreement(
    cn: MobilityNode,
    my: MobilityNode,
    at_cn: dict[str, str],
    at_my: dict[str, str],
    places: int = 1,
) -> dict[str, Any]:
    await cn.knows((CN_UNI, "cn"), (MY_UNI, "my"))
    response = await cn.client.post(
        AGREEMENTS,
        json={
            "partner": {"institution_id": str(MY_UNI), "node": "my"},
            "conditions": conditions(CN_UNI, MY_UNI, places=places),
        },
        headers=at_cn,
    )
    assert response.status_code == 201, response.text
    agreement = response.json()
    path = f"{AGREEMENTS}/{agreement['id']}"

    async def at_my_node() -> Any:
        return await _read(my, at_my, path)

    await eventually(at_my_node, timeout=60, interval=0.2, what="the agreement at my")
    response = await my.client.post(
        f"{path}/approval", json={"digest": agreement["digest"]}, headers=at_my
    )
    assert response.status_code == 200, response.text

    async def approved_at_cn() -> Any:
        read = await _read(cn, at_cn, path)
        return read if read and read["status"] == "approved" else None

    return dict(await eventually(approved_at_cn, timeout=60, interval=0.2, what="approved"))


async def test_a_learning_agreement_proposed_at_cn_is_approved_by_its_three_parties(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    cn, my, de = nodes["cn"], nodes["my"], nodes["de"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    trust = TrustList.load(federation.trust_file)
    student_name = f"Siti Nurhaliza {uuid.uuid4().hex[:10]}"
    agreement = await approved_agreement(cn, my, at_cn, at_my)

    # cn nominates a student within the agreement (1 place from cn to my in 2026/2027).
    nomination_body = {
        "agreement_id": agreement["id"],
        "mobility_type": "student_studies",
        "academic_year": "2026/2027",
        "term": "1/2",
        "isced_f": "0413",
        "eqf_level": 6,
        "student": {
            "given_names": student_name.split(" ", 1)[0],
            "family_name": student_name.split(" ", 1)[1],
            "email": "siti@student.cn.example",
        },
    }
    response = await cn.client.post(NOMINATIONS, json=nomination_body, headers=at_cn)
    assert response.status_code == 201, response.text
    nomination = response.json()
    assert nomination["status"] == "nominated" and nomination["overdue"] is False
    nominated_on = date.fromisoformat(nomination["nominated_at"][:10])
    respond_by = date.fromisoformat(nomination["respond_by"])
    assert respond_by.weekday() < 5
    assert working_days_between(nominated_on, respond_by) == 5
    # The agreement's one place for that year is taken now.
    response = await cn.client.post(NOMINATIONS, json=nomination_body, headers=at_cn)
    assert response.status_code == 409, response.text
    nomination_path = f"{NOMINATIONS}/{nomination['id']}"

    async def nominated_at_my() -> Any:
        return await _read(my, at_my, nomination_path)

    received = await eventually(nominated_at_my, timeout=60, interval=0.2, what="nomination")
    assert received == nomination
    # Only the receiving institution answers, at its node.
    response = await cn.client.post(f"{nomination_path}/acceptance", headers=at_cn)
    assert response.status_code == 403 and response.headers["content-type"].startswith(PROBLEM)
    response = await my.client.post(f"{nomination_path}/acceptance", headers=at_my)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"

    async def accepted_at_cn() -> Any:
        read = await _read(cn, at_cn, nomination_path)
        return read if read and read["status"] == "accepted" else None

    await eventually(accepted_at_cn, timeout=60, interval=0.2, what="acceptance at cn")

    # cn's coordinator proposes the learning agreement: approved by cn with the proposal.
    response = await cn.client.post(
        LAS, json={"nomination_id": nomination["id"], "components": components()}, headers=at_cn
    )
    assert response.status_code == 201, response.text
    la = response.json()
    la_path = f"{LAS}/{la['id']}"
    assert la["current"]["status"] == "proposed" and la["current"]["revision"] == 1
    assert la["current"]["digest"] == la_digest(la, la["current"])
    assert verified_parties(la, trust) == {"sending": "cn"}
    assert la["current"]["respond_by"] is None  # the student has not approved yet

    async def la_at_my() -> Any:
        return await _read(my, at_my, la_path)

    assert await eventually(la_at_my, timeout=60, interval=0.2, what="the LA at my") == la

    # Nobody but the three parties approves: another university of my, my's admin.
    for stranger in (
        university(make_token, "my", MY_OTHER),
        bearer(make_token(Role.NODE_ADMIN, node="my")),
    ):
        response = await my.client.post(
            f"{la_path}/approval", json={"digest": la["current"]["digest"]}, headers=stranger
        )
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith(PROBLEM)

    # The student approves with the token cn's coordinator hands them (no client of theirs).
    response = await cn.client.post(
        f"{la_path}/student-token", json={"digest": la["current"]["digest"]}, headers=at_cn
    )
    assert response.status_code == 201, response.text
    token = response.json()["token"]
    response = await cn.client.post(f"{STUDENT_APPROVALS}/view", json={"token": token})
    assert response.status_code == 200 and response.json()["components"] == components()
    response = await cn.client.post(
        STUDENT_APPROVALS, json={"token": token, "digest": la["current"]["digest"]}
    )
    assert response.status_code == 200, response.text
    response = await cn.client.post(
        STUDENT_APPROVALS, json={"token": token, "digest": la["current"]["digest"]}
    )
    assert response.status_code == 401 and response.headers["content-type"].startswith(PROBLEM)

    async def student_approved_at_my() -> Any:
        read = await _read(my, at_my, la_path)
        return read if read and len(read["current"]["approvals"]) == 2 else None

    waiting = await eventually(student_approved_at_my, timeout=60, interval=0.2, what="student")
    assert verified_parties(waiting, trust) == {"sending": "cn", "student": "cn"}
    assert waiting["overdue"] is False
    student_approved_on = date.fromisoformat(
        next(a for a in waiting["current"]["approvals"] if a["party"] == "student")["approved_at"][
            :10
        ]
    )
    due = date.fromisoformat(waiting["current"]["respond_by"])
    assert working_days_between(student_approved_on, due) == 5 and due.weekday() < 5

    # my's coordinator approves: approved, the same record at both nodes.
    response = await my.client.post(
        f"{la_path}/approval", json={"digest": la["current"]["digest"]}, headers=at_my
    )
    assert response.status_code == 200, response.text
    approved = response.json()
    assert approved["current"]["status"] == "approved"
    assert verified_parties(approved, trust) == {
        "sending": "cn",
        "student": "cn",
        "receiving": "my",
    }

    async def approved_at_cn() -> Any:
        read = await _read(cn, at_cn, la_path)
        return read if read and read["current"]["status"] == "approved" else None

    assert await eventually(approved_at_cn, timeout=60, interval=0.2, what="at cn") == approved

    # A change during the stay is a new version, approved again; the approved one is kept.
    response = await cn.client.put(
        f"{la_path}/components",
        json={"components": components(credits=4)},
        headers=at_cn | {"If-Match": f'"{approved["version"]}"'},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["current"]["revision"] == 2 and changed["current"]["status"] == "proposed"
    assert changed["current"]["digest"] == la_digest(changed, changed["current"])
    assert changed["history"] == [approved["current"]]
    assert verified_parties(changed, trust) == {"sending": "cn"}

    async def changed_at_my() -> Any:
        read = await _read(my, at_my, la_path)
        return read if read and read["current"]["revision"] == 2 else None

    assert await eventually(changed_at_my, timeout=60, interval=0.2, what="change") == changed
    response = await my.client.post(
        f"{la_path}/approval", json={"digest": approved["current"]["digest"]}, headers=at_my
    )
    assert response.status_code == 409, response.text

    # de holds nothing; the name is in no stream of any server, the hub's included (sealed to
    # my), and in the databases of cn and my only.
    at_de = university(make_token, "de", DE_UNI)
    assert (await de.client.get(la_path, headers=at_de)).status_code == 404
    assert (await de.client.get(nomination_path, headers=at_de)).status_code == 404
    assert rows_holding(de.database_file, student_name.split(" ", 1)[1]) == []
    assert rows_holding(de.database_file, nomination["id"]) == []
    needle = student_name.split(" ", 1)[1].encode()
    for server in federation.servers.values():
        assert await _streams_holding(server, needle) == set()
    # The hub keeps its two aggregates only (FED_EVENTS, FED_DIRECT), the message sealed.
    hub_jetstream = federation.hub.monitoring("jsz?accounts=true&streams=true")
    assert hub_jetstream.get("streams", 0) == 2
    assert await _streams_holding(federation.hub, needle) == set()
    assert rows_holding(cn.database_file, student_name.split(" ", 1)[1]) == ["mobility_nomination"]
    assert rows_holding(my.database_file, student_name.split(" ", 1)[1]) == ["mobility_nomination"]

    # Erased on request at my: gone at both nodes; the nomination and its LA stay.
    response = await my.client.delete(f"{nomination_path}/student", headers=at_my)
    assert response.status_code == 200, response.text
    assert response.json()["student"] is None

    async def erased_at_cn() -> Any:
        read = await _read(cn, at_cn, nomination_path)
        return read if read and read["student_erased_at"] else None

    erased = await eventually(erased_at_cn, timeout=60, interval=0.2, what="erasure at cn")
    assert erased["student"] is None and erased["status"] == "accepted"
    for node in (cn, my):
        assert rows_holding(node.database_file, student_name.split(" ", 1)[1]) == []
    assert (await cn.client.get(la_path, headers=at_cn)).status_code == 200


async def test_a_stranger_s_and_a_forged_message_are_refused(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    """de (neither side) sends my a nomination of the cn-my agreement; cn (the sending side,
    its messages genuinely signed) sends my its own acceptance of the nomination and a
    learning agreement carrying my's approval signed with cn's key: my refuses each (a dead
    letter), and serves the nomination and the learning agreement as they were."""
    cn, my = nodes["cn"], nodes["my"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    agreement = await approved_agreement(cn, my, at_cn, at_my)
    response = await cn.client.post(
        NOMINATIONS,
        json={
            "agreement_id": agreement["id"],
            "academic_year": "2027/2028",
            "term": "2/2",
            "isced_f": "041",
            "eqf_level": 7,
            "student": {"given_names": "Wei", "family_name": "Zhang", "email": "wz@cn.example"},
        },
        headers=at_cn,
    )
    assert response.status_code == 201, response.text
    nomination = response.json()
    response = await cn.client.post(
        LAS, json={"nomination_id": nomination["id"], "components": components()}, headers=at_cn
    )
    assert response.status_code == 201, response.text
    la = response.json()

    async def la_at_my() -> Any:
        return await _read(my, at_my, f"{LAS}/{la['id']}")

    await eventually(la_at_my, timeout=60, interval=0.2, what="the LA at my")
    dead_before = len(await my.dead_letters())

    cn_runtime, de_runtime = cn.running.runtime, nodes["de"].running.runtime
    forged_approval = la["current"]["approvals"][0] | {
        "party": "receiving",
        "institution_id": str(MY_UNI),
        "node": "my",
    }
    async with cn_runtime.database.session() as session:
        sender = DirectSender.of(cn_runtime)
        accepted = nomination | {"status": "accepted", "version": nomination["version"] + 1}
        accepted.pop("overdue")
        await sender.send(
            session,
            to="my",
            type="nomination.updated",
            subject=nomination["id"],
            data=accepted,
            version=accepted["version"],
        )
        forged = {k: v for k, v in la.items() if k != "overdue"} | {
            "version": la["version"] + 1,
            "current": la["current"]
            | {"approvals": [*la["current"]["approvals"], forged_approval]},
        }
        await sender.send(
            session,
            to="my",
            type="learning_agreement.updated",
            subject=la["id"],
            data=forged,
            version=forged["version"],
        )
    async with de_runtime.database.session() as session:
        stranger = {k: v for k, v in nomination.items() if k != "overdue"} | {
            "version": nomination["version"] + 2
        }
        await DirectSender.of(de_runtime).send(
            session,
            to="my",
            type="nomination.updated",
            subject=nomination["id"],
            data=stranger,
            version=stranger["version"],
        )

    async def refused() -> list[str] | None:
        errors = await my.dead_letters()
        return errors[dead_before:] if len(errors) >= dead_before + 3 else None

    errors = " | ".join(await eventually(refused, timeout=90, interval=0.3, what="3 refusals"))
    assert "the sending side cannot move it from 'nominated' to 'accepted'" in errors
    assert "signed by key 'cn:1', not one of its own" in errors
    assert "from node 'de', which is not the other partner" in errors
    assert await _read(my, at_my, f"{NOMINATIONS}/{nomination['id']}") == nomination
    assert await la_at_my() == la


ROUNDS = 3


async def test_learning_agreements_go_round_between_cn_and_my(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    """A learning agreement proposed at cn (its student's approval given there) is visible and
    approvable at my, and my's approval is visible at cn; several in a row within one
    agreement's places. (How long the round trip takes is a figure for a bench, not a test:
    timed once by hand, median 303 ms on the busy machine.)"""
    cn, my = nodes["cn"], nodes["my"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    agreement = await approved_agreement(cn, my, at_cn, at_my, places=ROUNDS)
    for index in range(ROUNDS):
        response = await cn.client.post(
            NOMINATIONS,
            json={
                "agreement_id": agreement["id"],
                "academic_year": "2026/2027",
                "term": "1/2",
                "isced_f": "041",
                "eqf_level": 6,
                "student": {
                    "given_names": "Student",
                    "family_name": f"No {index}",
                    "email": f"s{index}@cn.example",
                },
            },
            headers=at_cn,
        )
        assert response.status_code == 201, response.text
        nomination_id = response.json()["id"]
        response = await cn.client.post(
            LAS, json={"nomination_id": nomination_id, "components": components()}, headers=at_cn
        )
        assert response.status_code == 201, response.text
        la = response.json()
        la_path = f"{LAS}/{la['id']}"

        async def visible_at_my(path: str = la_path) -> Any:
            return await _read(my, at_my, path)

        await eventually(visible_at_my, timeout=60, interval=0.05, what="the LA at my")
        response = await my.client.post(
            f"{la_path}/approval", json={"digest": la["current"]["digest"]}, headers=at_my
        )
        assert response.status_code == 200, response.text

        async def approved_at_cn(path: str = la_path) -> Any:
            read = await _read(cn, at_cn, path)
            return (
                read
                if read and any(a["party"] == "receiving" for a in read["current"]["approvals"])
                else None
            )

        await eventually(approved_at_cn, timeout=60, interval=0.05, what="approval at cn")


CUT_OFF = 20


async def test_with_de_cut_off_cn_and_my_lose_nothing_and_nothing_reaches_de_once_back(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    """de's server (its leaf link with it) down while cn proposes learning agreements and my
    approves them: all arrive at both sides. de comes back and takes what was waiting for it
    (a message cn sent it meanwhile: refused there, de being no partner of the agreement it
    carries), and none of the students' names nor the learning agreements' or nominations'
    ids is in any stream of de's server or in de's database. (bench/mobility.py does the same
    with 200 on the demo federation.)"""
    cn, my, de = nodes["cn"], nodes["my"], nodes["de"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    agreement = await approved_agreement(cn, my, at_cn, at_my, places=CUT_OFF)
    marker = f"Cutoff{uuid.uuid4().hex[:10]}"
    dead_at_de = len(await de.dead_letters())
    federation.servers["de"].stop()
    try:
        proposed = []
        for index in range(CUT_OFF):
            response = await cn.client.post(
                NOMINATIONS,
                json={
                    "agreement_id": agreement["id"],
                    "academic_year": "2026/2027",
                    "term": "1/2",
                    "isced_f": "041",
                    "eqf_level": 6,
                    "student": {
                        "given_names": "Student",
                        "family_name": f"{marker} {index}",
                        "email": f"cut{index}@cn.example",
                    },
                },
                headers=at_cn,
            )
            assert response.status_code == 201, response.text
            response = await cn.client.post(
                LAS,
                json={"nomination_id": response.json()["id"], "components": components()},
                headers=at_cn,
            )
            assert response.status_code == 201, response.text
            proposed.append(response.json())
        for la in proposed:

            async def at_my_node(path: str = f"{LAS}/{la['id']}") -> Any:
                return await _read(my, at_my, path)

            await eventually(at_my_node, timeout=90, interval=0.2, what="an LA at my")
            response = await my.client.post(
                f"{LAS}/{la['id']}/approval",
                json={"digest": la["current"]["digest"]},
                headers=at_my,
            )
            assert response.status_code == 200, response.text
        # Meanwhile cn sends de the agreement (as if de were its partner): it waits for de.
        async with cn.running.runtime.database.session() as session:
            state = {k: v for k, v in agreement.items() if k != "overdue"}
            await DirectSender.of(cn.running.runtime).send(
                session,
                to="de",
                type="agreement.updated",
                subject=agreement["id"],
                data=state,
                version=state["version"],
            )
    finally:
        federation.servers["de"].start()

    for la in proposed:

        async def approved_at_cn(path: str = f"{LAS}/{la['id']}") -> Any:
            read = await _read(cn, at_cn, path)
            return (
                read
                if read and any(a["party"] == "receiving" for a in read["current"]["approvals"])
                else None
            )

        at_cn_read = await eventually(approved_at_cn, timeout=90, interval=0.2, what="at cn")
        assert await _read(my, at_my, f"{LAS}/{la['id']}") == at_cn_read

    async def refused_at_de() -> list[str] | None:
        errors = await de.dead_letters()
        return errors[dead_at_de:] if len(errors) > dead_at_de else None

    errors = await eventually(refused_at_de, timeout=120, interval=0.5, what="de back")
    assert any(
        f"agreement {agreement['id']} from node 'cn', which is not the other partner" in e
        for e in errors
    ), errors
    ids = [value for la in proposed for value in (la["id"], la["nomination_id"])]
    # An id as JSON carries it, and as a UUID column of SQLite stores it (32 hex digits).
    needles = [marker, *ids, *(value.replace("-", "") for value in ids)]
    for needle in (marker, proposed[0]["id"], proposed[-1]["id"]):
        assert await _streams_holding(federation.servers["de"], needle.encode()) == set()
    for needle in needles:
        assert rows_holding(de.database_file, needle) == [], needle
        assert not _database_holds(de.database_file, needle.encode()), needle
    at_de = university(make_token, "de", DE_UNI)
    assert (await de.client.get(f"{LAS}/{proposed[0]['id']}", headers=at_de)).status_code == 404
