"""The legal basis the assessment suggests (BRIEF §3 "Legal bases"; issue 15 item 3): the
agreement that applies (bilateral or multilateral, named by title), else the convention binding
both countries at the assessment date (its article, and any other convention binding both named
beside it), else the assessing node's national law by name. Never a convention one of the two
countries is not party to: China and Malaysia share none; Italy and France are parties to the
Lisbon Convention; Norway and France to the Lisbon and to the Global Convention (in force
2023-03-05); China and Australia to the Tokyo Convention; Cuba and Peru to the Buenos Aires
Convention; Senegal and Togo to the Addis Ababa Convention (in force 2019-12-15); Norway and
Japan share only the Global Convention."""

from __future__ import annotations

from datetime import date

import pytest

from services.recognition.assessment.facts import State
from services.recognition.assessment.legal_basis import _legal_basis
from services.recognition.assessment.schemas import LegalBasis
from services.recognition.catalogue.catalogue import shipped_catalogue
from tests.recognition.assessment_facts import inputs, qualification

CN_LAW = "Degree Law of the People's Republic of China (2024)"
CN_MY = (
    "Agreement between the Government of the People's Republic of China and the Government "
    "of Malaysia on the Mutual Recognition of Higher Education Qualifications"
)


def basis(state: State | None = None, **changes: object) -> LegalBasis:
    catalogue = shipped_catalogue()
    facts = inputs(national_legal_basis=CN_LAW, **changes)
    return _legal_basis(facts, catalogue, state or State())


def applying(agreement_id: str) -> State:
    agreement = shipped_catalogue().agreements[agreement_id]
    return State(agreement=agreement, agreement_applies=True)


def test_an_applicable_bilateral_agreement_is_the_basis() -> None:
    found = basis(applying("cn-my-2011"))
    assert found.kind.value == "bilateral agreement"
    assert found.reference == "cn-my-2011"
    assert found.citation == CN_MY


def test_an_agreement_that_does_not_apply_is_not_cited() -> None:
    agreement = shipped_catalogue().agreements["cn-my-2011"]
    found = basis(State(agreement=agreement, agreement_applies=False))
    assert found.kind.value == "national law" and found.citation == CN_LAW
    assert found.reference == CN_LAW


def test_a_multilateral_agreement_is_said_to_be_one() -> None:
    # the Benelux-Baltic treaty, in force 2024-05-01: an Estonian degree assessed in Belgium
    estonian = qualification(country="EE", host_country="BE")
    found = basis(applying("benelux-baltic-2021"), qualification=estonian)
    assert found.kind.value == "multilateral agreement"
    assert found.reference == "benelux-baltic-2021"
    assert str(found.citation).startswith(
        "Treaty between the Benelux countries and the Baltic States"
    )


@pytest.mark.parametrize(
    ("home", "foreign", "kind", "citation"),
    [
        ("IT", "FR", "LRC", "Lisbon Recognition Convention, art. VI.1"),
        ("CN", "AU", "Tokyo Convention", "Tokyo Convention, art. VI.1"),
        ("SN", "TG", "Addis Ababa Convention", "Addis Ababa Convention"),
        ("PE", "CU", "Buenos Aires Convention", "Buenos Aires Convention"),
        (
            "NO",
            "JP",
            "Global Convention",
            "Global Convention on the Recognition of Qualifications concerning Higher "
            "Education, art. VI",
        ),
    ],
)
def test_each_convention_binding_both_countries_is_its_own_kind_of_basis(
    home: str, foreign: str, kind: str, citation: str
) -> None:
    found = basis(qualification=qualification(country=foreign, host_country=home))
    assert found.kind.value == kind
    # (other conventions may bind both as well: they are named after it)
    assert str(found.citation).startswith(citation)


def test_a_convention_is_referenced_by_its_article() -> None:
    lisbon = basis(qualification=qualification(country="FR", host_country="IT"))
    assert lisbon.reference == "art. VI.1"
    # the Addis Ababa Convention's article is not established: no reference, not "art. None"
    addis = basis(qualification=qualification(country="TG", host_country="SN"))
    assert addis.reference is None


def test_another_convention_binding_both_is_named_beside_the_regional_one() -> None:
    found = basis(qualification=qualification(country="FR", host_country="NO"))
    assert found.kind.value == "LRC"
    assert found.citation == (
        "Lisbon Recognition Convention, art. VI.1 (also binding: Global Convention on the "
        "Recognition of Qualifications concerning Higher Education)"
    )
    # before the Global Convention entered into force, Lisbon alone
    early = basis(
        qualification=qualification(country="FR", host_country="NO"), assessed_on=date(2023, 3, 4)
    )
    assert early.citation == "Lisbon Recognition Convention, art. VI.1"


def test_china_and_malaysia_share_no_convention_so_the_national_law_is_cited() -> None:
    found = basis()
    assert found.kind.value == "national law"
    assert found.citation == CN_LAW and found.reference == CN_LAW
