"""The institutions service: the directory of institutions and programmes."""

from __future__ import annotations

from fastapi import FastAPI

from services.institutions.db import SERVICE, kernel_tables
from services.institutions.directory.follower import DirectoryFollower
from services.institutions.directory.memory import Directory
from services.institutions.directory.router import router as directory_router
from services.institutions.events import SUBSCRIPTIONS, routes
from services.institutions.programmes.models import Programme
from services.institutions.programmes.router import (
    institution_programmes_router,
)
from services.institutions.programmes.router import (
    router as programmes_router,
)
from services.institutions.registry.models import InstitutionQaStatus
from services.institutions.registry.repository import owned_institution_versions
from services.institutions.registry.router import router as institutions_router
from services.institutions.settings import InstitutionsSettings
from shared.federation import copy_name
from shared.repository import versions
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app


def create_app(settings: InstitutionsSettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs. At start the service indexes
    every institution in its database (search and matching run in memory) and then follows
    the database for changes other processes make (bulk imports)."""
    resolved = settings or load_settings(InstitutionsSettings)
    directory = Directory()
    app = create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            routes=routes,
            subscriptions=SUBSCRIPTIONS,
            context=directory,
            # Loads the directory at start, then follows the database (every process).
            work=lambda runtime: [DirectoryFollower(directory, runtime.database)],
            records={
                "institution": owned_institution_versions(),
                "programme": versions(Programme),
                # Its copy of the QA status quality derives, which search filters on.
                copy_name("qa_status", SERVICE): versions(InstitutionQaStatus, key="subject_id"),
            },
        ),
        title="edunode institutions",
        description="The directory: institutions, programmes and their identifiers.",
        routers=[
            directory_router,
            institutions_router,
            institution_programmes_router,
            programmes_router,
        ],
    )
    app.state.directory = directory
    return app
