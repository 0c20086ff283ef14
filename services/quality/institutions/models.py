"""The quality service's read model of institutions, kept from the directory's events.
Evaluations refer to institutions; this table lets the service check and show them without
calling the directory."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.quality.db import QualityBase
from shared.db import UtcDateTime


class InstitutionCopy(QualityBase):
    __tablename__ = "institution_ref"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    identifiers: Mapped[list[InstitutionCopyIdentifier]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class InstitutionCopyIdentifier(QualityBase):
    """An identifier of a referenced institution (ROR, DEQAR, ETER, ...), for lookups."""

    __tablename__ = "institution_ref_identifier"

    institution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("institution_ref.id", ondelete="CASCADE"), primary_key=True
    )
    resource: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)
