"""The rules of nominations (issue 19, item 3).

The sending institution nominates a student to the receiving one, at the sending node, within
an **approved** agreement held here: one of its cooperation conditions must be of the
nomination's mobility type, from the caller's institution to the partner, its academic years
must cover the nomination's year, and its fields and levels (when it names any) the
nomination's. The places of that condition in that year are respected: nominations waiting
for an answer or accepted hold a place; a rejected or cancelled one frees it (counted at the
sending node, which makes all of its institution's nominations; the agreement's row is locked
while counting, so two nominations at once cannot take the last place twice).

The receiving institution answers at its node — accepts or rejects with a reason — within its
working days to answer (`services/mobility/deadlines.py`); an unanswered nomination past that
day is `overdue`. The sending institution may cancel a nomination not yet rejected. Either
partner (or its node's admin) erases the student's personal data on request, at both nodes.

Every change travels whole, as `mobility.nomination.updated`, over the direct channel to the
other partner's node only; that node checks it came from the other partner and that this side
may make that change (`apply_state`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from contracts.mobility import (
    IiaConditions,
    IiaPartner,
    IiaStatus,
    NominationState,
    NominationStatus,
)
from services.mobility.access import is_node_admin, listed_institutions, own_institution, sees
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.deadlines import add_working_days, is_overdue
from services.mobility.nominations.models import Nomination
from services.mobility.nominations.repository import (
    NominationRepository,
    to_state,
    write_state,
)
from services.mobility.nominations.schemas import NominationRead, NominationRequest
from services.mobility.settings import MobilitySettings
from services.mobility.statistics.service import StatisticsService
from services.mobility.transcripts.erasure import erase_learners_of_nomination
from shared.auth import Principal
from shared.db import new_id, utcnow
from shared.direct import DirectSender
from shared.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from shared.idempotency import redact_stored_responses
from shared.inbox import PermanentEventError
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.trust import TrustList

MESSAGE_TYPE = "nomination.updated"

S = NominationStatus
# Which side's node may move a nomination from one status to another.
BY_SENDING = {(S.NOMINATED, S.CANCELLED), (S.ACCEPTED, S.CANCELLED)}
BY_RECEIVING = {(S.NOMINATED, S.ACCEPTED), (S.NOMINATED, S.REJECTED)}


def _field_covered(field: str, fields: list[str]) -> bool:
    """An ISCED-F code within one of `fields` (`0413` is within `041` and `04`)."""
    return not fields or any(field.startswith(code) for code in fields)


def _condition_problems(
    data: NominationRequest, conditions: IiaConditions, sending: uuid.UUID, receiving: uuid.UUID
) -> tuple[int | None, list[FieldError]]:
    """The places of the agreement's condition the nomination falls under, or why none."""
    if data.academic_year not in conditions.academic_years:
        return None, [
            FieldError(path="body.academic_year", message="a year the agreement does not cover")
        ]
    matching = [
        c
        for c in conditions.cooperation_conditions
        if c.mobility_type is data.mobility_type
        and c.sending_institution_id == sending
        and c.receiving_institution_id == receiving
    ]
    if not matching:
        return None, [
            FieldError(
                path="body.mobility_type",
                message="the agreement has no condition of this type from the caller's "
                "institution to the partner",
            )
        ]
    errors: list[FieldError] = []
    for condition in matching:
        errors = []
        if not _field_covered(data.isced_f, condition.isced_f):
            errors.append(
                FieldError(path="body.isced_f", message="a field the agreement does not cover")
            )
        if condition.eqf_levels and data.eqf_level not in condition.eqf_levels:
            errors.append(
                FieldError(path="body.eqf_level", message="a level the agreement does not cover")
            )
        if not errors:
            return condition.places_per_year, []
    return None, errors


@dataclass
class NominationService:
    repository: NominationRepository
    agreements: AgreementRepository
    settings: MobilitySettings
    sender: DirectSender | None = None
    publisher: Publisher | None = None  # the public statistics' (`statistics/service.py`)
    trust: TrustList | None = None

    @property
    def node(self) -> str:
        return self.settings.node_id

    async def _recount(self, state: NominationState) -> None:
        """The sending node counts its accepted students again for the public statistics."""
        if state.sending.node == self.node:
            await StatisticsService(self.repository.session, self.node, self.trust).recount(
                state.academic_year, self.publisher
            )

    def read(self, state: NominationState, today: date | None = None) -> NominationRead:
        answered = state.status is not NominationStatus.NOMINATED
        return NominationRead(
            **state.model_dump(),
            overdue=is_overdue(state.respond_by, answered=answered, today=today or utcnow().date()),
        )

    # -- writes ----------------------------------------------------------------------------

    async def nominate(self, principal: Principal, data: NominationRequest) -> NominationRead:
        institution = own_institution(principal, self.node)
        agreement = await self.agreements.get(data.agreement_id, for_update=True)
        if agreement is None or institution not in (
            agreement.proposer_institution_id,
            agreement.partner_institution_id,
        ):
            raise Unprocessable(
                f"agreement {data.agreement_id} is not one of the caller's institution",
                errors=[FieldError(path="body.agreement_id", message="not an agreement of yours")],
            )
        if agreement.status != IiaStatus.APPROVED.value:
            raise Conflict(
                "students are nominated only within an approved agreement",
                current_status=agreement.status,
            )
        own_is_proposer = institution == agreement.proposer_institution_id
        own = IiaPartner(institution_id=institution, node=self.node)
        partner = (
            IiaPartner(institution_id=agreement.partner_institution_id, node=agreement.partner_node)
            if own_is_proposer
            else IiaPartner(
                institution_id=agreement.proposer_institution_id, node=agreement.proposer_node
            )
        )
        places, errors = _condition_problems(
            data,
            IiaConditions.model_validate(agreement.conditions),
            institution,
            partner.institution_id,
        )
        if places is None:
            raise Unprocessable(
                "the nomination is outside the agreement's conditions", errors=errors
            )
        taken = await self.repository.places_taken(
            agreement.id,
            mobility_type=data.mobility_type.value,
            sending=institution,
            receiving=partner.institution_id,
            academic_year=data.academic_year,
        )
        if taken >= places:
            raise Conflict(
                f"the agreement's {places} place(s) for {data.academic_year} are taken",
                places=places,
                taken=taken,
            )
        now = utcnow()
        state = NominationState(
            id=new_id(),
            agreement_id=agreement.id,
            sending=own,
            receiving=partner,
            mobility_type=data.mobility_type,
            academic_year=data.academic_year,
            term=data.term,
            isced_f=data.isced_f,
            eqf_level=data.eqf_level,
            student=data.student,
            status=NominationStatus.NOMINATED,
            nominated_at=now,
            nominated_by=principal.client_id,
            respond_by=add_working_days(now.date(), self.settings.answer_working_days),
            version=1,
            updated_at=now,
        )
        return self.read(await self._store(state, None))

    async def answer(
        self, principal: Principal, nomination_id: uuid.UUID, *, accept: bool, reason: str | None
    ) -> NominationRead:
        record, current = await self._load_as(principal, nomination_id, receiving=True)
        if current.status is not NominationStatus.NOMINATED:
            raise Conflict(
                "the nomination was already answered or cancelled",
                current_status=current.status.value,
            )
        now = utcnow()
        state = current.model_copy(
            update={
                "status": NominationStatus.ACCEPTED if accept else NominationStatus.REJECTED,
                "reason": reason,
                "answered_at": now,
                "answered_by": principal.client_id,
                "version": current.version + 1,
                "updated_at": now,
            }
        )
        return self.read(await self._store(state, record))

    async def cancel(
        self, principal: Principal, nomination_id: uuid.UUID, reason: str
    ) -> NominationRead:
        record, current = await self._load_as(principal, nomination_id, receiving=False)
        if (current.status, NominationStatus.CANCELLED) not in BY_SENDING:
            raise Conflict(
                "only a nomination waiting for an answer or accepted is cancelled",
                current_status=current.status.value,
            )
        state = current.model_copy(
            update={
                "status": NominationStatus.CANCELLED,
                "reason": reason,
                "version": current.version + 1,
                "updated_at": utcnow(),
            }
        )
        return self.read(await self._store(state, record))

    async def erase_student(self, principal: Principal, nomination_id: uuid.UUID) -> NominationRead:
        """Erase the student's personal data here and at the other partner's node; the
        nomination (institutions, year, status) stays."""
        record = await self.repository.get(nomination_id, for_update=True)
        if record is None or not sees(
            principal,
            self.node,
            (record.sending_institution_id, record.receiving_institution_id),
        ):
            raise NotFound(f"nomination {nomination_id} does not exist")
        current = to_state(record)
        await redact_stored_responses(self.repository.session, str(record.id))
        if current.student_erased_at is not None:
            return self.read(current)
        now = utcnow()
        state = current.model_copy(
            update={
                "student": None,
                "student_erased_at": now,
                "version": current.version + 1,
                "updated_at": now,
            }
        )
        await erase_learners_of_nomination(self.repository.session, record.id, now)
        return self.read(await self._store(state, record))

    async def _load_as(
        self, principal: Principal, nomination_id: uuid.UUID, *, receiving: bool
    ) -> tuple[Nomination, NominationState]:
        """The nomination, for the caller acting as its receiving (or sending) institution at
        that side's node: 404 if the caller does not see it, 403 if it is the other side."""
        record = await self.repository.get(nomination_id, for_update=True)
        if record is None or not sees(
            principal,
            self.node,
            (record.sending_institution_id, record.receiving_institution_id),
        ):
            raise NotFound(f"nomination {nomination_id} does not exist")
        if is_node_admin(principal, self.node):
            raise Forbidden("the node's admin reads nominations; the institutions answer them")
        institution = own_institution(principal, self.node)
        current = to_state(record)
        side = current.receiving if receiving else current.sending
        if side.institution_id != institution or side.node != self.node:
            raise Forbidden(
                "only the receiving institution answers a nomination"
                if receiving
                else "only the sending institution cancels a nomination"
            )
        return record, current

    async def _store(self, state: NominationState, record: Nomination | None) -> NominationState:
        """Write the new state here and send it, in the same transaction, to the other
        partner's node."""
        if record is None:
            record = Nomination(id=state.id, created_at=state.updated_at)
            self.repository.add(record)
        write_state(record, state)
        record.version = state.version
        await self.repository.flush()
        if self.sender is None:
            raise RuntimeError("a nomination is written only where it can be sent")
        other = state.receiving if state.sending.node == self.node else state.sending
        await self.sender.send(
            self.repository.session,
            to=other.node,
            type=MESSAGE_TYPE,
            subject=str(state.id),
            data=state.model_dump(mode="json"),
            version=state.version,
        )
        await self._recount(state)
        return state

    # -- reads -----------------------------------------------------------------------------

    async def get(self, principal: Principal, nomination_id: uuid.UUID) -> NominationRead:
        record = await self.repository.get(nomination_id)
        if record is None or not sees(
            principal,
            self.node,
            (record.sending_institution_id, record.receiving_institution_id),
        ):
            raise NotFound(f"nomination {nomination_id} does not exist")
        return self.read(to_state(record))

    async def list(
        self,
        principal: Principal,
        params: PageParams,
        status: NominationStatus | None,
        overdue: bool,
    ) -> tuple[list[NominationRead], str | None]:
        today = utcnow().date()
        rows, cursor = await self.repository.page(
            params,
            institutions=listed_institutions(principal, self.node),
            status=status.value if status else None,
            overdue_on=today if overdue else None,
        )
        return [self.read(to_state(row), today) for row in rows], cursor

    # -- the other partner's messages ------------------------------------------------------

    async def apply_state(self, state: NominationState, origin: str, version: int) -> None:
        """The nomination as the other partner's node sent it, checked before it is stored:
        from the other partner's node, of an agreement between the two held here, and a
        change that side may make (the sending side nominates and cancels, the receiving side
        answers; either erases the student). Anything else is refused, nothing stored."""
        sides = {state.sending.node, state.receiving.node}
        if origin not in sides or self.node not in sides or origin == self.node:
            raise PermanentEventError(
                f"nomination {state.id} from node {origin!r}, which is not the other partner"
            )
        if version != state.version:
            raise PermanentEventError("the message's version is not the nomination's")
        agreement = await self.agreements.get(state.agreement_id)
        partners = {state.sending.institution_id, state.receiving.institution_id}
        if agreement is None or partners != {
            agreement.proposer_institution_id,
            agreement.partner_institution_id,
        }:
            raise PermanentEventError(
                f"nomination {state.id}: no agreement between its two institutions here"
            )
        stored = await self.repository.get(state.id, for_update=True)
        by_sending = origin == state.sending.node
        if stored is None:
            if not by_sending:
                raise PermanentEventError(f"nomination {state.id}: made by the receiving side")
            if state.status in (NominationStatus.ACCEPTED, NominationStatus.REJECTED):
                raise PermanentEventError(
                    f"nomination {state.id}: the receiving side's answer, given by the sending side"
                )
        else:
            before = to_state(stored)
            if (before.sending, before.receiving) != (state.sending, state.receiving):
                raise PermanentEventError(f"nomination {state.id}: its partners cannot change")
            step = (before.status, state.status)
            allowed = BY_SENDING if by_sending else BY_RECEIVING
            if step[0] != step[1] and step not in allowed and stored.version < version:
                raise PermanentEventError(
                    f"nomination {state.id}: the {'sending' if by_sending else 'receiving'} "
                    f"side cannot move it from {step[0].value!r} to {step[1].value!r}"
                )
            if stored.version == version and by_sending and before != state:
                # Both sides wrote the same version at once (the sending side cancelled while
                # the receiving side answered): the sending side's write wins at both nodes.
                write_state(stored, state)
                await self.repository.flush()
                await self._recount(state)
                return
        await self.repository.apply(state, version)
        await self._recount(state)
        if state.student_erased_at is not None:  # the other side erased the student
            await erase_learners_of_nomination(
                self.repository.session, state.id, state.student_erased_at
            )
