"""Which instrument a recognition rests on (BRIEF "Legal bases"), pure.

Precedence: an agreement between the two countries in force on the date (bilateral before
multilateral), then a convention binding both countries on that date (regional before the
Global Convention), then the assessing country's national law, by its name. A convention one
of the two countries is not party to on that date is never cited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rules.conventions import Convention, binding


class BasisKind(StrEnum):
    AGREEMENT = "agreement"
    CONVENTION = "convention"
    NATIONAL_LAW = "national law"


@dataclass(frozen=True)
class AgreementTerms:
    """What the rule needs to know of a recognition agreement."""

    id: str
    title: str
    multilateral: bool
    parties: frozenset[str]
    in_force_on: date | None
    ended_on: date | None = None
    article: str | None = None

    def binds(self, first: str, second: str, on: date) -> bool:
        return (
            first in self.parties
            and second in self.parties
            and self.in_force_on is not None
            and self.in_force_on <= on
            and (self.ended_on is None or self.ended_on > on)
        )


@dataclass(frozen=True)
class Citation:
    kind: BasisKind
    instrument: str  # the agreement's id, the convention's id, or the law's name
    title: str
    article: str | None = None
    convention: Convention | None = None
    also: tuple[str, ...] = ()  # other conventions binding both countries, by name

    @property
    def text(self) -> str:
        """The citation as an applicant reads it: the instrument's title and article."""
        if self.convention is not None:
            return self.convention.citation
        return f"{self.title}, art. {self.article}" if self.article else self.title


def cite(
    home: str,
    foreign: str,
    on: date,
    agreements: Iterable[AgreementTerms],
    national_law: str,
) -> Citation:
    """The instrument on which `home` recognises a qualification from `foreign` on `on`.

    `agreements` are those the caller found applicable to the qualification (level covered,
    institution recognised at home); one is cited only if it binds both countries on `on`.
    """
    home, foreign = home.upper(), foreign.upper()
    usable = sorted(
        (a for a in agreements if a.binds(home, foreign, on)),
        key=lambda a: (a.multilateral, a.id),
    )
    if usable:
        agreement = usable[0]
        return Citation(
            kind=BasisKind.AGREEMENT,
            instrument=agreement.id,
            title=agreement.title,
            article=agreement.article,
        )
    conventions = binding(home, foreign, on)
    if conventions:
        first = conventions[0]
        return Citation(
            kind=BasisKind.CONVENTION,
            instrument=first.id.value,
            title=first.title,
            article=first.article,
            convention=first,
            also=tuple(c.name for c in conventions[1:]),
        )
    name = national_law.strip() or f"the national law of {home}"
    return Citation(kind=BasisKind.NATIONAL_LAW, instrument=name, title=name)
