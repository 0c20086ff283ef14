"""The institution record, owned by the node with authority over its country.

The record's state is one row: scalar columns plus its names, identifiers and (outgoing)
relationships as JSON, exactly as its events carry them. Two derived tables index that state
for lookups: `institution_identifier` (lookup by any identifier) and `institution_relationship`
(the reverse side of relationships, which a reader sees as the inverse relation). Both are
rewritten from the JSON whenever the record changes, so they never disagree with it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rules.reference_records import WORLD_WIDE_RESOURCES
from services.institutions.db import InstitutionsBase
from shared.audit import Audited
from shared.db import IdMixin, TimestampMixin, UtcDateTime, VersionMixin


class InstitutionStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    MERGED = "merged"
    CLOSED = "closed"


class InstitutionType(StrEnum):
    UNIVERSITY = "university"
    UNIVERSITY_OF_APPLIED_SCIENCES = "university_of_applied_sciences"
    COLLEGE = "college"
    VOCATIONAL_INSTITUTE = "vocational_institute"
    OTHER_PROVIDER = "other_provider"


class LegalStatus(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    OTHER = "other"


class NameKind(StrEnum):
    OFFICIAL = "official"
    ENGLISH = "english"
    TRANSLITERATED = "transliterated"
    ACRONYM = "acronym"
    ALIAS = "alias"


class IdentifierResource(StrEnum):
    """The registries an institution can be identified in (BRIEF §3)."""

    ROR = "ror"
    ETER = "eter"
    DEQAR = "deqar"
    ERASMUS = "erasmus"
    ERASMUS_CHARTER = "erasmus-charter"
    SCHAC = "schac"
    WHED = "whed"
    EU_PIC = "eu-pic"
    WIKIDATA = "wikidata"
    ISNI = "isni"
    NATIONAL = "national"
    LOCAL = "local"


# Identifiers of these registries name exactly one institution (rules/reference_records.py):
# a second record claiming one is a conflict, and the owner's record supersedes a reference
# record holding it. Others (ISNI, Wikidata, Erasmus codes, ...) are shared in practice — ROR
# itself gives one ISNI or Wikidata item to several records — and national and local codes
# are unique only where issued.
UNIQUE_RESOURCES = frozenset(IdentifierResource(r) for r in WORLD_WIDE_RESOURCES)


class RelationshipType(StrEnum):
    """`A <type> B`, read from A. Historical and hierarchical; each has an inverse that B's
    readers see, so relationships are always reciprocal."""

    SUCCEEDED = "succeeded"
    SUCCEEDED_BY = "succeeded_by"
    ABSORBED = "absorbed"
    ABSORBED_BY = "absorbed_by"
    SPUN_OFF_FROM = "spun_off_from"
    HAS_SPIN_OFF = "has_spin_off"
    PART_OF = "part_of"
    HAS_PART = "has_part"
    FACULTY_OF = "faculty_of"
    HAS_FACULTY = "has_faculty"
    CAMPUS_OF = "campus_of"
    HAS_CAMPUS = "has_campus"
    BRANCH_CAMPUS_OF = "branch_campus_of"
    HAS_BRANCH_CAMPUS = "has_branch_campus"
    MEMBER_OF = "member_of"
    HAS_MEMBER = "has_member"
    RELATED_TO = "related_to"


_PAIRS = [
    (RelationshipType.SUCCEEDED, RelationshipType.SUCCEEDED_BY),
    (RelationshipType.ABSORBED, RelationshipType.ABSORBED_BY),
    (RelationshipType.SPUN_OFF_FROM, RelationshipType.HAS_SPIN_OFF),
    (RelationshipType.PART_OF, RelationshipType.HAS_PART),
    (RelationshipType.FACULTY_OF, RelationshipType.HAS_FACULTY),
    (RelationshipType.CAMPUS_OF, RelationshipType.HAS_CAMPUS),
    (RelationshipType.BRANCH_CAMPUS_OF, RelationshipType.HAS_BRANCH_CAMPUS),
    (RelationshipType.MEMBER_OF, RelationshipType.HAS_MEMBER),
    (RelationshipType.RELATED_TO, RelationshipType.RELATED_TO),
]
INVERSE_RELATIONSHIP: dict[RelationshipType, RelationshipType] = {
    **{a: b for a, b in _PAIRS},
    **{b: a for a, b in _PAIRS},
}


class Institution(Audited, IdMixin, TimestampMixin, VersionMixin, InstitutionsBase):
    __audit_type__ = "institution"
    __tablename__ = "institution"

    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[InstitutionStatus] = mapped_column(
        String(16), default=InstitutionStatus.ACTIVE, index=True
    )
    type: Mapped[InstitutionType] = mapped_column(
        String(40), default=InstitutionType.UNIVERSITY, index=True
    )
    legal_status: Mapped[LegalStatus | None] = mapped_column(String(16))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    founded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    names: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    relationships: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A reference record, for a country no node has authority over: a copy loaded from a
    # registry (`edunode import … --reference`, never published), or one a node admin entered
    # with its source (published, signed by the entering node, kept by peers as a reference
    # record). Superseded, never duplicated, when the country's own node publishes the record
    # with the same world-wide identifier (docs/reference-records.md).
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reference_source: Mapped[str | None] = mapped_column(String(500))
    superseded_by: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # sha256 of the record's content (everything but id, origin, version and timestamps):
    # how a bulk import tells "unchanged" without rebuilding the whole state.
    content_hash: Mapped[str] = mapped_column(String(64), default="")


class InstitutionIdentifier(InstitutionsBase):
    """Derived: one row per identifier of an institution, for lookups."""

    __tablename__ = "institution_identifier"
    __table_args__ = (Index("ix_institution_identifier_resource_value", "resource", "value"),)

    institution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
    )
    resource: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class InstitutionRelationship(InstitutionsBase):
    """Derived: one row per relationship an institution declares (`institution_id <type>
    related_id`), indexed by the related side so that its inverse can be shown there."""

    __tablename__ = "institution_relationship"

    institution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    related_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)


class InstitutionQaStatus(InstitutionsBase):
    """The QA status the quality service last published for an institution (or one of its
    programmes), kept apart from the record: it is not the directory's to change, and it may
    arrive before the institution does."""

    __tablename__ = "institution_qa_status"

    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # programme or institution
    institution_id: Mapped[uuid.UUID] = mapped_column(index=True)
    programme_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(40), index=True)
    as_of: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int]
    # When this copy last changed: the running directory follows changes other processes
    # make (a resync) by it.
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
