"""The mobility service: inter-institutional agreements between institutions of two nodes,
held alike by both and exchanged only over the direct channel (docs/mobility.md)."""

from __future__ import annotations

from fastapi import FastAPI

from services.mobility.agreements.router import router as agreements_router
from services.mobility.db import SERVICE, kernel_tables
from services.mobility.events import routes
from services.mobility.learning_agreements.router import router as learning_agreements_router
from services.mobility.learning_agreements.router import student_router
from services.mobility.nominations.router import router as nominations_router
from services.mobility.settings import MobilitySettings
from services.mobility.transcripts.router import router as transcripts_router
from shared.direct import DirectSubscription
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.trust import TrustList
from shared.web import create_runtime_app


def create_app(settings: MobilitySettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(MobilitySettings)

    def runtime() -> ServiceRuntime[MobilitySettings]:
        # The handlers check approvals against the trust list: their context.
        trust = TrustList.load(resolved.trust_file) if resolved.trust_file is not None else None
        return ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            routes=routes,
            context=trust,
            direct=[DirectSubscription("partners")],
        )

    return create_runtime_app(
        service=SERVICE,
        runtime_factory=runtime,
        title="edunode mobility",
        description="Mobility between institutions of two nodes: inter-institutional "
        "agreements, approved by both partners' signatures; nominations of students and their "
        "learning agreements, approved by the student and both coordinators; transcripts of "
        "records (JSON, EMREX ELMO) and the recognition of their credits at home; exchanged "
        "only between the two partners' nodes.",
        routers=[
            agreements_router,
            nominations_router,
            learning_agreements_router,
            student_router,
            transcripts_router,
        ],
    )
