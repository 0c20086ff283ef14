"""DEQAR's two tiers of checks on a submitted evaluation, as pure functions over what the
service looked up.

*Rejections* refuse the submission, every reason listed at once; *flags* save it but mark it
(a high flag hides it from public reads until a node admin clears it).

Rejected: unknown agency or contributing agency; `valid_from` outside every registration of the
agency; `valid_to` before `valid_from`; an institutional evaluation with programmes; a programme
evaluation without exactly one institution and at least one programme; a joint programme with
fewer than two institutions or no programme; an institutional(-programme) evaluation without an
institution; an institution that is unknown or listed twice.
(Types and ranges — enumerations, dates, ECTS 0-600, AUN-QA scores 1-7 — are checked by the
schema before these rules run.)

Flagged high: an activity type the agency does not declare; an institution that is closed or
merged. Flagged low: an institution outside the agency's country and focus countries
(undeclared cross-border QA); no report file; `valid_to` left out (defaulted); a positive
decision although an AUN-QA criterion scored below 4 ("adequate as expected").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from services.quality.agencies.schemas import (
    AgencyActivity,
    AgencyRead,
    FocusCountry,
    Registration,
)
from services.quality.evaluations.schemas import EvaluationSubmission, FlagMessage
from services.quality.vocabulary import ACTIVITY_ALIASES, ActivityType, Decision, FlagLevel
from shared.errors import FieldError

ADEQUATE_SCORE = 4
CLOSED_STATUSES = frozenset({"closed", "merged"})


@dataclass(frozen=True)
class ResolvedInstitution:
    """An institution of the submission as its copy of the institutions knows it."""

    id: uuid.UUID
    country: str
    status: str


@dataclass
class Verdict:
    errors: list[FieldError] = field(default_factory=list)
    flags: list[FlagMessage] = field(default_factory=list)

    def reject(self, path: str, message: str, type_: str) -> None:
        self.errors.append(FieldError(path=path, message=message, type=type_))

    def flag(self, level: FlagLevel, code: str, message: str) -> None:
        self.flags.append(FlagMessage(level=level, code=code, message=message))

    @property
    def flag_level(self) -> FlagLevel:
        levels = {flag.level for flag in self.flags}
        if FlagLevel.HIGH in levels:
            return FlagLevel.HIGH
        return FlagLevel.LOW if FlagLevel.LOW in levels else FlagLevel.NONE


def check_evaluation(
    submission: EvaluationSubmission,
    *,
    agency: AgencyRead | None,
    unknown_contributors: list[int],
    institutions: list[ResolvedInstitution | None],
    valid_to: date,
) -> Verdict:
    """Every rejection reason and every flag of one submission."""
    verdict = Verdict()
    if agency is None:
        verdict.reject("agency_id", "the agency is unknown to this node", "unknown-agency")
    for index in unknown_contributors:
        verdict.reject(
            f"contributing_agency_ids.{index}",
            "the contributing agency is unknown to this node",
            "unknown-agency",
        )
    if valid_to < submission.valid_from:
        verdict.reject("valid_to", "valid_to is before valid_from", "invalid-validity")
    if agency is not None and not _registered_on(agency.registrations, submission.valid_from):
        windows = ", ".join(_window(r) for r in agency.registrations) or "none"
        verdict.reject(
            "valid_from",
            f"{submission.valid_from} is outside the agency's registrations ({windows})",
            "outside-registration",
        )
    _check_shape(submission, verdict)
    seen: set[uuid.UUID] = set()
    for index, (reference, resolved) in enumerate(
        zip(submission.institutions, institutions, strict=True)
    ):
        if resolved is None:
            verdict.reject(
                f"institutions.{index}",
                f"institution {reference.label()} is unknown to this node",
                "unknown-institution",
            )
        elif resolved.id in seen:
            verdict.reject(
                f"institutions.{index}", f"institution {resolved.id} is listed twice", "duplicate"
            )
        else:
            seen.add(resolved.id)
    if verdict.errors:
        return verdict
    _flag(submission, verdict, agency, [i for i in institutions if i is not None])
    return verdict


def resolve_activity(
    value: str, agency: AgencyRead
) -> tuple[ActivityType, str | None] | FieldError:
    """The agency's activity a submission names (DEQAR's `activity`): by the activity's
    identifier, else its name, else an activity type the agency declares (all compared without
    regard to case). Returns its type and how to keep it: None for the agency's first activity
    of that type, which is what the type alone names (so that naming it either way stores the
    same), else its identifier or name."""
    wanted = value.strip().casefold()
    for key in ("identifier", "name"):
        for activity in agency.activities:
            declared = getattr(activity, key)
            if declared is not None and declared.strip().casefold() == wanted:
                if activity is _first_of_type(agency, activity.type):
                    return activity.type, None
                return activity.type, activity.identifier or activity.name
    alias = ACTIVITY_ALIASES.get(wanted, wanted)
    for activity in agency.activities:
        if activity.type.value == alias:
            return activity.type, None
    return FieldError(
        path="activity",
        message=f"agency {agency.acronym} declares no activity {value!r} "
        "(by identifier, name or type)",
        type="unknown-activity",
    )


def activity_label(agency: AgencyRead | None, activity_type: ActivityType) -> str:
    """How DEQAR's files name an evaluation's activity when only its type is kept: the agency's
    first activity of that type, by identifier or name; else the type itself."""
    first = _first_of_type(agency, activity_type) if agency else None
    if first is not None and (first.identifier or first.name):
        return first.identifier or first.name or activity_type.value
    return activity_type.value


def _first_of_type(agency: AgencyRead, activity_type: ActivityType) -> AgencyActivity | None:
    return next((a for a in agency.activities if a.type == activity_type), None)


def _check_shape(submission: EvaluationSubmission, verdict: Verdict) -> None:
    """The combinations of activity type, institutions and programmes DEQAR accepts."""
    activity = submission.activity_type
    if activity is None:  # named by an activity that was not found: refused already
        return
    institutions = len(submission.institutions)
    programmes = len(submission.programmes)
    if activity is ActivityType.INSTITUTIONAL:
        if programmes:
            verdict.reject(
                "programmes",
                "an institutional evaluation cannot list programmes",
                "invalid-combination",
            )
        if institutions < 1:
            verdict.reject(
                "institutions", "an institutional evaluation needs an institution", "missing"
            )
    elif activity is ActivityType.PROGRAMME:
        if institutions != 1:
            verdict.reject(
                "institutions",
                f"a programme evaluation needs exactly one institution (got {institutions})",
                "invalid-combination",
            )
        if programmes < 1:
            verdict.reject(
                "programmes", "a programme evaluation needs at least one programme", "missing"
            )
    elif activity is ActivityType.JOINT_PROGRAMME:
        if institutions < 2:
            verdict.reject(
                "institutions",
                f"a joint programme needs at least two institutions (got {institutions})",
                "invalid-combination",
            )
        if programmes < 1:
            verdict.reject("programmes", "a joint programme needs a programme", "missing")
    else:
        if institutions < 1:
            verdict.reject(
                "institutions",
                "an institutional-programme evaluation needs an institution",
                "missing",
            )
        if programmes < 1:
            verdict.reject(
                "programmes", "an institutional-programme evaluation needs a programme", "missing"
            )


def _flag(
    submission: EvaluationSubmission,
    verdict: Verdict,
    agency: AgencyRead | None,
    institutions: list[ResolvedInstitution],
) -> None:
    if agency is None:
        return
    declared = {activity.type for activity in agency.activities}
    if declared and submission.activity_type and submission.activity_type not in declared:
        verdict.flag(
            FlagLevel.HIGH,
            "activity-not-declared",
            f"the agency does not declare {submission.activity_type.value!r} activities",
        )
    for institution in institutions:
        if institution.status in CLOSED_STATUSES:
            verdict.flag(
                FlagLevel.HIGH,
                "institution-closed",
                f"institution {institution.id} is {institution.status}",
            )
    countries = _focus_countries(agency, submission.valid_from)
    for institution in institutions:
        if institution.country not in countries:
            verdict.flag(
                FlagLevel.LOW,
                "cross-border-undeclared",
                f"institution {institution.id} is in {institution.country}, which is not "
                f"among the agency's countries ({', '.join(sorted(countries))})",
            )
    if not submission.files:
        verdict.flag(FlagLevel.LOW, "no-report-file", "no report file is linked")
    if submission.valid_to is None:
        verdict.flag(
            FlagLevel.LOW,
            "validity-defaulted",
            "valid_to was not given: set to valid_from + 6 years",
        )
    low_scores = [c.criterion for c in submission.criterion_scores if c.score < ADEQUATE_SCORE]
    if submission.decision is Decision.POSITIVE and low_scores:
        verdict.flag(
            FlagLevel.LOW,
            "positive-with-inadequate-criteria",
            "positive decision although criteria scored below adequate: " + ", ".join(low_scores),
        )


def _registered_on(registrations: list[Registration], day: date) -> bool:
    return any(registration.covers(day) for registration in registrations)


def _window(registration: Registration) -> str:
    end = registration.valid_to.isoformat() if registration.valid_to else "open"
    return f"{registration.register_.value} {registration.valid_from.isoformat()}..{end}"


def _focus_countries(agency: AgencyRead, day: date) -> set[str]:
    def valid(focus: FocusCountry) -> bool:
        return (focus.valid_from is None or focus.valid_from <= day) and (
            focus.valid_to is None or day <= focus.valid_to
        )

    return {agency.country} | {focus.country for focus in agency.focus_countries if valid(focus)}
