"""The quality service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, Result, Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Base, new_metadata
from shared.outbox import Outbox
from shared.publisher import Publisher
from shared.runtime import KernelTables

SERVICE = "quality"


class QualityBase(Base):
    __abstract__ = True
    metadata = new_metadata()


kernel_tables = KernelTables.define(QualityBase.metadata)


def publisher(node: str) -> Publisher:
    """This service's publisher at `node` where no runtime runs (the command line, bulk
    loads): its events wait in the outbox for the running service's relay."""
    return Publisher(node=node, service=SERVICE, outbox=Outbox(kernel_tables.outbox))


def table_of(model: type[QualityBase]) -> Table:
    """A model's table, for Core statements (bulk writes)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


async def plain_rows(session: AsyncSession, statement: Executable) -> Result[Any]:
    """Execute a select of columns on the session's connection, after flushing its pending
    changes as the ORM's execute would: reads of thousands of rows (a batch's status refresh)
    cost several times the query when the ORM loads them."""
    await session.flush()
    connection = await session.connection()
    return await connection.execute(statement)
