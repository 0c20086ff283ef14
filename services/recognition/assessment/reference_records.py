"""Which reference records an assessment rests on, and how it says so (docs/reference-records.md).

A reference record stands in for a record that a country without a node would publish: an
institution, a QA agency, an evaluation, entered by some node's admin from a named source. An
assessment that uses one says which, who entered it and from what source, so that the
officer (and the applicant) can weigh that evidence; and when the country's own node has since
published the institution, it says that record replaced the reference record the case named.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.assessment.facts import AssessmentInputs
from services.recognition.assessment.schemas import ReferenceRecordUse
from services.recognition.replicas.repository import ReplicaRepository


@dataclass
class ReferenceRecords:
    session: AsyncSession

    async def used_by(self, inputs: AssessmentInputs) -> list[ReferenceRecordUse]:
        """The reference records among the records the assessment's inputs name: the
        institution (and the one the case named, if another record superseded it), the
        agencies and the evaluations."""
        replicas = ReplicaRepository(self.session)
        named = [inputs.qualification.institution_id, inputs.institution and inputs.institution.id]
        institution_ids = [uuid.UUID(i) for i in dict.fromkeys(n for n in named if n)]
        uses: list[ReferenceRecordUse] = []
        found = await replicas.institutions(institution_ids)
        for institution_id in institution_ids:
            row = found.get(institution_id)
            if row is not None and row.reference_source is not None:
                uses.append(
                    ReferenceRecordUse(
                        kind="institution",
                        id=str(row.id),
                        label=row.name,
                        entered_by=row.origin_node,
                        source=row.reference_source,
                        superseded_by=str(row.superseded_by) if row.superseded_by else None,
                    )
                )
        agencies = await replicas.agencies([uuid.UUID(a.id) for a in inputs.agencies])
        uses.extend(
            ReferenceRecordUse(
                kind="agency",
                id=str(row.id),
                label=row.acronym or row.name,
                entered_by=row.origin_node,
                source=row.reference_source,
            )
            for row in sorted(agencies, key=lambda a: a.id)
            if row.reference_source is not None
        )
        evaluations = await replicas.evaluations([uuid.UUID(e.id) for e in inputs.evaluations])
        uses.extend(
            ReferenceRecordUse(
                kind="evaluation",
                id=str(row.id),
                label=f"{row.decision} decision valid from {row.valid_from}"
                + (f" to {row.valid_to}" if row.valid_to else ""),
                entered_by=row.origin_node,
                source=row.reference_source,
            )
            for row in evaluations
            if row.reference_source is not None
        )
        return uses


_KIND_NAMES = {
    "institution": "the institution",
    "agency": "the QA agency",
    "evaluation": "the QA result",
}


def explain(uses: Sequence[ReferenceRecordUse]) -> list[str]:
    """What the assessment says of the reference records it rests on, one sentence per
    entering node, and one per reference record since replaced by its country's own."""
    sentences = []
    for retired in (u for u in uses if u.superseded_by is not None):
        sentences.append(
            f"reference records: the record of {retired.label} named in the case was a "
            f"reference record entered by node {retired.entered_by} from {retired.source}; "
            "its country's own record has since replaced it and is the one used here"
        )
    live = [u for u in uses if u.superseded_by is None]
    for node in sorted({u.entered_by for u in live}):
        listed = "; ".join(
            f"{_KIND_NAMES[u.kind]} {u.label} (source: {u.source})"
            for u in live
            if u.entered_by == node
        )
        sentences.append(
            "reference records: this assessment rests on records that node "
            f"{node} entered for a country that has no node of its own, not on records "
            f"published by that country: {listed}"
        )
    return sentences
