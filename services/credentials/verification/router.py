"""HTTP for verification: public, no token."""

from __future__ import annotations

from fastapi import APIRouter

from services.credentials.dependencies import RuntimeDep
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
    checked, and why; `valid` is true only when every one is ok. Works with the issuer
    unreachable."""
    return await VerificationService(session, runtime.trust).verify(data.credential)
