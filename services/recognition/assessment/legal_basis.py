"""The legal basis the assessment suggests for the decision: the agreement that applies, then a
convention binding both countries at the assessment date, then the node's national law by name
(the rule itself is `rules.legal_basis.cite`)."""

from __future__ import annotations

from rules.conventions import ConventionId
from rules.legal_basis import BasisKind, cite
from services.recognition.assessment.facts import AssessmentInputs
from services.recognition.assessment.facts import State as _State
from services.recognition.assessment.schemas import CONVENTION_BASES, LegalBasis, LegalBasisKind
from services.recognition.catalogue.catalogue import Catalogue


def _legal_basis(inputs: AssessmentInputs, catalogue: Catalogue, state: _State) -> LegalBasis:
    q = inputs.qualification
    applicable = []
    if state.agreement_applies and state.agreement is not None:
        applicable.append(state.agreement.terms())
    citation = cite(
        q.host_country, q.country, inputs.assessed_on, applicable, inputs.national_legal_basis
    )
    if citation.kind is BasisKind.AGREEMENT:
        multilateral = applicable[0].multilateral
        kind = (
            LegalBasisKind.MULTILATERAL_AGREEMENT
            if multilateral
            else LegalBasisKind.BILATERAL_AGREEMENT
        )
        return LegalBasis(kind=kind, reference=citation.instrument, citation=citation.text)
    if citation.kind is BasisKind.CONVENTION:
        text = citation.text
        if citation.also:
            text += " (also binding: " + ", ".join(citation.also) + ")"
        reference = f"art. {citation.article}" if citation.article else None
        return LegalBasis(
            kind=CONVENTION_BASES[ConventionId(citation.instrument)],
            reference=reference,
            citation=text,
        )
    return LegalBasis(
        kind=LegalBasisKind.NATIONAL_LAW, reference=citation.instrument, citation=citation.text
    )
