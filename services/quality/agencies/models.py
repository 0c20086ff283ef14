"""A QA agency, owned by the node with authority over its country."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from services.quality.db import QualityBase
from shared.audit import Audited
from shared.db import IdMixin, TimestampMixin, VersionMixin


class Agency(Audited, IdMixin, TimestampMixin, VersionMixin, QualityBase):
    __audit_type__ = "agency"
    __tablename__ = "agency"

    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(500))
    acronym: Mapped[str] = mapped_column(String(50), index=True)
    # The agency's id in DEQAR, by which DEQAR's files may name it instead of its acronym.
    deqar_id: Mapped[str | None] = mapped_column(String(20), index=True)
    names: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    country: Mapped[str] = mapped_column(String(2), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    # Small, always read whole with the agency: kept as JSON documents.
    focus_countries: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    registrations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    activities: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    framework: Mapped[str] = mapped_column(String(40))
    # A reference record of an agency of a country no node has authority over, entered by a
    # node admin with its source; superseded when that country's node publishes the agency
    # with the same acronym (docs/reference-records.md).
    reference_source: Mapped[str | None] = mapped_column(String(500))
    superseded_by: Mapped[uuid.UUID | None] = mapped_column(index=True)
