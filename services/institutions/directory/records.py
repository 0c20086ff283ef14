"""What the search engine knows of an institution (the directory builds these from its rows:
`services.institutions.directory.memory.index_record`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One name of an institution: its text, language (ISO 639-1 or None) and kind."""

    value: str
    lang: str | None
    kind: str  # official | english | transliterated | acronym | alias
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
