"""The institution record, owned by the node with authority over its country."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.institutions.db import InstitutionsBase
from shared.db import IdMixin, TimestampMixin, VersionMixin


class InstitutionStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    MERGED = "merged"
    CLOSED = "closed"


class Institution(IdMixin, TimestampMixin, VersionMixin, InstitutionsBase):
    __tablename__ = "institution"

    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[InstitutionStatus] = mapped_column(
        String(16), default=InstitutionStatus.ACTIVE, index=True
    )
