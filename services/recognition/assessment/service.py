"""Gathering an assessment's inputs — the local replicas, and for a free-text institution name
the node's directory matcher — running the engine, and storing the result with the hash of its
inputs."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.assessment.directory import DirectoryMatcher
from services.recognition.assessment.engine import ENGINE_VERSION, assess
from services.recognition.assessment.facts import (
    AgencyFacts,
    AssessmentInputs,
    EvaluationFacts,
    InstitutionFacts,
    NameMatch,
    PrecedentFacts,
    QualificationFacts,
    RegistrationFacts,
)
from services.recognition.assessment.models import AssessmentRecord
from services.recognition.assessment.reference_records import ReferenceRecords, explain
from services.recognition.assessment.repository import AssessmentRepository
from services.recognition.assessment.schemas import Assessment
from services.recognition.cases.models import CaseStatus, RecognitionCase
from services.recognition.cases.service import CaseService, ensure_officer
from services.recognition.catalogue.catalogue import Catalogue
from services.recognition.catalogue.service import CatalogueService
from services.recognition.decisions.repository import DecisionRepository
from services.recognition.replicas.models import InstitutionReplica
from services.recognition.replicas.repository import ReplicaRepository
from services.recognition.settings import RecognitionSettings
from shared.auth import Principal
from shared.db import utcnow
from shared.errors import Conflict, NotFound

ASSESSABLE = (CaseStatus.COMPLETE, CaseStatus.UNDER_ASSESSMENT)


def _facts(institution: InstitutionReplica) -> InstitutionFacts:
    return InstitutionFacts(
        id=str(institution.id),
        version=institution.version,
        name=institution.name,
        country=institution.country,
        status=institution.status,
        founded_on=institution.founded_on,
        closed_on=institution.closed_on,
        origin_node=institution.origin_node,
    )


def inputs_hash(inputs: AssessmentInputs, catalogue: Catalogue, extra: Any = None) -> str:
    """SHA-256 over every input of the engine, the catalogue and the engine's version."""
    payload = {
        "engine": ENGINE_VERSION,
        "inputs": dataclasses.asdict(inputs),
        "catalogue": catalogue.digest,
        "extra": extra,
    }
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass
class AssessmentService:
    session: AsyncSession
    settings: RecognitionSettings
    directory: DirectoryMatcher

    @property
    def repository(self) -> AssessmentRepository:
        return AssessmentRepository(self.session)

    async def assess_case(self, principal: Principal, case_id: uuid.UUID) -> Assessment:
        """Assess a complete case (moving it to `under_assessment`); re-running on the same
        data returns the stored result unchanged."""
        ensure_officer(principal, self.settings, self.session)
        cases = CaseService(self.session, self.settings)
        case = await cases.load(case_id, for_update=True)
        if case.status not in ASSESSABLE:
            raise Conflict(
                f"a case is assessed when complete or under assessment, not {case.status.value!r}",
                current_status=case.status.value,
            )
        assessed_on = cases.today()
        inputs, catalogue = await self.gather(case, assessed_on)
        # Which evidence is a reference record, and its source, is an input too.
        references = await ReferenceRecords(self.session).used_by(inputs)
        digest = inputs_hash(inputs, catalogue, [r.model_dump(mode="json") for r in references])
        latest = await self.repository.latest(case.id)
        if latest is not None and latest.inputs_hash == digest:
            return to_schema(latest)
        outcome = assess(inputs, catalogue)
        result = {
            "recommendation": outcome.recommendation.value,
            "comparable_level": outcome.comparable_level,
            "reference_levels": outcome.reference_levels,
            "findings": [f.model_dump(mode="json") for f in outcome.findings],
            "substantial_differences": [
                d.model_dump(mode="json") for d in outcome.substantial_differences
            ],
            "conditions": outcome.conditions,
            "suggested_legal_basis": outcome.suggested_legal_basis.model_dump(mode="json"),
            "reasons": outcome.reasons + explain(references),
            "reference_records": [r.model_dump(mode="json") for r in references],
        }
        record = AssessmentRecord(
            case_id=case.id,
            inputs_hash=digest,
            assessed_on=assessed_on,
            recommendation=outcome.recommendation.value,
            comparable_level=outcome.comparable_level,
            result=result,
            created_at=utcnow(),
        )
        self.repository.add(record)
        if case.status is CaseStatus.COMPLETE:
            await cases.transition(
                case, CaseStatus.UNDER_ASSESSMENT, principal.client_id, "assessment started"
            )
        await self.repository.flush()
        return to_schema(record)

    async def latest(self, principal: Principal, case_id: uuid.UUID) -> Assessment:
        ensure_officer(principal, self.settings, self.session)
        record = await self.repository.latest(case_id)
        if record is None:
            raise NotFound(f"case {case_id} has no assessment yet")
        return to_schema(record)

    async def gather(
        self, case: RecognitionCase, assessed_on: date
    ) -> tuple[AssessmentInputs, Catalogue]:
        """Read everything the engine needs from the replicas and the reference data; a
        free-text institution name is what the directory's matcher confidently chooses."""
        replicas = ReplicaRepository(self.session)
        catalogue = await CatalogueService(self.session, self.settings).catalogue()
        institution: InstitutionReplica | None = None
        matches: tuple[NameMatch, ...] = ()
        lookup = "none"
        if case.institution_id is not None:
            lookup = "id"
            institution = await replicas.institution(case.institution_id)
        elif case.institution_name:
            lookup = "name"
            candidates = await self.directory.match(case.institution_name)
            matches = tuple(
                NameMatch(c.institution_id, c.name, c.score, c.chosen) for c in candidates
            )
            chosen = next((c for c in candidates if c.chosen), None)
            if chosen is not None:
                institution = await replicas.institution(uuid.UUID(chosen.institution_id))
        if institution is not None and institution.superseded_by is not None:
            # A reference record its country's own node has since published: read that one.
            institution = await replicas.institution(institution.superseded_by) or institution
        programme_levels: tuple[str, ...] = ()
        if case.programme_id is not None:
            programme = await replicas.programme(case.programme_id)
            if programme is not None:
                programme_levels = tuple(programme.levels)
        evaluations: tuple[EvaluationFacts, ...] = ()
        agencies: tuple[AgencyFacts, ...] = ()
        precedents: tuple[PrecedentFacts, ...] = ()
        if institution is not None:
            rows_e = await replicas.evaluations_of(institution.id)
            evaluations = tuple(
                EvaluationFacts(
                    id=str(e.id),
                    version=e.version,
                    agency_id=str(e.agency_id),
                    decision=e.decision,
                    valid_from=e.valid_from,
                    valid_to=e.valid_to,
                    flag=e.flag,
                    withdrawn=e.withdrawn_at is not None,
                    activity_type=e.activity_type,
                    local_identifier=e.local_identifier,
                    flag_cleared=e.flag_cleared_at is not None,
                    programme_ids=tuple(
                        str(p["programme_id"]) for p in e.programmes if p.get("programme_id")
                    ),
                )
                for e in rows_e
            )
            agency_rows = await replicas.agencies(sorted({e.agency_id for e in rows_e}))
            agencies = tuple(
                AgencyFacts(
                    id=str(a.id),
                    version=a.version,
                    name=a.name,
                    acronym=a.acronym,
                    registrations=tuple(
                        RegistrationFacts(
                            register=str(r.get("register")),
                            valid_from=_date(r.get("valid_from")),
                            valid_to=_date(r.get("valid_to")),
                        )
                        for r in a.registrations
                    ),
                )
                for a in sorted(agency_rows, key=lambda a: a.id)
            )
        decisions = await DecisionRepository(self.session).precedents(
            institution_id=institution.id if institution else None,
            institution_name=None if institution else case.institution_name,
            level=case.level,
        )
        precedents = tuple(
            PrecedentFacts(
                id=str(d.id),
                version=d.version,
                origin_node=d.origin_node,
                outcome=d.outcome,
                comparable_level=d.comparable_level,
                decided_on=d.decided_on,
            )
            for d in decisions
        )
        inputs = AssessmentInputs(
            qualification=QualificationFacts(
                country=case.country,
                host_country=case.host_country,
                title=case.title,
                level=case.level,
                target_level=case.target_level,
                field=case.field,
                credits=case.credits,
                credit_system=case.credit_system,
                years_full_time=case.years_full_time,
                mode=case.mode.value,
                awarded_on=case.awarded_on,
                transnational=case.transnational,
                purpose=case.purpose.value,
                institution_id=str(case.institution_id) if case.institution_id else None,
                institution_name=case.institution_name,
                programme_id=str(case.programme_id) if case.programme_id else None,
            ),
            assessed_on=assessed_on,
            institution=_facts(institution) if institution else None,
            institution_lookup=lookup,
            name_matches=matches,
            evaluations=evaluations,
            agencies=agencies,
            precedents=precedents,
            programme_levels=programme_levels,
            national_legal_basis=self.settings.national_law,
        )
        return inputs, catalogue


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def to_schema(record: AssessmentRecord) -> Assessment:
    return Assessment.model_validate(
        record.result
        | {
            "id": record.id,
            "case_id": record.case_id,
            "assessed_on": record.assessed_on,
            "inputs_hash": record.inputs_hash,
            "created_at": record.created_at,
        }
    )
