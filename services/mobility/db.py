"""The mobility service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

from shared.db import Base
from shared.outbox import Outbox
from shared.publisher import Publisher
from shared.runtime import KernelTables

# JSON on SQLite, JSONB on PostgreSQL.
JsonType: Any = JSON().with_variant(JSONB(), "postgresql")

SERVICE = "mobility"


class MobilityBase(Base):
    """The root of this service's models (its own registry and metadata: `shared.db.Base`)."""

    __abstract__ = True


kernel_tables = KernelTables.define(MobilityBase.metadata)


def publisher(node: str) -> Publisher:
    """This service's publisher at `node` where no runtime runs (the command line, bulk
    loads): its messages wait in the outbox for the running service's relay."""
    return Publisher(node=node, service=SERVICE, outbox=Outbox(kernel_tables.outbox))
