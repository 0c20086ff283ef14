"""The events of this node's evaluations, built by the kernel's `Publisher`: an evaluation's
whole state (`EvaluationRead`) and its agency's country, which receiving nodes check this node's
authority over. A hidden (high-flagged) evaluation is published only once a node admin cleared
its flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rules.qa_status import is_hidden
from services.quality.evaluations.lookups import Lookups
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.schemas import EvaluationRead
from shared.events import CloudEvent
from shared.publisher import Publisher

Action = Literal["created", "updated", "withdrawn"]


@dataclass
class EvaluationEvents:
    publisher: Publisher
    # Where the agencies' countries are looked up (once per agency).
    lookups: Lookups

    async def event(self, evaluation: EvaluationRead, action: Action) -> CloudEvent:
        """The `quality.evaluation.<action>` event of the evaluation's state."""
        state = evaluation.model_dump(mode="json")
        agency = await self.lookups.agency(evaluation.agency_id)
        state["agency_country"] = agency.country if agency is not None else None
        return self.publisher.event(
            "evaluation", action, subject=str(evaluation.id), data=state, version=evaluation.version
        )

    async def of_change(self, evaluation: EvaluationRead, *, published: bool) -> CloudEvent | None:
        """The event of a new or changed evaluation: `created` if none went out before
        (`published`), else `updated`; None while it is hidden."""
        if is_hidden(evaluation.flag.value, evaluation.flag_cleared_at is not None):
            return None
        return await self.event(evaluation, "updated" if published else "created")

    async def of_changed_record(self, evaluation: Evaluation) -> CloudEvent | None:
        """`of_change` for a stored evaluation, marked published if the event is to go out."""
        event = await self.of_change(
            EvaluationRead.model_validate(evaluation), published=evaluation.published
        )
        if event is not None:
            evaluation.published = True
        return event
