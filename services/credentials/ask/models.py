"""Inquiries this node sent to an issuing node ("ask the issuer"), and their answers. The
question holds the person's details as the asker typed them: it stays on this node (and,
sealed, reaches the answering node only); the answer holds none."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.credentials.db import CredentialsBase, JsonType
from shared.db import UtcDateTime


class Inquiry(CredentialsBase):
    __tablename__ = "inquiry"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    asked_by: Mapped[str] = mapped_column(String(100), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    target_node: Mapped[str] = mapped_column(String(16))
    question: Mapped[dict[str, Any]] = mapped_column(JsonType)
    question_digest: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # pending | answered
    answer: Mapped[str | None] = mapped_column(String(8))
    # The answering node's signed statement (no personal data) and its detached JWS.
    statement: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    signature: Mapped[str | None] = mapped_column(String(2000))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
