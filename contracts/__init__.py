"""The published language: the state each event type carries, as pydantic schemas, one module
per publishing service (docs/events.md).

A publisher builds or checks what it publishes with these; a consumer parses with them and keeps
what it needs. Unknown fields are ignored, so a publisher may add fields in a minor version
(docs/events.md); renaming or removing one is a new major (`.v2`). Field names and JSON are the
wire's: events already in the streams must keep parsing.

Like `rules`, this package imports nothing of `services` nor of `shared` (import-linter enforces
it): every service may import it, and it can be read alone.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def published(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """`data` as it is published, once checked against the schema of its event type (a
    ValidationError is the publisher's bug: what leaves must be the published language). The
    JSON is kept as the publisher made it."""
    schema.model_validate(data)
    return data
