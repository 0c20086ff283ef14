"""The rules of inter-institutional agreements (issue 19, item 2).

One institution proposes conditions to an institution of another node; its node signs its
approval of them at once. The partner's node approves (signing the same digest); with both
approvals over the current conditions the agreement is `approved`. A change of conditions is a
new revision with a new digest: the changer's node approves it, the other's approval no longer
counts, and the agreement is `proposed` again. Either partner may terminate it.

Every change is sent, whole, to the other partner's node over the direct channel
(`shared/direct.py`), never the public streams; the receiving node checks every approval's
signature against the trust list before it stores the state (`apply_state`). Only the two
partners' clients (and the node's admin) see an agreement; to anybody else it does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from contracts.mobility import (
    IiaApproval,
    IiaConditions,
    IiaPartner,
    IiaState,
    IiaStatus,
)
from services.mobility.agreements.approvals import (
    approval_problem,
    conditions_digest,
    sign_approval,
)
from services.mobility.agreements.models import Agreement
from services.mobility.agreements.repository import AgreementRepository, write_state
from services.mobility.agreements.schemas import IiaProposal
from services.mobility.institutions.repository import InstitutionRepository
from services.mobility.settings import MobilitySettings
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
from shared.pagination import PageParams
from shared.signing import NodeSigner, load_node_signer
from shared.trust import TrustList

MESSAGE_TYPE = "agreement.updated"


def to_state(record: Agreement) -> IiaState:
    return IiaState(
        id=record.id,
        proposer=IiaPartner(
            institution_id=record.proposer_institution_id, node=record.proposer_node
        ),
        partner=IiaPartner(institution_id=record.partner_institution_id, node=record.partner_node),
        revision=record.revision,
        conditions=IiaConditions.model_validate(record.conditions),
        digest=record.digest,
        status=IiaStatus(record.status),
        approvals=[IiaApproval.model_validate(a) for a in record.approvals],
        version=record.version,
        terminated_reason=record.terminated_reason,
        updated_at=record.updated_at,
    )


def status_of(state: IiaState) -> IiaStatus:
    """Approved when both partners' nodes approved the current conditions."""
    if state.status is IiaStatus.TERMINATED:
        return IiaStatus.TERMINATED
    approving = {a.node for a in state.approvals if a.digest == state.digest}
    both = {state.proposer.node, state.partner.node}
    return IiaStatus.APPROVED if approving >= both else IiaStatus.PROPOSED


def _check_conditions(conditions: IiaConditions, institutions: set[uuid.UUID]) -> None:
    errors = [
        FieldError(
            path=f"body.conditions.cooperation_conditions.{index}",
            message="the sending and receiving institutions must be the agreement's two partners",
        )
        for index, condition in enumerate(conditions.cooperation_conditions)
        if {condition.sending_institution_id, condition.receiving_institution_id} != institutions
    ]
    if errors:
        raise Unprocessable("a cooperation condition names another institution", errors=errors)


async def _ensure_in_directory(
    institutions: InstitutionRepository, partners: list[tuple[str, IiaPartner]]
) -> None:
    """Each (field path, partner) names an active institution of this node's copy of the
    directory, of the partner's node (its origin); else 422 naming every one that is not."""
    errors = []
    for path, partner in partners:
        found = await institutions.institution(partner.institution_id)
        if found is None:
            why = f"institution {partner.institution_id} is not in this node's directory"
        elif found.origin_node != partner.node:
            why = (
                f"institution {partner.institution_id} ({found.name}) is of node "
                f"{found.origin_node!r}, not {partner.node!r}"
            )
        elif found.status != "active":
            why = f"institution {partner.institution_id} ({found.name}) is {found.status}"
        else:
            continue
        errors.append(FieldError(path=path, message=why))
    if errors:
        raise Unprocessable("; ".join(e.message for e in errors), errors=errors)


@dataclass
class AgreementService:
    repository: AgreementRepository
    settings: MobilitySettings
    sender: DirectSender | None = None
    trust: TrustList | None = None

    @property
    def node(self) -> str:
        return self.settings.node_id

    # -- who may do what -------------------------------------------------------------------

    def _own_institution(self, principal: Principal) -> uuid.UUID:
        if principal.institution_id is None or principal.node != self.node:
            raise Forbidden("only a client bound to an institution of this node acts for it")
        return principal.institution_id

    def _visible(self, principal: Principal, record: Agreement) -> bool:
        if principal.node != self.node:
            return False
        if principal.role is Role.NODE_ADMIN and principal.institution_id is None:
            return True
        return principal.institution_id in (
            record.proposer_institution_id,
            record.partner_institution_id,
        )

    async def _load(self, principal: Principal, agreement_id: uuid.UUID) -> Agreement:
        record = await self.repository.get(agreement_id, for_update=True)
        if record is None or not self._visible(principal, record):
            raise NotFound(f"agreement {agreement_id} does not exist")
        return record

    def _side(self, principal: Principal, state: IiaState) -> IiaPartner:
        """The caller's side of the agreement, which must be of this node."""
        institution = self._own_institution(principal)
        for side in (state.proposer, state.partner):
            if side.institution_id == institution and side.node == self.node:
                return side
        raise Forbidden("the caller's institution is not a partner of this agreement here")

    def _signer(self) -> NodeSigner:
        keys = self.settings.federation_keys_dir
        signer = load_node_signer(keys, self.node) if keys is not None else None
        if signer is None or self.sender is None or self.trust is None:
            raise ServiceUnavailable("agreements need this node's federation key and trust list")
        return signer

    def _approval(self, principal: Principal, side: IiaPartner, digest: str) -> IiaApproval:
        return sign_approval(
            self._signer(),
            node=self.node,
            institution_id=side.institution_id,
            digest=digest,
            at=utcnow(),
            approved_by=principal.client_id,
        )

    # -- writes ----------------------------------------------------------------------------

    async def propose(self, principal: Principal, data: IiaProposal) -> IiaState:
        own = IiaPartner(institution_id=self._own_institution(principal), node=self.node)
        self._signer()
        assert self.trust is not None
        if data.partner.node == self.node or self.trust.node(data.partner.node) is None:
            raise Unprocessable(
                f"the partner's node {data.partner.node!r} is not a peer of this node",
                errors=[FieldError(path="body.partner.node", message="not a peer node")],
            )
        if data.partner.institution_id == own.institution_id:
            raise Unprocessable("an institution cannot make an agreement with itself")
        _check_conditions(data.conditions, {own.institution_id, data.partner.institution_id})
        await _ensure_in_directory(
            InstitutionRepository(self.repository.session),
            [("body.partner.institution_id", data.partner), ("token.institution_id", own)],
        )
        agreement_id = new_id()
        digest = conditions_digest(agreement_id, 1, own, data.partner, data.conditions)
        state = IiaState(
            id=agreement_id,
            proposer=own,
            partner=data.partner,
            revision=1,
            conditions=data.conditions,
            digest=digest,
            status=IiaStatus.PROPOSED,
            approvals=[self._approval(principal, own, digest)],
            version=1,
            updated_at=utcnow(),
        )
        return await self._store(state, None)

    async def change(
        self,
        principal: Principal,
        agreement_id: uuid.UUID,
        conditions: IiaConditions,
        expected_version: int,
    ) -> IiaState:
        record = await self._load(principal, agreement_id)
        current = to_state(record)
        side = self._side(principal, current)
        self._writable(current, expected_version)
        _check_conditions(
            conditions, {current.proposer.institution_id, current.partner.institution_id}
        )
        if conditions == current.conditions:
            return current
        revision = current.revision + 1
        digest = conditions_digest(
            current.id, revision, current.proposer, current.partner, conditions
        )
        state = current.model_copy(
            update={
                "revision": revision,
                "conditions": conditions,
                "digest": digest,
                "status": IiaStatus.PROPOSED,
                "approvals": [self._approval(principal, side, digest)],
                "version": current.version + 1,
                "updated_at": utcnow(),
            }
        )
        return await self._store(state, record)

    async def approve(self, principal: Principal, agreement_id: uuid.UUID, digest: str) -> IiaState:
        record = await self._load(principal, agreement_id)
        current = to_state(record)
        side = self._side(principal, current)
        if current.status is IiaStatus.TERMINATED:
            raise Conflict("the agreement is terminated", current_status=current.status.value)
        if digest != current.digest:
            raise Conflict(
                "the conditions changed since they were read: read them again and approve "
                "the current ones",
                current_digest=current.digest,
            )
        if any(a.node == self.node and a.digest == current.digest for a in current.approvals):
            raise Conflict("this partner already approved the current conditions")
        approvals = [a for a in current.approvals if a.digest == current.digest]
        state = current.model_copy(
            update={
                "approvals": [*approvals, self._approval(principal, side, current.digest)],
                "version": current.version + 1,
                "updated_at": utcnow(),
            }
        )
        state = state.model_copy(update={"status": status_of(state)})
        return await self._store(state, record)

    async def terminate(
        self, principal: Principal, agreement_id: uuid.UUID, reason: str, expected_version: int
    ) -> IiaState:
        record = await self._load(principal, agreement_id)
        current = to_state(record)
        self._side(principal, current)
        self._writable(current, expected_version)
        self._signer()
        state = current.model_copy(
            update={
                "status": IiaStatus.TERMINATED,
                "terminated_reason": reason,
                "version": current.version + 1,
                "updated_at": utcnow(),
            }
        )
        return await self._store(state, record)

    @staticmethod
    def _writable(current: IiaState, expected_version: int) -> None:
        if current.version != expected_version:
            raise PreconditionFailed(
                f"the agreement is at version {current.version}, not {expected_version}",
                current_version=current.version,
            )
        if current.status is IiaStatus.TERMINATED:
            raise Conflict("the agreement is terminated", current_status=current.status.value)

    async def _store(self, state: IiaState, record: Agreement | None) -> IiaState:
        """Write the new state here and send it, in the same transaction, to the other
        partner's node."""
        if record is None:
            record = Agreement(id=state.id, created_at=state.updated_at)
            self.repository.add(record)
        write_state(record, state)
        record.version = state.version
        await self.repository.flush()
        assert self.sender is not None
        other = state.partner if state.proposer.node == self.node else state.proposer
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

    async def get(self, principal: Principal, agreement_id: uuid.UUID) -> IiaState:
        record = await self.repository.get(agreement_id)
        if record is None or not self._visible(principal, record):
            raise NotFound(f"agreement {agreement_id} does not exist")
        return to_state(record)

    async def list(
        self, principal: Principal, params: PageParams, status: IiaStatus | None
    ) -> tuple[list[IiaState], str | None]:
        if principal.node != self.node:
            raise Forbidden("a client of another node")
        if principal.role is Role.NODE_ADMIN and principal.institution_id is None:
            institutions = None
        elif principal.institution_id is not None:
            institutions = [principal.institution_id]
        else:
            raise Forbidden("only a client bound to an institution lists its agreements")
        rows, cursor = await self.repository.page(
            params, institutions=institutions, status=status.value if status else None
        )
        return [to_state(row) for row in rows], cursor

    # -- the other partner's messages ------------------------------------------------------

    async def apply_state(self, state: IiaState, origin: str, version: int) -> None:
        """The agreement as the other partner's node sent it, checked before it is stored:
        sent by one partner's node to the other's, its digest that of its conditions, every
        approval signed by its partner's node over that digest (trust list), its status the
        one its approvals give. Anything else is refused (`PermanentEventError`), nothing
        stored."""
        sides = {state.proposer.node: state.proposer, state.partner.node: state.partner}
        if origin not in sides or self.node not in sides or origin == self.node:
            raise PermanentEventError(
                f"agreement {state.id} from node {origin!r}, which is not the other partner"
            )
        if version != state.version:
            raise PermanentEventError("the message's version is not the agreement's")
        digest = conditions_digest(
            state.id, state.revision, state.proposer, state.partner, state.conditions
        )
        if digest != state.digest:
            raise PermanentEventError(f"agreement {state.id}: its digest is not its conditions'")
        if self.trust is None:
            raise PermanentEventError("this node has no trust list to check approvals with")
        seen: set[str] = set()
        for approval in state.approvals:
            side = sides.get(approval.node)
            if side is None or side.institution_id != approval.institution_id:
                raise PermanentEventError(f"an approval by {approval.node!r}, not a partner")
            if approval.node in seen:
                raise PermanentEventError(f"two approvals by {approval.node!r}")
            seen.add(approval.node)
            problem = approval_problem(approval, state.digest, self.trust)
            if problem is not None:
                raise PermanentEventError(f"agreement {state.id}: {problem}")
        if state.status is not status_of(state):
            raise PermanentEventError(
                f"agreement {state.id} claims {state.status.value!r}, its approvals give "
                f"{status_of(state).value!r}"
            )
        stored = await self.repository.get(state.id, for_update=True)
        if stored is not None and (
            stored.proposer_node,
            stored.proposer_institution_id,
            stored.partner_node,
            stored.partner_institution_id,
        ) != (
            state.proposer.node,
            state.proposer.institution_id,
            state.partner.node,
            state.partner.institution_id,
        ):
            raise PermanentEventError(f"agreement {state.id}: its partners cannot change")
        if (
            stored is not None
            and stored.version == version
            and origin == state.proposer.node
            and to_state(stored) != state
        ):
            # Both partners wrote the same version at once (one changed or terminated, the
            # other approved): the proposer's write wins at both nodes, so they converge; the
            # partner's write is lost and is made again on the state both now hold.
            write_state(stored, state)
            await self.repository.flush()
            return
        await self.repository.apply(state, version)
