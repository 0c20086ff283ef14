"""Builders of an assessment's inputs for the aspect modules' tests: a Malaysian bachelor
assessed in China, changed field by field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from services.recognition.assessment.facts import (
    AgencyFacts,
    AssessmentInputs,
    EvaluationFacts,
    InstitutionFacts,
    QualificationFacts,
    RegistrationFacts,
)

UM = "01935f4e-0000-7000-8000-000000000001"
MQA = "01935f4e-0000-7000-8000-0000000000a1"


def qualification(**changes: Any) -> QualificationFacts:
    base = QualificationFacts(
        country="MY",
        host_country="CN",
        title="Bachelor of Computer Science",
        level="MQF:6",
        target_level="CNDL:xueshi",
        field="0613",
        credits=130,
        credit_system="MY",
        years_full_time=None,
        mode="full-time",
        awarded_on=date(2021, 6, 30),
        transnational=False,
        purpose="further_study",
        institution_id=UM,
        institution_name=None,
    )
    return replace(base, **changes)


def institution(**changes: Any) -> InstitutionFacts:
    base = InstitutionFacts(
        id=UM,
        version=1,
        name="Universiti Malaya",
        country="MY",
        status="active",
        founded_on=date(1949, 10, 8),
        closed_on=None,
        origin_node="my",
    )
    return replace(base, **changes)


def mqa() -> AgencyFacts:
    return AgencyFacts(
        id=MQA,
        version=1,
        name="Malaysian Qualifications Agency",
        acronym="MQA",
        registrations=(RegistrationFacts("national", date(2007, 11, 1), None),),
    )


_serial = iter(range(1, 10**6))


def evaluation(
    decision: str, valid_from: date, valid_to: date | None, **changes: Any
) -> EvaluationFacts:
    n = next(_serial)
    base = EvaluationFacts(
        id=f"01935f4e-0000-7000-9000-{n:012d}",
        version=1,
        agency_id=MQA,
        decision=decision,
        valid_from=valid_from,
        valid_to=valid_to,
        flag="none",
        withdrawn=False,
        local_identifier=f"MQA-{n:04d}",
    )
    return replace(base, **changes)


def inputs(**changes: Any) -> AssessmentInputs:
    base = AssessmentInputs(
        qualification=qualification(),
        assessed_on=date(2026, 12, 1),
        institution=institution(),
        institution_lookup="id",
        name_matches=(),
        evaluations=(evaluation("positive", date(2015, 1, 1), date(2025, 12, 31)),),
        agencies=(mqa(),),
        precedents=(),
    )
    return replace(base, **changes)
