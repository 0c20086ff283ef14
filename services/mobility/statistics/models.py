"""Every node's public, anonymous mobility statistics (its own and its peers'), one row per
origin node and academic year."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import JsonType, MobilityBase
from shared.db import UtcDateTime


class MobilityStatistics(MobilityBase):
    __tablename__ = "mobility_statistics"
    __table_args__ = (Index("ix_mobility_statistics_year", "academic_year", "origin_node"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16))
    academic_year: Mapped[str] = mapped_column(String(9))
    flows: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
