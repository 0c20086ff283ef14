"""The case state machine (BRIEF §3): draft → submitted → incomplete ⇄ submitted → complete
(the deadline clock starts) → under assessment → decided → appealed → appeal decided;
withdrawn from any state before decided. Anything else is a 409."""

from __future__ import annotations

from services.recognition.cases.models import CaseStatus
from shared.errors import Conflict

S = CaseStatus

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.INCOMPLETE, S.COMPLETE, S.WITHDRAWN}),
    S.INCOMPLETE: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.COMPLETE: frozenset({S.UNDER_ASSESSMENT, S.WITHDRAWN}),
    S.UNDER_ASSESSMENT: frozenset({S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.APPEALED}),
    S.APPEALED: frozenset({S.APPEAL_DECIDED}),
    S.APPEAL_DECIDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Reached only through their own endpoints, which record what they need (decision, appeal).
THROUGH_ENDPOINT: dict[CaseStatus, str] = {
    S.DECIDED: "POST /v1/recognition/cases/{id}/decision",
    S.APPEALED: "POST /v1/recognition/cases/{id}/appeal",
    S.APPEAL_DECIDED: "POST /v1/recognition/cases/{id}/appeal/outcome",
}

# Where the deadline clock runs: from complete until the decision (or a withdrawal).
OPEN_FOR_DEADLINE = frozenset({S.COMPLETE, S.UNDER_ASSESSMENT})
# Closed: nothing left for an officer to do (a decided case opens again only by an appeal).
# Every other case is open: the officers' queue (`?open=true`).
CLOSED = frozenset({S.DECIDED, S.APPEAL_DECIDED, S.WITHDRAWN})
OPEN = frozenset(CaseStatus) - CLOSED


def ensure_transition(current: CaseStatus, target: CaseStatus) -> None:
    """409 unless `current → target` is a transition of the state machine."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none"
        raise Conflict(
            f"a case cannot go from {current.value!r} to {target.value!r} "
            f"(allowed from {current.value!r}: {allowed})",
            current_status=current.value,
        )
