"""The learning agreements API of one mobility service (on SQLite and PostgreSQL, with the
session's nats-server): as the sending side (this node's university nominated a student to
my's) and as the receiving side (my's nominated one here, its states applied as my's direct
messages carry them). Who may do what, bad components as 422 naming the field, If-Match, the
student's single-use token, the history of versions and the receiving side's deadline."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from contracts.mobility import IiaPartner, LaComponents
from services.mobility.learning_agreements.digest import components_digest
from services.mobility.learning_agreements.models import StudentToken
from shared.auth import Role
from shared.db import utcnow
from shared.signing import load_node_signer
from tests.conftest import MakeToken, ServiceLauncher, bearer
from tests.mobility.test_agreements_api import PROBLEM, Mobility, _mobility
from tests.mobility.test_learning_agreements_federation import components
from tests.mobility.test_nominations_api import (
    NOMINATIONS,
    apply_from_my,
    approved_agreement,
    nomination,
)

LAS = "/v1/mobility/learning-agreements"
STUDENT_APPROVALS = "/v1/mobility/student-approvals"


@pytest.fixture
async def mobility(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> Mobility:
    return await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)


async def nominated(mobility: Mobility, tmp_path: Path) -> dict[str, Any]:
    agreement = await approved_agreement(mobility, tmp_path)
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement), headers=mobility.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def proposed(mobility: Mobility, tmp_path: Path) -> dict[str, Any]:
    made = await nominated(mobility, tmp_path)
    response = await mobility.client.post(
        LAS, json={"nomination_id": made["id"], "components": components()},
        headers=mobility.headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return dict(response.json())


async def student_token(mobility: Mobility, la: dict[str, Any]) -> str:
    response = await mobility.client.post(
        f"{LAS}/{la['id']}/student-token",
        json={"digest": la["current"]["digest"]},
        headers=mobility.headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda c: c["abroad"][0].update(credits=0), "body.components.abroad.0.credits"),
        (lambda c: c["abroad"][0].update(credits=121), "body.components.abroad.0.credits"),
        (lambda c: c["abroad"][0].update(credit_system="ects"),
         "body.components.abroad.0.credit_system"),
        (lambda c: c["abroad"][0].update(term="3/2"), "body.components.abroad.0.term"),
        (lambda c: c["home"][0].update(title=""), "body.components.home.0.title"),
        (lambda c: c.update(abroad=[]), "body.components.abroad"),
        (lambda c: c["home"][0].update(replaced_by=["NOPE-1"]), "body.components"),
        (lambda c: c["abroad"].append(c["abroad"][0]), "body.components"),
        (lambda c: c.update(extra=True), "body.components.extra"),
    ],
)  # fmt: skip
async def test_bad_components_are_a_422_naming_the_field(
    mobility: Mobility, change: Callable[[dict[str, Any]], None], path: str
) -> None:
    body = components()
    change(body)
    response = await mobility.client.post(
        LAS, json={"nomination_id": str(uuid.uuid4()), "components": body},
        headers=mobility.headers,
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [e["path"] for e in response.json()["errors"]] == [path]


async def test_the_sending_coordinator_proposes_once_per_nomination(
    mobility: Mobility, tmp_path: Path
) -> None:
    made = await nominated(mobility, tmp_path)
    body = {"nomination_id": made["id"], "components": components()}
    assert (await mobility.client.post(LAS, json=body)).status_code == 401
    stranger = mobility.university(uuid.uuid4())
    response = await mobility.client.post(LAS, json=body, headers=stranger)
    assert response.status_code == 422, response.text
    assert [e["path"] for e in response.json()["errors"]] == ["body.nomination_id"]
    response = await mobility.client.post(LAS, json=body, headers=mobility.headers)
    assert response.status_code == 201, response.text
    la = response.json()
    assert response.headers["ETag"] == '"1"'
    assert [a["party"] for a in la["current"]["approvals"]] == ["sending"]
    assert la["history"] == [] and la["overdue"] is False
    response = await mobility.client.post(LAS, json=body, headers=mobility.headers)
    assert response.status_code == 409, response.text
    path = f"{LAS}/{la['id']}"
    assert (await mobility.client.get(path, headers=stranger)).status_code == 404
    admin = bearer(mobility.make_token(Role.NODE_ADMIN, node=mobility.node))
    response = await mobility.client.get(LAS, headers=admin)
    assert response.status_code in (200, 403)
    # A party not one of the three: 403, whoever they are; the sending side approved already.
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": la["current"]["digest"]}, headers=stranger
    )
    assert response.status_code == 403, response.text
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": la["current"]["digest"]}, headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    # Only the receiving coordinator rejects.
    response = await mobility.client.post(
        f"{path}/rejection",
        json={"digest": la["current"]["digest"], "reason": "no"},
        headers=mobility.headers,
    )
    assert response.status_code == 403, response.text


async def test_the_student_approves_with_a_single_use_token_for_one_version(
    mobility: Mobility, tmp_path: Path
) -> None:
    la = await proposed(mobility, tmp_path)
    path = f"{LAS}/{la['id']}"
    digest = la["current"]["digest"]
    response = await mobility.client.post(
        f"{path}/student-token", json={"digest": "sha256:" + "0" * 64}, headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    stranger = mobility.university(uuid.uuid4())
    response = await mobility.client.post(
        f"{path}/student-token", json={"digest": digest}, headers=stranger
    )
    assert response.status_code == 403, response.text
    unknown = "la_" + "x" * 43
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": unknown, "digest": digest}
    )
    assert response.status_code == 401 and response.headers["content-type"].startswith(PROBLEM)

    # A token for version 1, then a change: the token no longer approves anything.
    stale = await student_token(mobility, la)
    response = await mobility.client.put(
        f"{path}/components",
        json={"components": components(credits=4)},
        headers=mobility.headers,
    )
    assert response.status_code == 428, response.text
    response = await mobility.client.put(
        f"{path}/components",
        json={"components": components(credits=4)},
        headers=mobility.headers | {"If-Match": '"9"'},
    )
    assert response.status_code == 412, response.text
    response = await mobility.client.put(
        f"{path}/components",
        json={"components": components(credits=4)},
        headers=mobility.headers | {"If-Match": f'"{la["version"]}"'},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["current"]["revision"] == 2
    assert [v["status"] for v in changed["history"]] == ["superseded"]
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": stale, "digest": digest}
    )
    assert response.status_code == 409, response.text

    # An expired token is refused like an unknown one.
    expired = await student_token(mobility, changed)
    runtime = mobility.running.runtime
    async with runtime.database.session() as session:
        await session.execute(
            update(StudentToken)
            .where(StudentToken.token_sha256 == hashlib.sha256(expired.encode()).hexdigest())
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        await session.commit()
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": expired, "digest": changed["current"]["digest"]}
    )
    assert response.status_code == 401, response.text

    token = await student_token(mobility, changed)
    view = await mobility.client.post(f"{STUDENT_APPROVALS}/view", json={"token": token})
    assert view.status_code == 200 and view.json()["revision"] == 2
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": token, "digest": changed["current"]["digest"]}
    )
    assert response.status_code == 200, response.text
    version = response.json()
    assert sorted(a["party"] for a in version["approvals"]) == ["sending", "student"]
    student = next(a for a in version["approvals"] if a["party"] == "student")
    assert student["approved_by"] == "student" and student["node"] == mobility.node
    assert version["respond_by"] is not None
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": token, "digest": changed["current"]["digest"]}
    )
    assert response.status_code == 401, response.text
    response = await mobility.client.post(
        f"{path}/student-token",
        json={"digest": changed["current"]["digest"]},
        headers=mobility.headers,
    )
    assert response.status_code == 409, response.text  # the student approved this version


async def test_as_the_receiving_side_the_answer_is_due_and_flagged_overdue(
    mobility: Mobility, tmp_path: Path
) -> None:
    """my's university nominated a student here; my's coordinator and the student approved
    the learning agreement on Monday 2 November 2026, due by Monday 9 November: overdue
    until this node's coordinator answers; its approval makes it approved by the three."""
    agreement = await approved_agreement(mobility, tmp_path)
    my_signer = load_node_signer(tmp_path / "my", "my")
    assert my_signer is not None
    sending = IiaPartner(institution_id=mobility.partner, node="my")
    receiving = IiaPartner(institution_id=mobility.uni, node=mobility.node)
    nomination_id, la_id = uuid.uuid4(), uuid.uuid4()
    await apply_from_my(
        mobility,
        "nomination",
        {
            "id": str(nomination_id),
            "agreement_id": agreement["id"],
            "sending": sending.model_dump(mode="json"),
            "receiving": receiving.model_dump(mode="json"),
            "mobility_type": "student_studies",
            "academic_year": "2026/2027",
            "term": "2/2",
            "isced_f": "041",
            "eqf_level": 6,
            "student": {"given_names": "Aiman", "family_name": "Hakim", "email": "a@my.example"},
            "student_erased_at": None,
            "status": "accepted",
            "reason": None,
            "nominated_at": "2026-10-01T09:00:00Z",
            "nominated_by": "uni-my",
            "respond_by": "2026-10-08",
            "answered_at": "2026-10-02T09:00:00Z",
            "answered_by": "uni-here",
            "version": 2,
            "updated_at": "2026-10-02T09:00:00Z",
        },
    )
    body = components()
    digest = components_digest(
        la_id, nomination_id, 1, sending, receiving, LaComponents.model_validate(body)
    )
    approval = {
        "institution_id": str(mobility.partner),
        "node": "my",
        "digest": digest,
        "signature": my_signer.sign(digest.encode()),
        "approved_at": "2026-11-02T09:00:00Z",
    }
    state = {
        "id": str(la_id),
        "nomination_id": str(nomination_id),
        "sending": sending.model_dump(mode="json"),
        "receiving": receiving.model_dump(mode="json"),
        "current": {
            "revision": 1,
            "components": LaComponents.model_validate(body).model_dump(mode="json"),
            "digest": digest,
            "status": "proposed",
            "approvals": [
                approval | {"party": "sending", "approved_by": "uni-my"},
                approval | {"party": "student", "approved_by": "student"},
            ],
            "proposed_at": "2026-11-02T08:00:00Z",
            "proposed_by": "uni-my",
            "respond_by": "2026-11-09",
            "rejection": None,
        },
        "history": [],
        "version": 2,
        "updated_at": "2026-11-02T09:00:00Z",
    }
    await apply_from_my(mobility, "learning_agreement", state)
    path = f"{LAS}/{la_id}"
    read = (await mobility.client.get(path, headers=mobility.headers)).json()
    assert (read["current"]["respond_by"], read["overdue"]) == ("2026-11-09", True)
    listed = await mobility.client.get(LAS, params={"overdue": "true"}, headers=mobility.headers)
    assert [la["id"] for la in listed.json()["items"]] == [str(la_id)]
    # The receiving side cannot change the components, nor issue the student's token.
    response = await mobility.client.put(
        f"{path}/components",
        json={"components": components(credits=4)},
        headers=mobility.headers | {"If-Match": '"2"'},
    )
    assert response.status_code == 403, response.text
    response = await mobility.client.post(
        f"{path}/student-token", json={"digest": digest}, headers=mobility.headers
    )
    assert response.status_code == 403, response.text
    response = await mobility.client.post(
        f"{path}/approval", json={"digest": digest}, headers=mobility.headers
    )
    assert response.status_code == 200, response.text
    approved = response.json()
    assert approved["current"]["status"] == "approved" and approved["overdue"] is False
    assert sorted(a["party"] for a in approved["current"]["approvals"]) == [
        "receiving",
        "sending",
        "student",
    ]
    listed = await mobility.client.get(LAS, params={"overdue": "true"}, headers=mobility.headers)
    assert listed.json()["items"] == []
    by_status = await mobility.client.get(
        LAS, params={"status": "approved"}, headers=mobility.headers
    )
    assert [la["id"] for la in by_status.json()["items"]] == [str(la_id)]


async def test_nothing_is_approved_for_a_cancelled_nomination(
    mobility: Mobility, tmp_path: Path
) -> None:
    la = await proposed(mobility, tmp_path)
    token = await student_token(mobility, la)
    response = await mobility.client.post(
        f"{NOMINATIONS}/{la['nomination_id']}/cancellation",
        json={"reason": "the student withdrew"},
        headers=mobility.headers,
    )
    assert response.status_code == 200, response.text
    digest = la["current"]["digest"]
    response = await mobility.client.post(
        STUDENT_APPROVALS, json={"token": token, "digest": digest}
    )
    assert response.status_code == 409, response.text
    response = await mobility.client.post(
        f"{LAS}/{la['id']}/student-token", json={"digest": digest}, headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    response = await mobility.client.put(
        f"{LAS}/{la['id']}/components",
        json={"components": components(credits=4)},
        headers=mobility.headers | {"If-Match": f'"{la["version"]}"'},
    )
    assert response.status_code == 409, response.text
