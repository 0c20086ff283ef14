"""Who may change what (BRIEF §2): a node writes only records of the countries it has
authority over, and never a replica of another node's record."""

from __future__ import annotations

from collections.abc import Collection

from shared.auth import Principal, Role
from shared.errors import Forbidden
from shared.settings import ServiceSettings


def ensure_role(principal: Principal, roles: Collection[Role]) -> None:
    """403 unless the caller has one of `roles`."""
    if principal.role not in roles:
        allowed = ", ".join(sorted(role.value for role in roles))
        raise Forbidden(f"the role {principal.role.value!r} cannot do this (allowed: {allowed})")


def ensure_this_node(principal: Principal, settings: ServiceSettings) -> None:
    """403 for a principal of another node (its token could only be valid here by mistake)."""
    if principal.node != settings.node_id:
        raise Forbidden(
            f"a principal of node {principal.node!r} cannot write at {settings.node_id!r}"
        )


def ensure_country_authority(settings: ServiceSettings, country: str) -> None:
    """403 unless this node has authority over `country`."""
    if country.upper() not in settings.countries:
        raise Forbidden(
            f"node {settings.node_id!r} has no authority over country {country.upper()!r}"
        )


def ensure_owned_here(settings: ServiceSettings, origin_node: str, what: str) -> None:
    """403 naming the owner when asked to change a replica of another node's record."""
    if origin_node != settings.node_id:
        raise Forbidden(
            f"{what} is owned by node {origin_node!r}; change it there",
            owner_node=origin_node,
        )
