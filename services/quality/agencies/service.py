"""The rules of the agencies domain: authority, versions, an event for every change, and
applying the agency events of any origin. No SQL, no HTTP; never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rules.reference_records import ensure_claim_of_origin, same_agency
from services.quality.agencies.models import Agency
from services.quality.agencies.repository import AgencyRepository
from services.quality.agencies.schemas import AgencyCreate, AgencyRead, AgencyUpdate
from shared.auth import Principal, Role
from shared.authority import (
    ensure_country_authority,
    ensure_owned_here,
    ensure_reference_country,
    ensure_role,
    ensure_this_node,
)
from shared.errors import Conflict, NotFound, PreconditionFailed
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.settings import ServiceSettings
from shared.trust import TrustList

ADMIN_ROLES = (Role.NODE_ADMIN,)


@dataclass
class AgencyService:
    session: AsyncSession
    publisher: Publisher
    settings: ServiceSettings
    # Which countries have a node (a reference record is refused for them).
    trust: TrustList | None = None

    @property
    def repository(self) -> AgencyRepository:
        return AgencyRepository(self.session)

    async def get(self, agency_id: uuid.UUID) -> Agency:
        agency = await self.repository.get(agency_id)
        if agency is None:
            raise NotFound(f"agency {agency_id} does not exist")
        return agency

    async def find_own(self, name: str) -> Agency | None:
        """This node's agency named by its acronym or its DEQAR id (digits), as DEQAR's files
        and the command line name it."""
        return await self.repository.find_named(name, origin_node=self.settings.node_id)

    async def list_page(
        self, params: PageParams, *, country: str | None, origin_node: str | None
    ) -> tuple[list[Agency], str | None]:
        return await self.repository.list_page(params, country=country, origin_node=origin_node)

    async def create(self, principal: Principal, data: AgencyCreate) -> Agency:
        """An agency of this node's countries; or, with a `reference_source`, a reference
        record of an agency of a country no node has authority over, published like any
        other."""
        ensure_role(principal, ADMIN_ROLES)
        ensure_this_node(principal, self.settings)
        if data.reference_source is None:
            ensure_country_authority(self.settings, data.country)
        else:
            ensure_reference_country(principal, self.settings, self.trust, data.country)
        agency = Agency(
            origin_node=self.settings.node_id,
            version=1,
            reference_source=data.reference_source,
            **_columns(data),
        )
        self.repository.add(agency)
        await self.repository.flush()
        if data.reference_source is None:
            await self._supersede_namesakes(agency)
        await self._publish(agency, "created")
        return agency

    async def update(
        self,
        principal: Principal,
        agency_id: uuid.UUID,
        data: AgencyUpdate,
        *,
        expected_version: int | None,
    ) -> Agency:
        ensure_role(principal, ADMIN_ROLES)
        ensure_this_node(principal, self.settings)
        agency = await self.get(agency_id)
        ensure_owned_here(self.settings, agency.origin_node, f"agency {agency.id}")
        if agency.superseded_by is not None:
            raise Conflict(
                f"reference record {agency.id} was superseded by agency {agency.superseded_by} "
                "of the country's own node; it no longer changes"
            )
        if agency.reference_source is None:
            ensure_country_authority(self.settings, agency.country)
        else:
            ensure_reference_country(principal, self.settings, self.trust, agency.country)
        if expected_version is not None and agency.version != expected_version:
            raise PreconditionFailed(
                f"agency {agency.id} is at version {agency.version}, not {expected_version}: "
                "reload it and try again"
            )
        changed = False
        for field, value in _columns(data, exclude_unset=True).items():
            if getattr(agency, field) != value:
                setattr(agency, field, value)
                changed = True
        if not changed:
            return agency
        agency.version += 1
        await self.repository.flush()
        await self._publish(agency, "updated")
        return agency

    async def apply_agency_state(self, state: AgencyRead, version: int) -> bool:
        """Upsert an agency from an event of any origin; a version not newer than the stored
        one of the same origin is ignored (idempotent, order-tolerant;
        `Repository.upsert_by_version`). An owner's agency supersedes the reference records of
        the same agency (country and acronym); a reference record never overrides another
        record: it is kept superseded by the one already here. Returns whether anything
        changed."""
        written = await self.repository.upsert_by_version(
            Agency,
            [(state, version)],
            _write_replica,
            this_node=self.settings.node_id,
        )
        for agency in written:
            if agency.reference_source is None:
                await self._supersede_namesakes(agency)
            elif agency.superseded_by is None:
                namesakes = await self._live_namesakes(agency)
                if namesakes:
                    owner = min(namesakes, key=lambda a: a.reference_source is not None)
                    agency.superseded_by = owner.id
        return bool(written)

    async def _live_namesakes(self, agency: Agency) -> list[Agency]:
        """The other agencies here, not superseded, that are the same agency
        (rules/reference_records.py)."""
        return [
            other
            for other in await self.repository.live_of_country(agency.country, other_than=agency.id)
            if same_agency(agency.country, agency.acronym, other.country, other.acronym)
        ]

    async def _supersede_namesakes(self, owner: Agency) -> None:
        """The owner's agency retires the reference records of the same agency here: they
        stay readable, marked `superseded_by`. Not published: every node applies this same
        rule when the owner's agency reaches it."""
        for namesake in await self._live_namesakes(owner):
            if namesake.reference_source is not None:
                # No new version: a replicated record keeps its origin's versions, so that
                # the federation's checksums agree whichever order the records arrived in.
                namesake.superseded_by = owner.id

    async def _publish(self, agency: Agency, action: str) -> None:
        state = AgencyRead.model_validate(agency).model_dump(mode="json")
        await self.publisher.publish(
            self.session,
            "agency",
            action,
            subject=str(agency.id),
            data=state,
            version=agency.version,
        )


def _write_replica(agency: Agency, state: AgencyRead) -> None:
    """An agency's state of any origin onto its row (its origin and version are the
    upsert's)."""
    ensure_claim_of_origin(
        f"agency {state.id}",
        agency.origin_node,  # None on a row new here
        state.origin_node,
        reference=state.reference_source is not None,
    )
    if agency.created_at is None:  # a row new here
        agency.created_at = state.created_at or state.updated_at
    agency.country = state.country
    for field, value in _columns(state).items():
        setattr(agency, field, value)
    agency.reference_source = state.reference_source
    agency.updated_at = state.updated_at


_DOCUMENTS = ("names", "focus_countries", "registrations", "activities")
_SCALARS = ("name", "acronym", "deqar_id", "country", "website", "framework")


def _columns(
    data: AgencyCreate | AgencyUpdate | AgencyRead, *, exclude_unset: bool = False
) -> dict[str, Any]:
    """The column values of a payload: JSON documents for the lists, strings for the rest."""
    dumped = data.model_dump(mode="json", exclude_unset=exclude_unset)
    return {
        field: dumped[field]
        for field in (*_SCALARS, *_DOCUMENTS)
        if field in dumped and not (exclude_unset and field != "website" and dumped[field] is None)
    }
