"""The rules of cases: only this node's recognition officers, the state machine with its
history, and the deadline (N months after `complete`). No SQL, no HTTP; never commits."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.cases.deadlines import is_due_soon, is_overdue
from services.recognition.cases.models import (
    CaseApplicant,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    RecognitionCase,
)
from services.recognition.cases.repository import CaseRepository
from services.recognition.cases.schemas import (
    Applicant,
    CaseCounts,
    CaseCreate,
    CaseRead,
    CaseSort,
    CaseSummary,
    Document,
    HistoryEntry,
    Qualification,
)
from services.recognition.cases.states import THROUGH_ENDPOINT, ensure_transition
from services.recognition.catalogue.catalogue import Catalogue, normalise_level_code
from services.recognition.catalogue.service import CatalogueService
from services.recognition.settings import RecognitionSettings
from shared.audit import acting_in_role
from shared.auth import Principal, Role
from shared.authority import ensure_role, ensure_this_node
from shared.db import utcnow
from shared.errors import Conflict, FieldError, NotFound, Unprocessable
from shared.idempotency import redact_stored_responses
from shared.pagination import PageParams

# A node admin may act as a recognition officer (issue 15: no second client needed to open a
# case); its writes are then audited "node_admin as recognition_officer".
OFFICER_ROLES = (Role.RECOGNITION_OFFICER, Role.NODE_ADMIN)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_since_complete(case: RecognitionCase, on: date) -> int | None:
    """Days from the day `case` was complete (where its deadline starts, BRIEF §3) to `on`:
    a decision's processing time; None for a case that never was complete."""
    return (on - case.completed_on).days if case.completed_on is not None else None


def ensure_officer(
    principal: Principal, settings: RecognitionSettings, session: AsyncSession
) -> None:
    """Cases are for this node's recognition officers, or its admin acting as one (403 for
    anyone else); the admin's writes are audited as made in the officer's role."""
    ensure_role(principal, OFFICER_ROLES)
    ensure_this_node(principal, settings)
    if principal.role is not Role.RECOGNITION_OFFICER:
        acting_in_role(session, Role.RECOGNITION_OFFICER.value)


def unusable(data: CaseCreate, catalogue: Catalogue, today: date) -> list[FieldError]:
    """Every value of a new case the assessment could not use, each with the known values (or
    the closest ones): refused when the case is opened rather than answered with "advice"
    later."""
    q = data.qualification
    problems = []
    checks = [("body.target_level", catalogue.unknown_level(data.target_level))]
    if q.level:
        checks.append(("body.qualification.level", catalogue.unknown_level(q.level)))
    if q.credit_system:
        checks.append(
            ("body.qualification.credit_system", catalogue.unknown_credit_system(q.credit_system))
        )
    for path, message in checks:
        if message is not None:
            problems.append(FieldError(path=path, message=message, type="unknown"))
    if q.awarded_on > today:
        problems.append(
            FieldError(
                path="body.qualification.awarded_on",
                message=f"the award date {q.awarded_on} is in the future (today is {today})",
                type="future",
            )
        )
    return problems


@dataclass
class CaseService:
    session: AsyncSession
    settings: RecognitionSettings

    @property
    def repository(self) -> CaseRepository:
        return CaseRepository(self.session)

    def today(self) -> date:
        return utcnow().date()

    async def create(self, principal: Principal, data: CaseCreate) -> RecognitionCase:
        ensure_officer(principal, self.settings, self.session)
        q = data.qualification
        catalogue = await CatalogueService(self.session, self.settings).catalogue()
        problems = unusable(data, catalogue, self.today())
        if problems:
            raise Unprocessable(
                "the case cannot be assessed as given: " + "; ".join(p.message for p in problems),
                errors=problems,
            )
        case = RecognitionCase(
            status=CaseStatus.DRAFT,
            purpose=data.purpose,
            host_country=self.settings.host_country,
            target_level=normalise_level_code(data.target_level),
            institution_id=q.institution_id,
            institution_name=q.institution_name,
            programme_id=q.programme_id,
            country=q.country,
            title=q.title,
            level=normalise_level_code(q.level) if q.level else None,
            field=q.field,
            credits=q.credits,
            credit_system=q.credit_system.upper() if q.credit_system else None,
            years_full_time=q.years_full_time,
            mode=q.mode,
            awarded_on=q.awarded_on,
            transnational=q.transnational,
            created_by=principal.client_id,
            version=1,
        )
        self.repository.add(case)
        await self.repository.flush()
        self.repository.add(CaseApplicant(case_id=case.id, **data.applicant.model_dump()))
        for document in data.documents:
            self.repository.add(CaseDocument(case_id=case.id, **document.model_dump()))
        self._record(case, None, CaseStatus.DRAFT, principal.client_id, "case opened")
        await self.repository.flush()
        return case

    async def get(self, principal: Principal, case_id: uuid.UUID) -> RecognitionCase:
        ensure_officer(principal, self.settings, self.session)
        return await self.load(case_id)

    async def load(self, case_id: uuid.UUID, *, for_update: bool = False) -> RecognitionCase:
        case = await self.repository.get(case_id, for_update=for_update)
        if case is None:
            raise NotFound(f"case {case_id} does not exist")
        return case

    async def list_page(
        self,
        principal: Principal,
        params: PageParams,
        *,
        status: CaseStatus | None,
        open_only: bool = False,
        overdue: bool = False,
        as_of: date | None = None,
        sort: CaseSort = CaseSort.ID,
    ) -> tuple[list[RecognitionCase], str | None]:
        ensure_officer(principal, self.settings, self.session)
        overdue_on = (as_of or self.today()) if overdue else None
        return await self.repository.list_page(
            params,
            status=status,
            open_only=open_only,
            overdue_on=overdue_on,
            by_deadline=sort is CaseSort.DEADLINE,
        )

    async def counts(self, principal: Principal, as_of: date | None) -> CaseCounts:
        """The queue's figures over every open case, by the list's own rules."""
        ensure_officer(principal, self.settings, self.session)
        on = as_of or self.today()
        counts = await self.repository.counts(on)
        return CaseCounts(
            as_of=on, open=counts.open, overdue=counts.overdue, due_within_7_days=counts.due_soon
        )

    async def change_status(
        self, principal: Principal, case_id: uuid.UUID, target: CaseStatus, legal_reason: str
    ) -> RecognitionCase:
        """A transition asked for by an officer; decided/appealed/appeal decided have their own
        endpoints, which record what those steps need."""
        ensure_officer(principal, self.settings, self.session)
        case = await self.load(case_id, for_update=True)
        ensure_transition(case.status, target)
        if target in THROUGH_ENDPOINT:
            raise Conflict(
                f"a case reaches {target.value!r} through {THROUGH_ENDPOINT[target]}",
                current_status=case.status.value,
            )
        await self.transition(case, target, principal.client_id, legal_reason)
        return case

    async def transition(
        self, case: RecognitionCase, target: CaseStatus, actor: str, legal_reason: str
    ) -> None:
        """Move a case (checked against the state machine) and record the step."""
        ensure_transition(case.status, target)
        previous = case.status
        case.status = target
        if target is CaseStatus.COMPLETE:
            case.completed_on = self.today()
            case.deadline_on = add_months(case.completed_on, self.settings.deadline_months)
        if target is CaseStatus.DECIDED:
            case.decided_at = utcnow()
        case.version += 1
        self._record(case, previous, target, actor, legal_reason)
        await self.repository.flush()

    async def erase_applicant(self, principal: Principal, case_id: uuid.UUID) -> RecognitionCase:
        """Erase the applicant's personal data and documents; the case, its history and any
        published (anonymised) decision stay."""
        ensure_officer(principal, self.settings, self.session)
        case = await self.load(case_id, for_update=True)
        await self.repository.erase_applicant(case.id)
        # Responses kept for Idempotency-Key replays carry the applicant too.
        await redact_stored_responses(self.session, str(case.id))
        if case.applicant_erased_at is None:
            case.applicant_erased_at = utcnow()
            case.version += 1
            self._record(
                case,
                case.status,
                case.status,
                principal.client_id,
                "applicant's personal data erased on request",
            )
        await self.repository.flush()
        return case

    async def read(self, case: RecognitionCase) -> CaseRead:
        applicant = await self.repository.applicant(case.id)
        documents = await self.repository.documents(case.id)
        history = await self.repository.history(case.id)
        return CaseRead(
            id=case.id,
            status=case.status,
            purpose=case.purpose,
            host_country=case.host_country,
            target_level=case.target_level,
            qualification=qualification_of(case),
            applicant=Applicant.model_validate(applicant) if applicant else None,
            documents=[Document.model_validate(d) for d in documents],
            created_by=case.created_by,
            created_at=case.created_at,
            completed_on=case.completed_on,
            deadline_on=case.deadline_on,
            overdue=is_overdue(case, self.today()),
            decided_at=case.decided_at,
            applicant_erased_at=case.applicant_erased_at,
            version=case.version,
            history=[HistoryEntry.model_validate(h) for h in history],
        )

    def summary(self, case: RecognitionCase, on: date | None = None) -> CaseSummary:
        """A case in a list, its deadline judged on `on` (default today)."""
        on = on or self.today()
        return CaseSummary(
            id=case.id,
            status=case.status,
            purpose=case.purpose,
            target_level=case.target_level,
            country=case.country,
            title=case.title,
            completed_on=case.completed_on,
            deadline_on=case.deadline_on,
            overdue=is_overdue(case, on),
            due_within_7_days=is_due_soon(case, on),
            version=case.version,
        )

    def _record(
        self,
        case: RecognitionCase,
        previous: CaseStatus | None,
        target: CaseStatus,
        actor: str,
        legal_reason: str,
    ) -> None:
        self.repository.add(
            CaseStatusChange(
                case_id=case.id,
                from_status=previous.value if previous else None,
                to_status=target.value,
                actor=actor,
                at=utcnow(),
                legal_reason=legal_reason,
            )
        )


def qualification_of(case: RecognitionCase) -> Qualification:
    return Qualification.model_construct(
        institution_id=case.institution_id,
        institution_name=case.institution_name,
        programme_id=case.programme_id,
        country=case.country,
        title=case.title,
        level=case.level,
        field=case.field,
        credits=case.credits,
        credit_system=case.credit_system,
        years_full_time=case.years_full_time,
        mode=case.mode,
        awarded_on=case.awarded_on,
        transnational=case.transnational,
    )
