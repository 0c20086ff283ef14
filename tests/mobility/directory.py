"""Institutions in a mobility service's copy of the directory, written as the service applies
`institutions.institution.*` events (its repository, by version): an agreement's partners must
be there (docs/mobility.md)."""

from __future__ import annotations

import uuid

from contracts.institutions import InstitutionState
from services.mobility.institutions.repository import InstitutionRepository
from shared.db import Database, utcnow


async def in_directory(
    database: Database, *institutions: tuple[uuid.UUID, str], status: str = "active"
) -> None:
    """Each (id, origin node) as an institution of that node's country (the node id's first
    two letters, upper-cased)."""
    async with database.session() as session:
        await InstitutionRepository(session).apply(
            [
                (
                    InstitutionState(
                        id=institution_id,
                        origin_node=node,
                        country=node[:2].upper(),
                        name=f"University {institution_id.hex[:8]} ({node})",
                        status=status,
                        updated_at=utcnow(),
                    ),
                    1,
                )
                for institution_id, node in institutions
            ]
        )
