"""The legal basis a recommendation and a decision rest on (BRIEF "Legal bases"; issue 15 item 3).

Expected answers come from the conventions' own texts and their depositaries' records: the
Lisbon Recognition Convention (ETS 165) art. VI.1 binds its parties only; China is a party to
the Tokyo Convention (in force 2018-02-01 for its first five parties), Malaysia to neither;
Italy and France are parties to the Lisbon Convention; an agreement in force between the two
countries comes first; with nothing in common, the assessing country's national law is cited
by its name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules.conventions import CONVENTIONS, ConventionId, binding
from rules.legal_basis import AgreementTerms, BasisKind, cite
from shared.auth import Role
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.test_assessment_golden import (
    TARTU,
    estonian_directory,
    malaysian_directory,
    my_bachelor,
)

CN_LAW = "Degree Law of the People's Republic of China (2024)"
IT_LAW = "Legge 11 luglio 2002, n. 148"
DE_LAW = "Landeshochschulgesetze"


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


# -- the rule alone --------------------------------------------------------------------------


def test_a_non_party_never_gets_the_lisbon_convention() -> None:
    # China and Malaysia: neither is a party to ETS 165, nor do they share a convention.
    for day in (date(1999, 2, 1), date(2020, 1, 1), date(2026, 12, 7)):
        citation = cite("CN", "MY", day, [], CN_LAW)
        assert citation.kind is BasisKind.NATIONAL_LAW
        assert citation.text == CN_LAW


def test_two_parties_to_lisbon_get_article_vi_1() -> None:
    citation = cite("IT", "FR", date(2026, 12, 7), [], IT_LAW)
    assert citation.kind is BasisKind.CONVENTION
    assert citation.instrument == "lisbon-1997"
    assert citation.article == "VI.1"
    assert citation.text == "Lisbon Recognition Convention, art. VI.1"


def test_an_agreement_comes_before_the_convention() -> None:
    treaty = AgreementTerms(
        id="de-ee-test",
        title="Agreement between Germany and Estonia on academic recognition",
        multilateral=False,
        parties=frozenset({"DE", "EE"}),
        in_force_on=date(2024, 1, 1),
        article="3(1)",
    )
    citation = cite("DE", "EE", date(2026, 1, 1), [treaty], DE_LAW)
    assert citation.kind is BasisKind.AGREEMENT
    assert (
        citation.text == "Agreement between Germany and Estonia on academic recognition, art. 3(1)"
    )
    # Before the agreement's entry into force, the convention binding both applies.
    before = cite("DE", "EE", date(2023, 12, 31), [treaty], DE_LAW)
    assert before.kind is BasisKind.CONVENTION and before.instrument == "lisbon-1997"
    # An agreement that does not bind the home country is never cited.
    assert cite("FR", "EE", date(2026, 1, 1), [treaty], "Code de l'éducation").instrument == (
        "lisbon-1997"
    )


def test_a_bilateral_agreement_comes_before_a_multilateral_one() -> None:
    bilateral = AgreementTerms("b", "Bilateral", False, frozenset({"BE", "EE"}), date(2020, 1, 1))
    multilateral = AgreementTerms(
        "a", "Multilateral", True, frozenset({"BE", "EE", "LV"}), date(2020, 1, 1)
    )
    assert cite("BE", "EE", date(2025, 1, 1), [multilateral, bilateral], "x").instrument == "b"


def test_a_date_before_a_partys_entry_into_force_does_not_cite_the_convention() -> None:
    # Tokyo Convention: in force on 2018-02-01 for Australia and China (UNESCO Bangkok).
    assert cite("CN", "AU", date(2018, 1, 31), [], CN_LAW).kind is BasisKind.NATIONAL_LAW
    on_the_day = cite("CN", "AU", date(2018, 2, 1), [], CN_LAW)
    assert on_the_day.instrument == "tokyo-2011"
    assert on_the_day.text == "Tokyo Convention, art. VI.1"
    # Holy See: instrument deposited 2018-07-18, bound from 2018-09-01 (art. X.2).
    assert cite("CN", "VA", date(2018, 8, 31), [], CN_LAW).kind is BasisKind.NATIONAL_LAW
    assert cite("CN", "VA", date(2018, 9, 1), [], CN_LAW).instrument == "tokyo-2011"
    # Belgium: Lisbon in force for it on 2009-09-01; Switzerland since 1999-02-01.
    assert cite("CH", "BE", date(2009, 8, 31), [], "x").kind is BasisKind.NATIONAL_LAW
    assert cite("CH", "BE", date(2009, 9, 1), [], "x").instrument == "lisbon-1997"
    # The Global Convention entered into force on 2023-03-05 (Norway, Iceland, Andorra).
    assert cite("NO", "AD", date(2023, 3, 4), [], "x").kind is BasisKind.NATIONAL_LAW
    assert cite("NO", "AD", date(2023, 3, 5), [], "x").instrument == "global-2019"


def test_a_regional_convention_is_cited_before_the_global_one() -> None:
    # New Zealand and Mongolia: both parties to the Tokyo Convention (NZ from 2018-02-01, MN by
    # 2019-09-01) and to the Global Convention (NZ from 2024-12-17, MN from 2025-02-05): the
    # regional convention is cited, the Global one named beside it once it binds both.
    citation = cite("NZ", "MN", date(2025, 6, 1), [], "Education and Training Act 2020")
    assert citation.instrument == "tokyo-2011"
    assert citation.also == (
        "Global Convention on the Recognition of Qualifications concerning Higher Education",
    )
    before_mongolia = cite("NZ", "MN", date(2025, 2, 4), [], "Education and Training Act 2020")
    assert before_mongolia.instrument == "tokyo-2011" and before_mongolia.also == ()


def test_every_party_entered_into_force_no_earlier_than_its_convention() -> None:
    for convention in CONVENTIONS:
        for party in convention.parties.values():
            assert party.in_force_on >= convention.in_force_on, (convention.id, party)
            assert party.source, (convention.id, party.country)
    assert ConventionId.LISBON not in {c.id for c in binding("CN", "MY", date(2026, 1, 1))}


# -- through the API -------------------------------------------------------------------------


def _mentions_lisbon(assessment: dict[str, Any]) -> bool:
    text = str(assessment).lower()
    return "lisbon" in text or "lrc" in text


async def _assess(node: RecognitionNode, qualification: dict[str, Any], target: str) -> Any:
    case = await node.open_case(qualification, target)
    await node.complete(case["id"])
    return case["id"], await node.assess(case["id"])


async def test_a_cn_my_case_at_cn_never_cites_the_lisbon_convention(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True, national_legal_basis=CN_LAW, directory=True)
    await node.apply(*malaysian_directory())
    # With the QA evidence: the 2011 CN-MY agreement applies.
    _, under_agreement = await _assess(node, my_bachelor(), "CNDL:xueshi")
    assert under_agreement["suggested_legal_basis"]["kind"] == "bilateral agreement"
    assert under_agreement["suggested_legal_basis"]["reference"] == "cn-my-2011"
    assert not _mentions_lisbon(under_agreement)
    # Without it (an unknown institution), no agreement applies: China's law, by name.
    case_id, without = await _assess(
        node,
        my_bachelor(institution_id=None, institution_name="Kolej Tiada Nama Sebenar"),
        "CNDL:xueshi",
    )
    assert without["suggested_legal_basis"] == {
        "kind": "national law",
        "reference": CN_LAW,
        "citation": CN_LAW,
    }
    assert not _mentions_lisbon(without)
    # The officer cannot rest the decision on a convention the two countries are not party to.
    response = await node.client.post(
        f"/v1/recognition/cases/{case_id}/decision",
        json={"outcome": "conditional", "legal_basis": {"kind": "LRC"}},
        headers=node.headers,
    )
    assert response.status_code == 422, response.text
    assert "does not bind both MY and CN" in response.json()["detail"]
    # A refusal on national law names the law.
    refused = await node.client.post(
        f"/v1/recognition/cases/{case_id}/decision",
        json={
            "outcome": "refused",
            "legal_basis": {"kind": "national law"},
            "justification": "the awarding institution could not be identified",
            "substantial_differences": [
                {"element": "quality", "description": "institution not identified"}
            ],
        },
        headers=node.headers,
    )
    assert refused.status_code == 201, refused.text
    assert refused.json()["legal_basis_reference"] == CN_LAW
    published = await node.client.get(
        "/v1/recognition/decisions", params={"origin_node": node.node}
    )
    assert published.status_code == 200, published.text
    [decision] = published.json()["items"]
    assert decision["legal_basis"] == f"national law: {CN_LAW}"


async def test_a_french_degree_assessed_in_italy_cites_lisbon_article_vi_1(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("it", sqlite=True, national_legal_basis=IT_LAW, directory=True)
    _, assessment = await _assess(
        node,
        {
            "institution_name": "Université Paris Cité",
            "country": "FR",
            "title": "Licence Informatique",
            "level": "EQF:6",
            "credits": 180,
            "credit_system": "ECTS",
            "awarded_on": "2022-06-30",
        },
        "EQF:6",
    )
    basis = assessment["suggested_legal_basis"]
    assert basis["kind"] == "LRC"
    assert basis["reference"] == "art. VI.1"
    assert basis["citation"].startswith("Lisbon Recognition Convention, art. VI.1")


async def test_an_agreement_is_cited_by_title_and_article(start_recognition: StartNode) -> None:
    node = await start_recognition("de", sqlite=True, national_legal_basis=DE_LAW)
    await node.apply(*estonian_directory())
    title = "Abkommen zwischen Deutschland und Estland über die akademische Anerkennung"
    created = await node.client.post(
        "/v1/recognition/agreements",
        json={
            "title": title,
            "kind": "bilateral",
            "parties": ["DE", "EE"],
            "in_force_on": "2024-01-01",
            "levels": ["QF-EHEA:first", "QF-EHEA:second"],
            "article": "3(1)",
            "source": {"title": "test agreement entered by the node", "verified": False},
        },
        headers=node.token(Role.NODE_ADMIN),
    )
    assert created.status_code == 201, created.text
    assert created.json()["article"] == "3(1)"
    _, assessment = await _assess(
        node,
        {
            "institution_id": str(TARTU),
            "country": "EE",
            "title": "Bachelor of Science in Informatics",
            "level": "EQF:6",
            "credits": 180,
            "credit_system": "ECTS",
            "awarded_on": "2021-06-15",
        },
        "DQR:6",
    )
    basis = assessment["suggested_legal_basis"]
    assert basis["kind"] == "bilateral agreement", assessment["findings"]
    assert basis["reference"] == created.json()["id"]
    assert basis["citation"] == f"{title}, art. 3(1)"


async def test_the_conventions_are_published_with_their_parties(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn", sqlite=True)
    listed = await node.client.get("/v1/recognition/conventions")
    assert listed.status_code == 200, listed.text
    names = {c["id"]: c for c in listed.json()}
    assert set(names) == {
        "lisbon-1997",
        "tokyo-2011",
        "addis-ababa-2014",
        "buenos-aires-2019",
        "global-2019",
    }
    assert names["lisbon-1997"]["in_force_on"] == "1999-02-01"
    assert names["global-2019"]["in_force_on"] == "2023-03-05"
    chinese = await node.client.get("/v1/recognition/conventions", params={"country": "cn"})
    assert [(c["id"], [p["country"] for p in c["parties"]]) for c in chinese.json()] == [
        ("tokyo-2011", ["CN"])
    ]
    assert chinese.json()[0]["parties"][0]["in_force_on"] == "2018-02-01"
    malaysian = await node.client.get("/v1/recognition/conventions", params={"country": "MY"})
    assert malaysian.json() == []
