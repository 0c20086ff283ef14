"""DEQAR's validation of a submitted evaluation, at the edges of each rule (BRIEF §3, Quality
service): the expected answers come from the brief and DEQAR's conventions, not from the code.

- rejected: validity outside every registration of the agency (both ends of a registration
  included); `valid_to` before `valid_from` (a one-day validity is not "before"); institutional
  activity with programmes; programme activity without exactly one institution and at least one
  programme; joint programme with fewer than two institutions (and a joint *programme* names one);
  an evaluation of an institution names one;
- flagged, not rejected: a high flag hides the evaluation, a low one only marks it; the verdict's
  level is the highest of its flags; a rejected submission is not saved, so it carries no flags;
- AUN-QA: 4 = "adequate as expected", so only a score below 4 under a positive decision is flagged.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.schemas import EvaluationSubmission
from services.quality.evaluations.validation import ResolvedInstitution, Verdict, check_evaluation
from services.quality.vocabulary import FlagLevel
from shared.db import utcnow

HOME = ResolvedInstitution(uuid.UUID(int=1), "CN", "active")
OTHERS = [ResolvedInstitution(uuid.UUID(int=n), "CN", "active") for n in range(2, 6)]


def agency(**overrides: Any) -> AgencyRead:
    data: dict[str, Any] = {
        "id": uuid.uuid4(),
        "origin_node": "cn",
        "name": "Higher Education Evaluation Center",
        "acronym": "HEEC",
        "country": "CN",
        "registrations": [
            {"register": "national", "valid_from": "2012-03-01", "valid_to": "2017-02-28"},
            {"register": "AQAN", "valid_from": "2019-01-01", "valid_to": None},
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
        "local_identifier": "HEEC-2020-7",
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "valid_to": "2025-12-31",
        "institutions": [str(HOME.id)],
        "files": [{"url": "https://heec.example.cn/reports/7.pdf"}],
    }
    return EvaluationSubmission.model_validate(data | overrides)


def check(
    sub: EvaluationSubmission,
    *,
    of: AgencyRead | None = None,
    institutions: list[ResolvedInstitution | None] | None = None,
) -> Verdict:
    known: list[ResolvedInstitution | None] = [HOME, *OTHERS]
    resolved = institutions if institutions is not None else known[: len(sub.institutions)]
    assert sub.valid_to is not None
    return check_evaluation(
        sub,
        agency=of or agency(),
        unknown_contributors=[],
        institutions=resolved,
        valid_to=sub.valid_to,
    )


def paths(verdict: Verdict) -> set[str]:
    return {error.path for error in verdict.errors}


def codes(verdict: Verdict) -> set[tuple[FlagLevel, str]]:
    return {(flag.level, flag.code) for flag in verdict.flags}


# -- validity against the agency's registrations ------------------------------------------------


@pytest.mark.parametrize(
    "valid_from",
    ["2012-03-01", "2014-06-30", "2017-02-28", "2019-01-01", "2024-05-01", "2041-01-01"],
)
def test_a_validity_starting_inside_a_registration_is_accepted(valid_from: str) -> None:
    verdict = check(submission(valid_from=valid_from, valid_to="2041-12-31"))
    assert verdict.errors == []


@pytest.mark.parametrize("valid_from", ["2012-02-29", "2017-03-01", "2018-12-31"])
def test_a_validity_starting_outside_every_registration_is_rejected_and_says_which(
    valid_from: str,
) -> None:
    verdict = check(submission(valid_from=valid_from, valid_to="2025-12-31"))
    assert paths(verdict) == {"valid_from"}
    message = verdict.errors[0].message
    assert "national 2012-03-01..2017-02-28" in message and "AQAN 2019-01-01..open" in message


def test_an_agency_with_no_registration_is_told_it_has_none() -> None:
    verdict = check(submission(), of=agency(registrations=[]))
    assert paths(verdict) == {"valid_from"}
    assert verdict.errors[0].message.endswith("(none)")


def test_a_one_day_validity_is_not_a_validity_ending_before_it_starts() -> None:
    assert check(submission(valid_from="2020-01-01", valid_to="2020-01-01")).errors == []
    late = check(submission(valid_from="2020-01-02", valid_to="2020-01-01"))
    assert paths(late) == {"valid_to"}


# -- which institutions and programmes each activity takes --------------------------------------

SHAPES = [
    # activity, institutions, programmes, the paths rejected
    ("institutional", 1, 0, set()),
    ("institutional", 2, 0, set()),
    ("institutional", 0, 0, {"institutions"}),
    ("institutional", 1, 1, {"programmes"}),
    ("institutional", 1, 2, {"programmes"}),
    ("programme", 1, 1, set()),
    ("programme", 1, 2, set()),
    ("programme", 0, 1, {"institutions"}),
    ("programme", 2, 1, {"institutions"}),
    ("programme", 1, 0, {"programmes"}),
    ("programme", 0, 0, {"institutions", "programmes"}),
    ("joint programme", 2, 1, set()),
    ("joint programme", 3, 2, set()),
    ("joint programme", 1, 1, {"institutions"}),
    ("joint programme", 0, 1, {"institutions"}),
    ("joint programme", 2, 0, {"programmes"}),
    ("institutional-programme", 1, 1, set()),
    ("institutional-programme", 2, 2, set()),
    ("institutional-programme", 0, 1, {"institutions"}),
    ("institutional-programme", 1, 0, {"programmes"}),
]


@pytest.mark.parametrize(("activity", "institutions", "programmes", "rejected"), SHAPES)
def test_each_activity_takes_the_institutions_and_programmes_deqar_expects(
    activity: str, institutions: int, programmes: int, rejected: set[str]
) -> None:
    sub = submission(
        activity_type=activity,
        institutions=[str(i.id) for i in [HOME, *OTHERS][:institutions]],
        programmes=[{"name": f"Programme {n}"} for n in range(programmes)],
    )
    verdict = check(sub)
    assert paths(verdict) == rejected, verdict.errors
    if rejected:
        assert verdict.flags == []


def test_the_institutions_looked_up_are_one_for_each_named() -> None:
    with pytest.raises(ValueError):
        check(submission(), institutions=[])


def test_an_unknown_institution_is_named_in_the_rejection() -> None:
    sub = submission(institutions=["https://ror.org/00unknown"])
    verdict = check(sub, institutions=[None])
    assert paths(verdict) == {"institutions.0"}
    assert "https://ror.org/00unknown" in verdict.errors[0].message


# -- flags ------------------------------------------------------------------------------------


def test_a_low_flag_marks_the_evaluation_without_hiding_it() -> None:
    verdict = check(submission(files=[]))
    assert verdict.errors == []
    assert verdict.flag_level is FlagLevel.LOW


def test_a_high_flag_outweighs_a_low_one() -> None:
    closed = ResolvedInstitution(HOME.id, "CN", "closed")
    verdict = check(submission(files=[]), institutions=[closed])
    assert codes(verdict) == {
        (FlagLevel.HIGH, "institution-closed"),
        (FlagLevel.LOW, "no-report-file"),
    }
    assert verdict.flag_level is FlagLevel.HIGH


def test_an_inactive_institution_is_not_a_closed_one() -> None:
    inactive = ResolvedInstitution(HOME.id, "CN", "inactive")
    assert check(submission(), institutions=[inactive]).flags == []


def test_a_defaulted_validity_is_flagged_only_when_valid_to_was_left_out() -> None:
    assert check(submission(valid_to="2026-01-01")).flags == []
    defaulted = submission(valid_to=None)
    verdict = check_evaluation(
        defaulted,
        agency=agency(),
        unknown_contributors=[],
        institutions=[HOME],
        valid_to=defaulted.valid_from.replace(year=defaulted.valid_from.year + 6),
    )
    assert codes(verdict) == {(FlagLevel.LOW, "validity-defaulted")}


@pytest.mark.parametrize(
    ("score", "flagged"), [(1, True), (3, True), (4, False), (5, False), (7, False)]
)
def test_only_a_score_below_adequate_under_a_positive_decision_is_flagged(
    score: int, flagged: bool
) -> None:
    sub = submission(criterion_scores=[{"criterion": "Expected learning outcomes", "score": score}])
    expected = {(FlagLevel.LOW, "positive-with-inadequate-criteria")} if flagged else set()
    assert codes(check(sub)) == expected
    negative = submission(
        decision="negative",
        criterion_scores=[{"criterion": "Expected learning outcomes", "score": score}],
    )
    assert check(negative).flags == []


# -- cross-border QA: the agency's own country and its declared focus countries ----------------

FOCUS = {
    "country": "MY",
    "kind": "cross-border",
    "valid_from": "2020-01-01",
    "valid_to": "2022-12-31",
}
MALAYSIAN = ResolvedInstitution(HOME.id, "MY", "active")


@pytest.mark.parametrize(
    ("valid_from", "declared"),
    [
        ("2019-12-31", False),
        ("2020-01-01", True),
        ("2021-06-30", True),
        ("2022-12-31", True),
        ("2023-01-01", False),
    ],
)
def test_a_focus_country_counts_only_within_its_declared_window(
    valid_from: str, declared: bool
) -> None:
    sub = submission(valid_from=valid_from, valid_to="2027-12-31")
    verdict = check(sub, of=agency(focus_countries=[FOCUS]), institutions=[MALAYSIAN])
    expected = set() if declared else {(FlagLevel.LOW, "cross-border-undeclared")}
    assert codes(verdict) == expected


@pytest.mark.parametrize(
    "focus",
    [
        {"country": "MY", "kind": "cross-border"},
        {"country": "MY", "kind": "cross-border", "valid_from": "2020-01-01"},
        {"country": "MY", "kind": "cross-border", "valid_to": "2022-12-31"},
    ],
)
def test_an_open_ended_focus_country_counts_on_its_open_side(focus: dict[str, str]) -> None:
    verdict = check(submission(), of=agency(focus_countries=[focus]), institutions=[MALAYSIAN])
    assert verdict.flags == []


def test_the_cross_border_flag_names_the_agencys_countries() -> None:
    german = ResolvedInstitution(HOME.id, "DE", "active")
    verdict = check(submission(), of=agency(focus_countries=[FOCUS]), institutions=[german])
    assert verdict.flags[0].message.endswith("(CN, MY)")


def test_the_value_types_cannot_be_changed_by_a_caller() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        HOME.status = "closed"  # type: ignore[misc]


def test_an_agency_listing_its_own_country_as_an_official_focus_still_covers_it() -> None:
    """DEQAR agencies often list their home system among their focus countries."""
    own = {"country": "CN", "kind": "official"}
    verdict = check(submission(), of=agency(focus_countries=[own, FOCUS]))
    assert verdict.flags == []
