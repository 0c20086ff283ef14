"""The institutions service: the directory of institutions and programmes."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import select

from services.institutions.db import SERVICE, kernel_tables
from services.institutions.directory import Directory
from services.institutions.events import SUBSCRIPTIONS, routes
from services.institutions.institutions.models import Institution, InstitutionQaStatus
from services.institutions.institutions.router import router as institutions_router
from services.institutions.programmes.models import Programme
from services.institutions.programmes.router import (
    institution_programmes_router,
)
from services.institutions.programmes.router import (
    router as programmes_router,
)
from services.institutions.settings import InstitutionsSettings
from shared.db import Database
from shared.federation import copy_name
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
            work=lambda runtime: [DirectoryWork(directory, runtime.database)],
            records={
                # Reference copies (e.g. loaded from ROR) are this node's own business.
                "institution": select(Institution.id, Institution.version).where(
                    Institution.is_reference.is_(False)
                ),
                "programme": select(Programme.id, Programme.version),
                # Its copy of the QA status quality derives, which search filters on.
                copy_name("qa_status", SERVICE): select(
                    InstitutionQaStatus.subject_id, InstitutionQaStatus.version
                ),
            },
        ),
        title="edunode institutions",
        description="The directory: institutions, programmes and their identifiers.",
        routers=[institutions_router, institution_programmes_router, programmes_router],
    )
    app.state.directory = directory
    return app


@dataclass
class DirectoryWork:
    """This process's in-memory directory (the runtime's `Work`, in every process): loaded at
    start, then following the database for changes other processes make."""

    directory: Directory
    database: Database
    in_every_process = True

    def start(self) -> None:
        self.directory.start(self.database)

    async def stop(self) -> None:
        await self.directory.stop()
