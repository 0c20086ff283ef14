"""Who acts for whom in the mobility service: a university client acts only for its own
institution, on its own node; the node's admin (bound to no institution) reads everything held
here and writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from shared.auth import Principal, Role
from shared.errors import Forbidden


def is_node_admin(principal: Principal, node: str) -> bool:
    return (
        principal.node == node
        and principal.role is Role.NODE_ADMIN
        and principal.institution_id is None
    )


def own_institution(principal: Principal, node: str) -> uuid.UUID:
    """The institution the caller acts for (403 if none, or a client of another node)."""
    if principal.institution_id is None or principal.node != node:
        raise Forbidden("only a client bound to an institution of this node acts for it")
    return principal.institution_id


def sees(principal: Principal, node: str, institutions: Collection[uuid.UUID]) -> bool:
    """Whether the caller may read a record of `institutions`: one of them, or the admin."""
    if principal.node != node:
        return False
    return is_node_admin(principal, node) or principal.institution_id in institutions


def listed_institutions(principal: Principal, node: str) -> list[uuid.UUID] | None:
    """Whose records a list shows the caller: its institution's, or all (None) for the
    admin."""
    if principal.node != node:
        raise Forbidden("a client of another node")
    if is_node_admin(principal, node):
        return None
    if principal.institution_id is None:
        raise Forbidden("only a client bound to an institution lists its records")
    return [principal.institution_id]
