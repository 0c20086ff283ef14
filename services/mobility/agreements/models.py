"""Inter-institutional agreements, as both partners' nodes hold them (the same state, with
both approvals)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import JsonType, MobilityBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class Agreement(Audited, MobilityBase):
    __audit_type__ = "agreement"
    __tablename__ = "mobility_agreement"
    __table_args__ = (
        Index("ix_mobility_agreement_proposer", "proposer_institution_id", "updated_at"),
        Index("ix_mobility_agreement_partner", "partner_institution_id", "updated_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    proposer_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    proposer_node: Mapped[str] = mapped_column(String(16))
    partner_institution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    partner_node: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    conditions: Mapped[dict[str, Any]] = mapped_column(JsonType)
    digest: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    approvals: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    terminated_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
