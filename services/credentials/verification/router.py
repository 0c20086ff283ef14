"""HTTP for verification: public, no token."""

from __future__ import annotations

from fastapi import APIRouter

from services.credentials.dependencies import RuntimeDep
from services.credentials.verification.quality import QualityLookup
from services.credentials.verification.schemas import VerificationReport, VerifyRequest
from services.credentials.verification.service import VerificationService
from shared.dependencies import SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/credentials", tags=["credentials"])


@router.post(
    "/verify",
    summary="Verify a credential",
    response_model=VerificationReport,
    responses=problem_responses(422),
)
async def verify_credential(
    data: VerifyRequest, session: SessionDep, runtime: RuntimeDep
) -> VerificationReport:
    """Check a `vc+jwt` credential of any node, with no token: its format, that its algorithm
    is EdDSA, that its key is in the federation's trust list and was valid at `validFrom`,
    its signature, that its issuer node has authority over the institution's country, that
    the institution is in the directory, its validity period, and that it is not revoked
    (the issuer's status list as replicated here). Each check says ok, failed or not
    checked, and why; `valid` is true only when every one is ok. Beside the checks, for the
    reader: the qualification's level compared with this node's own framework(s) through the
    reference frameworks, and the institution's QA status at the award date as this node's
    quality service gives it, beside the issuer's evidence. Works with the issuer
    unreachable."""
    return await verification_service(session, runtime).verify(data.credential)


def verification_service(session: SessionDep, runtime: RuntimeDep) -> VerificationService:
    return VerificationService(
        session,
        runtime.trust,
        countries=runtime.settings.countries,
        quality=runtime.work_of(QualityLookup),
    )
