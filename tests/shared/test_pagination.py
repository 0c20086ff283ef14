"""Cursor pagination: pages follow each other without duplicates or gaps (also while records
are added), the page size has a default and a hard cap, and a bad cursor is a 400 problem."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends
from sqlalchemy import String, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base, Database, IdMixin, TimestampMixin, new_id, new_metadata
from shared.errors import BadRequest
from shared.pagination import (
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    PageParams,
    decode_cursor,
    encode_cursor,
    page_params,
    paginate,
)
from shared.web import create_service_app

START = datetime(2026, 1, 1, 8, tzinfo=UTC)


class PaginationBase(Base):
    __abstract__ = True
    metadata = new_metadata()


class Item(IdMixin, TimestampMixin, PaginationBase):
    __tablename__ = "item"

    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(PaginationBase.metadata.create_all)
    try:
        yield database
    finally:
        await database.dispose()


async def add_items(database: Database, count: int, *, offset: int = 0) -> list[uuid.UUID]:
    """Items in (created_at, id) order; every three share a timestamp, so ids break ties."""
    rows: list[dict[str, Any]] = []
    for n in range(offset, offset + count):
        created_at = START + timedelta(seconds=n // 3)
        rows.append({"id": new_id(), "name": f"item {n}", "created_at": created_at})
        rows[-1]["updated_at"] = created_at
    async with database.session() as session:
        await session.execute(insert(Item), rows)
    return [row["id"] for row in rows]


async def next_page(
    database: Database, cursor: str | None, *, limit: int, descending: bool = False
) -> tuple[list[uuid.UUID], str | None]:
    async with database.session() as session:
        rows, next_cursor = await paginate(
            session,
            select(Item),
            PageParams(limit=limit, cursor=cursor),
            order_by=[Item.created_at, Item.id],
            key=lambda item: [item.created_at, item.id],
            descending=descending,
        )
    assert len(rows) <= limit
    return [row.id for row in rows], next_cursor


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
async def test_pages_cover_every_row_once_in_order(database: Database, descending: bool) -> None:
    ids = await add_items(database, 23)

    seen: list[uuid.UUID] = []
    cursor: str | None = None
    pages = 0
    while pages < 10:  # bounded: a cursor that does not advance must fail, not spin
        page, cursor = await next_page(database, cursor, limit=5, descending=descending)
        seen += page
        pages += 1
        if cursor is None:
            break

    assert pages == 5
    assert seen == (ids[::-1] if descending else ids)


async def test_pages_stay_stable_while_records_are_added(database: Database) -> None:
    ids = await add_items(database, 10)

    first, cursor = await next_page(database, None, limit=4)
    later = await add_items(database, 5, offset=10)
    seen = list(first)
    for _ in range(10):
        if cursor is None:
            break
        page, cursor = await next_page(database, cursor, limit=4)
        seen += page

    assert seen == ids + later


async def test_an_exact_last_page_has_no_next_cursor(database: Database) -> None:
    ids = await add_items(database, 4)

    page, cursor = await next_page(database, None, limit=4)

    assert page == ids
    assert cursor is None


def test_cursor_round_trips_typed_values() -> None:
    key = [datetime(2026, 5, 1, 12, 30, tzinfo=UTC), new_id()]

    decoded = decode_cursor(encode_cursor(key), [Item.created_at, Item.id])

    assert decoded == key
    assert isinstance(decoded[1], uuid.UUID)


@pytest.mark.parametrize(
    "cursor",
    ["%%%", encode_cursor([1]), encode_cursor(["2026-01-01", "not-a-uuid"]), "e30", "W10"],
)
def test_malformed_cursor_is_a_bad_request(cursor: str) -> None:
    with pytest.raises(BadRequest):
        decode_cursor(cursor, [Item.created_at, Item.id])


# A client may send back anything as a cursor; each of these once reached the database (or
# crashed before it) and answered 500. `[1]` (`WzFd`) is the tampered cursor of issue 23.
TAMPERED = {
    "an integer for a uuid": ([Item.id], [1]),
    "a list for a uuid": ([Item.id], [[1]]),
    "an object for a uuid": ([Item.id], [{}]),
    "an integer for a timestamp": ([Item.created_at, Item.id], [1, str(new_id())]),
    "a timestamp without its zone": (
        [Item.created_at, Item.id],
        ["2026-01-01T08:00:00", str(new_id())],
    ),
    "a boolean for a text": ([Item.name], [True]),
    "an integer for a text": ([Item.name], [1]),
    "a NUL in a text": ([Item.name], ["a\x00b"]),
    "a list for a text": ([Item.name], [["a"]]),
}


@pytest.mark.parametrize(("columns", "values"), list(TAMPERED.values()), ids=list(TAMPERED))
def test_a_tampered_cursor_is_a_bad_request(columns: list[Any], values: list[Any]) -> None:
    with pytest.raises(BadRequest):
        decode_cursor(encode_cursor(values), columns)


async def test_a_tampered_cursor_never_reaches_the_database(database: Database) -> None:
    await add_items(database, 3)
    for values in (["2026-01-01T08:00:00", str(new_id())], [1, 1]):
        with pytest.raises(BadRequest):
            await next_page(database, encode_cursor(values), limit=2)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        service="pagination-test",
        title="pagination test",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )

    @app.get("/items")
    async def list_items(page: Annotated[PageParams, Depends(page_params)]) -> dict[str, Any]:
        decode_cursor(page.cursor, [Item.id]) if page.cursor else None
        return {"limit": page.limit}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_page_size_has_a_default_and_a_hard_cap(client: httpx.AsyncClient) -> None:
    default = await client.get("/items")
    capped = await client.get("/items", params={"limit": PAGE_SIZE_MAX})
    over = await client.get("/items", params={"limit": PAGE_SIZE_MAX + 1})
    zero = await client.get("/items", params={"limit": 0})

    assert default.json() == {"limit": PAGE_SIZE_DEFAULT}
    assert capped.json() == {"limit": PAGE_SIZE_MAX}
    assert over.status_code == zero.status_code == 422
    assert over.headers["content-type"] == "application/problem+json"
    assert [e["path"] for e in over.json()["errors"]] == ["query.limit"]


async def test_bad_cursor_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/items", params={"cursor": "bm90IGEgY3Vyc29y"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "the cursor is not valid for this list"
