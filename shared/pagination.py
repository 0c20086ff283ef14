"""Cursor (keyset) pagination: one path for every list endpoint.

A cursor is an opaque token holding the sort key of the last item served; the next page starts
strictly after it, so pages stay stable while records are added. Every list has a default page
size and a hard cap; asking for more is a 422, not a silent truncation.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, TypeDecorator, literal, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from shared.errors import BadRequest

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 200

T = TypeVar("T")
SortColumn = ColumnElement[Any] | InstrumentedAttribute[Any]
RowT = TypeVar("RowT")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` to get the next one."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Opaque cursor of the next page; null on the last page."
    )
    limit: int


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[
        int,
        Query(ge=1, le=PAGE_SIZE_MAX, description=f"Page size (at most {PAGE_SIZE_MAX})."),
    ] = PAGE_SIZE_DEFAULT,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="`next_cursor` of the previous page."),
    ] = None,
) -> PageParams:
    """FastAPI dependency reading `limit` and `cursor`."""
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    """Encode a sort key as an opaque, URL-safe cursor."""
    raw = orjson.dumps([_to_json(value) for value in values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, columns: Sequence[SortColumn]) -> list[Any]:
    """Decode a cursor back into typed values for `columns`; a malformed cursor is a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError("wrong length")
        return [_from_json(value, column) for value, column in zip(values, columns, strict=True)]
    except (ValueError, TypeError, orjson.JSONDecodeError) as error:
        raise BadRequest("the cursor is not valid for this list", cursor=None) from error


def _to_json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _python_type(column: SortColumn) -> tuple[type, bool]:
    """The Python type a column holds, and whether its timestamps carry a time zone."""
    column_type = column.type
    if isinstance(column_type, TypeDecorator):  # e.g. UtcDateTime: the stored type tells
        column_type = column_type.impl_instance
    try:
        python_type: type = column_type.python_type
    except NotImplementedError:
        return object, False
    return python_type, bool(getattr(column_type, "timezone", False))


# A cursor comes back from the client: every value is checked against its column before it
# reaches the database, which would otherwise fail on it (a 500) or compare it as another type.
_BIGINT = range(-(2**63), 2**63)


def _from_json(value: Any, column: SortColumn) -> Any:
    if value is None:
        return None
    python_type, aware = _python_type(column)
    if python_type in (uuid.UUID, datetime, date) and not isinstance(value, str):
        raise TypeError(f"expected a {python_type.__name__} as a string")
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is datetime:
        moment = datetime.fromisoformat(value)
        if aware and moment.tzinfo is None:
            raise ValueError("expected a timestamp with its time zone")
        return moment
    if python_type is date:
        return date.fromisoformat(value)
    if isinstance(value, bool) and python_type is not bool:
        raise TypeError(f"expected {python_type.__name__}")
    if python_type is int and isinstance(value, int):
        if value not in _BIGINT:
            raise ValueError("integer out of range")
        return value
    if python_type is float and isinstance(value, int | float):
        return float(value)
    if python_type is str and isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL in a text value")
        return value
    if python_type is object and isinstance(value, str | int | float):
        return value
    if python_type is bool and isinstance(value, bool):
        return value
    raise TypeError(f"expected {python_type.__name__}")


async def paginate(
    session: AsyncSession,
    statement: Select[RowT],
    params: PageParams,
    *,
    order_by: Sequence[SortColumn],
    key: Callable[[RowT], Sequence[Any]],
    descending: bool = False,
) -> tuple[list[RowT], str | None]:
    """Run `statement` one page at a time, ordered by `order_by` (a unique key: end it with the
    id). `key` reads that sort key back from a row. Returns the rows and the next cursor."""
    if params.cursor is not None:
        after = decode_cursor(params.cursor, order_by)
        boundary = tuple_(*order_by)
        # Bind each value with its column's type, so it is stored-format compatible (SQLite
        # compares timestamps and UUIDs as the strings the column type writes).
        start = tuple_(
            *(literal(value, column.type) for value, column in zip(after, order_by, strict=True))
        )
        statement = statement.where(boundary < start if descending else boundary > start)
    ordering = [column.desc() if descending else column.asc() for column in order_by]
    statement = statement.order_by(*ordering).limit(params.limit + 1)
    rows = list((await session.scalars(statement)).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor(key(rows[-1]))
