"""The gateway's own database: API clients (and nothing any other service reads)."""

from __future__ import annotations

from shared.audit import audit_table
from shared.db import Base, new_metadata


class GatewayBase(Base):
    """Declarative base of the gateway's tables; its metadata is what Alembic migrates."""

    __abstract__ = True
    metadata = new_metadata()


# Writes to the gateway's records (API clients) are audited like any service's (shared.audit).
audit_entries = audit_table(GatewayBase.metadata)
