"""Streaming export: institutions read from the database in batches (keyset on id), written
out as NDJSON or CSV as they are read, so memory stays flat whatever the directory's size."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

import orjson
from sqlalchemy import Select, select

from services.institutions.bulk.formats import csv_header, csv_line
from services.institutions.registry.models import Institution
from services.institutions.registry.records import state_of
from services.institutions.registry.repository import InstitutionFilters
from shared.db import Database

BATCH_SIZE = 500


async def export_stream(
    database: Database,
    filters: InstitutionFilters,
    format_: Literal["ndjson", "csv"],
    batch_size: int = BATCH_SIZE,
) -> AsyncIterator[bytes]:
    """The export, chunk by chunk (one chunk per batch of institutions)."""
    if format_ == "csv":
        yield csv_header().encode()
    last = None
    while True:
        async with database.session() as session:
            statement: Select[Institution] = filters.apply(select(Institution))
            statement = statement.order_by(Institution.id)
            if last is not None:
                statement = statement.where(Institution.id > last)
            rows = list((await session.scalars(statement.limit(batch_size))).all())
        if not rows:
            return
        chunk = []
        for row in rows:
            state = state_of(row) | {"is_reference": row.is_reference}
            if format_ == "ndjson":
                chunk.append(orjson.dumps(state) + b"\n")
            else:
                chunk.append(csv_line(state).encode())
        yield b"".join(chunk)
        last = rows[-1].id
