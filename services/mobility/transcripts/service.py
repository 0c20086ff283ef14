"""The rules of transcripts and their recognition at home (issue 19, items 4 and 5).

A university's client uploads its grade distribution tables, one per field of study. The
receiving institution's client imports a transcript for a mobility (JSON or ELMO XML): it is
stored here and sent, with the receiving institution's tables for its fields, to the sending
institution's node only (`shared/direct.py`, `mobility.transcript.sent`). There the recognition
of each component is computed (`recognition.py`), and the sending institution's coordinator
confirms it or overrides it with a reason. Only the two institutions' clients and the node's
admin see a transcript; only the sending side sees its recognition.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select

from contracts.mobility import (
    IiaPartner,
    LaParty,
    LaVersion,
    LearningAgreementState,
    Transcript,
    TranscriptLearner,
)
from rules.credit_transfer import CreditTransferError, grade_table, summary_line
from rules.grading_scales import grading_scale
from services.mobility.learning_agreements.models import LearningAgreement
from services.mobility.learning_agreements.repository import to_state as la_state
from services.mobility.learning_agreements.service import approvers
from services.mobility.nominations.models import Nomination
from services.mobility.settings import MobilitySettings
from services.mobility.transcripts.models import GradeTable, RecognitionRecord, TranscriptRecord
from services.mobility.transcripts.recognition import recognise
from services.mobility.transcripts.schemas import (
    ComponentRecognition,
    GradeCount,
    GradeTableState,
    GradeTableUpload,
    PlannedComponent,
    RecognitionDecision,
    RecognitionRead,
    RecognitionStatus,
    TranscriptMessage,
    TranscriptRead,
)
from shared.auth import Principal, Role
from shared.db import new_id, utcnow
from shared.direct import DirectSender
from shared.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    Unprocessable,
)
from shared.inbox import PermanentEventError
from shared.pagination import PageParams, paginate
from shared.repository import Repository
from shared.trust import TrustList

MESSAGE_TYPE = "transcript.sent"


def table_state(row: GradeTable) -> GradeTableState:
    return GradeTableState(
        institution_id=row.institution_id,
        isced_f=row.isced_f,
        label=row.label,
        academic_years=row.academic_years,
        scale=row.scale,
        grades=[GradeCount.model_validate(g) for g in row.grades],
        version=row.version,
        updated_at=row.updated_at,
    )


def transcript_read(row: TranscriptRecord) -> TranscriptRead:
    return TranscriptRead(
        id=row.id,
        mobility_id=row.mobility_id,
        sending=IiaPartner(institution_id=row.sending_institution_id, node=row.sending_node),
        receiving=IiaPartner(institution_id=row.receiving_institution_id, node=row.receiving_node),
        transcript=Transcript.model_validate(row.transcript),
        host_tables=[GradeTableState.model_validate(t) for t in row.host_tables],
        planned=None
        if row.planned is None
        else [PlannedComponent.model_validate(p) for p in row.planned],
        learner_erased_at=row.learner_erased_at,
        version=row.version,
        created_at=row.created_at,
    )


class TranscriptRepository(Repository):
    async def table(
        self, institution: uuid.UUID, field: str, *, for_update: bool = False
    ) -> GradeTable | None:
        statement = select(GradeTable).where(
            GradeTable.institution_id == institution, GradeTable.isced_f == field
        )
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)

    async def tables(self, institution: uuid.UUID) -> Sequence[GradeTable]:
        """Every table of an institution (at most one per ISCED-F field: a bounded list)."""
        return (
            await self.session.scalars(
                select(GradeTable)
                .where(GradeTable.institution_id == institution)
                .order_by(GradeTable.isced_f)
            )
        ).all()

    async def tables_page(
        self, params: PageParams, institution: uuid.UUID | None
    ) -> tuple[list[GradeTable], str | None]:
        """One institution's tables by field, or every institution's of this node."""
        statement: Select[GradeTable] = select(GradeTable)
        if institution is not None:
            statement = statement.where(GradeTable.institution_id == institution)
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[GradeTable.institution_id, GradeTable.isced_f, GradeTable.id],
            key=lambda r: [r.institution_id, r.isced_f, r.id],
        )

    async def transcript(
        self, transcript_id: uuid.UUID, *, for_update: bool = False
    ) -> TranscriptRecord | None:
        statement = select(TranscriptRecord).where(TranscriptRecord.id == transcript_id)
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)

    async def transcripts_page(
        self, params: PageParams, institutions: Sequence[uuid.UUID] | None
    ) -> tuple[list[TranscriptRecord], str | None]:
        statement: Select[TranscriptRecord] = select(TranscriptRecord)
        if institutions is not None:
            statement = statement.where(
                or_(
                    TranscriptRecord.sending_institution_id.in_(institutions),
                    TranscriptRecord.receiving_institution_id.in_(institutions),
                )
            )
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[TranscriptRecord.updated_at, TranscriptRecord.id],
            key=lambda r: [r.updated_at, r.id],
            descending=True,
        )

    async def learning_agreement(
        self, learning_agreement_id: uuid.UUID
    ) -> tuple[LearningAgreementState, str | None] | None:
        """The learning agreement held here, with its nomination's field of study."""
        record = await self.session.get(LearningAgreement, learning_agreement_id)
        if record is None:
            return None
        nomination = await self.session.get(Nomination, record.nomination_id)
        return la_state(record), nomination.isced_f if nomination is not None else None

    async def recognition(
        self, transcript_id: uuid.UUID, *, for_update: bool = False
    ) -> RecognitionRecord | None:
        statement = select(RecognitionRecord).where(RecognitionRecord.id == transcript_id)
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)


@dataclass
class TranscriptService:
    repository: TranscriptRepository
    settings: MobilitySettings
    sender: DirectSender | None = None
    trust: TrustList | None = None

    @property
    def node(self) -> str:
        return self.settings.node_id

    # -- who --------------------------------------------------------------------------------

    def _institution(self, principal: Principal) -> uuid.UUID:
        if principal.node != self.node:
            raise Forbidden("a client of another node")
        if principal.institution_id is None:
            raise Forbidden("only a client bound to an institution does this")
        return principal.institution_id

    def _is_admin(self, principal: Principal) -> bool:
        return (
            principal.node == self.node
            and principal.role is Role.NODE_ADMIN
            and principal.institution_id is None
        )

    # -- grade distribution tables ----------------------------------------------------------

    async def put_table(
        self, principal: Principal, field: str, data: GradeTableUpload
    ) -> GradeTableState:
        """Replace the caller's institution's table for `field` (a new version)."""
        institution = self._institution(principal)
        try:
            grade_table(data.label, [(g.grade, g.count) for g in data.grades])
        except CreditTransferError as error:
            raise Unprocessable(
                str(error), errors=[FieldError(path="body.grades", message=str(error))]
            ) from None
        if data.scale is not None and grading_scale(data.scale) is None:
            raise Unprocessable(
                f"grading scale {data.scale!r} is not in the reference data",
                errors=[FieldError(path="body.scale", message="unknown grading scale")],
            )
        row = await self.repository.table(institution, field, for_update=True)
        if row is None:
            row = GradeTable(id=new_id(), institution_id=institution, isced_f=field, version=0)
            self.repository.add(row)
        row.label = data.label
        row.academic_years = data.academic_years
        row.scale = data.scale.upper() if data.scale else None
        row.grades = [g.model_dump() for g in data.grades]
        row.version += 1
        row.updated_at = utcnow()
        await self.repository.flush()
        return table_state(row)

    async def list_tables(
        self, principal: Principal, institution: uuid.UUID | None, params: PageParams
    ) -> tuple[list[GradeTableState], str | None]:
        if principal.node != self.node:
            raise Forbidden("a client of another node")
        rows, cursor = await self.repository.tables_page(params, institution)
        return [table_state(r) for r in rows], cursor

    # -- transcripts ------------------------------------------------------------------------

    async def _from_learning_agreement(
        self,
        institution: uuid.UUID,
        mobility_id: uuid.UUID,
        sending: IiaPartner | None,
        planned: list[PlannedComponent] | None,
    ) -> tuple[IiaPartner, list[PlannedComponent] | None]:
        """The sending side and the components to recognise: from the mobility's learning
        agreement when it is held here (its last version the three parties approved), else as
        the caller gave them."""
        found = await self.repository.learning_agreement(mobility_id)
        if found is None:
            if sending is None:
                raise Unprocessable(
                    f"no learning agreement {mobility_id} is held here: name the sending "
                    "institution",
                    errors=[FieldError(path="body.sending", message="required")],
                )
            return sending, planned
        state, field = found
        if state.receiving != IiaPartner(institution_id=institution, node=self.node):
            raise Forbidden("only the learning agreement's receiving institution issues it")
        if sending is not None and sending != state.sending:
            raise Unprocessable(
                "the sending institution is the learning agreement's",
                errors=[FieldError(path="body.sending", message="not the agreement's")],
            )
        version = approved_version(state)
        if version is None:
            raise Conflict("the learning agreement has no version the three parties approved")
        return state.sending, planned_of(version, field)

    async def import_transcript(
        self,
        principal: Principal,
        *,
        mobility_id: uuid.UUID,
        sending: IiaPartner | None,
        transcript: Transcript,
        planned: list[PlannedComponent] | None,
    ) -> TranscriptRead:
        """The caller's (receiving) institution issues a transcript for a mobility (a learning
        agreement's id): stored here and sent, with its tables for the transcript's fields, to
        the sending node, which recognises the learning agreement's components from it."""
        institution = self._institution(principal)
        if self.sender is None or self.trust is None:
            raise ServiceUnavailable("transcripts need this node's federation keys and trust")
        sending, planned = await self._from_learning_agreement(
            institution, mobility_id, sending, planned
        )
        if sending.node != self.node and self.trust.node(sending.node) is None:
            raise Unprocessable(
                f"the sending node {sending.node!r} is not a peer of this node",
                errors=[FieldError(path="body.sending.node", message="not a peer node")],
            )
        if sending.institution_id == institution:
            raise Unprocessable("the sending institution is the caller's own")
        fields = {c.isced_f for c in transcript.components if c.isced_f}
        fields |= {p.isced_f for p in planned or [] if p.isced_f}
        host = [
            table_state(t)
            for t in await self.repository.tables(institution)
            if any(f.startswith(t.isced_f) for f in fields)
        ]
        now = utcnow()
        message = TranscriptMessage(
            id=new_id(),
            mobility_id=mobility_id,
            sending=sending,
            receiving=IiaPartner(institution_id=institution, node=self.node),
            transcript=transcript,
            host_tables=host,
            planned=planned,
            version=1,
        )
        row = TranscriptRecord(id=message.id, created_at=now)
        _write(row, message, now)
        self.repository.add(row)
        await self.repository.flush()
        if sending.node == self.node:
            await self._recognise(message)  # both institutions of this node
        else:
            await self.sender.send(
                self.repository.session,
                to=sending.node,
                type=MESSAGE_TYPE,
                subject=str(message.id),
                data=message.model_dump(mode="json"),
                version=message.version,
            )
        return transcript_read(row)

    def _sees_transcript(self, principal: Principal, row: TranscriptRecord) -> bool:
        if self._is_admin(principal):
            return True
        return principal.node == self.node and principal.institution_id in (
            row.sending_institution_id,
            row.receiving_institution_id,
        )

    async def get_transcript(
        self, principal: Principal, transcript_id: uuid.UUID
    ) -> TranscriptRead:
        row = await self.repository.transcript(transcript_id)
        if row is None or not self._sees_transcript(principal, row):
            raise NotFound(f"transcript {transcript_id} does not exist")
        return transcript_read(row)

    async def list_transcripts(
        self, principal: Principal, params: PageParams
    ) -> tuple[list[TranscriptRead], str | None]:
        institutions = None if self._is_admin(principal) else [self._institution(principal)]
        rows, cursor = await self.repository.transcripts_page(params, institutions)
        return [transcript_read(r) for r in rows], cursor

    # -- at the sending node ----------------------------------------------------------------

    async def erase_learner(self, principal: Principal, transcript_id: uuid.UUID) -> TranscriptRead:
        """Erase the learner's personal data on request (either institution, or the node's
        admin), here and at the other institution's node; results and recognition stay."""
        row = await self.repository.transcript(transcript_id, for_update=True)
        if row is None or not self._sees_transcript(principal, row):
            raise NotFound(f"transcript {transcript_id} does not exist")
        current = transcript_read(row)
        if current.learner_erased_at is not None:
            return current
        if self.sender is None:
            raise ServiceUnavailable("erasure needs this node's federation keys and trust list")
        now = utcnow()
        message = TranscriptMessage.model_validate(
            current.model_dump(exclude={"created_at"})
            | {
                "transcript": current.transcript.model_copy(
                    update={"learner": TranscriptLearner(given_names="", family_name="")}
                ),
                "learner_erased_at": now,
                "version": current.version + 1,
            }
        )
        _write(row, message, now)
        await self.repository.flush()
        other = message.sending if message.receiving.node == self.node else message.receiving
        if other.node != self.node:
            await self.sender.send(
                self.repository.session,
                to=other.node,
                type=MESSAGE_TYPE,
                subject=str(message.id),
                data=message.model_dump(mode="json"),
                version=message.version,
            )
        return transcript_read(row)

    async def apply_transcript(self, message: TranscriptMessage, origin: str) -> None:
        """A transcript from the receiving node: stored, and its recognition computed; or the
        erasure of its learner from the other institution's node (only that changes). From a
        node that is not the receiving side, or for a sending side not of this node: refused."""
        if message.learner_erased_at is not None:
            await self._apply_erasure(message, origin)
            return
        if origin != message.receiving.node or message.sending.node != self.node:
            raise PermanentEventError(
                f"transcript {message.id} from node {origin!r}: not from its receiving node to "
                "this sending one"
            )
        found = await self.repository.learning_agreement(message.mobility_id)
        if found is not None and (found[0].sending, found[0].receiving) != (
            message.sending,
            message.receiving,
        ):
            raise PermanentEventError(
                f"transcript {message.id}: not between its learning agreement's institutions"
            )
        stored = await self.repository.transcript(message.id, for_update=True)
        if stored is not None:
            if (stored.receiving_institution_id, stored.sending_institution_id) != (
                message.receiving.institution_id,
                message.sending.institution_id,
            ):
                raise PermanentEventError(f"transcript {message.id}: its parties cannot change")
            if stored.version >= message.version:
                return  # a redelivery, or older than what is held
        now = utcnow()
        row = stored or TranscriptRecord(id=message.id, created_at=now)
        _write(row, message, now)
        if stored is None:
            self.repository.add(row)
        await self.repository.flush()
        await self._recognise(message)

    async def _apply_erasure(self, message: TranscriptMessage, origin: str) -> None:
        sides = {message.sending.node, message.receiving.node}
        if origin not in sides or self.node not in sides or origin == self.node:
            raise PermanentEventError(
                f"the erasure of transcript {message.id} from node {origin!r}, not the other side"
            )
        stored = await self.repository.transcript(message.id, for_update=True)
        if stored is None or stored.version >= message.version:
            return  # nothing held here to erase, or already applied
        held = transcript_read(stored)
        unchanged = held.model_copy(
            update={
                "transcript": held.transcript.model_copy(
                    update={"learner": message.transcript.learner}
                ),
                "learner_erased_at": message.learner_erased_at,
                "version": message.version,
            }
        )
        if (
            TranscriptMessage.model_validate(unchanged.model_dump(exclude={"created_at"}))
            != message
        ):
            raise PermanentEventError(f"the erasure of transcript {message.id} changes more")
        _write(stored, message, utcnow())
        await self.repository.flush()

    async def _recognise(self, message: TranscriptMessage) -> None:
        home_tables = [
            table_state(t) for t in await self.repository.tables(message.sending.institution_id)
        ]
        computed = recognise(message, home_tables)
        now = utcnow()
        row = await self.repository.recognition(message.id, for_update=True)
        if row is None:
            row = RecognitionRecord(id=message.id, created_at=now, version=0)
            self.repository.add(row)
        row.mobility_id = message.mobility_id
        row.sending_institution_id = message.sending.institution_id
        row.home_system = computed.home_system
        row.components = [c.model_dump(mode="json") for c in computed.components]
        row.planned_ects = computed.planned_ects
        row.summary = computed.summary
        row.status = RecognitionStatus.PROPOSED.value  # a new transcript: decided again
        row.decided_by = row.decided_at = row.reason = None
        row.version += 1
        row.updated_at = now
        await self.repository.flush()

    async def get_recognition(
        self, principal: Principal, transcript_id: uuid.UUID
    ) -> RecognitionRead:
        row = await self.repository.recognition(transcript_id)
        if row is None or not self._sees_recognition(principal, row):
            raise NotFound(f"no recognition of transcript {transcript_id} here")
        return RecognitionRead.model_validate(row)

    def _sees_recognition(self, principal: Principal, row: RecognitionRecord) -> bool:
        return self._is_admin(principal) or (
            principal.node == self.node and principal.institution_id == row.sending_institution_id
        )

    async def decide(
        self,
        principal: Principal,
        transcript_id: uuid.UUID,
        data: RecognitionDecision,
        expected_version: int,
    ) -> RecognitionRead:
        """The sending institution's coordinator confirms the computed recognition, or
        overrides it (a reason required; the credits or grades that count instead)."""
        row = await self.repository.recognition(transcript_id, for_update=True)
        if row is None or not self._sees_recognition(principal, row):
            raise NotFound(f"no recognition of transcript {transcript_id} here")
        if principal.institution_id != row.sending_institution_id:
            raise Forbidden("only the sending institution's coordinator decides")
        if row.version != expected_version:
            raise PreconditionFailed(
                f"the recognition is at version {row.version}, not {expected_version}",
                current_version=row.version,
            )
        if row.status != RecognitionStatus.PROPOSED.value:
            raise Conflict("the recognition was decided already", current_status=row.status)
        components = [ComponentRecognition.model_validate(c) for c in row.components]
        if data.decision == "overridden":
            if not data.reason:
                raise Unprocessable(
                    "an override needs a reason",
                    errors=[FieldError(path="body.reason", message="required to override")],
                )
            components = _overridden(components, data)
            ects = sum(c.credits.ects for c in components if c.credits)
            credits = sum(c.credits.credits for c in components if c.credits)
            row.summary = summary_line(ects, row.planned_ects, credits, row.home_system)
        elif data.components:
            raise Unprocessable("changed components are an override: give a reason")
        row.components = [c.model_dump(mode="json") for c in components]
        row.status = data.decision
        row.reason = data.reason
        row.decided_by = principal.client_id
        row.decided_at = utcnow()
        row.version += 1
        row.updated_at = row.decided_at
        await self.repository.flush()
        return RecognitionRead.model_validate(row)


def approved_version(state: LearningAgreementState) -> LaVersion | None:
    """The newest version the student and both coordinators approved."""
    for version in (state.current, *reversed(state.history)):
        if approvers(version) == set(LaParty):
            return version
    return None


def planned_of(version: LaVersion, field: str | None) -> list[PlannedComponent]:
    """A learning agreement's components abroad, each with the home components it replaces
    (a home component replaced by none named is replaced by the whole stay)."""
    return [
        PlannedComponent(
            code=component.code,
            title=component.title,
            credits=component.credits,
            system=component.credit_system,
            isced_f=field,
            replaces=[
                f"{home.code} {home.title}"
                for home in version.components.home
                if component.code in home.replaced_by or not home.replaced_by
            ],
        )
        for component in version.components.abroad
    ]


def _write(row: TranscriptRecord, message: TranscriptMessage, at: datetime) -> None:
    row.mobility_id = message.mobility_id
    row.sending_institution_id = message.sending.institution_id
    row.sending_node = message.sending.node
    row.receiving_institution_id = message.receiving.institution_id
    row.receiving_node = message.receiving.node
    row.transcript = message.transcript.model_dump(mode="json")
    row.host_tables = [t.model_dump(mode="json") for t in message.host_tables]
    row.planned = (
        None if message.planned is None else [p.model_dump(mode="json") for p in message.planned]
    )
    row.learner_erased_at = message.learner_erased_at
    row.version = message.version
    row.updated_at = at


def _overridden(
    components: list[ComponentRecognition], data: RecognitionDecision
) -> list[ComponentRecognition]:
    changed = list(components)
    for override in data.components:
        if override.index >= len(changed):
            raise Unprocessable(
                f"there is no component {override.index}",
                errors=[FieldError(path="body.components", message="no such component")],
            )
        component = changed[override.index]
        update: dict[str, object] = {
            "explanation": f"{component.explanation}; overridden: {data.reason}"
        }
        if override.credits is not None:
            if component.credits is None:
                raise Unprocessable(f"component {override.index} has no credits to override")
            credits = component.credits
            factor = credits.ects / credits.credits if credits.credits else 0.0
            update["credits"] = credits.model_copy(
                update={"credits": override.credits, "ects": round(override.credits * factor, 2)}
            )
            update["outcome"] = "recognised"
        if override.grade is not None and component.grade is not None:
            update["grade"] = component.grade.model_copy(update={"grade": override.grade})
        changed[override.index] = component.model_copy(update=update)
    return changed
