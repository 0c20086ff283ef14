"""The rules of deciding and appealing, and of the anonymised published decisions.

A decision needs a legal basis; it needs a justification when it departs from the
recommendation or refuses; a refusal names at least one substantial difference (the burden of
proof lies with the assessing side). Deciding publishes `recognition.decision.published`,
built only from public facts: never the applicant, never the officer's free text."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.recognition import PublishedDecisionState
from rules.conventions import binding
from rules.legal_basis import BasisKind, cite
from services.recognition.assessment.repository import AssessmentRepository
from services.recognition.assessment.schemas import (
    CONVENTION_BASES,
    Finding,
    LegalBasis,
    LegalBasisKind,
    Outcome,
)
from services.recognition.assessment.service import to_schema
from services.recognition.cases.models import CaseStatus, RecognitionCase
from services.recognition.cases.service import CaseService, days_since_complete, ensure_officer
from services.recognition.catalogue.catalogue import normalise_level_code
from services.recognition.catalogue.service import CatalogueService
from services.recognition.decisions.models import Appeal, Decision, PublishedDecision
from services.recognition.decisions.repository import DecisionRepository
from services.recognition.decisions.schemas import (
    AppealCreate,
    AppealDecisionCreate,
    AppealOutcome,
    DecisionCreate,
)
from services.recognition.replicas.repository import ReplicaRepository
from services.recognition.settings import RecognitionSettings
from shared.auth import Principal
from shared.db import new_id, utcnow
from shared.errors import Conflict, FieldError, NotFound, Unprocessable
from shared.inbox import ensure_owned_by
from shared.pagination import PageParams
from shared.publisher import Publisher

AGREEMENT_BASES = (LegalBasisKind.BILATERAL_AGREEMENT, LegalBasisKind.MULTILATERAL_AGREEMENT)


def legal_basis_text(basis: LegalBasis) -> str:
    """How a decision names its legal basis: the agreement by id, the convention with its
    article, national law by the law's name."""
    if basis.kind in AGREEMENT_BASES:
        return f"{basis.kind.value} {basis.reference}" if basis.reference else basis.kind.value
    if basis.kind is LegalBasisKind.NATIONAL_LAW:
        return f"national law: {basis.reference}" if basis.reference else basis.kind.value
    return basis.citation or (
        f"{basis.kind.value} {basis.reference}" if basis.reference else basis.kind.value
    )


@dataclass
class DecisionService:
    session: AsyncSession
    settings: RecognitionSettings
    publisher: Publisher | None = None

    @property
    def repository(self) -> DecisionRepository:
        return DecisionRepository(self.session)

    @property
    def cases(self) -> CaseService:
        return CaseService(self.session, self.settings)

    async def decide(
        self, principal: Principal, case_id: uuid.UUID, data: DecisionCreate
    ) -> Decision:
        ensure_officer(principal, self.settings, self.session)
        case = await self.cases.load(case_id, for_update=True)
        if case.status is not CaseStatus.UNDER_ASSESSMENT:
            raise Conflict(
                f"a case is decided when under assessment, not {case.status.value!r}",
                current_status=case.status.value,
            )
        record = await AssessmentRepository(self.session).latest(case.id)
        if record is None:
            raise Conflict("assess the case before deciding it")
        assessment = to_schema(record)
        departs = data.outcome is not assessment.recommendation
        basis = await self._validate(case, data, assessment.recommendation)
        comparable = (
            normalise_level_code(data.comparable_level)
            if data.comparable_level
            else assessment.comparable_level
        )
        decision = Decision(
            id=new_id(),
            case_id=case.id,
            assessment_id=assessment.id,
            recommendation=assessment.recommendation.value,
            outcome=data.outcome.value,
            comparable_level=comparable,
            justification=data.justification,
            legal_basis=basis.kind.value,
            legal_basis_reference=basis.reference,
            conditions=list(data.conditions),
            substantial_differences=[
                d.model_dump(mode="json") for d in data.substantial_differences
            ],
            decided_by=principal.client_id,
            decided_on=self.cases.today(),
            decided_at=utcnow(),
        )
        self.repository.add(decision)
        await self.cases.transition(
            case,
            CaseStatus.DECIDED,
            principal.client_id,
            f"decided: {data.outcome.value} ({legal_basis_text(basis)})",
        )
        reasons = list(assessment.reasons)
        reasons += [
            f"substantial difference in {d.element.value}" for d in data.substantial_differences
        ]
        if departs:
            reasons.append(
                f"the decision departs from the recommendation {assessment.recommendation.value!r}"
            )
        published = PublishedDecision(
            id=decision.id,
            origin_node=self.settings.node_id,
            institution_id=await self._identified_institution(case, assessment.findings),
            institution_name=await self._institution_name(case, assessment.findings),
            qualification=case.title,
            programme_level=case.level,
            origin_country=case.country,
            host_country=case.host_country,
            outcome=data.outcome.value,
            comparable_level=comparable,
            reasons=reasons,
            legal_basis=legal_basis_text(basis),
            decided_on=decision.decided_on,
            processing_days=days_since_complete(case, decision.decided_on),
            version=1,
            updated_at=utcnow(),
        )
        self.repository.add(published)
        await self.repository.flush()
        await self._publish(published)
        return decision

    async def get_decision(self, principal: Principal, case_id: uuid.UUID) -> Decision:
        ensure_officer(principal, self.settings, self.session)
        decision = await self.repository.decision_of(case_id)
        if decision is None:
            raise NotFound(f"case {case_id} has no decision")
        return decision

    async def lodge_appeal(
        self, principal: Principal, case_id: uuid.UUID, data: AppealCreate
    ) -> Appeal:
        ensure_officer(principal, self.settings, self.session)
        case = await self.cases.load(case_id, for_update=True)
        await self.cases.transition(
            case, CaseStatus.APPEALED, principal.client_id, "appeal lodged against the decision"
        )
        appeal = Appeal(
            case_id=case.id,
            lodged_on=self.cases.today(),
            grounds=data.grounds,
            lodged_by=principal.client_id,
        )
        self.repository.add(appeal)
        await self.repository.flush()
        return appeal

    async def decide_appeal(
        self, principal: Principal, case_id: uuid.UUID, data: AppealDecisionCreate
    ) -> Appeal:
        ensure_officer(principal, self.settings, self.session)
        case = await self.cases.load(case_id, for_update=True)
        appeal = await self.repository.appeal_of(case.id)
        if appeal is None or case.status is not CaseStatus.APPEALED:
            raise Conflict(
                f"no appeal is pending on this case (status {case.status.value!r})",
                current_status=case.status.value,
            )
        if data.outcome is AppealOutcome.GRANTED:
            if data.new_outcome is None:
                raise Unprocessable("a granted appeal needs the decision's new_outcome")
            if data.new_outcome is Outcome.REFUSED:
                raise Unprocessable("a granted appeal cannot turn the decision into a refusal")
        appeal.outcome = data.outcome.value
        appeal.new_outcome = data.new_outcome.value if data.new_outcome else None
        appeal.justification = data.justification
        appeal.decided_on = self.cases.today()
        appeal.decided_by = principal.client_id
        await self.cases.transition(
            case,
            CaseStatus.APPEAL_DECIDED,
            principal.client_id,
            f"appeal {data.outcome.value}",
        )
        decision = await self.repository.decision_of(case.id)
        if data.outcome is AppealOutcome.GRANTED and decision is not None:
            published = await self.repository.published(decision.id)
            if published is not None and data.new_outcome is not None:
                published.outcome = data.new_outcome.value
                if data.comparable_level:
                    published.comparable_level = normalise_level_code(data.comparable_level)
                published.reasons = [
                    *published.reasons,
                    f"outcome changed on appeal to {data.new_outcome.value!r}",
                ]
                published.version += 1
                published.updated_at = utcnow()
                await self.repository.flush()
                await self._publish(published)
        await self.repository.flush()
        return appeal

    async def get_appeal(self, principal: Principal, case_id: uuid.UUID) -> Appeal:
        ensure_officer(principal, self.settings, self.session)
        appeal = await self.repository.appeal_of(case_id)
        if appeal is None:
            raise NotFound(f"case {case_id} has no appeal")
        return appeal

    # -- published decisions (public) -------------------------------------------------------

    async def published(self, decision_id: uuid.UUID) -> PublishedDecision:
        record = await self.repository.published(decision_id)
        if record is None:
            raise NotFound(f"published decision {decision_id} does not exist")
        return record

    async def list_published(
        self,
        params: PageParams,
        *,
        institution_id: uuid.UUID | None,
        level: str | None,
        origin_country: str | None,
        host_country: str | None,
        outcome: str | None,
        origin_node: str | None,
    ) -> tuple[list[PublishedDecision], str | None]:
        return await self.repository.list_page(
            params,
            institution_id=institution_id,
            level=normalise_level_code(level) if level else None,
            origin_country=origin_country.upper() if origin_country else None,
            host_country=host_country.upper() if host_country else None,
            outcome=outcome,
            origin_node=origin_node,
        )

    async def apply_published(self, state: PublishedDecisionState, version: int) -> bool:
        """Apply a `recognition.decision.published` event by version, whatever its origin (the
        decision's origin alone writes it)."""
        return bool(
            await self.repository.upsert_by_version(
                PublishedDecision,
                [(state, version)],
                _write_published,
                check=lambda record, _: ensure_owned_by(
                    record.origin_node, state.origin_node, f"decision {state.id}"
                ),
            )
        )

    # -- internals --------------------------------------------------------------------------

    async def _validate(
        self, case: RecognitionCase, data: DecisionCreate, recommendation: Outcome
    ) -> LegalBasis:
        """Every reason the decision cannot be recorded, at once (422 listing them all), or
        its legal basis as it will be cited: the agreement or convention must bind both
        countries on the decision date, and national law is named."""
        errors: list[FieldError] = []
        departs = data.outcome is not recommendation
        if (departs or data.outcome is Outcome.REFUSED) and not (data.justification or "").strip():
            why = (
                "refuses"
                if data.outcome is Outcome.REFUSED
                else f"departs from the recommendation {recommendation.value!r}"
            )
            errors.append(
                FieldError(
                    path="body.justification",
                    message=f"a justification is required: the decision {why}",
                    type="missing",
                )
            )
        if data.outcome is Outcome.REFUSED and not data.substantial_differences:
            errors.append(
                FieldError(
                    path="body.substantial_differences",
                    message="a refusal must name at least one substantial difference (level, "
                    "workload, quality, profile or learning outcomes)",
                    type="missing",
                )
            )
        if data.comparable_level:
            catalogue = await CatalogueService(self.session, self.settings).catalogue()
            unknown = catalogue.unknown_level(data.comparable_level)
            if unknown is not None:
                errors.append(
                    FieldError(path="body.comparable_level", message=unknown, type="unknown")
                )
        basis, problem = await self._resolve_legal_basis(case, data.legal_basis)
        if problem is not None:
            errors.append(FieldError(path="body.legal_basis", message=problem))
        if errors:
            raise Unprocessable("; ".join(e.message for e in errors), errors=errors)
        return basis

    async def _resolve_legal_basis(
        self, case: RecognitionCase, basis: LegalBasis
    ) -> tuple[LegalBasis, str | None]:
        on = self.cases.today()
        home, foreign = case.host_country, case.country
        if basis.kind in AGREEMENT_BASES:
            if not basis.reference:
                return basis, "an agreement as legal basis needs the agreement's id"
            catalogue = await CatalogueService(self.session, self.settings).catalogue()
            agreement = catalogue.agreements.get(basis.reference)
            if agreement is None:
                return basis, f"agreement {basis.reference!r} is not known"
            citation = cite(home, foreign, on, [agreement.terms()], "")
            if citation.kind is not BasisKind.AGREEMENT:
                return basis, (
                    f"agreement {agreement.id!r} does not bind {foreign} and {home} on {on}"
                )
            return basis.model_copy(update={"citation": citation.text}), None
        if basis.kind is LegalBasisKind.NATIONAL_LAW:
            law = (basis.reference or "").strip() or self.settings.national_law
            return basis.model_copy(update={"reference": law, "citation": law}), None
        convention = next(c for c, kind in CONVENTION_BASES.items() if kind is basis.kind)
        bound = next((c for c in binding(home, foreign, on) if c.id is convention), None)
        if bound is None:
            return basis, (
                f"the {basis.kind.value} does not bind both {foreign} and {home} on {on}: "
                "one of them is not a party, or not yet"
            )
        return basis.model_copy(
            update={
                "reference": basis.reference
                or (f"art. {bound.article}" if bound.article else None),
                "citation": bound.citation,
            }
        ), None

    async def _identified_institution(
        self, case: RecognitionCase, findings: Sequence[Finding]
    ) -> uuid.UUID | None:
        for finding in findings:
            for evidence in finding.evidence:
                if evidence.kind == "institution":
                    return uuid.UUID(evidence.id)
        return case.institution_id

    async def _institution_name(
        self, case: RecognitionCase, findings: Sequence[Finding]
    ) -> str | None:
        institution_id = await self._identified_institution(case, findings)
        if institution_id is not None:
            replica = await ReplicaRepository(self.session).institution(institution_id)
            if replica is not None:
                return replica.name
        return case.institution_name

    async def _publish(self, published: PublishedDecision) -> None:
        if self.publisher is None:
            return
        state = PublishedDecisionState.model_validate(published).model_dump(mode="json")
        await self.publisher.publish(
            self.session,
            "decision",
            "published",
            subject=str(published.id),
            data=state,
            version=published.version,
        )


def _write_published(record: PublishedDecision, state: PublishedDecisionState) -> None:
    for name, value in state.model_dump().items():
        setattr(record, name, value)
    record.updated_at = utcnow()
