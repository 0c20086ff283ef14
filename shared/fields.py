"""Field types for what clients send, where pydantic's lax parsing would accept more than the
OpenAPI document promises.

The document says `format: date` and `type: boolean`; lax pydantic also takes `0` as the day
1970-01-01 and `0`/`1` as booleans, so a client's mistake would be stored instead of refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, model_validator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_date_only(value: Any) -> Any:
    """A date, or text in the form YYYY-MM-DD (pydantic then checks it is a real day)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date in the form YYYY-MM-DD is required")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
"""A day as clients write it: `2026-01-31` (never a number of seconds since 1970)."""


def _iso_datetime_only(value: Any) -> Any:
    """A datetime, or ISO 8601 text starting YYYY-MM-DDTHH:MM (pydantic checks the rest)."""
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_DATETIME.match(value)):
        return value
    raise ValueError("a date and time in ISO 8601 form (2026-01-31T09:30:00Z) is required")


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime_only)]
"""A moment as clients write it: `2026-01-31T09:30:00Z` (never a number of seconds)."""

JsonBool = StrictBool
"""A JSON `true` or `false` in a request body (never `0`, `1` or `"yes"`). Not for query
parameters, which arrive as text."""


def _one_line(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


ReferenceSource = Annotated[
    str,
    BeforeValidator(_one_line),
    Field(
        min_length=3,
        max_length=500,
        description="Where a reference record's facts come from (a register, its date): required "
        "for a record of a country no node has authority over (docs/reference-records.md).",
        examples=["Ministry of Education ID register, 2026-10-01"],
    ),
]
"""The source of a reference record, as its writer names it."""


# Characters no text of edunode may hold: the C0 and C1 controls but tab, line feed and
# carriage return (which notes and descriptions may contain), DEL, and lone UTF-16 surrogates
# (JSON's `\ud800` escapes, which are not characters at all). PostgreSQL refuses NUL outright,
# so a record holding one could not be stored on a PostgreSQL node or replicated to one; the
# others are invisible in every listing and break CSV and terminal output.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_CHARACTERS_MESSAGE = (
    "control characters (other than tab and line breaks) and lone surrogates are not allowed"
)


def control_character_paths(value: Any, path: str) -> list[str]:
    """The dotted paths (`body.names.0.value`) of every text in a decoded JSON value, object
    keys included, that holds a character of `CONTROL_CHARACTERS`."""
    found: list[str] = []
    pending: list[tuple[Any, str]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            if CONTROL_CHARACTERS.search(item):
                found.append(where)
        elif isinstance(item, dict):
            for key, child in item.items():
                if CONTROL_CHARACTERS.search(key):
                    found.append(where)
                pending.append((child, f"{where}.{key}"))
        elif isinstance(item, list):
            pending.extend((child, f"{where}.{index}") for index, child in enumerate(item))
    return sorted(found)


def _omit_null(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Show the fields of `model.not_null` as their type alone: they may be left out, not sent
    as null."""
    for name in getattr(model, "not_null", ()):
        field = schema.get("properties", {}).get(name)
        if field is None:
            continue
        if field.get("default", ...) is None:
            del field["default"]
        options = [option for option in field.pop("anyOf", []) if option != {"type": "null"}]
        if len(options) == 1:
            field.update(options[0])
        elif options:
            field["anyOf"] = options


class PartialUpdate(BaseModel):
    """The body of a PATCH: a field left out keeps its value, a field sent as null is cleared.
    A field that cannot be cleared (a name, a status) is named in `not_null`: its null is
    refused (422), and the OpenAPI document shows it as not nullable, so the two agree."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_omit_null)
    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _refuse_null(self) -> Self:
        for name in self.not_null:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null; leave it out to keep its value")
        return self
