"""Golden scenarios of the African and Latin American regions (issue 22): each feeds the replicas
through the service's own event handlers, opens a case and checks the recommendation, the
comparable level, the findings and the legal basis. The expected answers come from the BRIEF's
rules and the instruments themselves, not from the engine:

- a Kenyan bachelor's (KNQF level 7) at `cn`: no reference framework has an official
  referencing of the KNQF, so the level goes through the node's own comparability statement
  (a bachelor's is a first-cycle degree, ISCED 6) and says it is not verified; China and Kenya
  have no agreement and no convention binds both (China is not a party to the Addis Ababa
  Convention, Kenya not to the Tokyo or the Global Convention), so the basis is China's law;
- a Brazilian mestrado at `de`: a second-cycle degree, DQR level 7 through the EQF; two years
  full-time are 120 ECTS, within the KMK's 60-120 for a master's; Brazil is party to no
  convention Germany is, so the basis is the Länder's law;
- a South African bachelor's (NQF level 7, 360 credits) at `mu`: NQF 7 is aligned to SADCQF
  level 7 (the 2019 alignment report), 360 credits of 10 notional hours are three full-time
  years (180 ECTS); South Africa and Mauritius are both parties to the Addis Ababa Convention
  since its entry into force on 2019-12-15, which is the basis cited;
- a Peruvian bachiller at `uy`, the first cycle sought: both countries are parties to the Buenos
  Aires Convention since its entry into force on 2022-10-23 (UNESCO IESALC), which is cited.
SQLite only: the rules do not depend on the engine."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.db import new_id
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import agency_event, evaluation_event, institution_event


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


NAIROBI = new_id()
CUE = new_id()
USP = new_id()
INEP = new_id()
WITS = new_id()
CHE = new_id()
SAN_MARCOS = new_id()
SINEACE = new_id()

KENYAN_DIRECTORY = [
    institution_event(
        node="ke",
        name="University of Nairobi",
        country="KE",
        institution_id=NAIROBI,
        identifiers=[{"resource": "ror", "value": "https://ror.org/02y9nww90"}],
        founded_on=date(1970, 7, 1),
    ),
    agency_event(
        node="ke",
        name="Commission for University Education",
        acronym="CUE",
        country="KE",
        agency_id=CUE,
        registrations=[("national", date(2012, 12, 13), None)],
    ),
    evaluation_event(
        node="ke",
        agency_id=str(CUE),
        institution_ids=[str(NAIROBI)],
        valid_from=date(2019, 1, 1),
        valid_to=date(2026, 12, 31),
    ),
]

BRAZILIAN_DIRECTORY = [
    institution_event(
        node="br",
        name="Universidade de São Paulo",
        country="BR",
        institution_id=USP,
        identifiers=[{"resource": "ror", "value": "https://ror.org/036rp1748"}],
        founded_on=date(1934, 1, 25),
    ),
    agency_event(
        node="br",
        name="Instituto Nacional de Estudos e Pesquisas Educacionais Anísio Teixeira",
        acronym="INEP",
        country="BR",
        agency_id=INEP,
        registrations=[("national", date(2004, 4, 14), None)],
    ),
    evaluation_event(
        node="br",
        agency_id=str(INEP),
        institution_ids=[str(USP)],
        valid_from=date(2018, 1, 1),
        valid_to=date(2025, 12, 31),
    ),
]

SOUTH_AFRICAN_DIRECTORY = [
    institution_event(
        node="za",
        name="University of the Witwatersrand",
        country="ZA",
        institution_id=WITS,
        founded_on=date(1922, 3, 1),
    ),
    agency_event(
        node="za",
        name="Council on Higher Education",
        acronym="CHE",
        country="ZA",
        agency_id=CHE,
        registrations=[("national", date(2009, 6, 1), None)],
    ),
    evaluation_event(
        node="za",
        agency_id=str(CHE),
        institution_ids=[str(WITS)],
        valid_from=date(2017, 1, 1),
        valid_to=date(2027, 12, 31),
    ),
]

PERUVIAN_DIRECTORY = [
    institution_event(
        node="pe",
        name="Universidad Nacional Mayor de San Marcos",
        country="PE",
        institution_id=SAN_MARCOS,
        founded_on=date(1551, 5, 12),
    ),
    agency_event(
        node="pe",
        name="Sistema Nacional de Evaluación, Acreditación y Certificación de la Calidad Educativa",
        acronym="SINEACE",
        country="PE",
        agency_id=SINEACE,
        registrations=[("national", date(2006, 5, 20), None)],
    ),
    evaluation_event(
        node="pe",
        agency_id=str(SINEACE),
        institution_ids=[str(SAN_MARCOS)],
        valid_from=date(2018, 1, 1),
        valid_to=date(2026, 12, 31),
    ),
]

ALL_ASPECTS = {
    "identity",
    "quality",
    "level",
    "workload",
    "profile",
    "learning_outcomes",
    "agreement",
    "precedents",
}


async def _assess(
    start_recognition: StartNode,
    host: str,
    directory: list[Any],
    qualification: dict[str, Any],
    target_level: str,
) -> dict[str, Any]:
    node: RecognitionNode = await start_recognition(host, sqlite=True)
    await node.apply(*directory)
    case = await node.open_case(qualification, target_level)
    await node.complete(case["id"])
    result: dict[str, Any] = await node.assess(case["id"])
    assert {f["aspect"] for f in result["findings"]} == ALL_ASPECTS
    return result


def _findings(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["aspect"]: f for f in result["findings"]}


async def test_a_kenyan_bachelor_assessed_in_china(start_recognition: StartNode) -> None:
    result = await _assess(
        start_recognition,
        "cn",
        KENYAN_DIRECTORY,
        {
            "institution_id": str(NAIROBI),
            "country": "KE",
            "title": "Bachelor of Science in Computer Science",
            "level": "KNQF:7",
            "field": "0613",
            "years_full_time": 4,
            "mode": "full-time",
            "awarded_on": "2022-07-01",
        },
        "CNDL:xueshi",
    )
    findings = _findings(result)
    assert result["recommendation"] == "recognised", result["reasons"]
    assert result["comparable_level"] == "CNDL:xueshi"
    assert result["substantial_differences"] == []
    for aspect in ("identity", "quality", "level", "workload"):
        assert findings[aspect]["outcome"] == "positive", findings[aspect]
    assert findings["agreement"]["outcome"] == "not_applicable"
    level = findings["level"]
    assert (
        "KNQF:7 (KNQF level 7 (Bachelor's degree)) corresponds to CNDL:xueshi" in level["summary"]
    )
    assert level["data"]["verified"] is False  # the node's own statement, not a referencing
    assert any(
        "comparability_statement (not verified against its source)" in e["detail"]
        for e in level["evidence"]
        if e["kind"] == "referencing"
    )
    assert "240" in findings["workload"]["summary"]  # 4 full-time years
    assert "CUE" in findings["quality"]["summary"]
    basis = result["suggested_legal_basis"]
    assert basis["kind"] == "national law"
    assert "Convention" not in basis["citation"]


async def test_a_brazilian_mestrado_assessed_in_germany(start_recognition: StartNode) -> None:
    result = await _assess(
        start_recognition,
        "de",
        BRAZILIAN_DIRECTORY,
        {
            "institution_id": str(USP),
            "country": "BR",
            "title": "Mestre em Ciência da Computação",
            "level": "BRDL:mestrado",
            "field": "0613",
            "years_full_time": 2,
            "mode": "full-time",
            "awarded_on": "2021-03-01",
        },
        "DQR:7",
    )
    findings = _findings(result)
    assert result["recommendation"] == "recognised", result["reasons"]
    assert result["comparable_level"] == "DQR:7"
    assert result["substantial_differences"] == []
    for aspect in ("identity", "quality", "level", "workload"):
        assert findings[aspect]["outcome"] == "positive", findings[aspect]
    assert findings["agreement"]["outcome"] == "not_applicable"
    assert "corresponds to DQR:7" in findings["level"]["summary"]
    assert findings["level"]["data"]["verified"] is False
    workload = findings["workload"]["summary"]
    assert "120 ECTS" in workload and "60\N{EN DASH}120 ECTS" in workload
    assert result["suggested_legal_basis"]["kind"] == "national law"


async def test_a_south_african_bachelor_assessed_in_mauritius_under_the_addis_convention(
    start_recognition: StartNode,
) -> None:
    result = await _assess(
        start_recognition,
        "mu",
        SOUTH_AFRICAN_DIRECTORY,
        {
            "institution_id": str(WITS),
            "country": "ZA",
            "title": "Bachelor of Commerce",
            "level": "ZANQF:7",
            "field": "0411",
            "credits": 360,
            "credit_system": "ZA-NQF",
            "mode": "full-time",
            "awarded_on": "2023-12-01",
        },
        "SADCQF:7",
    )
    findings = _findings(result)
    assert result["recommendation"] == "recognised", result["reasons"]
    assert result["comparable_level"] == "SADCQF:7"
    for aspect in ("identity", "quality", "level", "workload"):
        assert findings[aspect]["outcome"] == "positive", findings[aspect]
    assert "ZANQF:7" in findings["level"]["summary"]
    assert "180" in findings["workload"]["summary"]  # 360 credits, 2 to an ECTS credit
    basis = result["suggested_legal_basis"]
    assert basis["kind"] == "Addis Ababa Convention"
    assert basis["citation"].startswith("Addis Ababa Convention")


async def test_a_peruvian_bachiller_assessed_in_uruguay_under_the_buenos_aires_convention(
    start_recognition: StartNode,
) -> None:
    result = await _assess(
        start_recognition,
        "uy",
        PERUVIAN_DIRECTORY,
        {
            "institution_id": str(SAN_MARCOS),
            "country": "PE",
            "title": "Bachiller en Economía",
            "level": "PEDL:bachiller",
            "field": "0311",
            "years_full_time": 4,
            "mode": "full-time",
            "awarded_on": "2024-03-15",
        },
        "QF-EHEA:first",
    )
    findings = _findings(result)
    assert result["recommendation"] == "recognised", result["reasons"]
    assert result["comparable_level"] == "QF-EHEA:first"
    for aspect in ("identity", "quality", "level", "workload"):
        assert findings[aspect]["outcome"] == "positive", findings[aspect]
    basis = result["suggested_legal_basis"]
    assert basis["kind"] == "Buenos Aires Convention"
    assert basis["citation"].startswith("Buenos Aires Convention")
