"""The institutions service: the directory of institutions and programmes."""

from __future__ import annotations

from fastapi import FastAPI

from services.institutions.db import kernel_tables
from services.institutions.institutions.router import router as institutions_router
from services.institutions.settings import InstitutionsSettings
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app

SERVICE = "institutions"


def create_app(settings: InstitutionsSettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(InstitutionsSettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE, settings=resolved, tables=kernel_tables
        ),
        title="edunode institutions",
        description="The directory: institutions, programmes and their identifiers.",
        routers=[institutions_router],
    )
