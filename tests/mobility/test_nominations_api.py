"""The nominations API of one mobility service (on SQLite and PostgreSQL, with the session's
nats-server), this node's university `uni` sending students to `partner` at `my` within an
agreement approved by both (my's approval applied as my's direct message carries it): who may
do what, nominations outside the agreement's conditions or places refused, the receiving side's
5 working days (EWP) and the overdue flag, erasure, pagination with a cap."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.mobility.deadlines import add_working_days
from shared.auth import Role, Scope
from shared.events import new_event
from shared.signing import load_node_signer
from tests.conftest import MakeToken, ServiceLauncher, bearer
from tests.mobility.test_agreements_api import AGREEMENTS, PROBLEM, Mobility, _mobility

NOMINATIONS = "/v1/mobility/nominations"


async def apply_from_my(mobility: Mobility, aggregate: str, data: dict[str, Any]) -> None:
    """`data` as my's node's direct message `mobility.<aggregate>.updated` carries it."""
    runtime = mobility.running.runtime
    event = new_event(
        node="my", service="mobility", aggregate=aggregate, action="updated",
        subject=data["id"], data=data, version=data["version"],
    ).model_copy(update={"recipientnode": mobility.node})  # fmt: skip
    async with runtime.database.session() as session:
        await runtime.apply_event(session, event)


async def approved_agreement(mobility: Mobility, tmp_path: Path, **changes: Any) -> dict[str, Any]:
    """An agreement this node's university proposed, approved by my's node (its signature
    over the digest, as its message brings it)."""
    proposed = await mobility.propose(**changes)
    signer = load_node_signer(tmp_path / "my", "my")
    assert signer is not None
    approved = proposed | {
        "status": "approved",
        "version": proposed["version"] + 1,
        "approvals": [
            *proposed["approvals"],
            {
                "institution_id": str(mobility.partner),
                "node": "my",
                "digest": proposed["digest"],
                "signature": signer.sign(proposed["digest"].encode()),
                "approved_at": proposed["updated_at"],
                "approved_by": "uni-my",
            },
        ],
    }
    await apply_from_my(mobility, "agreement", approved)
    read = await mobility.client.get(f"{AGREEMENTS}/{proposed['id']}", headers=mobility.headers)
    assert read.json()["status"] == "approved", read.text
    return dict(read.json())


def nomination(agreement: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {
        "agreement_id": agreement["id"],
        "mobility_type": "student_studies",
        "academic_year": "2026/2027",
        "term": "1/2",
        "isced_f": "0413",
        "eqf_level": 7,
        "student": {
            "given_names": "Mei",
            "family_name": "Lin",
            "email": "mei.lin@student.example",
            "student_number": "2023-0815",
        },
    } | changes


@pytest.fixture
async def mobility(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> Mobility:
    return await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)


def test_five_working_days_count_monday_to_friday() -> None:
    # EWP: 5 working days; a week from a weekday, Saturday and Sunday not counted.
    assert add_working_days(date(2026, 12, 2), 5) == date(2026, 12, 9)  # Wednesday
    assert add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Friday
    assert add_working_days(date(2026, 12, 5), 5) == date(2026, 12, 11)  # Saturday
    assert add_working_days(date(2026, 12, 6), 5) == date(2026, 12, 11)  # Sunday
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)  # a Friday
    assert add_working_days(date(2026, 12, 7), 0) == date(2026, 12, 7)


async def test_only_the_sending_university_nominates_within_an_approved_agreement(
    mobility: Mobility, tmp_path: Path
) -> None:
    client = mobility.client
    agreement = await approved_agreement(mobility, tmp_path)
    body = nomination(agreement)
    assert (await client.post(NOMINATIONS, json=body)).status_code == 401
    for headers in (
        bearer(mobility.make_token(Role.REGISTRAR, node=mobility.node)),
        mobility.university(None),
        bearer(
            mobility.make_token(
                Role.UNIVERSITY,
                [Scope.PROGRAMMES_WRITE],
                node=mobility.node,
                institution_id=mobility.uni,
            )
        ),
        bearer(mobility.make_token(Role.UNIVERSITY, node="my", institution_id=mobility.uni)),
    ):
        response = await client.post(NOMINATIONS, json=body, headers=headers)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith(PROBLEM)
    # Another university of this node: the agreement is not one of its own.
    stranger = mobility.university(uuid.uuid4())
    response = await client.post(NOMINATIONS, json=body, headers=stranger)
    assert response.status_code == 422, response.text
    assert [e["path"] for e in response.json()["errors"]] == ["body.agreement_id"]
    # An agreement still waiting for the partner's approval: no nominations yet.
    proposed = await mobility.propose()
    response = await client.post(NOMINATIONS, json=nomination(proposed), headers=mobility.headers)
    assert response.status_code == 409, response.text

    response = await client.post(NOMINATIONS, json=body, headers=mobility.headers)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["status"] == "nominated" and made["student"] == body["student"]
    assert made["sending"] == {"institution_id": str(mobility.uni), "node": mobility.node}
    assert made["receiving"] == {"institution_id": str(mobility.partner), "node": "my"}
    path = f"{NOMINATIONS}/{made['id']}"
    assert (await client.get(path, headers=stranger)).status_code == 404
    # The sending side does not answer its own nomination.
    response = await client.post(f"{path}/acceptance", headers=mobility.headers)
    assert response.status_code == 403, response.text


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"academic_year": "2030/2031"}, "body.academic_year"),
        ({"isced_f": "0511"}, "body.isced_f"),  # the agreement covers 041 (business)
        ({"eqf_level": 8}, "body.eqf_level"),  # bachelor and master only
        ({"mobility_type": "staff_training"}, "body.mobility_type"),
    ],
)
async def test_a_nomination_outside_the_agreement_s_conditions_is_a_422(
    mobility: Mobility, tmp_path: Path, changes: dict[str, Any], path: str
) -> None:
    agreement = await approved_agreement(mobility, tmp_path)
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement, **changes), headers=mobility.headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [e["path"] for e in response.json()["errors"]] == [path]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"term": "3/2"}, "body.term"),
        ({"term": "spring"}, "body.term"),
        ({"academic_year": "2026"}, "body.academic_year"),
        ({"isced_f": "business"}, "body.isced_f"),
        ({"eqf_level": 9}, "body.eqf_level"),
        ({"student": {"given_names": "Mei", "family_name": "", "email": "a@b"}},
         "body.student.family_name"),
        ({"student": {"given_names": "Mei", "family_name": "Lin", "email": "nobody"}},
         "body.student.email"),
        ({"surprise": 1}, "body.surprise"),
    ],
)  # fmt: skip
async def test_a_malformed_nomination_is_a_422_naming_the_field(
    mobility: Mobility, tmp_path: Path, changes: dict[str, Any], path: str
) -> None:
    agreement = {"id": str(uuid.uuid4())}
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement, **changes), headers=mobility.headers
    )
    assert response.status_code == 422, response.text
    assert [e["path"] for e in response.json()["errors"]] == [path]


async def test_the_agreement_s_places_are_respected_and_freed_by_a_cancellation(
    mobility: Mobility, tmp_path: Path
) -> None:
    # 2 places a year from uni to partner, for students of business (bachelor, master).
    agreement = await approved_agreement(mobility, tmp_path)
    made = []
    for _ in range(2):
        response = await mobility.client.post(
            NOMINATIONS, json=nomination(agreement), headers=mobility.headers
        )
        assert response.status_code == 201, response.text
        made.append(response.json())
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement), headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    assert "2 place(s) for 2026/2027 are taken" in response.json()["detail"]
    # The next academic year's places are its own.
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement, academic_year="2027/2028"), headers=mobility.headers
    )
    assert response.status_code == 201, response.text
    path = f"{NOMINATIONS}/{made[0]['id']}"
    response = await mobility.client.post(
        f"{path}/cancellation", json={"reason": "the student withdrew"}, headers=mobility.headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["reason"]) == (
        "cancelled",
        "the student withdrew",
    )
    response = await mobility.client.post(
        f"{path}/cancellation", json={"reason": "again"}, headers=mobility.headers
    )
    assert response.status_code == 409, response.text
    response = await mobility.client.post(
        NOMINATIONS, json=nomination(agreement), headers=mobility.headers
    )
    assert response.status_code == 201, response.text


async def test_the_receiving_side_s_answer_is_due_in_5_working_days_and_flagged_overdue(
    mobility: Mobility, tmp_path: Path
) -> None:
    """my's university nominates a student to this node's (the agreement's other direction):
    nominated on Monday 2 November 2026, due by Monday 9 November, unanswered since: overdue,
    in the overdue list, until this node's university answers."""
    agreement = await approved_agreement(mobility, tmp_path)
    state = {
        "id": str(uuid.uuid4()),
        "agreement_id": agreement["id"],
        "sending": {"institution_id": str(mobility.partner), "node": "my"},
        "receiving": {"institution_id": str(mobility.uni), "node": mobility.node},
        "mobility_type": "student_studies",
        "academic_year": "2026/2027",
        "term": "2/2",
        "isced_f": "041",
        "eqf_level": 6,
        "student": {"given_names": "Aiman", "family_name": "Hakim", "email": "ah@my.example"},
        "student_erased_at": None,
        "status": "nominated",
        "reason": None,
        "nominated_at": "2026-11-02T09:00:00Z",
        "nominated_by": "uni-my",
        "respond_by": "2026-11-09",
        "answered_at": None,
        "answered_by": None,
        "version": 1,
        "updated_at": "2026-11-02T09:00:00Z",
    }
    await apply_from_my(mobility, "nomination", state)
    path = f"{NOMINATIONS}/{state['id']}"
    read = (await mobility.client.get(path, headers=mobility.headers)).json()
    assert (read["status"], read["respond_by"], read["overdue"]) == (
        "nominated",
        "2026-11-09",
        True,
    )
    overdue = await mobility.client.get(
        NOMINATIONS, params={"overdue": "true"}, headers=mobility.headers
    )
    assert [n["id"] for n in overdue.json()["items"]] == [state["id"]]
    # The sending side cannot cancel it here (it is my's to cancel, at my).
    response = await mobility.client.post(
        f"{path}/cancellation", json={"reason": "no"}, headers=mobility.headers
    )
    assert response.status_code == 403, response.text
    response = await mobility.client.post(
        f"{path}/rejection", json={"reason": "no places left in finance"}, headers=mobility.headers
    )
    assert response.status_code == 200, response.text
    answered = response.json()
    assert (answered["status"], answered["overdue"]) == ("rejected", False)
    assert answered["answered_by"] and answered["answered_at"]
    overdue = await mobility.client.get(
        NOMINATIONS, params={"overdue": "true"}, headers=mobility.headers
    )
    assert overdue.json()["items"] == []
    response = await mobility.client.post(f"{path}/acceptance", headers=mobility.headers)
    assert response.status_code == 409, response.text


async def test_the_student_s_data_is_erased_on_request(mobility: Mobility, tmp_path: Path) -> None:
    agreement = await approved_agreement(mobility, tmp_path)
    made = (
        await mobility.client.post(
            NOMINATIONS, json=nomination(agreement), headers=mobility.headers
        )
    ).json()
    path = f"{NOMINATIONS}/{made['id']}/student"
    stranger = mobility.university(uuid.uuid4())
    assert (await mobility.client.delete(path, headers=stranger)).status_code == 404
    response = await mobility.client.delete(path, headers=mobility.headers)
    assert response.status_code == 200, response.text
    erased = response.json()
    assert erased["student"] is None and erased["student_erased_at"]
    assert erased["status"] == "nominated"
    read = await mobility.client.get(f"{NOMINATIONS}/{made['id']}", headers=mobility.headers)
    assert read.json()["student"] is None
    # Again: nothing more to erase, the same answer.
    again = await mobility.client.delete(path, headers=mobility.headers)
    assert again.status_code == 200 and again.json()["version"] == erased["version"]


async def test_the_list_is_paginated_with_a_cap(mobility: Mobility, tmp_path: Path) -> None:
    agreement = await approved_agreement(mobility, tmp_path)
    created = []
    for year in ("2026/2027", "2027/2028"):
        for _ in range(2):
            response = await mobility.client.post(
                NOMINATIONS, json=nomination(agreement, academic_year=year),
                headers=mobility.headers,
            )  # fmt: skip
            assert response.status_code == 201, response.text
            created.append(response.json()["id"])
    first = await mobility.client.get(NOMINATIONS, params={"limit": 3}, headers=mobility.headers)
    page = first.json()
    assert len(page["items"]) == 3 and page["next_cursor"]
    second = await mobility.client.get(
        NOMINATIONS, params={"limit": 3, "cursor": page["next_cursor"]}, headers=mobility.headers
    )
    rest = second.json()
    assert rest["next_cursor"] is None
    seen = [n["id"] for n in page["items"] + rest["items"]]
    assert seen == list(reversed(created))
    too_many = await mobility.client.get(
        NOMINATIONS, params={"limit": 201}, headers=mobility.headers
    )
    assert too_many.status_code == 422
    stranger = mobility.university(uuid.uuid4())
    assert (await mobility.client.get(NOMINATIONS, headers=stranger)).json()["items"] == []
