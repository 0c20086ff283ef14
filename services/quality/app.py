"""The quality service: QA agencies, their evaluations, and the QA status they imply."""

from __future__ import annotations

from fastapi import FastAPI

from services.quality.agencies.repository import agency_versions
from services.quality.agencies.router import router as agencies_router
from services.quality.db import SERVICE, kernel_tables
from services.quality.evaluations.repository import evaluation_versions
from services.quality.evaluations.router import router as evaluations_router
from services.quality.events import SUBSCRIPTIONS, routes
from services.quality.institutions.repository import copy_versions
from services.quality.institutions.router import router as institutions_router
from services.quality.settings import QualitySettings
from services.quality.status.repository import status_versions
from services.quality.status.router import router as status_router
from services.quality.status.worker import ExpiryWorker
from shared.federation import copy_name
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(QualitySettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            routes=routes,
            subscriptions=SUBSCRIPTIONS,
            work=lambda runtime: [
                ExpiryWorker(
                    runtime.database,
                    runtime.publisher,
                    runtime.settings,
                    runtime.settings.expiry_interval_seconds,
                )
            ],
            records={
                "agency": agency_versions(),
                "evaluation": evaluation_versions(resolved.node_id),
                "qa_status": status_versions(),
                copy_name("institution", SERVICE): copy_versions(),
            },
        ),
        title="edunode quality",
        description="Quality-assurance agencies, evaluations and QA status (DEQAR-style).",
        routers=[
            agencies_router,
            evaluations_router,
            status_router,
            institutions_router,
        ],
    )
