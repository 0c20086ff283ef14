"""The recognition service: cases, assessments, decisions and appeals. Applicants' personal
data lives only in this service's database and never leaves the node."""

from __future__ import annotations

from fastapi import FastAPI

from services.recognition.db import kernel_tables
from services.recognition.settings import RecognitionSettings
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app

SERVICE = "recognition"


def create_app(settings: RecognitionSettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(RecognitionSettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE, settings=resolved, tables=kernel_tables
        ),
        title="edunode recognition",
        description="Recognition of foreign qualifications.",
    )
