"""When a reference record and the record its country's node publishes are the same
(docs/reference-records.md, "the same record as the owner's when"): institutions by a ROR, ETER,
DEQAR or WHED identifier, or by a national identifier in the same country; agencies by country
and acronym in any case."""

from __future__ import annotations

import pytest

from rules.reference_records import (
    ensure_claim_of_origin,
    institution_keys,
    same_agency,
    same_institution,
)


@pytest.mark.parametrize("resource", ["ror", "eter", "deqar", "whed", "ROR", "Deqar"])
def test_a_world_wide_identifier_names_one_institution_whatever_the_country(
    resource: str,
) -> None:
    ids = [(resource, "0abc123")]
    # the country given with a record never matters for a world-wide identifier
    assert same_institution("ID", ids, "id", ids)
    assert same_institution("ID", ids, "MY", ids)
    assert not same_institution("ID", ids, "ID", [(resource, "0abc124")])


@pytest.mark.parametrize("resource", ["ror", "eter", "deqar", "whed"])
def test_the_resource_is_part_of_the_identifier(resource: str) -> None:
    others = {"ror", "eter", "deqar", "whed"} - {resource}
    for other in others:
        assert not same_institution("ID", [(resource, "42")], "ID", [(other, "42")])


def test_a_national_identifier_is_the_same_institution_only_in_the_same_country() -> None:
    ids = [("national", "001")]
    assert same_institution("ID", ids, "id", ids)
    assert same_institution("id", [("National", "001")], "ID", ids)
    assert not same_institution("ID", ids, "MY", ids)
    assert not same_institution("ID", ids, "ID", [("national", "002")])


@pytest.mark.parametrize("resource", ["isni", "wikidata", "erasmus", "erasmus-charter", "other"])
def test_shared_identifiers_prove_nothing(resource: str) -> None:
    ids = [(resource, "Q1")]
    assert not same_institution("ID", ids, "ID", ids)
    assert institution_keys("ID", ids) == set()


def test_one_common_identifier_among_several_is_enough() -> None:
    first = [("wikidata", "Q1"), ("national", "7"), ("ror", "r1")]
    second = [("ror", "r2"), ("national", "7")]
    assert same_institution("ID", first, "ID", second)
    assert not same_institution("ID", first, "TH", second)
    # every identifier of a record gives its key, not only the first or the last
    assert len(institution_keys("ID", [("ror", "r1"), ("eter", "e1"), ("national", "7")])) == 3
    assert not same_institution("ID", [], "ID", [])


def test_an_agency_is_the_same_by_country_and_acronym_in_any_case() -> None:
    assert same_agency("ID", "BAN-PT", "ID", "BAN-PT")
    assert same_agency("id", "ban-pt", "ID", "BAN-PT")
    # either way round
    assert not same_agency("ID", "BAN-PT", "MY", "BAN-PT")
    assert not same_agency("MY", "BAN-PT", "ID", "BAN-PT")
    assert not same_agency("ID", "BAN-PT", "ID", "LAMDIK")
    assert not same_agency("ID", "LAMDIK", "ID", "BAN-PT")


@pytest.mark.parametrize(
    ("acronym", "other"), [(None, "BAN-PT"), ("BAN-PT", None), ("", ""), (None, None)]
)
def test_an_agency_without_an_acronym_is_never_the_same(
    acronym: str | None, other: str | None
) -> None:
    assert not same_agency("ID", acronym, "ID", other)


def test_a_reference_record_never_takes_the_id_of_another_origins_record() -> None:
    """docs/reference-records.md: reference records "never override a record: an event whose
    record id belongs to another node's record is refused"."""
    with pytest.raises(ValueError, match="belongs to 'my'"):
        ensure_claim_of_origin("institution x", "my", "cn", reference=True)
    with pytest.raises(ValueError, match="belongs to 'cn'"):
        ensure_claim_of_origin("institution x", "cn", "my", reference=True)


def test_a_reference_record_may_update_itself_and_be_new() -> None:
    # its own origin's earlier state, and an id nobody holds yet, are not claims on another's
    ensure_claim_of_origin("institution x", "cn", "cn", reference=True)
    # the same origin however its name was read (an equal string, not the same object)
    ensure_claim_of_origin("institution x", "".join(["c", "n"]), "cn", reference=True)
    ensure_claim_of_origin("institution x", None, "cn", reference=True)


def test_an_authoritys_own_state_is_not_refused_by_the_reference_rule() -> None:
    # the authority's genuine state replaces one stored from another origin (a forgery): the
    # version rule decides, not this one (shared.repository.replaces_stored)
    ensure_claim_of_origin("institution x", "cn", "my", reference=False)
