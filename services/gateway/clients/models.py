"""The `api_client` table: who may ask this node's gateway for a token."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.gateway.db import GatewayBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class ApiClient(Audited, GatewayBase):
    """An OAuth2 confidential client; its secret is stored only as a SHA-256 digest."""

    __audit_type__ = "api_client"
    __tablename__ = "api_client"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    scopes: Mapped[str] = mapped_column(Text, default="")  # space-separated, as in OAuth2
    institution_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    secret_hash: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the secret
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
