"""The recognition conventions: each one's parties and the date it entered into force for each
party (reference data, pure; read by `rules.legal_basis`).

A convention binds two countries on a date when both are parties and it is in force for each
of them on that date. Entry into force for a party follows the convention's final clauses:
- Lisbon 1997 (art. XI.2) and Tokyo 2011 (art. X.2): the first day of the month following one
  month after the party's instrument was deposited (for the first parties, the convention's
  own entry into force);
- Addis Ababa 2014 and Buenos Aires 2019: one month after the deposit;
- Global Convention 2019 (art. XVII): three months after the deposit, and not before
  2023-03-05, the convention's own entry into force.

Only the parties needed by the demo, the tests and their neighbours are listed: the lists are
not complete. Absence from a list means "not established to be a party", so the assessment
never cites a convention for a country missing here. Where the exact date could not be checked,
the date given is one by which the convention was certainly in force for that party (the
source says which), with `verified=False`; the depositaries' charts are the authority:
- Lisbon: Council of Europe Treaty Office, chart of signatures and ratifications of ETS 165
  (https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=165);
- Tokyo, Addis Ababa, Buenos Aires, Global: UNESCO, legal instruments, states parties
  (https://www.unesco.org/en/legal-affairs).

The African and Latin American demo countries are deliberately absent: Kenya is not among the
Addis Ababa Convention's parties listed on 2022-09-27 (University World News: twelve African
parties and the Holy See), and Brazil, Argentina and Mexico took part in adopting the Buenos
Aires Convention in 2019 but are not among its parties at its entry into force (UNESCO IESALC,
2022-10-26): no convention is cited for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ConventionId(StrEnum):
    LISBON = "lisbon-1997"
    TOKYO = "tokyo-2011"
    ADDIS_ABABA = "addis-ababa-2014"
    BUENOS_AIRES = "buenos-aires-2019"
    GLOBAL = "global-2019"


@dataclass(frozen=True)
class Party:
    """A country bound by a convention since `in_force_on`."""

    country: str
    in_force_on: date
    verified: bool
    source: str


@dataclass(frozen=True)
class Convention:
    id: ConventionId
    name: str  # how an applicant's letter names it
    title: str  # the official title
    adopted_on: date
    in_force_on: date  # the convention's own entry into force
    article: str | None  # the article on recognising higher education qualifications
    article_source: str
    regional: bool
    parties: Mapping[str, Party] = field(default_factory=dict)

    def in_force_for(self, country: str, on: date) -> bool:
        party = self.parties.get(country)
        return party is not None and party.in_force_on <= on

    def binds(self, first: str, second: str, on: date) -> bool:
        """Both countries are parties and the convention is in force for each on `on`."""
        return self.in_force_for(first, on) and self.in_force_for(second, on)

    @property
    def citation(self) -> str:
        return f"{self.name}, art. {self.article}" if self.article else self.name


def _parties(*parties: Party) -> dict[str, Party]:
    return {party.country: party for party in parties}


def _same(countries: str, on: date, verified: bool, source: str) -> tuple[Party, ...]:
    return tuple(Party(c, on, verified, source) for c in countries.split())


# -- Lisbon 1997 ----------------------------------------------------------------------------

_BENELUX_BALTIC = (
    "no later than 2021-09-14: the Benelux-Baltic treaty on automatic recognition signed that "
    "day (Tractatenblad 2021, 122) states in its preamble that the Lisbon Recognition "
    "Convention has entered into force for each of its parties; exact date not checked"
)
LISBON = Convention(
    id=ConventionId.LISBON,
    name="Lisbon Recognition Convention",
    title="Convention on the Recognition of Qualifications concerning Higher Education in the "
    "European Region (Council of Europe/UNESCO, ETS No. 165), Lisbon, 11 April 1997",
    adopted_on=date(1997, 4, 11),
    in_force_on=date(1999, 2, 1),
    article="VI.1",
    article_source="ETS 165, Section VI (Recognition of higher education qualifications), "
    "art. VI.1: recognition unless a substantial difference can be shown",
    regional=True,
    parties=_parties(
        Party("CH", date(1999, 2, 1), True, "Swiss Federal law collection RS 0.414.8"),
        Party(
            "NO",
            date(1999, 6, 1),
            True,
            "UNESCO: Norway's instrument deposited 1999-04-29; date by art. XI.2",
        ),
        Party(
            "BE",
            date(2009, 9, 1),
            True,
            "Belgian FPS Foreign Affairs treaty database: ratified 2009-07-22, in force 2009-09-01",
        ),
        Party(
            "FR",
            date(2000, 9, 18),
            False,
            "no later than 2000-09-18: published in France by décret n° 2000-941 of "
            "18 September 2000 (a treaty is published once in force); exact date not checked",
        ),
        Party(
            "IT",
            date(2002, 12, 1),
            False,
            "ratification authorised by Legge 11 luglio 2002, n. 148; date of deposit not checked",
        ),
        Party(
            "DE",
            date(2007, 10, 1),
            False,
            "ratified in 2007 (Gesetz vom 16. Mai 2007, BGBl. II); date not checked",
        ),
        *_same("NL LU EE LV LT", date(2021, 9, 14), False, _BENELUX_BALTIC),
    ),
)

# -- Tokyo 2011 -----------------------------------------------------------------------------

_TOKYO_FIRST = (
    "UNESCO Bangkok (University World News, 2018-01-13) and NIC Japan: in force 2018-02-01 "
    "for its first five parties (deposits: AU and CN 2014-07-17, NZ 2017-08-01, JP 2017-12-06, "
    "KR 2017-12-19)"
)
TOKYO = Convention(
    id=ConventionId.TOKYO,
    name="Tokyo Convention",
    title="Asia-Pacific Regional Convention on the Recognition of Qualifications in Higher "
    "Education (UNESCO), Tokyo, 26 November 2011",
    adopted_on=date(2011, 11, 26),
    in_force_on=date(2018, 2, 1),
    article="VI.1",
    article_source="Tokyo Convention, Section VI (Recognition of higher education "
    "qualifications), art. VI.1, drafted on the Lisbon Convention's art. VI.1",
    regional=True,
    parties=_parties(
        *_same("AU CN NZ JP KR", date(2018, 2, 1), True, _TOKYO_FIRST),
        Party(
            "VA",
            date(2018, 9, 1),
            True,
            "NIC Japan: Holy See's ratification deposited 2018-07-18; date by art. X.2",
        ),
        *_same(
            "MN TR",
            date(2019, 9, 1),
            False,
            "no later than 2019-09-01: NIC Japan lists them among the eight parties on that "
            "date; exact date not checked",
        ),
        *_same(
            "FJ RU AF AM",
            date(2023, 6, 1),
            False,
            "no later than 2023-06-01: NIC Japan lists them among the twelve parties on that "
            "date; exact date not checked",
        ),
    ),
)

# -- Addis Ababa 2014 -----------------------------------------------------------------------

ADDIS_ABABA = Convention(
    id=ConventionId.ADDIS_ABABA,
    name="Addis Ababa Convention",
    title="Revised Convention on the Recognition of Studies, Certificates, Diplomas, Degrees "
    "and Other Academic Qualifications in Higher Education in African States (UNESCO), Addis "
    "Ababa, 12 December 2014",
    adopted_on=date(2014, 12, 12),
    in_force_on=date(2019, 12, 15),
    article=None,
    article_source="article on recognising higher education qualifications not checked "
    "against the text: cited without an article",
    regional=True,
    parties=_parties(
        *_same(
            "TG BF CG DJ GM GN LR MU MR SN SC ZA VA",
            date(2019, 12, 15),
            True,
            "UNESCO, 2019-11-15: the 13th ratification brings the convention into force on "
            "2019-12-15 for its thirteen parties",
        ),
        Party(
            "ZM",
            date(2022, 9, 27),
            False,
            "no later than 2022-09-27: listed as a party by University World News that day; "
            "exact date not checked",
        ),
    ),
)

# -- Buenos Aires 2019 ----------------------------------------------------------------------

BUENOS_AIRES = Convention(
    id=ConventionId.BUENOS_AIRES,
    name="Buenos Aires Convention",
    title="Regional Convention on the Recognition of Studies, Diplomas and Degrees in Higher "
    "Education in Latin America and the Caribbean (UNESCO), Buenos Aires, 13 July 2019",
    adopted_on=date(2019, 7, 13),
    in_force_on=date(2022, 10, 23),
    article=None,
    article_source="article on recognising higher education qualifications not checked "
    "against the text: cited without an article",
    regional=True,
    parties=_parties(
        *_same(
            "CU GD PE UY",
            date(2022, 10, 23),
            True,
            "UNESCO IESALC, 2022-10-26: in force on 2022-10-23 for Cuba, Grenada, Peru and Uruguay",
        ),
        Party(
            "VA",
            date(2023, 4, 1),
            True,
            "UNESCO: Holy See's ratification deposited 2023-03-01, in force 2023-04-01 (art. V.2)",
        ),
    ),
)

# -- Global Convention 2019 -----------------------------------------------------------------

_GLOBAL_FIRST = (
    "UNESCO, 2023-03: in force on 2023-03-05, three months after the 20th instrument "
    "(Iceland and Andorra, 2022-12-05); Norway's approval deposited 2020-06-08"
)
GLOBAL = Convention(
    id=ConventionId.GLOBAL,
    name="Global Convention on the Recognition of Qualifications concerning Higher Education",
    title="Global Convention on the Recognition of Qualifications concerning Higher Education "
    "(UNESCO), Paris, 25 November 2019",
    adopted_on=date(2019, 11, 25),
    in_force_on=date(2023, 3, 5),
    article="VI",
    article_source="Global Convention, art. VI (recognition of higher education "
    "qualifications unless a substantial difference can be shown); not checked against the "
    "authentic text",
    regional=False,
    parties=_parties(
        *_same("NO IS AD", date(2023, 3, 5), True, _GLOBAL_FIRST),
        *_same(
            "FR JP GB",
            date(2023, 3, 5),
            False,
            "UNESCO press release of 2023-03 names France, Japan and the United Kingdom among "
            "the states that had ratified; dates of deposit not checked",
        ),
        Party("NZ", date(2024, 12, 17), True, "NIC Japan: ratified 2024-09-17"),
        Party("ZA", date(2024, 12, 18), True, "NIC Japan: ratified 2024-09-18"),
        Party("MN", date(2025, 2, 5), True, "NIC Japan: ratified 2024-11-05"),
    ),
)

# Regional conventions first: where a regional and the Global Convention both bind, the
# regional one is cited and the Global Convention named beside it (the Global Convention
# complements the regional conventions; it does not replace them).
CONVENTIONS: tuple[Convention, ...] = (LISBON, TOKYO, ADDIS_ABABA, BUENOS_AIRES, GLOBAL)


def binding(first: str, second: str, on: date) -> list[Convention]:
    """The conventions that bind both countries on `on`, regional ones first."""
    return [c for c in CONVENTIONS if c.binds(first.upper(), second.upper(), on)]
