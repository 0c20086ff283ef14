"""The quality service: QA agencies, their evaluations, and the QA status they imply."""

from __future__ import annotations

from fastapi import FastAPI

from services.quality.db import kernel_tables
from services.quality.events import subscriptions
from services.quality.institutions.router import router as institutions_router
from services.quality.settings import QualitySettings
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app

SERVICE = "quality"


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(QualitySettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            subscriptions=subscriptions(resolved.node_id),
        ),
        title="edunode quality",
        description="Quality-assurance agencies, evaluations and QA status.",
        routers=[institutions_router],
    )
