"""The rules of learning agreements (issue 19, item 3).

A learning agreement belongs to one nomination: the components the student studies abroad (in
the receiving institution's credits, with the term) and the components they replace at home.
Each version is approved by three parties, each approval a detached JWS over the version's
digest (`digest.py`) by the node of the party's institution, checkable against the trust
list by either node:

- the **sending coordinator** (the sending institution's client at the sending node) proposes
  the first version and every change; its approval is given with the proposal;
- the **student** approves with a single-use token the sending coordinator issues for that
  version and hands to them (only its SHA-256 is stored; it expires); the sending node,
  which checked the token, signs the student's approval;
- the **receiving coordinator** (the receiving institution's client at the receiving node)
  approves or rejects (with a reason) the version; the 5 working days it has to answer
  (`deadlines.py`) start once the student and the sending coordinator have approved it.

With the three approvals the version is `approved`. A change (during the stay, too) is a new
version, proposed again: the earlier ones stay in the history (an approved one as approved,
one never approved as superseded). Anybody else — another institution, the node's admin —
is not a party (403); only the two institutions' clients and the admin read it.

The whole state travels as `mobility.learning_agreement.updated` to the other partner's node
over the direct channel; the receiving node checks it (`apply_state`): from the other
partner, every digest that of its components, every approval by the node of its party's
institution (verified against the trust list), and only changes that side makes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.mobility import (
    IiaPartner,
    LaApproval,
    LaComponents,
    LaParty,
    LaRejection,
    LaVersion,
    LaVersionStatus,
    LearningAgreementState,
    NominationStatus,
)
from services.mobility.access import is_node_admin, listed_institutions, own_institution, sees
from services.mobility.agreements.approvals import approval_problem
from services.mobility.deadlines import add_working_days, is_overdue
from services.mobility.learning_agreements.digest import components_digest
from services.mobility.learning_agreements.models import LearningAgreement, StudentToken
from services.mobility.learning_agreements.repository import (
    LearningAgreementRepository,
    receiving_answered,
    to_state,
    write_state,
)
from services.mobility.learning_agreements.schemas import (
    LaProposal,
    LearningAgreementRead,
    StudentTokenRead,
)
from services.mobility.nominations.repository import NominationRepository
from services.mobility.settings import MobilitySettings
from shared.auth import Principal
from shared.db import new_id, utcnow
from shared.direct import DirectSender
from shared.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
)
from shared.inbox import PermanentEventError
from shared.pagination import PageParams
from shared.signing import NodeSigner, load_node_signer
from shared.trust import TrustList

MESSAGE_TYPE = "learning_agreement.updated"
MAX_VERSIONS = 100
TOKEN_PREFIX = "la_"
STUDENT = "student"  # who `approved_by` names for the student (never their name)
# The nominations a learning agreement is made or changed for.
OPEN_NOMINATION = {NominationStatus.NOMINATED.value, NominationStatus.ACCEPTED.value}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def approvers(version: LaVersion) -> set[LaParty]:
    return {a.party for a in version.approvals if a.digest == version.digest}


def status_of(version: LaVersion) -> LaVersionStatus:
    """Rejected with a rejection; approved with the three parties' approvals of its digest."""
    if version.rejection is not None:
        return LaVersionStatus.REJECTED
    if approvers(version) == set(LaParty):
        return LaVersionStatus.APPROVED
    return LaVersionStatus.PROPOSED


def party_node(state: LearningAgreementState, party: LaParty) -> IiaPartner:
    """The institution (and node) that signs for a party: the student's is the sending one."""
    return state.receiving if party is LaParty.RECEIVING else state.sending


@dataclass
class LearningAgreementService:
    repository: LearningAgreementRepository
    nominations: NominationRepository
    settings: MobilitySettings
    sender: DirectSender | None = None
    trust: TrustList | None = None

    @property
    def node(self) -> str:
        return self.settings.node_id

    def read(
        self, state: LearningAgreementState, today: date | None = None
    ) -> LearningAgreementRead:
        current = state.current
        return LearningAgreementRead(
            **state.model_dump(),
            overdue=current.status is LaVersionStatus.PROPOSED
            and is_overdue(
                current.respond_by,
                answered=receiving_answered(current),
                today=today or utcnow().date(),
            ),
        )

    # -- who may do what -------------------------------------------------------------------

    def _signer(self) -> NodeSigner:
        keys = self.settings.federation_keys_dir
        signer = load_node_signer(keys, self.node) if keys is not None else None
        if signer is None or self.sender is None or self.trust is None:
            raise ServiceUnavailable(
                "learning agreements need this node's federation key and trust list"
            )
        return signer

    async def _load(
        self, principal: Principal, learning_agreement_id: uuid.UUID
    ) -> tuple[LearningAgreement, LearningAgreementState]:
        record = await self.repository.get(learning_agreement_id, for_update=True)
        if record is None:
            raise NotFound(f"learning agreement {learning_agreement_id} does not exist")
        return record, to_state(record)

    def _party(self, principal: Principal, state: LearningAgreementState) -> LaParty:
        """The coordinator the caller is: its institution's side, at that side's node.
        Anybody else is not one of the three parties (403)."""
        if is_node_admin(principal, self.node):
            raise Forbidden("the node's admin is not a party to a learning agreement")
        institution = own_institution(principal, self.node)
        if state.sending.institution_id == institution and state.sending.node == self.node:
            return LaParty.SENDING
        if state.receiving.institution_id == institution and state.receiving.node == self.node:
            return LaParty.RECEIVING
        raise Forbidden("the caller's institution is not a party to this learning agreement")

    def _approval(self, state: LearningAgreementState, party: LaParty, by: str) -> LaApproval:
        side = party_node(state, party)
        return LaApproval(
            party=party,
            institution_id=side.institution_id,
            node=self.node,
            digest=state.current.digest,
            signature=self._signer().sign(state.current.digest.encode()),
            approved_at=utcnow(),
            approved_by=by,
        )

    def _with_approval(
        self, state: LearningAgreementState, approval: LaApproval
    ) -> LearningAgreementState:
        current = state.current
        if approval.party in approvers(current):
            raise Conflict(f"the {approval.party.value} already approved this version")
        version = current.model_copy(update={"approvals": [*current.approvals, approval]})
        if version.respond_by is None and {LaParty.STUDENT, LaParty.SENDING} <= approvers(version):
            version = version.model_copy(
                update={
                    "respond_by": add_working_days(
                        approval.approved_at.date(), self.settings.answer_working_days
                    )
                }
            )
        version = version.model_copy(update={"status": status_of(version)})
        return state.model_copy(
            update={"current": version, "version": state.version + 1, "updated_at": utcnow()}
        )

    async def _mobility_open(self, state: LearningAgreementState) -> None:
        """Nothing is approved for a mobility that will not happen (its nomination rejected
        or cancelled)."""
        nomination = await self.nominations.get(state.nomination_id)
        if nomination is None or nomination.status not in OPEN_NOMINATION:
            raise Conflict(
                "the nomination was rejected or cancelled",
                current_status=nomination.status if nomination else None,
            )

    @staticmethod
    def _answerable(current: LaVersion, digest: str) -> None:
        if digest != current.digest:
            raise Conflict(
                "the learning agreement changed since it was read: read it again",
                current_digest=current.digest,
            )
        if current.status is LaVersionStatus.REJECTED:
            raise Conflict("this version was rejected: the sending side proposes a new one")

    # -- writes ----------------------------------------------------------------------------

    async def propose(self, principal: Principal, data: LaProposal) -> LearningAgreementRead:
        institution = own_institution(principal, self.node)
        nomination = await self.nominations.get(data.nomination_id)
        if nomination is None or not sees(
            principal,
            self.node,
            (nomination.sending_institution_id, nomination.receiving_institution_id),
        ):
            raise Unprocessable(
                f"nomination {data.nomination_id} is not one of the caller's institution",
                errors=[FieldError(path="body.nomination_id", message="not a nomination of yours")],
            )
        if nomination.sending_institution_id != institution:
            raise Forbidden("only the sending institution proposes the learning agreement")
        if nomination.status not in OPEN_NOMINATION:
            raise Conflict(
                "the nomination was rejected or cancelled", current_status=nomination.status
            )
        if await self.repository.of_nomination(nomination.id) is not None:
            raise Conflict("the nomination has a learning agreement: change its components")
        self._signer()
        now = utcnow()
        sending = IiaPartner(institution_id=institution, node=self.node)
        receiving = IiaPartner(
            institution_id=nomination.receiving_institution_id, node=nomination.receiving_node
        )
        la_id = new_id()
        state = LearningAgreementState(
            id=la_id,
            nomination_id=nomination.id,
            sending=sending,
            receiving=receiving,
            current=self._version(
                la_id, nomination.id, 1, sending, receiving, data.components, principal
            ),
            version=1,
            updated_at=now,
        )
        state = self._with_approval(
            state, self._approval(state, LaParty.SENDING, principal.client_id)
        )
        state = state.model_copy(update={"version": 1})
        return self.read(await self._store(state, None))

    @staticmethod
    def _version(
        la_id: uuid.UUID,
        nomination_id: uuid.UUID,
        revision: int,
        sending: IiaPartner,
        receiving: IiaPartner,
        components: LaComponents,
        principal: Principal,
    ) -> LaVersion:
        return LaVersion(
            revision=revision,
            components=components,
            digest=components_digest(
                la_id, nomination_id, revision, sending, receiving, components
            ),
            status=LaVersionStatus.PROPOSED,
            approvals=[],
            proposed_at=utcnow(),
            proposed_by=principal.client_id,
        )

    async def change(
        self,
        principal: Principal,
        learning_agreement_id: uuid.UUID,
        components: LaComponents,
        expected_version: int,
    ) -> LearningAgreementRead:
        record, current = await self._load(principal, learning_agreement_id)
        if self._party(principal, current) is not LaParty.SENDING:
            raise Forbidden("only the sending coordinator proposes changes")
        if current.version != expected_version:
            raise PreconditionFailed(
                f"the learning agreement is at version {current.version}, not {expected_version}",
                current_version=current.version,
            )
        await self._mobility_open(current)
        if components == current.current.components:
            return self.read(current)
        if len(current.history) + 1 >= MAX_VERSIONS:
            raise Conflict(f"a learning agreement has at most {MAX_VERSIONS} versions")
        previous = current.current
        if previous.status is LaVersionStatus.PROPOSED:
            previous = previous.model_copy(update={"status": LaVersionStatus.SUPERSEDED})
        state = current.model_copy(
            update={
                "history": [*current.history, previous],
                "current": self._version(
                    current.id,
                    current.nomination_id,
                    current.current.revision + 1,
                    current.sending,
                    current.receiving,
                    components,
                    principal,
                ),
            }
        )
        state = self._with_approval(
            state, self._approval(state, LaParty.SENDING, principal.client_id)
        )
        return self.read(await self._store(state, record))

    async def approve(
        self, principal: Principal, learning_agreement_id: uuid.UUID, digest: str
    ) -> LearningAgreementRead:
        record, current = await self._load(principal, learning_agreement_id)
        party = self._party(principal, current)
        self._answerable(current.current, digest)
        await self._mobility_open(current)
        state = self._with_approval(current, self._approval(current, party, principal.client_id))
        return self.read(await self._store(state, record))

    async def reject(
        self, principal: Principal, learning_agreement_id: uuid.UUID, digest: str, reason: str
    ) -> LearningAgreementRead:
        record, current = await self._load(principal, learning_agreement_id)
        if self._party(principal, current) is not LaParty.RECEIVING:
            raise Forbidden("only the receiving coordinator rejects a learning agreement")
        self._answerable(current.current, digest)
        if LaParty.RECEIVING in approvers(current.current):
            raise Conflict("the receiving coordinator already approved this version")
        self._signer()
        version = current.current.model_copy(
            update={
                "rejection": LaRejection(
                    reason=reason, rejected_at=utcnow(), rejected_by=principal.client_id
                ),
                "status": LaVersionStatus.REJECTED,
            }
        )
        state = current.model_copy(
            update={"current": version, "version": current.version + 1, "updated_at": utcnow()}
        )
        return self.read(await self._store(state, record))

    async def issue_student_token(
        self, principal: Principal, learning_agreement_id: uuid.UUID, digest: str
    ) -> StudentTokenRead:
        """A single-use token for the student to approve the current version, valid for
        `student_token_hours`; shown once, only its SHA-256 kept."""
        _record, current = await self._load(principal, learning_agreement_id)
        if self._party(principal, current) is not LaParty.SENDING:
            raise Forbidden("only the sending coordinator issues the student's token")
        self._answerable(current.current, digest)
        await self._mobility_open(current)
        if LaParty.STUDENT in approvers(current.current):
            raise Conflict("the student already approved this version")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = utcnow() + timedelta(hours=self.settings.student_token_hours)
        self.repository.add(
            StudentToken(
                id=new_id(),
                token_sha256=token_digest(token),
                learning_agreement_id=current.id,
                revision=current.current.revision,
                issued_by=principal.client_id,
                expires_at=expires_at,
            )
        )
        await self.repository.flush()
        return StudentTokenRead(
            token=token,
            learning_agreement_id=current.id,
            revision=current.current.revision,
            digest=current.current.digest,
            expires_at=expires_at,
        )

    async def _student_token(self, token: str) -> tuple[StudentToken, LearningAgreement]:
        found = await self.repository.token(token_digest(token))
        if found is None or found.used_at is not None or found.expires_at <= utcnow():
            raise Unauthorized("the student's token is unknown, used or expired")
        record = await self.repository.get(found.learning_agreement_id, for_update=True)
        if record is None or record.sending_node != self.node:
            raise Unauthorized("the student's token is unknown, used or expired")
        return found, record

    async def student_view(self, token: str) -> LaVersion:
        """The version the student's token is for (the token stays usable)."""
        found, record = await self._student_token(token)
        state = to_state(record)
        if state.current.revision != found.revision:
            raise Conflict("the learning agreement changed: ask for a new token")
        return state.current

    async def approve_as_student(self, token: str, digest: str) -> LaVersion:
        found, record = await self._student_token(token)
        current = to_state(record)
        if current.current.revision != found.revision:
            raise Conflict("the learning agreement changed: ask for a new token")
        self._answerable(current.current, digest)
        await self._mobility_open(current)
        found.used_at = utcnow()
        state = self._with_approval(current, self._approval(current, LaParty.STUDENT, STUDENT))
        await self._store(state, record)
        return state.current

    async def _store(
        self, state: LearningAgreementState, record: LearningAgreement | None
    ) -> LearningAgreementState:
        """Write the new state here and send it, in the same transaction, to the other
        partner's node."""
        if record is None:
            record = LearningAgreement(id=state.id, created_at=state.updated_at)
            self.repository.add(record)
        write_state(record, state)
        record.version = state.version
        await self.repository.flush()
        if self.sender is None:
            raise ServiceUnavailable("learning agreements need the direct channel")
        other = state.receiving if state.sending.node == self.node else state.sending
        await self.sender.send(
            self.repository.session,
            to=other.node,
            type=MESSAGE_TYPE,
            subject=str(state.id),
            data=state.model_dump(mode="json"),
            version=state.version,
        )
        return state

    # -- reads -----------------------------------------------------------------------------

    async def get(
        self, principal: Principal, learning_agreement_id: uuid.UUID
    ) -> LearningAgreementRead:
        record = await self.repository.get(learning_agreement_id)
        if record is None or not sees(
            principal, self.node, (record.sending_institution_id, record.receiving_institution_id)
        ):
            raise NotFound(f"learning agreement {learning_agreement_id} does not exist")
        return self.read(to_state(record))

    async def list(
        self,
        principal: Principal,
        params: PageParams,
        status: LaVersionStatus | None,
        overdue: bool,
    ) -> tuple[list[LearningAgreementRead], str | None]:
        today = utcnow().date()
        rows, cursor = await self.repository.page(
            params,
            institutions=listed_institutions(principal, self.node),
            status=status.value if status else None,
            overdue_on=today if overdue else None,
        )
        return [self.read(to_state(row), today) for row in rows], cursor

    # -- the other partner's messages ------------------------------------------------------

    def _check_versions(self, state: LearningAgreementState) -> None:
        """Every version's digest is that of its components, every approval of the current
        one is by the node of its party's institution over that digest, verified against the
        trust list, and the current status is the one they give."""
        if self.trust is None:
            raise PermanentEventError("this node has no trust list to check approvals with")
        for version in [*state.history, state.current]:
            digest = components_digest(
                state.id,
                state.nomination_id,
                version.revision,
                state.sending,
                state.receiving,
                version.components,
            )
            if digest != version.digest:
                raise PermanentEventError(
                    f"learning agreement {state.id} revision {version.revision}: its digest is "
                    "not its components'"
                )
        seen: set[LaParty] = set()
        for approval in state.current.approvals:
            side = party_node(state, approval.party)
            if (side.node, side.institution_id) != (approval.node, approval.institution_id):
                raise PermanentEventError(
                    f"the {approval.party.value}'s approval by {approval.node!r}, which does "
                    "not sign for that party"
                )
            if approval.party in seen:
                raise PermanentEventError(f"two approvals by the {approval.party.value}")
            seen.add(approval.party)
            problem = approval_problem(approval, state.current.digest, self.trust)
            if problem is not None:
                raise PermanentEventError(f"learning agreement {state.id}: {problem}")
        if state.current.status is not status_of(state.current):
            raise PermanentEventError(
                f"learning agreement {state.id} claims {state.current.status.value!r}, its "
                f"approvals give {status_of(state.current).value!r}"
            )

    async def apply_state(self, state: LearningAgreementState, origin: str, version: int) -> None:
        """The learning agreement as the other partner's node sent it, checked before it is
        stored (see the module's docstring); anything else is refused, nothing stored."""
        sides = {state.sending.node, state.receiving.node}
        if origin not in sides or self.node not in sides or origin == self.node:
            raise PermanentEventError(
                f"learning agreement {state.id} from node {origin!r}, which is not the other "
                "partner"
            )
        if version != state.version:
            raise PermanentEventError("the message's version is not the learning agreement's")
        nomination = await self.nominations.get(state.nomination_id)
        if nomination is None or (
            nomination.sending_institution_id,
            nomination.receiving_institution_id,
        ) != (state.sending.institution_id, state.receiving.institution_id):
            raise PermanentEventError(
                f"learning agreement {state.id}: no nomination between its institutions here"
            )
        self._check_versions(state)
        stored = await self.repository.get(state.id, for_update=True)
        by_sending = origin == state.sending.node
        if stored is None:
            if not by_sending:
                raise PermanentEventError(
                    f"learning agreement {state.id}: made by the receiving side"
                )
            if state.current.rejection is not None or LaParty.RECEIVING in approvers(state.current):
                raise PermanentEventError(
                    f"learning agreement {state.id}: the receiving side's answer, given by "
                    "the sending side"
                )
        else:
            before = to_state(stored)
            if (before.sending, before.receiving, before.nomination_id) != (
                state.sending,
                state.receiving,
                state.nomination_id,
            ):
                raise PermanentEventError(
                    f"learning agreement {state.id}: its parties cannot change"
                )
            if stored.version > version or (stored.version == version and not by_sending):
                return  # an older state, or the receiving side's that lost to the sending's
            self._check_side(before, state, by_sending)
            if stored.version == version and by_sending and before != state:
                # Both sides wrote the same version at once: the sending side's wins at both.
                write_state(stored, state)
                await self.repository.flush()
                return
        await self.repository.apply(state, version)

    @staticmethod
    def _check_side(
        before: LearningAgreementState, state: LearningAgreementState, by_sending: bool
    ) -> None:
        """The receiving side only answers the current version (approves or rejects); the
        sending side proposes versions and gives its own and the student's approvals."""
        same_revision = before.current.revision == state.current.revision
        if by_sending:
            receiving_before = (
                [a for a in before.current.approvals if a.party is LaParty.RECEIVING],
                before.current.rejection,
            )
            receiving_now = (
                [a for a in state.current.approvals if a.party is LaParty.RECEIVING],
                state.current.rejection,
            )
            if receiving_now != (receiving_before if same_revision else ([], None)):
                raise PermanentEventError(
                    f"learning agreement {state.id}: the receiving side's answer, given by the "
                    "sending side"
                )
            return
        if not same_revision or before.current.components != state.current.components:
            raise PermanentEventError(
                f"learning agreement {state.id}: the receiving side cannot change its components"
            )
        others_before = [a for a in before.current.approvals if a.party is not LaParty.RECEIVING]
        others_now = [a for a in state.current.approvals if a.party is not LaParty.RECEIVING]
        if others_now != others_before:
            raise PermanentEventError(
                f"learning agreement {state.id}: the sending side's approvals, given by the "
                "receiving side"
            )
