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
    __table_args__ = (
        UniqueConstraint("status_list_id", "status_index"),
        UniqueConstraint("suspension_list_id", "suspension_index"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Who manages it: the awarding institution's clients (diplomas, micro-credentials), the
    # evaluating agency's (QA evaluations); neither for a statement of recognition, which the
    # node's recognition officers manage.
    institution_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # What it was issued from: a recognition case, a QA evaluation.
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    issued_by: Mapped[str] = mapped_column(String(100))
    # The credential as signed (its subject holds the holder's personal data).
    document: Mapped[dict[str, Any]] = mapped_column(JsonType)
    jwt: Mapped[str] = mapped_column(Text)
    # Its entry in a revocation list, and (but for a micro-credential, whose Open Badges 3.0
    # shape takes a single status entry) in a suspension list.
    status_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("status_list.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    suspension_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("status_list.id"))
    suspension_index: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(String(1000))
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    suspension_reason: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
