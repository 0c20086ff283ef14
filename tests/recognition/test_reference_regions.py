"""The reference data of the African and Latin American regions (issue 22), read as the
services read it: the legal basis between countries of the new regions, their frameworks,
ladders, referencing and credit conventions, China's agreements with its Belt and Road partners,
and the regional QA bodies. The expected answers come from the instruments and sources named in
each test, not from the data files."""

from __future__ import annotations

from datetime import date

import pytest

from rules.conventions import ConventionId
from rules.legal_basis import BasisKind, cite
from services.quality.reference_bodies import (
    reference_agencies,
    reference_agency_payloads,
    regional_bodies,
)
from services.recognition.catalogue.catalogue import load_shipped

CATALOGUE = load_shipped()


# -- legal bases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("home", "foreign", "on", "expected"),
    [
        # UNESCO, 2019-11-15: in force on 2019-12-15 for its first thirteen parties, South
        # Africa and Mauritius among them.
        ("MU", "ZA", date(2019, 12, 15), ConventionId.ADDIS_ABABA),
        ("SN", "TG", date(2024, 1, 1), ConventionId.ADDIS_ABABA),
        ("MU", "ZA", date(2019, 12, 14), None),  # the day before: not yet in force
        # UNESCO IESALC, 2022-10-26: in force on 2022-10-23 for Cuba, Grenada, Peru, Uruguay.
        ("UY", "PE", date(2022, 10, 23), ConventionId.BUENOS_AIRES),
        ("CU", "GD", date(2025, 6, 1), ConventionId.BUENOS_AIRES),
        ("UY", "PE", date(2022, 10, 22), None),
        # Not parties: Kenya (Addis Ababa), Brazil, Argentina, Mexico (Buenos Aires), China
        # (neither regional convention of these regions applies to it).
        ("CN", "KE", date(2026, 1, 1), None),
        ("ZA", "KE", date(2026, 1, 1), None),
        ("DE", "BR", date(2026, 1, 1), None),
        ("UY", "AR", date(2026, 1, 1), None),
        ("PE", "MX", date(2026, 1, 1), None),
    ],
)
def test_the_regional_conventions_bind_only_their_parties(
    home: str, foreign: str, on: date, expected: ConventionId | None
) -> None:
    citation = cite(home, foreign, on, [], "the national law")
    if expected is None:
        assert citation.kind is BasisKind.NATIONAL_LAW
    else:
        assert citation.kind is BasisKind.CONVENTION
        assert citation.instrument == expected.value


def test_a_regional_convention_is_cited_before_the_global_one() -> None:
    # South Africa: Global Convention from 2024-12-18 (ratified 2024-09-18, three months);
    # Norway since 2023-03-05. Norway is no party to the Addis Ababa Convention, Seychelles is.
    assert cite("NO", "ZA", date(2025, 1, 1), [], "x").instrument == ConventionId.GLOBAL.value
    assert cite("NO", "ZA", date(2024, 12, 17), [], "x").kind is BasisKind.NATIONAL_LAW
    assert cite("SC", "ZA", date(2025, 1, 1), [], "x").instrument == (
        ConventionId.ADDIS_ABABA.value
    )


# -- frameworks, ladders and referencing -------------------------------------------------------


def test_the_african_frameworks_have_their_published_levels() -> None:
    # ACQF Policy Document (2023) and SADCQF (2011): ten levels each; South Africa's NQF Act
    # 67 of 2008: ten levels; the KNQF: master's degree at level 9 (KNQA).
    for code, count in {"ACQF": 10, "SADCQF": 10, "ZANQF": 10, "KNQF": 10}.items():
        assert [lv.rank for lv in CATALOGUE.levels_of(code)] == list(range(1, count + 1))
    assert "Master" in CATALOGUE.level("KNQF:9").name
    assert CATALOGUE.level("KNQF:9").source.verified is True
    assert CATALOGUE.level("KE:7").code == "KNQF:7"  # the country code as alias


def test_south_africas_nqf_meets_the_sadcqf_through_its_alignment() -> None:
    comparison = CATALOGUE.compare("ZANQF:7", "SADCQF")
    assert comparison.result_levels == ["SADCQF:7"]
    assert [step.basis.value for step in comparison.path] == ["official_referencing"]
    assert CATALOGUE.reference_levels("ZANQF:7")["SADCQF"][0] == "SADCQF:7"


def test_no_national_framework_is_referenced_to_the_acqf_yet() -> None:
    # ACQF: no referencing report of a national framework was found published.
    assert not any(
        entry.to.startswith("ACQF:") or entry.from_.startswith("ACQF:")
        for entry in CATALOGUE.referencing
    )


@pytest.mark.parametrize(
    ("origin", "host", "comparable"),
    [
        ("KNQF:7", "CNDL", "CNDL:xueshi"),  # bachelor's: first cycle
        ("KNQF:9", "DQR", "DQR:7"),  # master's: second cycle
        ("BRDL:bacharelado", "DQR", "DQR:6"),
        ("BRDL:licenciatura", "MQF", "MQF:6"),
        ("BRDL:mestrado", "DQR", "DQR:7"),
        ("BRDL:doutorado", "CNDL", "CNDL:boshi"),
        ("ARDL:licenciatura", "DQR", "DQR:6"),
        ("ARDL:maestria", "CNDL", "CNDL:shuoshi"),
        ("AR:doctorado", "DQR", "DQR:8"),
        ("MXDL:tsu", "CNDL", "CNDL:zhuanke"),  # a short cycle, like the zhuanke
        ("MXDL:licenciatura", "CNDL", "CNDL:xueshi"),
        ("MXDL:maestria", "DQR", "DQR:7"),
        ("MX:doctorado", "MQF", "MQF:8"),
        ("PEDL:bachiller", "DQR", "DQR:6"),
        ("PE:maestro", "CNDL", "CNDL:shuoshi"),
    ],
)
def test_degrees_of_the_new_regions_compare_by_their_cycle(
    origin: str, host: str, comparable: str
) -> None:
    comparison = CATALOGUE.compare(origin, host)
    assert comparison.result_levels == [comparable]
    # No official referencing: the node's own statement, shown as not verified.
    assert comparison.verified is False
    assert comparison.path[0].basis.value == "comparability_statement"


@pytest.mark.parametrize(
    "origin", ["BRDL:especializacao", "ARDL:especializacion", "MXDL:especialidad", "ZANQF:8"]
)
def test_a_specialisation_is_related_to_no_cycle(origin: str) -> None:
    # A lato sensu especialização (Parecer CFE 977/65) or a posgrado especialización confers no
    # master's degree; South Africa's NQF 8 straddles two cycles.
    assert CATALOGUE.compare(origin, "DQR").result_levels == []


def test_a_ladder_orders_its_degrees() -> None:
    ranks = {lv.level: lv.rank for lv in CATALOGUE.levels_of("BRDL")}
    assert ranks["bacharelado"] == ranks["licenciatura"] < ranks["especializacao"]
    assert ranks["especializacao"] < ranks["mestrado"] < ranks["doutorado"]


def test_the_credit_conventions_of_the_new_regions() -> None:
    kenya = CATALOGUE.credit_system("KE-KNQF")
    assert kenya is not None and kenya.hours_per_credit == {
        "min": 10,
        "max": 10,
        "kind": "notional",
    }
    assert kenya.source.verified is True  # KNQA: 1 credit = 10 notional hours
    south_africa = CATALOGUE.credit_system("ZA-NQF")
    assert south_africa is not None
    # 120 credits a full-time year are 60 ECTS, the ECTS year.
    assert south_africa.per_year_full_time is not None
    assert south_africa.per_year_full_time * south_africa.ects_per_credit == 60
    for code in ("MX-SATCA", "BR-CH", "AR-CH"):
        system = CATALOGUE.credit_system(code)
        assert system is not None and system.source.verified is False  # conventions only
    # Argentina's RTF (Resolución 1870 E/2016): 27-30 hours of student work, an ECTS credit's.
    rtf = CATALOGUE.credit_system("AR-RTF")
    assert rtf is not None and rtf.source.verified is True
    assert rtf.hours_per_credit is not None
    low, high = float(rtf.hours_per_credit["min"]), float(rtf.hours_per_credit["max"])
    assert 25 <= low <= high <= 30 and rtf.ects_per_credit == 1.0


def test_every_new_fact_names_its_source() -> None:
    new = ("ACQF", "SADCQF", "ZANQF", "KNQF", "BRDL", "ARDL", "MXDL", "PEDL")
    for framework in new:
        assert CATALOGUE.frameworks[framework].source.title
        for level in CATALOGUE.levels_of(framework):
            assert level.source.title, level.code
    for entry in CATALOGUE.referencing:
        if entry.from_.split(":")[0] in new:
            assert entry.source.title


# -- China's agreements with Belt and Road partners --------------------------------------------


def test_chinas_belt_and_road_agreements_are_listed_with_their_dates() -> None:
    cyprus = CATALOGUE.agreements["cn-cy-2017"]
    assert cyprus.parties == ["CN", "CY"]
    assert cyprus.signed_on == date(2017, 5, 14)  # Cyprus Mail, 2017-05-14
    chinese = [a for a in CATALOGUE.agreements.values() if "CN" in a.parties]
    partners = {party for a in chinese for party in a.parties} - {"CN"}
    # China Daily 2016-10-21 (Sri Lanka 1988; Poland, Indonesia, Czech Republic in 2016); Ma
    # Jie 2014 (those signed by April 2009); Xinhua 2016-10-09 (the Baltic states, Malta).
    assert {"LK", "PL", "ID", "CZ", "RU", "KZ", "EG", "MU", "CM", "DZ", "PE", "EE"} <= partners
    for agreement in chinese:
        assert agreement.source.title and agreement.levels


def test_an_agreement_whose_entry_into_force_is_not_sourced_is_never_cited() -> None:
    # Listed for information only: the legal basis between China and Cyprus stays China's law
    # until the agreement's dates are entered.
    terms = [CATALOGUE.agreements["cn-cy-2017"].terms()]
    citation = cite("CN", "CY", date(2026, 1, 1), terms, "Degree Law of the PRC")
    assert citation.kind is BasisKind.NATIONAL_LAW


# -- QA bodies ---------------------------------------------------------------------------------


def test_the_reference_agencies_are_what_the_agencies_api_takes() -> None:
    payloads = reference_agency_payloads()
    assert len(payloads) == len(reference_agencies())
    for payload in payloads:
        assert payload["reference_source"]  # entered as reference records, with their source
    assert {p["acronym"] for p in reference_agency_payloads("ke", "za")} == {"CUE", "CHE"}


def test_the_regional_bodies_and_their_members() -> None:
    bodies = {body.acronym: body for body in regional_bodies()}
    assert {"AfriQAN", "HAQAA", "ARCU-SUR", "RIACES"} <= set(bodies)
    # AfriQAN: registered in Ghana on 2010-04-02 (afriqan.aau.org).
    assert bodies["AfriQAN"].seat == "GH"
    assert bodies["AfriQAN"].established_on == date(2010, 4, 2)
    # ARCU-SUR's RANA (arcusur.org): Argentina's CONEAU and Brazil's INEP among its members,
    # each an agency record of the file.
    members = set(bodies["ARCU-SUR"].members)
    assert {("AR", "CONEAU"), ("BR", "INEP")} <= members
    agencies = {(a.agency.country, a.agency.acronym) for a in reference_agencies()}
    assert members <= agencies
    for body in bodies.values():
        assert body.source.title
