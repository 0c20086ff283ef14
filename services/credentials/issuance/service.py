"""Issuing, revoking and suspending credentials. Who issues what:

- a diploma or a micro-credential: a university client, for its own institution, which must
  be in the directory under a country this node has authority over;
- a statement of recognition: a recognition officer (or admin) of this node, from a final
  decision the node's recognition service records — read with the officer's own token;
- a QA evaluation: the agency that made it, from what the node's quality service publishes.

Every credential is signed with the node's federation key; a holder's data stays in this
node's database. Revocation is final, suspension reversible: each is a bit in a status list
of its purpose, published whole to every node."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.credentials import documents, jose
from services.credentials.institutions.models import InstitutionCopy
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.issuance import shapes
from services.credentials.issuance.models import IssuedCredential
from services.credentials.issuance.quality import qa_status_at
from services.credentials.issuance.repository import CredentialRepository
from services.credentials.issuance.schemas import (
    DiplomaCreate,
    EvaluationCredentialCreate,
    MicroCredentialCreate,
    PublishedAgency,
    PublishedEvaluation,
    RecognitionCase,
    RecognitionDecision,
    RevocationCreate,
    StatementCreate,
    SuspensionCreate,
)
from services.credentials.issuance.upstream import fetch_as
from services.credentials.settings import CredentialsSettings
from services.credentials.status.models import REVOCATION, SUSPENSION
from services.credentials.status.service import StatusListService
from shared.auth import Principal, Role, Scope
from shared.errors import Conflict, Forbidden, NotFound, ServiceUnavailable, Unprocessable
from shared.publisher import Publisher
from shared.signing import NodeSigner, load_node_signer
from shared.timestamps import utcnow
from shared.trust import TrustList

DIPLOMA = "diploma"
STATEMENT = "statement"
QA_EVALUATION = "qa_evaluation"
MICRO_CREDENTIAL = "micro_credential"
# A decision is final once decided and not under appeal, or once its appeal is decided.
FINAL_CASE_STATUSES = frozenset({"decided", "appeal_decided"})


def awarding_body(institution: InstitutionCopy) -> dict[str, Any]:
    """What a diploma says of the institution that awards it: its directory id, names,
    country and identifiers (ROR, …)."""
    return {
        "id": documents.institution_urn(institution.id),
        "type": "Organisation",
        "legalName": institution.name,
        "names": {n["lang"]: n["value"] for n in institution.names if n.get("lang")},
        "country": institution.country,
        "identifier": [
            {"schemeName": i["resource"], "notation": i["value"]} for i in institution.identifiers
        ],
    }


@dataclass
class _Entries:
    """A new credential's status entries: revocation, and suspension unless it has none."""

    revocation: tuple[uuid.UUID, int]
    suspension: tuple[uuid.UUID, int] | None
    status: dict[str, Any] | list[dict[str, Any]]


@dataclass
class IssuanceService:
    session: AsyncSession
    settings: CredentialsSettings
    publisher: Publisher
    trust: TrustList | None

    def __post_init__(self) -> None:
        self.repository = CredentialRepository(self.session)
        self.institutions = InstitutionRepository(self.session)
        self.status_lists = StatusListService(self.session, self.publisher)

    def _signer(self) -> NodeSigner:
        keys = self.settings.federation_keys_dir
        signer = load_node_signer(keys, self.settings.node_id) if keys is not None else None
        if signer is None:
            raise ServiceUnavailable(
                "this node has no federation key to sign credentials with (`edunode keys init`)"
            )
        return signer

    async def _institution_of(self, principal: Principal) -> InstitutionCopy:
        if principal.role is not Role.UNIVERSITY or principal.institution_id is None:
            raise Forbidden("only a university client bound to its institution issues this")
        institution = await self.institutions.institution(principal.institution_id)
        if institution is None:
            raise Unprocessable(
                f"institution {principal.institution_id} is not in this node's directory"
            )
        if institution.country not in self.settings.countries:
            raise Forbidden(
                f"node {self.settings.node_id} has no authority over {institution.country}, "
                "the institution's country"
            )
        if institution.status != "active" or institution.reference_source is not None:
            raise Unprocessable(
                f"institution {institution.id} is {institution.status}"
                + (" and a reference record" if institution.reference_source else "")
                + ": it cannot award a credential through this node"
            )
        return institution

    async def _entries(self, *, suspendable: bool = True) -> _Entries:
        node, size = self.settings.node_id, self.settings.status_list_size
        base = documents.public_base_url(self.settings, self.trust)
        revocation, index = await self.status_lists.allocate(node, size, REVOCATION)
        entry = documents.status_entry(
            documents.status_list_url(base, revocation.id), REVOCATION, index
        )
        if not suspendable:
            return _Entries(revocation=(revocation.id, index), suspension=None, status=entry)
        suspension, s_index = await self.status_lists.allocate(node, size, SUSPENSION)
        s_entry = documents.status_entry(
            documents.status_list_url(base, suspension.id), SUSPENSION, s_index
        )
        return _Entries(
            revocation=(revocation.id, index),
            suspension=(suspension.id, s_index),
            status=[entry, s_entry],
        )

    async def _record(
        self,
        *,
        signer: NodeSigner,
        credential_id: uuid.UUID,
        kind: str,
        principal: Principal,
        document: dict[str, Any],
        entries: _Entries,
        valid_from: datetime,
        institution_id: uuid.UUID | None = None,
        agency_id: uuid.UUID | None = None,
        source_id: uuid.UUID | None = None,
    ) -> IssuedCredential:
        row = IssuedCredential(
            id=credential_id,
            kind=kind,
            institution_id=institution_id,
            agency_id=agency_id,
            source_id=source_id,
            issued_by=principal.client_id,
            document=document,
            jwt=jose.sign(signer, document),
            status_list_id=entries.revocation[0],
            status_index=entries.revocation[1],
            suspension_list_id=entries.suspension[0] if entries.suspension else None,
            suspension_index=entries.suspension[1] if entries.suspension else None,
            valid_from=valid_from,
            version=1,
        )
        self.repository.add(row)
        await self.repository.flush()
        return row

    async def issue_diploma(self, principal: Principal, data: DiplomaCreate) -> IssuedCredential:
        institution = await self._institution_of(principal)
        signer = self._signer()  # no key, no list entries taken
        evidence = await qa_status_at(self.settings, institution.id, data.qualification.award_date)
        entries = await self._entries()
        credential_id, now = uuid.uuid4(), utcnow().replace(microsecond=0)
        document = documents.diploma(
            credential_id=credential_id,
            node=self.settings.node_id,
            valid_from=now,
            data=data,
            institution=awarding_body(institution),
            evidence=evidence,
            credential_status=entries.status,
        )
        return await self._record(
            signer=signer,
            credential_id=credential_id,
            kind=DIPLOMA,
            principal=principal,
            document=document,
            entries=entries,
            valid_from=now,
            institution_id=institution.id,
        )

    async def issue_micro_credential(
        self, principal: Principal, data: MicroCredentialCreate
    ) -> IssuedCredential:
        """An Open Badges 3.0 micro-credential; the QA status of the institution on the day
        of issuing is its evidence. It has a revocation entry only: Open Badges 3.0 takes a
        single status entry, so it cannot be suspended."""
        institution = await self._institution_of(principal)
        signer = self._signer()
        credential_id, now = uuid.uuid4(), utcnow().replace(microsecond=0)
        evidence = await qa_status_at(self.settings, institution.id, now.date())
        entries = await self._entries(suspendable=False)
        assert isinstance(entries.status, dict)
        document = shapes.micro_credential(
            credential_id=credential_id,
            node=self.settings.node_id,
            valid_from=now,
            data=data,
            institution=awarding_body(institution),
            evidence=evidence,
            credential_status=entries.status,
        )
        return await self._record(
            signer=signer,
            credential_id=credential_id,
            kind=MICRO_CREDENTIAL,
            principal=principal,
            document=document,
            entries=entries,
            valid_from=now,
            institution_id=institution.id,
        )

    async def issue_statement(
        self, principal: Principal, data: StatementCreate, authorization: str | None
    ) -> IssuedCredential:
        """A statement of recognition from a final decision of this node: the case and its
        decision are read from the recognition service with the caller's own token, so the
        recognition service authorises the reading as it does any other."""
        if principal.role not in (Role.RECOGNITION_OFFICER, Role.NODE_ADMIN):
            raise Forbidden("only this node's recognition officers issue statements of recognition")
        signer = self._signer()
        settings = self.settings
        path = f"/v1/recognition/cases/{data.case_id}"
        case = await fetch_as(
            RecognitionCase,
            settings.recognition_url,
            path,
            service="recognition",
            timeout=settings.recognition_timeout,
            missing=f"no recognition case {data.case_id} on this node",
            authorization=authorization,
        )
        if case.status == "appealed":
            raise Conflict(f"the decision on case {data.case_id} is under appeal: not final")
        if case.status not in FINAL_CASE_STATUSES:
            raise Conflict(f"case {data.case_id} is {case.status!r}: it has no final decision")
        if case.applicant is None:
            raise Conflict(f"the applicant's data in case {data.case_id} was erased")
        decision = await fetch_as(
            RecognitionDecision,
            settings.recognition_url,
            path + "/decision",
            service="recognition",
            timeout=settings.recognition_timeout,
            missing=f"case {data.case_id} has no decision",
            authorization=authorization,
        )
        entries = await self._entries()
        assert isinstance(entries.status, list)
        credential_id, now = uuid.uuid4(), utcnow().replace(microsecond=0)
        document = shapes.recognition_statement(
            credential_id=credential_id,
            node=settings.node_id,
            valid_from=now,
            case=case,
            decision=decision,
            credential_status=entries.status,
        )
        return await self._record(
            signer=signer,
            credential_id=credential_id,
            kind=STATEMENT,
            principal=principal,
            document=document,
            entries=entries,
            valid_from=now,
            source_id=data.case_id,
        )

    async def issue_evaluation(
        self, principal: Principal, data: EvaluationCredentialCreate
    ) -> IssuedCredential:
        """A QA evaluation as a public credential, issued by the agency that made it: the
        evaluation as the quality service publishes it (a withdrawn one is refused)."""
        if principal.role is not Role.QA_AGENCY or principal.agency_id is None:
            raise Forbidden("only a QA agency client bound to its agency issues its evaluations")
        signer = self._signer()
        settings = self.settings
        evaluation = await fetch_as(
            PublishedEvaluation,
            settings.quality_url,
            f"/v1/quality/evaluations/{data.evaluation_id}",
            service="quality",
            timeout=settings.quality_timeout,
            missing=f"no published evaluation {data.evaluation_id}",
        )
        if evaluation.agency_id != principal.agency_id:
            raise Forbidden(f"evaluation {data.evaluation_id} is another agency's")
        if evaluation.withdrawn_at is not None:
            raise Conflict(f"evaluation {data.evaluation_id} was withdrawn")
        agency = await fetch_as(
            PublishedAgency,
            settings.quality_url,
            f"/v1/quality/agencies/{principal.agency_id}",
            service="quality",
            timeout=settings.quality_timeout,
            missing=f"no agency {principal.agency_id}",
        )
        if agency.country.upper() not in settings.countries:
            raise Forbidden(
                f"node {settings.node_id} has no authority over {agency.country!r}, "
                "the agency's country"
            )
        entries = await self._entries()
        assert isinstance(entries.status, list)
        credential_id, now = uuid.uuid4(), utcnow().replace(microsecond=0)
        document = shapes.qa_evaluation(
            credential_id=credential_id,
            node=settings.node_id,
            valid_from=now,
            evaluation=evaluation,
            agency=agency,
            credential_status=entries.status,
        )
        return await self._record(
            signer=signer,
            credential_id=credential_id,
            kind=QA_EVALUATION,
            principal=principal,
            document=document,
            entries=entries,
            valid_from=now,
            agency_id=principal.agency_id,
            source_id=data.evaluation_id,
        )

    async def get(self, principal: Principal, credential_id: uuid.UUID) -> IssuedCredential:
        row = await self.repository.credential(credential_id)
        if row is None or not may_manage(principal, row):
            raise NotFound(f"no credential {credential_id} of yours")
        return row

    async def revoke(
        self, principal: Principal, credential_id: uuid.UUID, data: RevocationCreate
    ) -> IssuedCredential:
        """Revoke for good: the credential's bit in its revocation list is set, and the list
        is published to every node. A suspended credential may be revoked."""
        row = await self.get(principal, credential_id)
        if row.revoked_at is not None:
            raise Conflict(f"credential {credential_id} is already revoked")
        now = utcnow()
        row.revoked_at = now
        row.revocation_reason = data.reason
        row.version += 1
        await self.status_lists.set_bit(row.status_list_id, row.status_index, now)
        return row

    async def suspend(
        self, principal: Principal, credential_id: uuid.UUID, data: SuspensionCreate
    ) -> IssuedCredential:
        """Suspend until lifted: its bit in its suspension list is set and the list
        published. The reason stays on this node."""
        row = await self.get(principal, credential_id)
        if row.suspension_list_id is None or row.suspension_index is None:
            raise Conflict(
                f"credential {credential_id} has no suspension entry (a micro-credential, whose "
                "Open Badges shape takes one status entry, or one issued before suspension): "
                "it can only be revoked"
            )
        if row.revoked_at is not None:
            raise Conflict(f"credential {credential_id} is revoked: that is final")
        if row.suspended_at is not None:
            raise Conflict(f"credential {credential_id} is already suspended")
        now = utcnow()
        row.suspended_at = now
        row.suspension_reason = data.reason
        row.version += 1
        await self.status_lists.set_bit(row.suspension_list_id, row.suspension_index, now)
        return row

    async def lift_suspension(
        self, principal: Principal, credential_id: uuid.UUID
    ) -> IssuedCredential:
        """Lift a suspension: the bit is cleared and the list published."""
        row = await self.get(principal, credential_id)
        if row.suspended_at is None or row.suspension_list_id is None:
            raise Conflict(f"credential {credential_id} is not suspended")
        if row.suspension_index is None:  # set with the list, always
            raise Conflict(f"credential {credential_id} has no suspension entry")
        now = utcnow()
        row.suspended_at = None
        row.suspension_reason = None
        row.version += 1
        await self.status_lists.set_bit(
            row.suspension_list_id, row.suspension_index, now, value=False
        )
        return row


def may_manage(principal: Principal, row: IssuedCredential) -> bool:
    """Who may read, revoke and suspend a credential: the node's administrators, the issuing
    institution's university clients, the evaluating agency's clients, and (for statements)
    the node's recognition officers who may decide."""
    if principal.role is Role.NODE_ADMIN:
        return True
    if row.institution_id is not None:
        return principal.role is Role.UNIVERSITY and principal.institution_id == row.institution_id
    if row.agency_id is not None:
        return principal.role is Role.QA_AGENCY and principal.agency_id == row.agency_id
    return (
        row.kind == STATEMENT
        and principal.role is Role.RECOGNITION_OFFICER
        and principal.has(Scope.RECOGNITION_DECIDE)
    )
