"""Events as the directory, quality and peer recognition services publish them
(docs/events.md), to feed the recognition replicas in tests and benchmarks."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from shared.db import new_id, utcnow
from shared.events import CloudEvent, new_event


def _event(
    node: str, service: str, aggregate: str, action: str, data: dict[str, Any], version: int
) -> CloudEvent:
    return new_event(
        node=node,
        service=service,
        aggregate=aggregate,
        action=action,
        subject=str(data["id"]),
        data=data,
        version=version,
    )


def institution_event(
    *,
    node: str,
    name: str,
    country: str,
    institution_id: uuid.UUID | None = None,
    names: list[dict[str, Any]] | None = None,
    identifiers: list[dict[str, Any]] | None = None,
    status: str = "active",
    founded_on: date | None = None,
    closed_on: date | None = None,
    city: str | None = None,
    version: int = 1,
) -> CloudEvent:
    data = {
        "id": str(institution_id or new_id()),
        "origin_node": node,
        "country": country,
        "name": name,
        "names": names or [{"value": name, "lang": "en", "kind": "official", "valid_to": None}],
        "identifiers": identifiers or [],
        "city": city,
        "type": "university",
        "legal_status": "public",
        "status": status,
        "founded_on": founded_on.isoformat() if founded_on else None,
        "closed_on": closed_on.isoformat() if closed_on else None,
        "website": None,
        "updated_at": utcnow().isoformat(),
    }
    return _event(
        node, "institutions", "institution", "created" if version == 1 else "updated", data, version
    )


def agency_event(
    *,
    node: str,
    name: str,
    acronym: str,
    country: str,
    registrations: list[tuple[str, date | None, date | None]],
    agency_id: uuid.UUID | None = None,
    version: int = 1,
) -> CloudEvent:
    data = {
        "id": str(agency_id or new_id()),
        "origin_node": node,
        "name": name,
        "acronym": acronym,
        "country": country,
        "focus_countries": [],
        "registrations": [
            {
                "register": register,
                "valid_from": start.isoformat() if start else None,
                "valid_to": end.isoformat() if end else None,
                "decision": "admission",
            }
            for register, start, end in registrations
        ],
        "activities": [],
        "framework": "national",
        "updated_at": utcnow().isoformat(),
    }
    return _event(
        node, "quality", "agency", "created" if version == 1 else "updated", data, version
    )


def evaluation_event(
    *,
    node: str,
    agency_id: str,
    institution_ids: list[str],
    decision: str = "positive",
    valid_from: date,
    valid_to: date | None,
    evaluation_id: uuid.UUID | None = None,
    flag: str = "none",
    withdrawn: bool = False,
    local_identifier: str | None = None,
    version: int = 1,
) -> CloudEvent:
    data = {
        "id": str(evaluation_id or new_id()),
        "origin_node": node,
        "agency_id": agency_id,
        "local_identifier": local_identifier or f"local-{uuid.uuid4().hex[:8]}",
        "contributing_agency_ids": [],
        "activity_type": "institutional",
        "status": "part of obligatory EQA system",
        "decision": decision,
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat() if valid_to else None,
        "institution_ids": institution_ids,
        "programmes": [],
        "flag": flag,
        "withdrawn_at": utcnow().isoformat() if withdrawn else None,
        "updated_at": utcnow().isoformat(),
    }
    action = "withdrawn" if withdrawn else ("created" if version == 1 else "updated")
    return _event(node, "quality", "evaluation", action, data, version)


def decision_event(
    *,
    node: str,
    institution_id: str | None,
    institution_name: str,
    qualification: str,
    programme_level: str,
    origin_country: str,
    host_country: str,
    outcome: str,
    comparable_level: str | None,
    decided_on: date,
    decision_id: uuid.UUID | None = None,
    version: int = 1,
    processing_days: int | None = None,
) -> CloudEvent:
    """A peer's published decision; without `processing_days`, as the events published
    before that field was carried."""
    data: dict[str, Any] = {
        "id": str(decision_id or new_id()),
        "origin_node": node,
        "institution_id": institution_id,
        "institution_name": institution_name,
        "qualification": qualification,
        "programme_level": programme_level,
        "origin_country": origin_country,
        "host_country": host_country,
        "outcome": outcome,
        "comparable_level": comparable_level,
        "reasons": ["level: comparable"],
        "legal_basis": "national law",
        "decided_on": decided_on.isoformat(),
    }
    if processing_days is not None:
        data["processing_days"] = processing_days
    return _event(node, "recognition", "decision", "published", data, version)
