"""The institutions service's own database: its metadata and the kernel tables in it."""

from __future__ import annotations

from shared.db import Base
from shared.outbox import Outbox
from shared.publisher import Publisher
from shared.runtime import KernelTables

SERVICE = "institutions"


class InstitutionsBase(Base):
    __abstract__ = True


kernel_tables = KernelTables.define(InstitutionsBase.metadata)


def publisher(node: str) -> Publisher:
    """This service's publisher at `node` where no runtime runs (the command line, bulk
    loads): its events wait in the outbox for the running service's relay."""
    return Publisher(node=node, service=SERVICE, outbox=Outbox(kernel_tables.outbox))
