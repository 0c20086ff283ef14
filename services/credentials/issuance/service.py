"""Issuing and revoking diplomas. A university issues for its own institution only, which
must be in the directory under a country this node has authority over; the credential is
signed with the node's federation key, and its holder's data stays in this node's database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.credentials import documents, jose
from services.credentials.institutions.models import InstitutionCopy
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.issuance.models import IssuedCredential
from services.credentials.issuance.quality import qa_status_at
from services.credentials.issuance.repository import CredentialRepository
from services.credentials.issuance.schemas import DiplomaCreate, RevocationCreate
from services.credentials.settings import CredentialsSettings
from services.credentials.status.service import StatusListService
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, NotFound, ServiceUnavailable, Unprocessable
from shared.publisher import Publisher
from shared.signing import NodeSigner, load_node_signer
from shared.timestamps import utcnow
from shared.trust import TrustList

DIPLOMA = "diploma"


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
            raise Forbidden("only a university client bound to its institution issues diplomas")
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
                + ": it cannot award a diploma through this node"
            )
        return institution

    async def issue_diploma(self, principal: Principal, data: DiplomaCreate) -> IssuedCredential:
        institution = await self._institution_of(principal)
        signer = self._signer()
        evidence = await qa_status_at(self.settings, institution.id, data.qualification.award_date)
        status_list, index = await self.status_lists.allocate(
            self.settings.node_id, self.settings.status_list_size
        )
        credential_id = uuid.uuid4()
        now = utcnow().replace(microsecond=0)
        document = documents.diploma(
            credential_id=credential_id,
            node=self.settings.node_id,
            valid_from=now,
            data=data,
            institution=awarding_body(institution),
            evidence=evidence,
            status_url=documents.status_list_url(
                documents.public_base_url(self.settings, self.trust), status_list.id
            ),
            status_index=index,
        )
        row = IssuedCredential(
            id=credential_id,
            kind=DIPLOMA,
            institution_id=institution.id,
            issued_by=principal.client_id,
            document=document,
            jwt=jose.sign(signer, document),
            status_list_id=status_list.id,
            status_index=index,
            valid_from=now,
            version=1,
        )
        self.repository.add(row)
        await self.repository.flush()
        return row

    async def get(self, principal: Principal, credential_id: uuid.UUID) -> IssuedCredential:
        row = await self.repository.credential(credential_id)
        if row is None or not _may_manage(principal, row):
            raise NotFound(f"no credential {credential_id} of yours")
        return row

    async def revoke(
        self, principal: Principal, credential_id: uuid.UUID, data: RevocationCreate
    ) -> IssuedCredential:
        """Revoke for good: the credential's bit in its status list is set, and the list is
        published to every node."""
        row = await self.get(principal, credential_id)
        if row.revoked_at is not None:
            raise Conflict(f"credential {credential_id} is already revoked")
        now = utcnow()
        row.revoked_at = now
        row.revocation_reason = data.reason
        row.version += 1
        await self.status_lists.set_bit(row.status_list_id, row.status_index, now)
        return row


def _may_manage(principal: Principal, row: IssuedCredential) -> bool:
    """The issuing institution's university clients, and the node's administrators."""
    if principal.role is Role.NODE_ADMIN:
        return True
    return principal.role is Role.UNIVERSITY and principal.institution_id == row.institution_id
