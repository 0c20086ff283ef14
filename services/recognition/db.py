"""The recognition service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from shared.db import Base, new_metadata
from shared.runtime import KernelTables


class RecognitionBase(Base):
    __abstract__ = True
    metadata = new_metadata()


kernel_tables = KernelTables.define(RecognitionBase.metadata)
