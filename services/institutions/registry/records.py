"""Moving an institution between its three shapes: the stored row, the event state and the
read model. Pure functions: no SQL, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from services.institutions.registry.models import (
    INVERSE_RELATIONSHIP,
    Institution,
    RelationshipType,
)
from services.institutions.registry.schemas import InstitutionContent, hash_of_dump

CONTENT_FIELDS = tuple(InstitutionContent.model_fields)


def apply_content(row: Institution, content: InstitutionContent) -> None:
    """Write validated content into a row (JSON columns hold the canonical dumps)."""
    dumped = content.model_dump(mode="json")
    for key, value in column_values(content, dumped).items():
        setattr(row, key, value)


def column_values(content: InstitutionContent, dumped: dict[str, Any]) -> dict[str, Any]:
    """The institution table's content columns for validated content and its JSON dump."""
    return {
        "name": content.name,
        "country": content.country,
        "names": dumped["names"],
        "identifiers": dumped["identifiers"],
        "relationships": dumped["relationships"],
        "city": content.city,
        "latitude": content.latitude,
        "longitude": content.longitude,
        "geonames_id": content.geonames_id,
        "website": dumped["website"],
        "type": content.type.value,
        "legal_status": content.legal_status.value if content.legal_status else None,
        "status": content.status.value,
        "founded_on": content.founded_on,
        "closed_on": content.closed_on,
        "content_hash": hash_of_dump(dumped),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def content_dict(row: Institution) -> dict[str, Any]:
    """The row's content as JSON-ready values (the shape `InstitutionContent` dumps)."""
    return {
        "name": row.name,
        "country": row.country,
        "names": row.names,
        "identifiers": row.identifiers,
        "relationships": row.relationships,
        "city": row.city,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "geonames_id": row.geonames_id,
        "website": row.website,
        "type": str(row.type),
        "legal_status": str(row.legal_status) if row.legal_status else None,
        "status": str(row.status),
        "founded_on": _iso(row.founded_on),
        "closed_on": _iso(row.closed_on),
    }


def reference_of(row: Institution) -> dict[str, Any]:
    """A reference record's source and the owner's record that superseded it (both null for
    an owner's record)."""
    return {
        "reference_source": row.reference_source,
        "superseded_by": str(row.superseded_by) if row.superseded_by else None,
    }


def state_of(row: Institution) -> dict[str, Any]:
    """The whole state an event carries (docs/events.md): content plus identity and time."""
    return {
        "id": str(row.id),
        "origin_node": row.origin_node,
        **content_dict(row),
        **reference_of(row),
        "version": row.version,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def state_of_values(values: dict[str, Any], dumped: dict[str, Any]) -> dict[str, Any]:
    """`state_of` for a row given as column values plus its content's JSON dump."""
    return {
        "id": str(values["id"]),
        "origin_node": values["origin_node"],
        **dumped,
        "reference_source": values.get("reference_source"),
        "superseded_by": None,
        "version": values["version"],
        "created_at": values["created_at"].isoformat(),
        "updated_at": values["updated_at"].isoformat(),
    }


def merged_relationships(
    row: Institution, incoming: Iterable[tuple[str, uuid.UUID]]
) -> list[dict[str, str]]:
    """The row's own relationships, plus the inverse of those others declare towards it."""
    result = [dict(item) for item in row.relationships]
    seen = {(item["type"], item["institution_id"]) for item in result}
    for kind, declaring_id in incoming:
        inverse = INVERSE_RELATIONSHIP[RelationshipType(kind)].value
        key = (inverse, str(declaring_id))
        if key not in seen:
            seen.add(key)
            result.append({"type": inverse, "institution_id": str(declaring_id)})
    return result


def read_of(
    row: Institution, incoming: Iterable[tuple[str, uuid.UUID]], qa_status: str | None
) -> dict[str, Any]:
    """The read model as JSON-ready values."""
    return {
        "id": str(row.id),
        "origin_node": row.origin_node,
        "is_reference": row.is_reference,
        **reference_of(row),
        **content_dict(row),
        "relationships": merged_relationships(row, incoming),
        "qa_status": qa_status,
        "version": row.version,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }
