"""The credentials service: diplomas issued as W3C Verifiable Credentials (`vc+jwt`, signed
with the node's federation key), revocation through Bitstring Status Lists replicated to every
node, and verification anywhere with no token. Holders' data stays in this service's
database and never leaves the node."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select

from services.credentials.ask.router import router as inquiries_router
from services.credentials.db import SERVICE, kernel_tables
from services.credentials.events import SUBSCRIPTIONS, routes
from services.credentials.institutions.models import InstitutionCopy
from services.credentials.issuance.batch import router as batch_router
from services.credentials.issuance.router import router as issuance_router
from services.credentials.settings import CredentialsSettings
from services.credentials.status.models import StatusList
from services.credentials.status.router import router as status_router
from services.credentials.verification.quality import QualityLookup
from services.credentials.verification.router import router as verification_router
from shared.direct import DirectSubscription
from shared.federation import copy_name
from shared.runtime import ServiceRuntime
from shared.settings import load_settings
from shared.trust import TrustList
from shared.web import create_runtime_app


def create_app(settings: CredentialsSettings | None = None) -> FastAPI:
    """Build the app; nothing starts until its lifespan runs."""
    resolved = settings or load_settings(CredentialsSettings)
    return create_runtime_app(
        service=SERVICE,
        runtime_factory=lambda: ServiceRuntime(
            service=SERVICE,
            settings=resolved,
            tables=kernel_tables,
            routes=routes,
            # "Ask the issuer": questions and answers come over the direct channel, and are
            # checked by the trust list.
            context=TrustList.load(resolved.trust_file) if resolved.trust_file else None,
            direct=[DirectSubscription("inquiries")],
            subscriptions=SUBSCRIPTIONS,
            work=lambda _runtime: [QualityLookup(resolved.quality_url, resolved.quality_timeout)],
            records={
                "status_list": select(StatusList.id, StatusList.version),
                copy_name("institution", SERVICE): select(
                    InstitutionCopy.id, InstitutionCopy.version
                ),
            },
        ),
        title="edunode credentials",
        description="Verifiable credentials: diplomas as W3C VCDM 2.0 `vc+jwt`, revocation "
        "by Bitstring Status List, and verification on any node with no token.",
        # The verifier before the issuer's `/{credential_id}` routes.
        routers=[
            verification_router,
            inquiries_router,
            status_router,
            batch_router,
            issuance_router,
        ],
    )
