"""The recognition service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import Base
from shared.runtime import KernelTables

# JSON on SQLite, JSONB on PostgreSQL.
JsonType: Any = JSON().with_variant(JSONB(), "postgresql")


class RecognitionBase(Base):
    """The root of this service's models (its own registry and metadata: `shared.db.Base`)."""

    __abstract__ = True


kernel_tables = KernelTables.define(RecognitionBase.metadata)
