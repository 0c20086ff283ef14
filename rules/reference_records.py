"""When two records are the same institution or agency: how a reference record (of a country
no node has authority over, docs/reference-records.md) is recognised in the record its
country's own node publishes, and superseded by it.

Institutions: the same identifier of a registry that gives one identifier to one institution
(ROR, ETER, DEQAR, WHED), or the same national identifier in the same country (national codes
are unique only where they are issued). Other identifiers (ISNI, Wikidata, Erasmus codes, ...)
are shared in practice and prove nothing. Agencies: the same country and acronym, whatever
the case.
"""

from __future__ import annotations

from collections.abc import Iterable

# Registries whose identifier names exactly one institution in the world.
WORLD_WIDE_RESOURCES = frozenset({"ror", "eter", "deqar", "whed"})
NATIONAL_RESOURCE = "national"


def institution_keys(country: str, identifiers: Iterable[tuple[str, str]]) -> set[str]:
    """The keys under which an institution with these (resource, value) identifiers is the
    same as another record having one of them: world-wide identifiers as they are, national
    ones within their country."""
    keys = set()
    for resource, value in identifiers:
        resource = resource.lower()
        if resource in WORLD_WIDE_RESOURCES:
            keys.add(f"{resource}:{value}")
        elif resource == NATIONAL_RESOURCE:
            keys.add(f"{resource}:{country.upper()}:{value}")
    return keys


def same_institution(
    country: str,
    identifiers: Iterable[tuple[str, str]],
    other_country: str,
    other_identifiers: Iterable[tuple[str, str]],
) -> bool:
    """Whether two institution records name the same institution (module docstring)."""
    return bool(
        institution_keys(country, identifiers) & institution_keys(other_country, other_identifiers)
    )


def same_agency(country: str, acronym: str | None, other_country: str, other: str | None) -> bool:
    """Whether two agency records name the same agency: same country, same acronym."""
    if not acronym or not other:
        return False
    return country.upper() == other_country.upper() and acronym.lower() == other.lower()


def ensure_claim_of_origin(
    record: str, stored_origin: str | None, origin: str, *, reference: bool
) -> None:
    """A reference record (its signature checked, no authority needed) claiming the id of a
    record stored here from another origin never overrides it: ValueError. An authority's own
    state does (see `shared.repository.replaces_stored`); `stored_origin` is None for a record
    not stored yet."""
    if reference and stored_origin is not None and stored_origin != origin:
        raise ValueError(f"{record} belongs to {stored_origin!r}")
