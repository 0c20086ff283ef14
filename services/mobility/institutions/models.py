"""The mobility service's copy of the directory's institutions (its node's and its peers'),
kept from `institutions.institution.*` events by version: which institutions an agreement may
name as its partners."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.mobility.db import MobilityBase
from shared.db import UtcDateTime


class InstitutionCopy(MobilityBase):
    __tablename__ = "mobility_institution_copy"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
