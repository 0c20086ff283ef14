"""The case state machine, against a table written from the brief (never from `TRANSITIONS`).

BRIEF §3 (Recognition service): "draft → submitted → incomplete ⇄ submitted → complete (the
4-month clock starts) → under assessment → decided → appealed → appeal decided; withdrawn from
any state before decided. Illegal transitions are 409." A decision and an appeal carry their own
record (outcome, justification, legal basis; grounds, outcome), so those three states are
reached only through their own endpoints; the deadline runs from "complete" until the decision.
"""

from __future__ import annotations

import pytest

from services.recognition.cases.models import CaseStatus
from services.recognition.cases.states import (
    CLOSED,
    OPEN,
    OPEN_FOR_DEADLINE,
    THROUGH_ENDPOINT,
    ensure_transition,
)
from shared.errors import Conflict

# The brief's chain, one pair per arrow, with the statuses as the API spells them.
BRIEF_CHAIN = [
    ("draft", "submitted"),
    ("submitted", "incomplete"),
    ("incomplete", "submitted"),
    ("submitted", "complete"),
    ("complete", "under_assessment"),
    ("under_assessment", "decided"),
    ("decided", "appealed"),
    ("appealed", "appeal_decided"),
]
BEFORE_DECIDED = ["draft", "submitted", "incomplete", "complete", "under_assessment"]
LEGAL: frozenset[tuple[str, str]] = frozenset(
    BRIEF_CHAIN + [(state, "withdrawn") for state in BEFORE_DECIDED]
)
STATUSES = [
    "draft",
    "submitted",
    "incomplete",
    "complete",
    "under_assessment",
    "decided",
    "appealed",
    "appeal_decided",
    "withdrawn",
]
ILLEGAL = [(a, b) for a in STATUSES for b in STATUSES if (a, b) not in LEGAL]


def test_the_statuses_are_the_briefs() -> None:
    assert sorted(s.value for s in CaseStatus) == sorted(STATUSES)


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL), ids="->".join)
def test_every_move_of_the_brief_is_allowed(current: str, target: str) -> None:
    ensure_transition(CaseStatus(current), CaseStatus(target))


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids="->".join)
def test_every_other_move_is_a_conflict(current: str, target: str) -> None:
    with pytest.raises(Conflict) as raised:
        ensure_transition(CaseStatus(current), CaseStatus(target))
    assert raised.value.status == 409
    assert raised.value.extra == {"current_status": current}
    assert repr(current) in raised.value.detail and repr(target) in raised.value.detail


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("submitted", "under_assessment"),  # skipping the completeness check
        ("incomplete", "complete"),  # completed without being submitted again
        ("draft", "complete"),
        ("complete", "decided"),  # decided without an assessment
        ("under_assessment", "appealed"),  # an appeal before any decision
        ("complete", "appealed"),
        ("decided", "withdrawn"),  # a decided case stays decided
        ("appealed", "withdrawn"),
        ("appeal_decided", "appealed"),  # one appeal
        ("withdrawn", "submitted"),  # withdrawal is final
        ("decided", "under_assessment"),
    ],
)
def test_the_shortcuts_an_officer_might_try_are_refused(current: str, target: str) -> None:
    with pytest.raises(Conflict):
        ensure_transition(CaseStatus(current), CaseStatus(target))


def test_the_conflict_names_the_moves_that_are_allowed() -> None:
    allowed_from = {
        state: sorted(b for a, b in LEGAL if a == state) for state in STATUSES if state != "draft"
    }
    for state, allowed in allowed_from.items():
        with pytest.raises(Conflict) as raised:
            ensure_transition(CaseStatus(state), CaseStatus.DRAFT)
        detail = raised.value.detail
        if allowed:
            assert detail.endswith(f"(allowed from {state!r}: {', '.join(allowed)})"), detail
        else:
            assert detail.endswith(f"(allowed from {state!r}: none)"), detail


def test_decision_and_appeal_states_are_reached_only_through_their_endpoints() -> None:
    assert {s.value for s in THROUGH_ENDPOINT} == {"decided", "appealed", "appeal_decided"}
    assert THROUGH_ENDPOINT[CaseStatus.DECIDED].endswith("/decision")
    assert THROUGH_ENDPOINT[CaseStatus.APPEALED].endswith("/appeal")
    assert THROUGH_ENDPOINT[CaseStatus.APPEAL_DECIDED].endswith("/appeal/outcome")


def test_the_deadline_runs_from_complete_until_the_decision() -> None:
    assert {s.value for s in OPEN_FOR_DEADLINE} == {"complete", "under_assessment"}


def test_a_case_is_open_until_an_officer_has_nothing_left_to_do() -> None:
    """The queue's "open": decided (until an appeal is lodged), appeal decided and withdrawn
    are done; every earlier state, and an appeal waiting for its outcome, is an officer's."""
    assert {s.value for s in CLOSED} == {"decided", "appeal_decided", "withdrawn"}
    assert {s.value for s in OPEN} == {*BEFORE_DECIDED, "appealed"}
    assert set(CaseStatus) == OPEN | CLOSED and not OPEN & CLOSED
    assert OPEN_FOR_DEADLINE <= OPEN
