"""The conventions' parties and dates of entry into force (BRIEF §3 "Legal bases"), written from
the depositaries' records and the conventions' own final clauses, not from the module's table.

A party is bound from its date of entry into force; on the day before, the convention is not
(yet) established for it and must not be cited (BRIEF: "never a convention a country is not
party to"). Where only a date by which a state was certainly a party is known, that date is the
earliest the node may claim."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rules.conventions import CONVENTIONS, ConventionId, binding

# (convention, country, in force for it on, the date is exact per the depositary)
PARTIES: list[tuple[ConventionId, str, date, bool]] = [
    # Lisbon, ETS 165: CoE Treaty Office chart; art. XI.2 for later parties.
    (ConventionId.LISBON, "CH", date(1999, 2, 1), True),
    (ConventionId.LISBON, "NO", date(1999, 6, 1), True),  # deposit 1999-04-29
    (ConventionId.LISBON, "BE", date(2009, 9, 1), True),  # ratified 2009-07-22
    (ConventionId.LISBON, "FR", date(2000, 9, 18), False),  # décret n° 2000-941
    (ConventionId.LISBON, "IT", date(2002, 12, 1), False),  # Legge 148/2002
    (ConventionId.LISBON, "DE", date(2007, 10, 1), False),  # Gesetz vom 16. Mai 2007
    *(
        (ConventionId.LISBON, c, date(2021, 9, 14), False)  # Benelux-Baltic treaty's preamble
        for c in ("NL", "LU", "EE", "LV", "LT")
    ),
    # Tokyo: in force 2018-02-01 for its first five parties (UNESCO Bangkok); art. X.2.
    *((ConventionId.TOKYO, c, date(2018, 2, 1), True) for c in ("AU", "CN", "NZ", "JP", "KR")),
    (ConventionId.TOKYO, "VA", date(2018, 9, 1), True),  # deposit 2018-07-18
    *((ConventionId.TOKYO, c, date(2019, 9, 1), False) for c in ("MN", "TR")),  # 8 parties
    *((ConventionId.TOKYO, c, date(2023, 6, 1), False) for c in ("FJ", "RU", "AF", "AM")),
    # Addis Ababa: the 13th ratification brought it into force on 2019-12-15 (UNESCO).
    *(
        (ConventionId.ADDIS_ABABA, c, date(2019, 12, 15), True)
        for c in ("TG", "BF", "CG", "DJ", "GM", "GN", "LR", "MU", "MR", "SN", "SC", "ZA", "VA")
    ),
    (ConventionId.ADDIS_ABABA, "ZM", date(2022, 9, 27), False),
    # Buenos Aires: in force 2022-10-23 for CU, GD, PE, UY (UNESCO IESALC); VA 2023-04-01.
    *((ConventionId.BUENOS_AIRES, c, date(2022, 10, 23), True) for c in ("CU", "GD", "PE", "UY")),
    (ConventionId.BUENOS_AIRES, "VA", date(2023, 4, 1), True),
    # Global: in force 2023-03-05 (art. XVII, three months after the 20th instrument).
    *((ConventionId.GLOBAL, c, date(2023, 3, 5), True) for c in ("NO", "IS", "AD")),
    *((ConventionId.GLOBAL, c, date(2023, 3, 5), False) for c in ("FR", "JP", "GB")),
    (ConventionId.GLOBAL, "NZ", date(2024, 12, 17), True),  # ratified 2024-09-17
    (ConventionId.GLOBAL, "ZA", date(2024, 12, 18), True),  # ratified 2024-09-18
    (ConventionId.GLOBAL, "MN", date(2025, 2, 5), True),  # ratified 2024-11-05
]

# (convention, adopted on, in force on, article on recognising qualifications, regional)
TREATIES = [
    (ConventionId.LISBON, date(1997, 4, 11), date(1999, 2, 1), "VI.1", True),
    (ConventionId.TOKYO, date(2011, 11, 26), date(2018, 2, 1), "VI.1", True),
    (ConventionId.ADDIS_ABABA, date(2014, 12, 12), date(2019, 12, 15), None, True),
    (ConventionId.BUENOS_AIRES, date(2019, 7, 13), date(2022, 10, 23), None, True),
    (ConventionId.GLOBAL, date(2019, 11, 25), date(2023, 3, 5), "VI", False),
]

BY_ID = {c.id: c for c in CONVENTIONS}


@pytest.mark.parametrize(("convention", "adopted", "in_force", "article", "regional"), TREATIES)
def test_each_convention_as_adopted(
    convention: ConventionId, adopted: date, in_force: date, article: str | None, regional: bool
) -> None:
    c = BY_ID[convention]
    assert (c.adopted_on, c.in_force_on, c.article, c.regional) == (
        adopted,
        in_force,
        article,
        regional,
    )
    assert c.citation == (f"{c.name}, art. {article}" if article else c.name)


def test_the_five_conventions_regional_ones_first() -> None:
    assert [c.id for c in CONVENTIONS][-1] is ConventionId.GLOBAL
    assert {c.id for c in CONVENTIONS} == set(ConventionId)


@pytest.mark.parametrize(("convention", "country", "on", "exact"), PARTIES)
def test_a_party_is_bound_from_its_date_and_not_the_day_before(
    convention: ConventionId, country: str, on: date, exact: bool
) -> None:
    c = BY_ID[convention]
    assert c.in_force_for(country, on)
    assert c.in_force_for(country, on + timedelta(days=400))
    assert not c.in_force_for(country, on - timedelta(days=1))
    assert c.parties[country].verified is exact
    assert c.parties[country].country == country


def test_a_convention_binds_two_countries_once_in_force_for_both() -> None:
    # Norway (1999-06-01) and Switzerland (1999-02-01) under Lisbon
    assert [c.id for c in binding("no", "ch", date(1999, 6, 1))] == [ConventionId.LISBON]
    assert binding("NO", "CH", date(1999, 5, 31)) == []
    assert binding("CH", "NO", date(1999, 5, 31)) == []
    # a non-party on either side: never
    assert binding("CN", "MY", date(2026, 1, 1)) == []
    assert binding("MY", "CN", date(2026, 1, 1)) == []
    # Holy See: Tokyo, Addis Ababa and Buenos Aires; with South Africa only Addis Ababa
    assert [c.id for c in binding("VA", "ZA", date(2026, 1, 1))] == [ConventionId.ADDIS_ABABA]
    # New Zealand and South Africa: the Global Convention from the later of their dates
    assert binding("NZ", "ZA", date(2024, 12, 17)) == []
    assert [c.id for c in binding("NZ", "ZA", date(2024, 12, 18))] == [ConventionId.GLOBAL]
    # France and Norway: Lisbon first, then the Global Convention
    assert [c.id for c in binding("FR", "NO", date(2026, 1, 1))] == [
        ConventionId.LISBON,
        ConventionId.GLOBAL,
    ]


def test_the_reference_data_cannot_be_changed_by_its_readers() -> None:
    lisbon = BY_ID[ConventionId.LISBON]
    with pytest.raises(AttributeError):
        lisbon.article = "VI.2"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        lisbon.parties["CH"].in_force_on = date(1990, 1, 1)  # type: ignore[misc]
