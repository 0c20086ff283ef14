"""The legal basis the assessment suggests for the decision."""

from __future__ import annotations

from services.recognition.assessment.facts import AssessmentInputs
from services.recognition.assessment.facts import State as _State
from services.recognition.assessment.schemas import LegalBasis, LegalBasisKind
from services.recognition.reference.catalogue import Catalogue


def _legal_basis(inputs: AssessmentInputs, catalogue: Catalogue, state: _State) -> LegalBasis:
    if state.agreement_applies and state.agreement is not None:
        kind = (
            LegalBasisKind.BILATERAL_AGREEMENT
            if state.agreement.kind.value == "bilateral"
            else LegalBasisKind.MULTILATERAL_AGREEMENT
        )
        return LegalBasis(kind=kind, reference=state.agreement.id)
    q = inputs.qualification
    for agreement in sorted(catalogue.agreements.values(), key=lambda a: a.id):
        if (
            agreement.legal_basis
            in (LegalBasisKind.LRC.value, LegalBasisKind.GLOBAL_CONVENTION.value)
            and q.country in agreement.parties
            and q.host_country in agreement.parties
            and agreement.in_force(inputs.assessed_on)
        ):
            return LegalBasis(kind=LegalBasisKind(agreement.legal_basis), reference=agreement.id)
    return LegalBasis(kind=LegalBasisKind.NATIONAL_LAW)
