"""What the assessment reads (BRIEF §3: deterministic, reproducible from the record versions it
used): the facts are values no aspect can change; an agency's registration covers its first and
last day; an evaluation without an end is valid six years; a high flag hides an evaluation until
it is cleared; a directory candidate is not chosen unless the directory says so."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest

from services.recognition.assessment.engine import assess
from services.recognition.assessment.facts import (
    AgencyFacts,
    NameMatch,
    PrecedentFacts,
    RegistrationFacts,
    State,
)
from services.recognition.assessment.schemas import Outcome
from services.recognition.catalogue.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import (
    MQA,
    UM,
    evaluation,
    inputs,
    institution,
    mqa,
    qualification,
)


def precedent() -> PrecedentFacts:
    return PrecedentFacts("d-1", 1, "de", "recognised", None, date(2025, 1, 1))


@pytest.mark.parametrize(
    "facts",
    [
        qualification(),
        institution(),
        NameMatch(UM, "Universiti Malaya", 0.9),
        RegistrationFacts("national", None, None),
        mqa(),
        evaluation("positive", date(2015, 1, 1), None),
        precedent(),
        inputs(),
    ],
    ids=lambda f: type(f).__name__,
)
def test_the_facts_read_are_values_no_aspect_can_change(facts: object) -> None:
    field = dataclasses.fields(facts)[0].name  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(facts, field, None)
    assert facts == dataclasses.replace(facts)  # type: ignore[type-var]


def test_a_candidate_is_not_chosen_unless_the_directory_says_so() -> None:
    assert NameMatch(UM, "Universiti Malaya", 0.99).chosen is False


def test_an_agreement_does_not_apply_until_the_agreements_aspect_says_so() -> None:
    assert State().agreement_applies is False


def test_a_high_flag_hides_an_evaluation_until_cleared() -> None:
    flagged = evaluation("positive", date(2015, 1, 1), date(2025, 12, 31), flag="high")
    assert flagged.as_evidence().hidden is True
    cleared = dataclasses.replace(flagged, flag_cleared=True)
    assert cleared.as_evidence().hidden is False


def test_an_evaluation_without_an_end_is_valid_six_years() -> None:
    open_ended = evaluation("positive", date(2015, 7, 1), None)
    assert open_ended.ends_on == date(2021, 7, 1)
    assert open_ended.as_evidence().valid_to == date(2021, 7, 1)
    dated = evaluation("positive", date(2015, 7, 1), date(2019, 6, 30))
    assert dated.ends_on == date(2019, 6, 30)


def test_an_evaluation_as_the_qa_status_rule_reads_it() -> None:
    found = evaluation("negative", date(2015, 1, 1), date(2020, 12, 31), local_identifier=None)
    evidence = found.as_evidence()
    assert evidence.id == uuid.UUID(found.id) and evidence.agency_id == uuid.UUID(MQA)
    assert (evidence.decision, evidence.valid_from, evidence.valid_to) == (
        "negative",
        date(2015, 1, 1),
        date(2020, 12, 31),
    )
    assert evidence.local_identifier == ""
    named = evaluation("positive", date(2015, 1, 1), None, local_identifier="MQA-7")
    assert named.as_evidence().local_identifier == "MQA-7"
    assert evaluation("positive", date(2015, 1, 1), None).institutional
    programme = evaluation("positive", date(2015, 1, 1), None, activity_type="programme")
    assert not programme.institutional


def test_an_agency_is_known_by_its_acronym_else_its_name() -> None:
    assert mqa().label == "MQA"
    nameless = dataclasses.replace(mqa(), acronym=None)
    assert nameless.label == "Malaysian Qualifications Agency"


def agency(*registrations: RegistrationFacts) -> AgencyFacts:
    return dataclasses.replace(mqa(), registrations=registrations)


def test_a_registration_covers_its_first_and_last_day() -> None:
    listed = RegistrationFacts("EQAR", date(2010, 3, 1), date(2020, 2, 29))
    registered = agency(listed)
    assert registered.registered_on(date(2010, 3, 1)) == listed
    assert registered.registered_on(date(2015, 6, 1)) == listed
    assert registered.registered_on(date(2020, 2, 29)) == listed
    assert registered.registered_on(date(2010, 2, 28)) is None
    assert registered.registered_on(date(2020, 3, 1)) is None


def test_an_open_registration_has_no_first_or_last_day() -> None:
    since = RegistrationFacts("national", date(2007, 11, 1), None)
    assert agency(since).registered_on(date(2030, 1, 1)) == since
    assert agency(since).registered_on(date(2007, 10, 31)) is None
    until = RegistrationFacts("national", None, date(2007, 10, 31))
    assert agency(until).registered_on(date(1990, 1, 1)) == until
    assert agency(until).registered_on(date(2007, 11, 1)) is None
    always = RegistrationFacts("national", None, None)
    assert agency(always).registered_on(date(2026, 1, 1)) == always


def test_the_registration_in_force_is_found_among_several() -> None:
    first = RegistrationFacts("EQAR", date(2008, 1, 1), date(2012, 12, 31))
    second = RegistrationFacts("EQAR", date(2013, 1, 1), None)
    assert agency(first, second).registered_on(date(2016, 1, 1)) == second
    assert agency(first, second).registered_on(date(2009, 1, 1)) == first
    assert agency().registered_on(date(2016, 1, 1)) is None


def test_the_engine_composes_one_outcome_from_the_facts() -> None:
    # A Malaysian bachelor (MQF 6) of an accredited university, 130 MY credits, assessed in
    # China for a xueshi place: the CN-MY agreement applies (BRIEF §3 assessment 5), so it is
    # recognised on that agreement; its workload (130 x 40 h / 27.5 h ≈ 189 ECTS) meets the norm.
    outcome = assess(inputs(), shipped_catalogue())
    assert outcome.recommendation is Outcome.RECOGNISED
    assert outcome.comparable_level == "CNDL:xueshi"
    assert outcome.substantial_differences == [] and outcome.conditions == []
    assert outcome.suggested_legal_basis.kind.value == "bilateral agreement"
    assert outcome.reference_levels["EQF"] == "EQF:6"
    assert [f.aspect.value for f in outcome.findings][:2] == ["identity", "quality"]
