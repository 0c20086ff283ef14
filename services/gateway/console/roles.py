"""The console's roles, and the API role each one acts in (BRIEF §5)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from shared.auth import ROLE_SCOPES, Principal, Role

# Who is acting in the audit trail of every service: `user:<username>`.
USER_CLIENT_PREFIX = "user:"


class ConsoleRole(StrEnum):
    """What a person may do in the console."""

    ADMIN = "admin"
    RECOGNITION_OFFICER = "recognition_officer"
    QA_AGENCY = "qa_agency"
    UNIVERSITY = "university"
    READ_ONLY = "read_only"


# The API role a console role acts in; a read-only user calls the services anonymously and so
# sees exactly what the public sees.
API_ROLE: dict[ConsoleRole, Role | None] = {
    ConsoleRole.ADMIN: Role.NODE_ADMIN,
    ConsoleRole.RECOGNITION_OFFICER: Role.RECOGNITION_OFFICER,
    ConsoleRole.QA_AGENCY: Role.QA_AGENCY,
    ConsoleRole.UNIVERSITY: Role.UNIVERSITY,
    ConsoleRole.READ_ONLY: None,
}


def principal_of(
    username: str,
    role: ConsoleRole,
    node: str,
    *,
    institution_id: uuid.UUID | None,
    agency_id: uuid.UUID | None,
) -> Principal | None:
    """The principal a user's calls to the services carry, with every scope its API role may
    hold; None for a read-only user."""
    api_role = API_ROLE[role]
    if api_role is None:
        return None
    return Principal(
        client_id=USER_CLIENT_PREFIX + username,
        role=api_role,
        scopes=ROLE_SCOPES[api_role],
        node=node,
        institution_id=institution_id,
        agency_id=agency_id,
    )
