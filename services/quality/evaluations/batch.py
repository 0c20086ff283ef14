"""A batch of submissions (a request's, or a chunk of an import): each row checked on its own
by the same checks as a single submission, so that a bad row is reported and never fails the
others.

New evaluations are held as rows and inserted together with one statement per table (a
unit-of-work flush of thousands of objects costs more than the checks); changed ones are
written through the ORM. Their events are held too and written to the outbox together, in the
rows' order, once the rows are. No SQL, no HTTP; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.evaluations.lookups import EvaluationKey, Lookups
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.publication import EvaluationEvents
from services.quality.evaluations.records import link_columns, programme_ids
from services.quality.evaluations.repository import EvaluationRepository
from services.quality.evaluations.schemas import (
    EvaluationRead,
    EvaluationSubmission,
    FlagMessage,
    SubmissionResult,
    UnreadableRow,
)
from services.quality.evaluations.submission import (
    CheckedSubmission,
    change,
    check_submission,
    field_errors,
    new_columns,
    rejected,
    submission_result,
)
from services.quality.vocabulary import FlagLevel
from shared.auth import Principal
from shared.errors import FieldError, ProblemError
from shared.events import CloudEvent
from shared.publisher import Publisher
from shared.settings import ServiceSettings


@dataclass
class _NewRows:
    """A new evaluation of the batch as rows: its columns, its institution and programme
    links."""

    columns: dict[str, Any]
    links: list[dict[str, Any]]
    programme_links: list[dict[str, Any]]


@dataclass
class Batch:
    """One batch, submitted once (`submit`) by one principal."""

    session: AsyncSession
    publisher: Publisher
    settings: ServiceSettings
    principal: Principal
    directory_url: str | None = None
    lookups: Lookups = field(init=False)
    _events: EvaluationEvents = field(init=False)
    # What the batch writes at its end, in order.
    _held_events: list[CloudEvent] = field(init=False, default_factory=list)
    _created: dict[EvaluationKey, _NewRows] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.lookups = Lookups(
            self.session, self.settings, self.directory_url, directory_may_fail=True
        )
        self._events = EvaluationEvents(self.publisher, self.lookups)

    async def submit(
        self, rows: Sequence[Any], *, first_index: int = 0
    ) -> tuple[list[SubmissionResult], set[uuid.UUID]]:
        """Submit each row (a payload, or an `UnreadableRow` refused before), numbered from
        `first_index`; write what they create and their events. Returns each row's result, and
        the institutions whose status the written rows may change."""
        parsed = [_parsed(row) for row in rows]
        submissions = [item for item in parsed if isinstance(item, EvaluationSubmission)]
        await self.lookups.prefetch_institutions(submissions)
        await self.lookups.prefetch_evaluations(self.principal, submissions)
        results: list[SubmissionResult] = []
        touched: set[uuid.UUID] = set()
        for offset, item in enumerate(parsed):
            index = first_index + offset
            if isinstance(item, UnreadableRow):
                results.append(rejected(index, item.local_identifier, item.errors))
                continue
            try:
                # Changed rows are flushed together with the rest, at the end.
                with self.session.no_autoflush:
                    checked = await check_submission(
                        self.principal, item, self.lookups, mode="upsert", stored=self._stored
                    )
                    result = await self._write(checked)
            except ProblemError as error:
                errors = error.errors or [
                    FieldError(path="body", message=error.detail, type=error.slug)
                ]
                results.append(rejected(index, item.local_identifier, errors))
                continue
            if result.result != "unchanged":
                touched |= checked.touched
            results.append(result.model_copy(update={"index": index}))
        await self._insert_new()
        await self.publisher.publish_all(self.session, self._held_events)
        self._held_events = []
        return results, touched

    async def _write(self, checked: CheckedSubmission) -> SubmissionResult:
        existing = checked.existing
        if existing is None:
            return await self._hold_new(checked)
        if checked.unchanged:
            return submission_result("unchanged", existing)
        change(existing, checked)
        self._hold(await self._events.of_changed_record(existing))
        return submission_result("updated", existing)

    async def _stored(self, key: EvaluationKey) -> Evaluation | None:
        if key in self._created:
            # Created earlier in this batch: written now, to be read back as a stored one.
            await self._insert_new()
        return await self.lookups.stored_evaluation(key)

    def _hold(self, event: CloudEvent | None) -> None:
        if event is not None:
            self._held_events.append(event)

    async def _hold_new(self, checked: CheckedSubmission) -> SubmissionResult:
        """A new evaluation, kept as rows until `_insert_new` writes them; its event is held
        with the batch's others, in order."""
        columns = new_columns(checked, self.settings.node_id)
        event = await self._events.of_change(
            EvaluationRead.model_validate(columns), published=False
        )
        self._hold(event)
        columns["published"] = event is not None
        evaluation_id = columns["id"]
        self._created[checked.key] = _NewRows(
            columns,
            links=[
                {
                    "evaluation_id": evaluation_id,
                    "institution_id": institution_id,
                    "position": position,
                    "country": country,
                }
                for institution_id, (position, country) in link_columns(
                    checked.institutions
                ).items()
            ],
            programme_links=[
                {"evaluation_id": evaluation_id, "programme_id": programme_id}
                for programme_id in programme_ids(checked.content["programmes"])
            ],
        )
        return SubmissionResult(
            local_identifier=columns["local_identifier"],
            result="created",
            id=evaluation_id,
            version=columns["version"],
            flag=FlagLevel(checked.flag),
            flags=[FlagMessage.model_validate(m) for m in checked.flag_messages],
        )

    async def _insert_new(self) -> None:
        if not self._created:
            return
        held = list(self._created.values())
        self.lookups.forget(self._created.keys())  # stored from now on: looked up again
        self._created.clear()
        await EvaluationRepository(self.session).insert_new(
            [rows.columns for rows in held],
            [link for rows in held for link in rows.links],
            [link for rows in held for link in rows.programme_links],
        )


def _parsed(row: Any) -> EvaluationSubmission | UnreadableRow:
    """A row as a submission, or the reasons it cannot be read as one."""
    if isinstance(row, UnreadableRow):  # refused before this point (e.g. CSV dates)
        return row
    try:
        return EvaluationSubmission.model_validate(row)
    except ValidationError as error:
        local_identifier = row.get("local_identifier") if isinstance(row, dict) else None
        return UnreadableRow(
            field_errors(error), str(local_identifier) if local_identifier is not None else None
        )
