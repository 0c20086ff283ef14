"""The programme record: a course of study an institution offers, owned by the node that owns
the institution. Its multilingual names, framework levels, languages and joint partners are
JSON, as its events carry them."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from services.institutions.db import InstitutionsBase
from shared.audit import Audited
from shared.db import IdMixin, TimestampMixin, VersionMixin


class ProgrammeStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DISCONTINUED = "discontinued"


class StudyMode(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    DISTANCE = "distance"
    BLENDED = "blended"


class Programme(Audited, IdMixin, TimestampMixin, VersionMixin, InstitutionsBase):
    __audit_type__ = "programme"
    __tablename__ = "programme"

    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    # No foreign key: a replica's programme may arrive before its institution does.
    institution_id: Mapped[uuid.UUID] = mapped_column(index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    names: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    qualification: Mapped[str | None] = mapped_column(String(300))
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    field: Mapped[str | None] = mapped_column(String(4), index=True)
    credits: Mapped[float | None] = mapped_column(Float)
    credit_system: Mapped[str | None] = mapped_column(String(32))
    duration_years: Mapped[float | None] = mapped_column(Float)
    mode: Mapped[StudyMode | None] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    joint_partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ProgrammeStatus] = mapped_column(
        String(16), default=ProgrammeStatus.ACTIVE, index=True
    )
