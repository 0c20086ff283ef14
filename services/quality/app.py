"""The quality service: QA agencies, their evaluations, and the QA status they imply."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy import or_, select

from services.quality.agencies.models import Agency
from services.quality.agencies.router import router as agencies_router
from services.quality.db import kernel_tables
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.router import router as evaluations_router
from services.quality.events import subscriptions
from services.quality.institutions.models import InstitutionRef
from services.quality.institutions.router import router as institutions_router
from services.quality.settings import QualitySettings
from services.quality.status.models import PublishedStatus
from services.quality.status.router import router as status_router
from services.quality.status.worker import ExpiryWorker
from shared.federation import copy_name
from shared.outbox import Outbox
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app

SERVICE = "quality"


@dataclass
class QualityRuntime(ServiceRuntime):
    """The kernel's runtime plus the scheduled expiry pass."""

    expiry_interval: float = 3600.0
    expiry: ExpiryWorker = field(init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.expiry = ExpiryWorker(self.database, self.outbox, self.settings, self.expiry_interval)

    async def start(self) -> None:
        await super().start()
        if self.workers_running:
            self.expiry.start()

    async def stop(self) -> None:
        await self.expiry.stop()
        await super().stop()


def create_app(settings: QualitySettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(QualitySettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: QualityRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            # Applying a peer's evaluation may change a status this node then publishes; the
            # relay picks those rows up on its next poll.
            subscriptions=subscriptions(resolved.node_id, resolved, Outbox(kernel_tables.outbox)),
            expiry_interval=resolved.expiry_interval_seconds,
            records={
                "agency": select(Agency.id, Agency.version),
                # What the federation sees: this node's published evaluations and replicas.
                "evaluation": select(Evaluation.id, Evaluation.version).where(
                    or_(Evaluation.published.is_(True), Evaluation.origin_node != resolved.node_id)
                ),
                # The QA status this node derives (node-local versions: compared only with the
                # directory's copy, which search filters on).
                "qa_status": select(PublishedStatus.institution_id, PublishedStatus.version),
                copy_name("institution", SERVICE): select(
                    InstitutionRef.id, InstitutionRef.version
                ),
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
