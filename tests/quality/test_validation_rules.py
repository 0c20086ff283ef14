"""Every DEQAR rejection rule and flag rule, each with an example that trips it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from rules.qa_status import default_valid_to
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.schemas import EvaluationSubmission
from services.quality.evaluations.validation import ResolvedInstitution, Verdict, check_evaluation
from services.quality.vocabulary import FlagLevel
from shared.db import utcnow

INSTITUTION_A = ResolvedInstitution(uuid.uuid4(), "CN", "active")
INSTITUTION_B = ResolvedInstitution(uuid.uuid4(), "CN", "active")


def agency(**overrides: Any) -> AgencyRead:
    data: dict[str, Any] = {
        "id": uuid.uuid4(),
        "origin_node": "cn",
        "name": "HEEC",
        "acronym": "HEEC",
        "country": "CN",
        "focus_countries": [{"country": "MY", "kind": "cross-border"}],
        "registrations": [
            {"register": "national", "valid_from": "2010-01-01", "valid_to": "2030-12-31"}
        ],
        "activities": [
            {"type": "institutional"},
            {"type": "programme"},
            {"type": "joint programme"},
            {"type": "institutional-programme"},
        ],
        "framework": "national",
        "version": 1,
        "updated_at": utcnow(),
    }
    return AgencyRead.model_validate(data | overrides)


def submission(**overrides: Any) -> EvaluationSubmission:
    data: dict[str, Any] = {
        "local_identifier": "R-1",
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "valid_to": "2025-12-31",
        "institutions": [str(INSTITUTION_A.id)],
        "files": [{"url": "https://example.org/r.pdf"}],
    }
    return EvaluationSubmission.model_validate(data | overrides)


def check(
    sub: EvaluationSubmission,
    *,
    of: AgencyRead | None = None,
    institutions: list[ResolvedInstitution | None] | None = None,
    unknown_contributors: list[int] | None = None,
    missing_agency: bool = False,
) -> Verdict:
    resolved: list[ResolvedInstitution | None] = (
        institutions if institutions is not None else [INSTITUTION_A] * len(sub.institutions)
    )
    return check_evaluation(
        sub,
        agency=None if missing_agency else (of or agency()),
        unknown_contributors=unknown_contributors or [],
        institutions=resolved,
        valid_to=sub.valid_to or default_valid_to(sub.valid_from),
    )


def reasons(verdict: Verdict) -> set[tuple[str, str]]:
    return {(error.path, error.type) for error in verdict.errors}


def codes(verdict: Verdict) -> set[tuple[FlagLevel, str]]:
    return {(flag.level, flag.code) for flag in verdict.flags}


def test_a_clean_submission_passes_without_flags() -> None:
    verdict = check(submission())
    assert verdict.errors == [] and verdict.flags == []
    assert verdict.flag_level is FlagLevel.NONE


# -- rejections ---------------------------------------------------------------------------------


def test_unknown_agency_is_rejected() -> None:
    assert ("agency_id", "unknown-agency") in reasons(check(submission(), missing_agency=True))


def test_unknown_contributing_agency_is_rejected() -> None:
    sub = submission(contributing_agency_ids=[str(uuid.uuid4())])
    verdict = check(sub, unknown_contributors=[0])
    assert ("contributing_agency_ids.0", "unknown-agency") in reasons(verdict)


@pytest.mark.parametrize("valid_from", ["2009-12-31", "2031-01-01"])
def test_validity_outside_the_agency_registration_is_rejected(valid_from: str) -> None:
    verdict = check(submission(valid_from=valid_from, valid_to=None))
    assert ("valid_from", "outside-registration") in reasons(verdict)


def test_an_agency_without_registration_cannot_submit() -> None:
    verdict = check(submission(), of=agency(registrations=[]))
    assert ("valid_from", "outside-registration") in reasons(verdict)


def test_valid_to_before_valid_from_is_rejected() -> None:
    verdict = check(submission(valid_to="2019-12-31"))
    assert ("valid_to", "invalid-validity") in reasons(verdict)


def test_institutional_evaluation_with_programmes_is_rejected() -> None:
    verdict = check(submission(programmes=[{"name": "BSc Physics"}]))
    assert ("programmes", "invalid-combination") in reasons(verdict)


def test_institutional_evaluation_without_institution_is_rejected() -> None:
    assert ("institutions", "missing") in reasons(check(submission(institutions=[])))


def test_programme_evaluation_needs_exactly_one_institution() -> None:
    two = submission(
        activity_type="programme",
        institutions=[str(INSTITUTION_A.id), str(INSTITUTION_B.id)],
        programmes=[{"name": "BSc"}],
    )
    assert ("institutions", "invalid-combination") in reasons(
        check(two, institutions=[INSTITUTION_A, INSTITUTION_B])
    )


def test_programme_evaluation_needs_a_programme() -> None:
    verdict = check(submission(activity_type="programme"))
    assert ("programmes", "missing") in reasons(verdict)


def test_joint_programme_needs_two_institutions_and_a_programme() -> None:
    verdict = check(submission(activity_type="joint programme"))
    assert {("institutions", "invalid-combination"), ("programmes", "missing")} <= reasons(verdict)


def test_institutional_programme_needs_a_programme() -> None:
    verdict = check(submission(activity_type="institutional/programme"))
    assert ("programmes", "missing") in reasons(verdict)


def test_unknown_and_repeated_institutions_are_rejected() -> None:
    sub = submission(
        activity_type="joint programme",
        institutions=[str(INSTITUTION_A.id), "https://ror.org/0unknown0", str(INSTITUTION_A.id)],
        programmes=[{"name": "Joint MSc"}],
    )
    verdict = check(sub, institutions=[INSTITUTION_A, None, INSTITUTION_A])
    assert {
        ("institutions.1", "unknown-institution"),
        ("institutions.2", "duplicate"),
    } <= reasons(verdict)


def test_every_reason_is_listed_at_once() -> None:
    sub = submission(
        valid_from="2005-01-01",
        valid_to="2004-01-01",
        programmes=[{"name": "BSc"}],
        contributing_agency_ids=[str(uuid.uuid4())],
    )
    verdict = check(sub, unknown_contributors=[0], institutions=[None])
    assert reasons(verdict) == {
        ("contributing_agency_ids.0", "unknown-agency"),
        ("valid_to", "invalid-validity"),
        ("valid_from", "outside-registration"),
        ("programmes", "invalid-combination"),
        ("institutions.0", "unknown-institution"),
    }


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"decision": "approved"}, "decision"),
        ({"activity_type": "audit"}, "activity_type"),
        ({"status": "compulsory"}, "status"),
        ({"valid_from": "2020-13-01"}, "valid_from"),
        ({"criterion_scores": [{"criterion": "ELO", "score": 8}]}, "criterion_scores"),
        ({"programmes": [{"name": "BSc", "ects": -5}]}, "programmes"),
        ({"programmes": [{"name": "BSc", "level": "six"}]}, "programmes"),
        ({"programmes": [{"name": "BSc", "field": "computing"}]}, "programmes"),
        ({"files": [{"url": "not a url"}]}, "files"),
        ({"institutions": [{}]}, "institutions"),
    ],
)
def test_bad_types_and_ranges_are_rejected_by_the_schema(
    overrides: dict[str, Any], location: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        submission(**overrides)
    assert raised.value.errors()[0]["loc"][0] == location


# -- flags --------------------------------------------------------------------------------------


def test_undeclared_activity_is_a_high_flag() -> None:
    verdict = check(submission(), of=agency(activities=[{"type": "programme"}]))
    assert (FlagLevel.HIGH, "activity-not-declared") in codes(verdict)
    assert verdict.flag_level is FlagLevel.HIGH


@pytest.mark.parametrize("status", ["closed", "merged"])
def test_closed_or_merged_institution_is_a_high_flag(status: str) -> None:
    closed = ResolvedInstitution(INSTITUTION_A.id, "CN", status)
    verdict = check(submission(), institutions=[closed])
    assert (FlagLevel.HIGH, "institution-closed") in codes(verdict)


def test_institution_outside_the_agency_countries_is_a_low_flag() -> None:
    foreign = ResolvedInstitution(INSTITUTION_A.id, "DE", "active")
    verdict = check(submission(), institutions=[foreign])
    assert codes(verdict) == {(FlagLevel.LOW, "cross-border-undeclared")}
    # A declared focus country is not flagged.
    malaysian = ResolvedInstitution(INSTITUTION_A.id, "MY", "active")
    assert check(submission(), institutions=[malaysian]).flags == []


def test_missing_report_file_is_a_low_flag() -> None:
    assert codes(check(submission(files=[]))) == {(FlagLevel.LOW, "no-report-file")}


def test_defaulted_validity_is_a_low_flag_and_six_years() -> None:
    sub = submission(valid_to=None)
    assert codes(check(sub)) == {(FlagLevel.LOW, "validity-defaulted")}
    assert default_valid_to(date(2020, 1, 1)) == date(2026, 1, 1)
    assert default_valid_to(date(2024, 2, 29)) == date(2030, 2, 28)


def test_positive_decision_with_inadequate_criteria_is_a_low_flag() -> None:
    scores = [{"criterion": "ELO", "score": 3}, {"criterion": "Staff", "score": 5}]
    verdict = check(submission(criterion_scores=scores))
    assert codes(verdict) == {(FlagLevel.LOW, "positive-with-inadequate-criteria")}
    conditional = submission(
        criterion_scores=scores, decision="positive with conditions or restrictions"
    )
    assert check(conditional).flags == []
