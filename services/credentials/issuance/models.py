"""Credentials this node issued. The holder's data lives here only: it never leaves the node
(no event carries it; a status list carries one anonymous bit per credential)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.credentials.db import CredentialsBase, JsonType
from shared.db import UtcDateTime


class IssuedCredential(CredentialsBase):
    __tablename__ = "issued_credential"
    __table_args__ = (UniqueConstraint("status_list_id", "status_index"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    institution_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    issued_by: Mapped[str] = mapped_column(String(100))
    # The credential as signed (its subject holds the holder's personal data).
    document: Mapped[dict[str, Any]] = mapped_column(JsonType)
    jwt: Mapped[str] = mapped_column(Text)
    status_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("status_list.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
