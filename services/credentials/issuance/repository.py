"""All SQL of issued credentials."""

from __future__ import annotations

import uuid

from services.credentials.issuance.models import IssuedCredential
from shared.repository import Repository


class CredentialRepository(Repository):
    async def credential(self, credential_id: uuid.UUID) -> IssuedCredential | None:
        return await self.session.get(IssuedCredential, credential_id)
