"""All SQL of inquiries, and the issued diplomas an inquiry is answered from."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from services.credentials.ask.models import Inquiry
from services.credentials.issuance.models import IssuedCredential
from services.credentials.issuance.service import DIPLOMA
from shared.repository import Repository


class InquiryRepository(Repository):
    async def inquiry(self, inquiry_id: uuid.UUID) -> Inquiry | None:
        return await self.session.get(Inquiry, inquiry_id)

    async def standing_diplomas(self, institution_id: uuid.UUID) -> Sequence[IssuedCredential]:
        """The institution's diplomas issued here, neither revoked nor suspended."""
        rows = await self.session.scalars(
            select(IssuedCredential).where(
                IssuedCredential.institution_id == institution_id,
                IssuedCredential.kind == DIPLOMA,
                IssuedCredential.revoked_at.is_(None),
                IssuedCredential.suspended_at.is_(None),
            )
        )
        return rows.all()
