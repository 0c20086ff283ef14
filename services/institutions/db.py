"""The institutions service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from shared.db import Base
from shared.runtime import KernelTables


class InstitutionsBase(Base):
    __abstract__ = True


kernel_tables = KernelTables.define(InstitutionsBase.metadata)
