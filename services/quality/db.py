"""The quality service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from sqlalchemy import Table

from shared.db import Base, new_metadata
from shared.runtime import KernelTables


class QualityBase(Base):
    __abstract__ = True
    metadata = new_metadata()


kernel_tables = KernelTables.define(QualityBase.metadata)


def table_of(model: type[QualityBase]) -> Table:
    """A model's table, for Core statements (bulk writes)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
