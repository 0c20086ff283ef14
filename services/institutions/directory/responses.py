"""An institution's read over HTTP: its JSON bytes, with an ETag naming its version and what
the read shows. Both the read routes and the writes (which answer with the new read) send it."""

from __future__ import annotations

import zlib
from typing import Any

from fastapi import Response

from services.institutions.directory.cache import CachedRead
from shared.dependencies import etag_for

JSON = "application/json"

EXAMPLE: dict[str, Any] = {
    "id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "origin_node": "my",
    "is_reference": False,
    "name": "Universiti Malaya",
    "country": "MY",
    "names": [
        {"value": "Universiti Malaya", "lang": "ms", "kind": "official", "valid_to": None},
        {"value": "University of Malaya", "lang": "en", "kind": "english", "valid_to": None},
        {"value": "UM", "lang": None, "kind": "acronym", "valid_to": None},
    ],
    "identifiers": [
        {"resource": "ror", "value": "00rzspn62", "valid_from": None, "valid_to": None}
    ],
    "relationships": [],
    "city": "Kuala Lumpur",
    "latitude": 3.1209,
    "longitude": 101.6538,
    "website": "https://www.um.edu.my/",
    "type": "university",
    "legal_status": "public",
    "status": "active",
    "founded_on": "1905-01-01",
    "closed_on": None,
    "qa_status": "accredited",
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


def read_etag(read: CachedRead) -> str:
    """The ETag of an institution's read: its version (what If-Match checks) and a digest of
    the read, since the read also shows facts that change without a new version (its QA
    status, the relationships other records hold to it)."""
    return etag_for(read.version, f"{zlib.crc32(read.body):08x}")


def read_response(
    read: CachedRead,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    etag: str | None = None,
) -> Response:
    return Response(
        read.body,
        status_code=status_code,
        media_type=JSON,
        headers={"ETag": etag or read_etag(read), **(headers or {})},
    )
