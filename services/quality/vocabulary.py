"""The controlled vocabularies of quality assurance, with DEQAR's values (BRIEF §3), and the
small value types the agencies and evaluations share."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

# The QA status rule owns these two; the service speaks them as its own vocabulary.
from rules.qa_status import Decision as Decision
from rules.qa_status import QAStatus as QAStatus


class ActivityType(StrEnum):
    """What an agency evaluates (DEQAR activity types)."""

    INSTITUTIONAL = "institutional"
    PROGRAMME = "programme"
    JOINT_PROGRAMME = "joint programme"
    INSTITUTIONAL_PROGRAMME = "institutional-programme"


# DEQAR spells the combined type with a slash; events use the hyphen (docs/events.md).
ACTIVITY_ALIASES = {"institutional/programme": ActivityType.INSTITUTIONAL_PROGRAMME.value}


class Register(StrEnum):
    EQAR = "EQAR"
    AQAN = "AQAN"
    NATIONAL = "national"


class RegistrationDecision(StrEnum):
    ADMISSION = "admission"
    RENEWAL = "renewal"
    CHANGE = "change"
    COMPLIANT = "compliant"
    EXTRAORDINARY = "extraordinary"


class Framework(StrEnum):
    ESG_2015 = "ESG 2015"
    AUN_QA_PROGRAMME_V4 = "AUN-QA programme v4"
    AUN_QA_INSTITUTIONAL_V2 = "AUN-QA institutional v2"
    AQAF = "AQAF"
    NATIONAL = "national"


class FocusKind(StrEnum):
    OFFICIAL = "official"
    CROSS_BORDER = "cross-border"


class EvaluationStatus(StrEnum):
    """Whether the evaluation was part of the country's obligatory external QA."""

    OBLIGATORY = "part of obligatory EQA system"
    VOLUNTARY = "voluntary"


class FlagLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    HIGH = "high"


class DegreeOutcome(StrEnum):
    FULL_DEGREE = "full degree"
    NO_FULL_DEGREE = "no full degree"


def _upper(value: str) -> str:
    return value.upper()


Country = Annotated[
    str,
    Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", examples=["MY"]),
    AfterValidator(_upper),
]
Language = Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[a-z]{2}$", examples=["en"])]
