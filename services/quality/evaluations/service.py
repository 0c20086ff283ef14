"""The evaluations domain's entry points: reads (hidden evaluations shown to whom may see them),
a submission (`submission.py`), a batch of them (`batch.py`), withdrawal, flag clearance, and
applying the evaluation events of any origin (`replicas.py`); every change published
(`publication.py`) and followed by the QA status it changes. No SQL, no HTTP; never commits."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.evaluations.batch import Batch
from services.quality.evaluations.lookups import Lookups
from services.quality.evaluations.models import Evaluation, FlagClearance
from services.quality.evaluations.publication import EvaluationEvents
from services.quality.evaluations.replicas import EvaluationReplicas
from services.quality.evaluations.repository import EvaluationFilter, EvaluationRepository
from services.quality.evaluations.schemas import (
    EvaluationRead,
    EvaluationSubmission,
    SubmissionResult,
)
from services.quality.evaluations.submission import (
    SUBMITTER_ROLES,
    Mode,
    Outcome,
    change,
    check_submission,
    new_evaluation,
    submission_result,
)
from services.quality.status.service import StatusService
from shared.auth import Principal, Role
from shared.authority import ensure_owned_here, ensure_role, ensure_this_node
from shared.db import utcnow
from shared.errors import Conflict, Forbidden, NotFound
from shared.events import CloudEvent
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.settings import ServiceSettings


def can_see_hidden(principal: Principal | None, agency_id: uuid.UUID, node: str) -> bool:
    """A hidden (high-flagged) evaluation is shown to this node's admin and its own agency."""
    if principal is None or principal.node != node:
        return False
    return principal.role is Role.NODE_ADMIN or principal.agency_id == agency_id


@dataclass
class EvaluationService:
    session: AsyncSession
    publisher: Publisher
    settings: ServiceSettings
    # This node's institutions service: asked about an institution its copy does
    # not know yet (services/quality/institutions/directory.py).
    directory_url: str | None = None
    # What single submissions look up, kept for the life of the service (one request).
    _lookups: Lookups = field(init=False)
    _events: EvaluationEvents = field(init=False)

    def __post_init__(self) -> None:
        self._lookups = Lookups(self.session, self.settings, self.directory_url)
        self._events = EvaluationEvents(self.publisher, self._lookups)

    @property
    def repository(self) -> EvaluationRepository:
        return EvaluationRepository(self.session)

    @property
    def status(self) -> StatusService:
        return StatusService(self.session, self.publisher, self.settings)

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, evaluation_id: uuid.UUID, principal: Principal | None) -> Evaluation:
        evaluation = await self.repository.get(evaluation_id)
        if evaluation is None or (
            evaluation.hidden
            and not can_see_hidden(principal, evaluation.agency_id, self.settings.node_id)
        ):
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        return evaluation

    async def list_page(
        self, params: PageParams, where: EvaluationFilter, principal: Principal | None
    ) -> tuple[list[Evaluation], str | None]:
        if principal is not None and principal.node == self.settings.node_id:
            if principal.role is Role.NODE_ADMIN:
                where = dataclasses.replace(where, include_hidden=True)
            elif principal.agency_id is not None:
                where = dataclasses.replace(where, hidden_of_agency=principal.agency_id)
        return await self.repository.list_page(params, where)

    async def clearances(
        self, principal: Principal, evaluation_id: uuid.UUID
    ) -> list[FlagClearance]:
        ensure_role(principal, (Role.NODE_ADMIN,))
        await self.get(evaluation_id, principal)
        return await self.repository.clearances(evaluation_id)

    # -- writes ---------------------------------------------------------------------------------

    async def submit(
        self,
        principal: Principal,
        submission: EvaluationSubmission,
        *,
        mode: Mode,
        expected_version: int | None = None,
    ) -> tuple[SubmissionResult, Evaluation]:
        """Create, update or confirm one evaluation. Raises 403 for authority, 422 with every
        reason for a rejection, 409/412 for conflicts; nothing is written then."""
        checked = await check_submission(
            principal, submission, self._lookups, mode=mode, expected_version=expected_version
        )
        outcome: Outcome
        if checked.existing is None:
            evaluation = new_evaluation(checked, self.settings.node_id)
            self.repository.add(evaluation)
            self._lookups.remember(checked.key, evaluation)
            outcome = "created"
        elif checked.unchanged:
            return submission_result("unchanged", checked.existing), checked.existing
        else:
            evaluation = checked.existing
            change(evaluation, checked)
            outcome = "updated"
        await self._publish(await self._events.of_changed_record(evaluation))
        result = submission_result(outcome, evaluation)
        await self.status.refresh(checked.touched)
        return result, evaluation

    async def submit_batch(
        self, principal: Principal, rows: Sequence[Any], *, first_index: int = 0
    ) -> list[SubmissionResult]:
        """Submit each row on its own, by the same checks as `submit` (see `batch.py`): a bad
        row is reported and never fails the others. The statuses of the institutions touched
        are refreshed once, at the end."""
        batch = Batch(self.session, self.publisher, self.settings, principal, self.directory_url)
        results, touched = await batch.submit(rows, first_index=first_index)
        await self.status.refresh(touched)
        return results

    async def withdraw(self, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
        """Withdraw an evaluation (it stays readable, marked withdrawn, and stops counting)."""
        evaluation = await self._owned(principal, evaluation_id)
        if evaluation.withdrawn_at is not None:
            raise Conflict(f"evaluation {evaluation.id} is already withdrawn")
        evaluation.withdrawn_at = utcnow()
        evaluation.version += 1
        await self.repository.flush()
        if evaluation.published:
            await self._publish(
                await self._events.event(EvaluationRead.model_validate(evaluation), "withdrawn")
            )
        await self.status.refresh({uuid.UUID(i) for i in evaluation.institution_ids})
        return evaluation

    async def clear_flag(
        self, principal: Principal, evaluation_id: uuid.UUID, reason: str
    ) -> FlagClearance:
        """A node admin clears a high flag: the evaluation becomes public and is published."""
        ensure_role(principal, (Role.NODE_ADMIN,))
        ensure_this_node(principal, self.settings)
        evaluation = await self.repository.get(evaluation_id)
        if evaluation is None:
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        ensure_owned_here(self.settings, evaluation.origin_node, f"evaluation {evaluation.id}")
        if not evaluation.hidden:
            raise Conflict(f"evaluation {evaluation.id} has no uncleared high flag")
        clearance = FlagClearance(
            evaluation_id=evaluation.id,
            evaluation_version=evaluation.version,
            flag=evaluation.flag,
            flag_messages=list(evaluation.flag_messages),
            cleared_by=principal.client_id,
            cleared_at=utcnow(),
            reason=reason,
        )
        self.repository.add(clearance)
        evaluation.flag_cleared_at = clearance.cleared_at
        evaluation.version += 1
        await self.repository.flush()
        await self._publish(await self._events.of_changed_record(evaluation))
        await self.status.refresh({uuid.UUID(i) for i in evaluation.institution_ids})
        return clearance

    async def apply_evaluation_state(self, state: EvaluationRead, version: int) -> bool:
        """Upsert an evaluation from an event of any origin, by version (`replicas.py`), and
        refresh the statuses it touches. Returns whether anything changed; raises ValueError
        for a state this node must not apply."""
        applied = await EvaluationReplicas(self.session, self.settings.node_id).apply(
            [(state, version)]
        )
        await self.status.refresh(applied.touched)
        return bool(applied.evaluations)

    # -- internals ------------------------------------------------------------------------------

    async def _publish(self, event: CloudEvent | None) -> None:
        if event is not None:
            await self.publisher.publish_all(self.session, [event])

    async def _owned(self, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
        ensure_role(principal, SUBMITTER_ROLES)
        ensure_this_node(principal, self.settings)
        evaluation = await self.get(evaluation_id, principal)
        ensure_owned_here(self.settings, evaluation.origin_node, f"evaluation {evaluation.id}")
        if principal.role is Role.QA_AGENCY and principal.agency_id != evaluation.agency_id:
            raise Forbidden(f"evaluation {evaluation.id} belongs to another agency")
        return evaluation
