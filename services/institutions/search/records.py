"""What the search engine knows of an institution, and how a ROR v2 record becomes one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NAME_KINDS = frozenset({"official", "english", "transliterated", "acronym", "alias", "label"})

# Namespace for deterministic institution ids derived from ROR ids (uuid5 of the ROR URL).
ROR_NAMESPACE = uuid.NAMESPACE_URL


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One name of an institution: its text, language (ISO 639-1 or None) and kind."""

    value: str
    lang: str | None
    kind: str  # official | english | transliterated | acronym | alias | label
    historical: bool = False


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """The searchable view of an institution; the owner of the directory builds these."""

    id: uuid.UUID
    country: str
    status: str
    type: str | None
    city: str | None
    names: tuple[IndexedName, ...]
    identifiers: tuple[tuple[str, str], ...] = ()  # (resource, value)
    qa_status: str | None = None
    parent_ids: tuple[uuid.UUID, ...] = ()


def id_from_ror(ror_id: str) -> uuid.UUID:
    """The deterministic institution id of a ROR record ("https://ror.org/02v51f717")."""
    return uuid.uuid5(ROR_NAMESPACE, normalise_ror_id(ror_id))


def normalise_ror_id(ror_id: str) -> str:
    ror_id = ror_id.strip()
    if not ror_id.startswith("https://ror.org/"):
        ror_id = "https://ror.org/" + ror_id.rsplit("/", 1)[-1]
    return ror_id


# ROR's status words mapped to the directory's {active, inactive, merged, closed}.
_STATUS = {"active": "active", "inactive": "inactive", "withdrawn": "closed"}
_IDENTIFIER_RESOURCES = {
    "isni": "ISNI",
    "wikidata": "Wikidata",
    "grid": "GRID",
    "fundref": "FundRef",
}


def records_from_ror(ror_record: Mapping[str, Any]) -> IndexRecord:
    """Turn one ROR v2 record into an `IndexRecord`.

    Names: `ror_display` → official; a label in English → english, in another language →
    label; alias → alias; acronym → acronym. An inactive record with a successor is "merged".
    The type is ROR's first type (education, funder, ...); the directory maps its own types.
    """
    ror_id = normalise_ror_id(str(ror_record["id"]))
    locations = ror_record.get("locations") or []
    details: Mapping[str, Any] = (locations[0].get("geonames_details") or {}) if locations else {}
    names: list[IndexedName] = []
    for name in ror_record.get("names") or []:
        types = name.get("types") or []
        lang = name.get("lang")
        if "ror_display" in types:
            kind = "official"
        elif "acronym" in types:
            kind = "acronym"
        elif "alias" in types:
            kind = "alias"
        elif lang == "en":
            kind = "english"
        else:
            kind = "label"
        names.append(IndexedName(value=str(name["value"]), lang=lang, kind=kind))
    relationships = ror_record.get("relationships") or []
    status = _STATUS.get(str(ror_record.get("status", "active")), "inactive")
    if status == "inactive" and any(r.get("type") == "successor" for r in relationships):
        status = "merged"
    identifiers: list[tuple[str, str]] = [("ROR", ror_id)]
    for ext in ror_record.get("external_ids") or []:
        resource = _IDENTIFIER_RESOURCES.get(str(ext.get("type")), str(ext.get("type")))
        value = ext.get("preferred") or next(iter(ext.get("all") or []), None)
        if value:
            identifiers.append((resource, str(value)))
    types = ror_record.get("types") or []
    return IndexRecord(
        id=id_from_ror(ror_id),
        country=str(details.get("country_code") or ""),
        status=status,
        type=str(types[0]) if types else None,
        city=details.get("name"),
        names=tuple(names),
        identifiers=tuple(identifiers),
        parent_ids=tuple(
            id_from_ror(str(r["id"])) for r in relationships if r.get("type") == "parent"
        ),
    )
