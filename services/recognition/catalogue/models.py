"""Framework levels and agreements that nodes added (this node's, and replicas of its
peers'). The shipped reference data lives in the data files, not here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.recognition.db import JsonType, RecognitionBase
from shared.audit import Audited
from shared.db import UtcDateTime, utcnow


class FrameworkLevelRecord(Audited, RecognitionBase):
    __audit_type__ = "framework_level"
    __tablename__ = "framework_level"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    framework: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[str] = mapped_column(String(16))
    rank: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    framework_name: Mapped[str | None] = mapped_column(String(300))
    framework_kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    ects_min: Mapped[float | None] = mapped_column(Float)
    ects_max: Mapped[float | None] = mapped_column(Float)
    references: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    source: Mapped[dict[str, Any]] = mapped_column(JsonType)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AgreementRecord(Audited, RecognitionBase):
    __audit_type__ = "agreement"
    __tablename__ = "agreement"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16))
    parties: Mapped[list[str]] = mapped_column(JsonType)
    signed_on: Mapped[date | None] = mapped_column(Date)
    in_force_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    levels: Mapped[list[str]] = mapped_column(JsonType)
    scope: Mapped[str] = mapped_column(String(16))
    legal_basis: Mapped[str | None] = mapped_column(String(40))
    article: Mapped[str | None] = mapped_column(String(40))
    conditions: Mapped[list[str]] = mapped_column(JsonType, default=list)
    source: Mapped[dict[str, Any]] = mapped_column(JsonType)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
