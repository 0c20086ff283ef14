"""The legal basis a recognition rests on (BRIEF §3 "Legal bases"): an agreement between the two
countries in force on the date, bilateral before multilateral; then a convention binding both on
that date, regional before the Global Convention; then the assessing country's national law by
its name. Never a convention one of them is not party to.

Treaty facts: Lisbon (ETS 165) is in force for Switzerland since 1999-02-01, Belgium since
2009-09-01 (Belgian treaty database); Tokyo for China and Australia since 2018-02-01 (UNESCO
Bangkok); the Global Convention for Norway, Iceland and Andorra since 2023-03-05 (UNESCO)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.legal_basis import AgreementTerms, BasisKind, cite

ON = date(2026, 1, 1)


def treaty(**changes: object) -> AgreementTerms:
    base: dict[str, object] = {
        "id": "cn-my-2011",
        "title": "Agreement between China and Malaysia on Mutual Recognition of Higher "
        "Education Qualifications",
        "multilateral": False,
        "parties": frozenset({"CN", "MY"}),
        "in_force_on": date(2011, 4, 28),
        "ended_on": None,
        "article": None,
    }
    base.update(changes)
    return AgreementTerms(**base)  # type: ignore[arg-type]


def test_an_agreement_binds_from_the_day_it_enters_into_force() -> None:
    agreement = treaty(in_force_on=ON)
    assert cite("CN", "MY", ON, [agreement], "x").kind is BasisKind.AGREEMENT
    assert cite("CN", "MY", date(2025, 12, 31), [agreement], "x").kind is BasisKind.NATIONAL_LAW


def test_an_agreement_no_longer_binds_from_the_day_it_ends() -> None:
    agreement = treaty(ended_on=ON)
    assert cite("CN", "MY", date(2025, 12, 31), [agreement], "x").kind is BasisKind.AGREEMENT
    assert cite("CN", "MY", ON, [agreement], "x").kind is BasisKind.NATIONAL_LAW
    assert cite("CN", "MY", date(2026, 1, 2), [agreement], "x").kind is BasisKind.NATIONAL_LAW


def test_an_agreement_not_yet_in_force_binds_nobody() -> None:
    agreement = treaty(in_force_on=None)
    assert cite("CN", "MY", ON, [agreement], "x").kind is BasisKind.NATIONAL_LAW


def test_an_agreement_binds_only_its_parties_on_both_sides() -> None:
    agreement = treaty()
    assert cite("CN", "TH", ON, [agreement], "x").kind is BasisKind.NATIONAL_LAW
    assert cite("TH", "MY", ON, [agreement], "x").kind is BasisKind.NATIONAL_LAW
    # country codes are compared whatever their case
    assert cite("cn", "my", ON, [agreement], "x").kind is BasisKind.AGREEMENT


def test_an_agreement_is_cited_by_title_and_by_article_when_it_has_one() -> None:
    without = cite("CN", "MY", ON, [treaty()], "x")
    assert without.instrument == "cn-my-2011"
    assert without.text == (
        "Agreement between China and Malaysia on Mutual Recognition of Higher Education "
        "Qualifications"
    )
    assert without.article is None
    with_article = cite("CN", "MY", ON, [treaty(article="2")], "x")
    assert with_article.text.endswith("Qualifications, art. 2")
    assert with_article.article == "2"


def test_of_two_bilateral_agreements_one_is_chosen_whatever_their_order() -> None:
    first, second = treaty(id="a"), treaty(id="b")
    assert (
        cite("CN", "MY", ON, [first, second], "x").instrument
        == cite("CN", "MY", ON, [second, first], "x").instrument
    )


def test_a_multilateral_agreement_applies_when_no_bilateral_one_does() -> None:
    multilateral = treaty(id="m", multilateral=True, parties=frozenset({"CN", "MY", "TH"}))
    ended = treaty(id="b", ended_on=date(2020, 1, 1))
    assert cite("CN", "MY", ON, [ended, multilateral], "x").instrument == "m"


def test_a_convention_is_cited_with_its_article_and_its_name() -> None:
    citation = cite("CH", "BE", ON, [], "x")
    assert citation.kind is BasisKind.CONVENTION
    assert citation.instrument == "lisbon-1997"
    assert citation.article == "VI.1"
    assert citation.convention is not None
    assert citation.text == "Lisbon Recognition Convention, art. VI.1"
    assert citation.also == ()
    assert "Lisbon" in citation.title and "1997" in citation.title


def test_the_convention_binds_on_the_day_it_enters_into_force_for_the_later_party() -> None:
    assert cite("ch", "be", date(2009, 9, 1), [], "x").instrument == "lisbon-1997"
    assert cite("CH", "BE", date(2009, 8, 31), [], "x").kind is BasisKind.NATIONAL_LAW


def test_without_agreement_or_convention_the_national_law_is_cited_by_its_name() -> None:
    law = "Degree Law of the People's Republic of China (2024)"
    citation = cite("CN", "MY", ON, [], law)
    assert citation.kind is BasisKind.NATIONAL_LAW
    assert citation.instrument == law and citation.title == law and citation.text == law
    assert citation.article is None and citation.convention is None
    # surrounding blanks are not part of the name
    assert cite("CN", "MY", ON, [], f"  {law} ").text == law


def test_a_node_without_a_configured_law_names_its_country() -> None:
    citation = cite("cn", "MY", ON, [], "  ")
    assert citation.kind is BasisKind.NATIONAL_LAW
    assert citation.text == "the national law of CN"
    assert cite("CN", "MY", ON, [], "").text == "the national law of CN"


def test_agreement_terms_and_citations_are_values() -> None:
    # equal terms are one agreement, equal citations one citation (deduplicated in a set);
    # neither can be changed after the rule read or gave it
    assert len({treaty(), treaty()}) == 1
    assert len({cite("CN", "MY", ON, [treaty()], "x"), cite("CN", "MY", ON, [treaty()], "x")}) == 1
    citation = cite("CN", "MY", ON, [], "x")
    with pytest.raises(AttributeError):
        citation.title = "y"  # type: ignore[misc]


def test_a_bilateral_agreement_is_cited_before_a_multilateral_one_in_any_order() -> None:
    bilateral = treaty(id="z-bilateral")
    multilateral = treaty(id="a-multilateral", multilateral=True)
    for agreements in ([bilateral, multilateral], [multilateral, bilateral]):
        assert cite("CN", "MY", ON, agreements, "x").instrument == "z-bilateral"


def test_the_regional_convention_is_cited_and_the_global_one_named_beside_it() -> None:
    # France and Norway: parties to Lisbon and to the Global Convention (in force 2023-03-05)
    citation = cite("FR", "NO", ON, [], "x")
    assert citation.instrument == "lisbon-1997"
    assert citation.also == (
        "Global Convention on the Recognition of Qualifications concerning Higher Education",
    )
