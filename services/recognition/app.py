"""The recognition service: cases, assessments, decisions and appeals, the reference data,
and the replicas they read. Applicants' personal data lives only in this service's database
and never leaves the node."""

from __future__ import annotations

from fastapi import FastAPI

from services.recognition.assessment.directory import DirectoryMatcher
from services.recognition.assessment.router import router as assessment_router
from services.recognition.cases.router import router as cases_router
from services.recognition.catalogue.models import AgreementRecord, FrameworkLevelRecord
from services.recognition.catalogue.router import (
    agreements_router,
    conventions_router,
    frameworks_router,
)
from services.recognition.db import SERVICE, kernel_tables
from services.recognition.decisions.models import PublishedDecision
from services.recognition.decisions.router import cases_router as decision_cases_router
from services.recognition.decisions.router import decisions_router
from services.recognition.events import SUBSCRIPTIONS, routes
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.settings import RecognitionSettings
from shared.federation import copy_name
from shared.repository import versions
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.web import create_runtime_app


def create_app(settings: RecognitionSettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(RecognitionSettings)
    matcher = DirectoryMatcher(resolved.institutions_url, resolved.directory_timeout)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            routes=routes,
            subscriptions=SUBSCRIPTIONS,
            # The directory's matcher, for the assessment's routes (free-text institutions).
            work=lambda _runtime: [matcher],
            records={
                "framework_level": versions(FrameworkLevelRecord, key="code"),
                "agreement": versions(AgreementRecord),
                "decision": versions(PublishedDecision),
                # Its copies of the directory's and quality's records, which assessments read.
                copy_name("institution", SERVICE): versions(InstitutionReplica),
                copy_name("programme", SERVICE): versions(ProgrammeReplica),
                copy_name("agency", SERVICE): versions(AgencyReplica),
                copy_name("evaluation", SERVICE): versions(EvaluationReplica),
            },
        ),
        title="edunode recognition",
        description="Recognition of foreign qualifications: reference frameworks and agreements, "
        "cases with an explained assessment, decisions, appeals and published precedents.",
        routers=[
            frameworks_router,
            agreements_router,
            conventions_router,
            cases_router,
            assessment_router,
            decision_cases_router,
            decisions_router,
        ],
    )
