"""Applying the evaluation events of any origin (a peer's evaluations, or this node's own
redelivered): each one's whole state, upserted by version (`Repository.upsert_by_version`),
so applying is idempotent and tolerant of order. No HTTP; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from rules.reference_records import ensure_claim_of_origin
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.records import CONTENT_FIELDS, set_links
from services.quality.evaluations.repository import WITH_LINKS, EvaluationRepository
from services.quality.evaluations.schemas import EvaluationRead
from services.quality.evaluations.validation import ResolvedInstitution
from services.quality.institutions.models import InstitutionCopy
from services.quality.institutions.repository import InstitutionCopyRepository


@dataclass(frozen=True)
class Applied:
    """What applying wrote: the evaluations, and the institutions whose status they may
    change (those they covered before and those they cover now)."""

    evaluations: list[Evaluation]
    touched: set[uuid.UUID]


@dataclass
class EvaluationReplicas:
    session: AsyncSession
    # This node: the single writer of its own evaluations, whatever another state claims.
    node: str

    async def apply(self, states: Sequence[tuple[EvaluationRead, int]]) -> Applied:
        """Upsert the (state, version) pairs where they replace the stored evaluation
        (`replaces_stored`). Raises ValueError for a state this node must not apply (another
        origin's state of one of its evaluations; a reference record claiming another's)."""
        institution_ids = {i for state, _ in states for i in state.institution_ids}
        references = await InstitutionCopyRepository(self.session).get_many(institution_ids)
        touched: set[uuid.UUID] = set()

        def write(evaluation: Evaluation, state: EvaluationRead) -> None:
            ensure_claim_of_origin(
                f"evaluation {state.id}",
                evaluation.origin_node,  # None on a row new here
                state.origin_node,
                reference=state.reference_source is not None,
            )
            touched.update(uuid.UUID(i) for i in evaluation.institution_ids or [])
            touched.update(state.institution_ids)
            _write(evaluation, state, references)

        written = await EvaluationRepository(self.session).upsert_by_version(
            Evaluation,
            states,
            write,
            this_node=self.node,
            load=WITH_LINKS,
        )
        return Applied(written, touched)


def _write(
    evaluation: Evaluation, state: EvaluationRead, references: dict[uuid.UUID, InstitutionCopy]
) -> None:
    """An evaluation's published state onto its row (its origin and version are the upsert's),
    its links to the institutions as its copy of the institutions knows them."""
    if evaluation.created_at is None:  # a row new here
        evaluation.created_at = state.created_at or state.updated_at
    dumped = state.model_dump(mode="json")
    for name in (*CONTENT_FIELDS, "flag", "flag_messages"):
        setattr(evaluation, name, dumped[name])
    evaluation.agency_id = state.agency_id
    evaluation.valid_from = state.valid_from
    evaluation.valid_to = state.valid_to
    evaluation.flag_cleared_at = state.flag_cleared_at
    evaluation.withdrawn_at = state.withdrawn_at
    evaluation.updated_at = state.updated_at
    evaluation.published = True
    institutions = [
        ResolvedInstitution(
            id=i,
            country=references[i].country if i in references else "",
            status=references[i].status if i in references else "",
        )
        for i in state.institution_ids
    ]
    set_links(evaluation, institutions, dumped["programmes"])
