"""The credentials service's copy of the directory's institutions (own and peers'), kept from
`institutions.institution.*` events by version: who may issue for which institution, and what
a diploma says of its awarding body."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.credentials.db import CredentialsBase, JsonType
from shared.db import UtcDateTime


class InstitutionCopy(CredentialsBase):
    __tablename__ = "institution_copy"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(500))
    names: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    status: Mapped[str] = mapped_column(String(16))
    reference_source: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
