"""Who may change what (BRIEF §2): a node writes only records of the countries it has
authority over, and never a replica of another node's record."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from shared.auth import Principal, Role
from shared.errors import Forbidden
from shared.events import CloudEvent
from shared.settings import ServiceSettings
from shared.trust import TrustList


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
            f"node {settings.node_id!r} has no authority over country {country.upper()!r} "
            "(for a country no node has authority over, a node admin may enter a reference "
            "record with its `reference_source`)"
        )


def ensure_owned_here(settings: ServiceSettings, origin_node: str, what: str) -> None:
    """403 naming the owner when asked to change a replica of another node's record."""
    if origin_node != settings.node_id:
        raise Forbidden(
            f"{what} is owned by node {origin_node!r}; change it there",
            owner_node=origin_node,
        )


def node_with_authority(trust: TrustList | None, country: str) -> str | None:
    """The node of the trust list with authority over `country`, if any."""
    if trust is None:
        return None
    code = country.upper()
    return next((node.id for node in trust.nodes if code in node.countries), None)


def ensure_reference_country(
    principal: Principal, settings: ServiceSettings, trust: TrustList | None, country: str
) -> None:
    """A reference record (BRIEF §3, "countries without a node") stands in for the records a
    country's own node would publish: only a node admin of this node enters one, and only for
    a country no node of the trust list has authority over. 403 otherwise, naming the node
    whose records are the ones to use."""
    ensure_role(principal, (Role.NODE_ADMIN,))
    ensure_this_node(principal, settings)
    code = country.upper()
    if code in settings.countries:
        raise Forbidden(
            f"node {settings.node_id!r} has authority over {code}: enter it as this node's own "
            "record, without a reference source",
            owner_node=settings.node_id,
        )
    owner = node_with_authority(trust, code)
    if owner is not None:
        raise Forbidden(
            f"country {code} has a node ({owner!r}): its records are published there and "
            "reach this node as replicas; a reference record cannot stand in for them",
            owner_node=owner,
        )


def country_of_record(event: CloudEvent) -> str | None:
    """The country the record an event carries falls under (`authority_country` of its
    state), for a subscription's `authority`: an institution, a programme, an agency."""
    return authority_country(event.data)


def authority_country(state: Mapping[str, Any], country_field: str = "country") -> str | None:
    """The country whose node must have signed a replicated record: its `country_field`. None
    for a reference record (it carries a `reference_source`): like a decision, it is its
    entering node's, so the trust list checks only its signature and origin; receivers keep it
    as a reference record that never overrides another (docs/reference-records.md)."""
    if state.get("reference_source") is not None:
        return None
    return str(state[country_field])
