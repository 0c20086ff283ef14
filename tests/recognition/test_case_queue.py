"""The officers' queue on SQLite and PostgreSQL: `GET /v1/recognition/cases?open=true&sort=
deadline` pages through the open cases, the nearest deadline first and those whose clock has not
started last, and `GET /v1/recognition/cases/counts` counts the open, overdue and due-this-week
cases over all of them (issue 21's case queue, without a cap).

The expected deadlines are the BRIEF's (§3: four months from the day the file is complete),
worked out by hand below; the order and the counts are recomputed here from those dates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from services.recognition.cases.service import CaseService
from shared.auth import Role
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.test_cases import DECISION, QUALIFICATION

# The day a file was complete → its deadline four months later (the 31st of a shorter month
# becomes its last day).
RUNNING = [
    (date(2025, 10, 31), date(2026, 2, 28)),
    (date(2025, 11, 30), date(2026, 3, 30)),
    (date(2025, 12, 15), date(2026, 4, 15)),
    (date(2026, 1, 31), date(2026, 5, 31)),
    (date(2026, 1, 31), date(2026, 5, 31)),  # the same deadline: by id
    (date(2026, 2, 28), date(2026, 6, 28)),
]
DECIDED_COMPLETE = date(2025, 9, 1)  # deadline 2026-01-01: closed, never in the queue
APPEALED_COMPLETE = date(2025, 9, 15)  # deadline 2026-01-15: open, its clock stopped
APPEALED_DEADLINE = date(2026, 1, 15)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The service's today, set by the test (a case's deadline starts on the day it is
    complete)."""
    today = [date(2026, 3, 1)]
    monkeypatch.setattr(CaseService, "today", lambda self: today[0])
    return today


async def _decided(node: RecognitionNode, completed_on: date, clock: list[date]) -> str:
    """A case complete on `completed_on`, assessed and decided: its id."""
    case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    clock[0] = completed_on
    await node.complete(case["id"])
    await node.assess(case["id"])
    response = await node.client.post(
        f"/v1/recognition/cases/{case['id']}/decision",
        json=DECISION | {"justification": "documents"},
        headers=node.headers,
    )
    assert response.status_code == 201, response.text
    return str(case["id"])


async def _appeal(node: RecognitionNode, case_id: str) -> None:
    lodged = await node.client.post(
        f"/v1/recognition/cases/{case_id}/appeal",
        json={"grounds": "the transcript was misread"},
        headers=node.headers,
    )
    assert lodged.status_code == 201, lodged.text


async def _pages(node: RecognitionNode, **params: Any) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        response = await node.client.get(
            "/v1/recognition/cases", params=query, headers=node.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def _counts(node: RecognitionNode, as_of: date) -> dict[str, Any]:
    response = await node.client.get(
        "/v1/recognition/cases/counts", params={"as_of": as_of.isoformat()}, headers=node.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_queue_is_every_open_case_by_deadline_across_pages_and_counted(
    start_recognition: StartNode, clock: list[date]
) -> None:
    node = await start_recognition("cn", directory=True)
    deadline_of: dict[str, date | None] = {}
    running: list[str] = []
    for completed_on, deadline in RUNNING:
        case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
        clock[0] = completed_on
        done = await node.complete(case["id"])
        assert done["deadline_on"] == deadline.isoformat()
        deadline_of[case["id"]] = deadline
        running.append(case["id"])
    await node.move(running[1], "under_assessment")  # its clock still runs
    clock[0] = date(2026, 3, 1)
    for step in ([], [], ["submitted"], ["submitted", "incomplete"]):
        case = await node.open_case(QUALIFICATION, "CNDL:xueshi")
        if step:
            await node.move(case["id"], *step)
        deadline_of[case["id"]] = None  # not complete: no deadline yet
    appealed = await _decided(node, APPEALED_COMPLETE, clock)
    await _appeal(node, appealed)
    deadline_of[appealed] = APPEALED_DEADLINE  # open again, its clock stopped
    # Closed: decided; its appeal decided; withdrawn after its clock started; withdrawn as a
    # draft.
    decided = await _decided(node, DECIDED_COMPLETE, clock)
    appeal_decided = await _decided(node, DECIDED_COMPLETE, clock)
    await _appeal(node, appeal_decided)
    dismissed = await node.client.post(
        f"/v1/recognition/cases/{appeal_decided}/appeal/outcome",
        json={"outcome": "dismissed", "justification": "the transcript was read right"},
        headers=node.headers,
    )
    assert dismissed.status_code in (200, 201), dismissed.text
    late_withdrawal = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    clock[0] = date(2025, 8, 1)
    await node.complete(late_withdrawal["id"])
    await node.move(late_withdrawal["id"], "withdrawn")
    draft_withdrawal = await node.open_case(QUALIFICATION, "CNDL:xueshi")
    await node.move(draft_withdrawal["id"], "withdrawn")
    closed = [decided, appeal_decided, late_withdrawal["id"], draft_withdrawal["id"]]
    clock[0] = date(2026, 3, 1)

    # The queue, three a page: every open case once, in the deadline order, none closed.
    pages = await _pages(node, open="true", sort="deadline", limit=3)
    assert [len(p) for p in pages] == [3, 3, 3, 2]  # 6 running, 1 appealed, 4 not started
    shown = [item["id"] for page in pages for item in page]
    expected = sorted(
        deadline_of,
        key=lambda i: (deadline_of[i] is None, deadline_of[i] or date.min, uuid.UUID(i)),
    )
    assert shown == expected
    assert not set(shown) & set(closed)
    for page in pages:
        for item in page:
            due = deadline_of[item["id"]]
            assert item["deadline_on"] == (due.isoformat() if due else None)
    # By status too; the default order is still by id, closed ones included.
    only_drafts = await _pages(node, open="true", sort="deadline", status="draft", limit=3)
    assert len([i for p in only_drafts for i in p]) == 2
    everything = [i["id"] for p in await _pages(node, limit=200) for i in p]
    assert everything == sorted(set(deadline_of) | set(closed), key=uuid.UUID)

    # The counts, over every open case, on each side of each boundary. Overdue: the deadline
    # before the day (a case due today is not late); due this week: not overdue and at most
    # seven days ahead. The appealed case's clock has stopped: it is neither.
    def rule(as_of: date) -> dict[str, Any]:
        clocks = [deadline_of[i] for i in running]
        return {
            "as_of": as_of.isoformat(),
            "open": len(deadline_of),
            "overdue": sum(1 for d in clocks if d is not None and d < as_of),
            "due_within_7_days": sum(
                1 for d in clocks if d is not None and as_of <= d <= as_of + timedelta(days=7)
            ),
        }

    hand_counted = {
        date(2026, 2, 28): (0, 1),  # due today: not overdue, due this week
        date(2026, 3, 1): (1, 0),
        date(2026, 3, 22): (1, 0),  # eight days before 30 March
        date(2026, 3, 23): (1, 1),  # seven days before
        date(2026, 5, 31): (3, 2),
        date(2026, 6, 1): (5, 0),
        date(2026, 6, 29): (6, 0),
    }
    for as_of, (late, soon) in hand_counted.items():
        counts = await _counts(node, as_of)
        assert counts == rule(as_of)
        assert (counts["overdue"], counts["due_within_7_days"]) == (late, soon), as_of
        # The same rules as the list's filter and each row's flags.
        listed = await _pages(node, overdue="true", as_of=as_of.isoformat(), limit=200)
        assert len(listed[0]) == late
        rows = [i for p in await _pages(node, open="true", as_of=as_of.isoformat()) for i in p]
        assert sum(1 for r in rows if r["overdue"]) == late
        assert sum(1 for r in rows if r["due_within_7_days"]) == soon
        assert not any(r["overdue"] and r["due_within_7_days"] for r in rows)


@pytest.mark.parametrize("db_backend", ["sqlite"])
async def test_the_queue_refuses_an_unknown_order_and_anyone_but_officers(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    for params in ({"sort": "title"}, {"sort": "deadline", "open": "maybe"}):
        bad = await node.client.get("/v1/recognition/cases", params=params, headers=node.headers)
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith("application/problem+json")
    late = await node.client.get(
        "/v1/recognition/cases/counts", params={"as_of": "2026-02-30"}, headers=node.headers
    )
    assert late.status_code == 422
    assert late.headers["content-type"].startswith("application/problem+json")
    tampered = await node.client.get(
        "/v1/recognition/cases",
        params={"sort": "deadline", "cursor": "WyJub3QgYSBkYXRlIiwxXQ"},  # ["not a date",1]
        headers=node.headers,
    )
    assert tampered.status_code == 400, tampered.text
    outsiders = {
        "another node's officer": node.token(Role.RECOGNITION_OFFICER, node="my"),
        "a university": node.token(Role.UNIVERSITY),
        "a registrar": node.token(Role.REGISTRAR),
        "a QA agency": node.token(Role.QA_AGENCY),
    }
    for who, headers in outsiders.items():
        for path in (
            "/v1/recognition/cases?open=true&sort=deadline",
            "/v1/recognition/cases/counts",
        ):
            refused = await node.client.get(path, headers=headers)
            assert refused.status_code == 403, (who, path, refused.text)
    assert (await node.client.get("/v1/recognition/cases/counts")).status_code == 401
    admin = await node.client.get(
        "/v1/recognition/cases/counts", headers=node.token(Role.NODE_ADMIN)
    )
    assert admin.status_code == 200  # the node's admin may act as an officer
