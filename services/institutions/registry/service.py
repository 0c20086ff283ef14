"""The rules of the institutions domain: validation, authority, versions, and an event for
every change; applying other nodes' events by version. No SQL (the repository) and no HTTP
(the router); never commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import published
from contracts.institutions import InstitutionState
from contracts.quality import StatusChanged
from rules.reference_records import ensure_claim_of_origin, institution_keys
from services.institutions.directory import Directory
from services.institutions.registry.models import (
    UNIQUE_RESOURCES,
    IdentifierResource,
    Institution,
    InstitutionQaStatus,
)
from services.institutions.registry.records import (
    apply_content,
    column_values,
    content_dict,
    read_of,
    state_of,
)
from services.institutions.registry.repository import (
    InstitutionFilters,
    InstitutionRepository,
)
from services.institutions.registry.schemas import (
    InstitutionContent,
    InstitutionCreate,
    InstitutionUpdate,
    canonical_identifier,
    content_of_state,
)
from shared.audit import note_write
from shared.auth import Principal, Role
from shared.authority import (
    ensure_country_authority,
    ensure_owned_here,
    ensure_reference_country,
    ensure_role,
    ensure_this_node,
)
from shared.db import new_id, utcnow
from shared.errors import (
    Conflict,
    FieldError,
    NotFound,
    PreconditionFailed,
    Unprocessable,
)
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.settings import ServiceSettings
from shared.trust import TrustList

WRITER_ROLES = (Role.NODE_ADMIN, Role.REGISTRAR)


def unprocessable(error: ValidationError, prefix: str = "body") -> Unprocessable:
    """A pydantic error as the 422 problem every route returns for a bad payload."""
    errors = [
        FieldError(
            path=".".join(str(part) for part in (prefix, *item["loc"])),
            message=item["msg"].removeprefix("Value error, "),
            type=item["type"],
        )
        for item in error.errors()
    ]
    return Unprocessable(f"{len(errors)} field(s) failed validation", errors=errors)


def ensure_writer(principal: Principal, settings: ServiceSettings) -> None:
    ensure_role(principal, WRITER_ROLES)
    ensure_this_node(principal, settings)


@dataclass
class InstitutionService:
    session: AsyncSession
    # None where the service only reads or applies events (it then publishes nothing).
    publisher: Publisher | None
    settings: ServiceSettings
    directory: Directory | None = None
    # Which countries have a node (a reference record is refused for them).
    trust: TrustList | None = None
    # Reference records this service superseded (their relationships now point elsewhere).
    superseded: set[uuid.UUID] = field(default_factory=set)

    @property
    def repository(self) -> InstitutionRepository:
        return InstitutionRepository(self.session)

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, institution_id: uuid.UUID) -> Institution:
        institution = await self.repository.get(institution_id)
        if institution is None:
            raise NotFound(f"institution {institution_id} does not exist")
        return institution

    async def read(self, institution_id: uuid.UUID) -> dict[str, Any]:
        """The read model of one institution as JSON-ready values."""
        return await self.read_row(await self.get(institution_id))

    async def read_created(self, institution: Institution) -> dict[str, Any]:
        """`read_row` of an institution `create` has just written: its id is new, so no QA
        status and no other record's relationship can name it yet, unless it superseded a
        reference record (whose relationships now point at it). Without two queries in the
        write transaction, which on SQLite holds the one write lock (issue 18, item 6)."""
        if self.superseded:
            return await self.read_row(institution)
        return read_of(institution, (), None)

    async def read_row(self, institution: Institution) -> dict[str, Any]:
        incoming = await self.repository.incoming_relationships(institution.id)
        qa_status = await self.repository.qa_status(institution.id)
        return read_of(institution, incoming, qa_status)

    async def read_rows(self, rows: list[Institution]) -> list[dict[str, Any]]:
        """Read models of many institutions with three queries in all."""
        qa = await self.repository.qa_statuses(row.id for row in rows)
        incoming = await self.repository.incoming_relationships_of(row.id for row in rows)
        return [read_of(row, incoming[row.id], qa.get(row.id)) for row in rows]

    async def by_identifier(self, resource: IdentifierResource, value: str) -> Institution:
        try:
            canonical = canonical_identifier(resource, value)
        except ValueError:
            canonical = value
        found = await self.repository.find_by_identifier(resource.value, canonical)
        if not found:
            raise NotFound(f"no institution has the {resource.value} identifier {value!r}")
        return found[0]

    async def list_page(
        self, params: PageParams, filters: InstitutionFilters
    ) -> tuple[list[Institution], str | None]:
        return await self.repository.list_page(params, filters)

    # -- writes ---------------------------------------------------------------------------------

    async def create(self, principal: Principal, data: InstitutionCreate) -> Institution:
        """A record of this node's countries; or, with a `reference_source`, a reference record
        of a country no node has authority over (node admin only), published like any other."""
        source = data.reference_source
        if source is None:
            ensure_writer(principal, self.settings)
            ensure_country_authority(self.settings, data.country)
        else:
            ensure_reference_country(principal, self.settings, self.trust, data.country)
        # Already validated as InstitutionCreate (a subclass): copied, not validated again (a
        # second pass would see the normalised website, which may exceed the URL length cap).
        content = InstitutionContent.model_construct(
            **{name: getattr(data, name) for name in InstitutionContent.model_fields}
        )
        institution = Institution(
            id=new_id(),
            origin_node=self.settings.node_id,
            is_reference=source is not None,
            reference_source=source,
        )
        await self._check_references(institution.id, content)
        await self._claim_identifiers(institution.id, content)
        apply_content(institution, content)
        now = utcnow()
        institution.created_at = institution.updated_at = now
        institution.version = 1
        self.repository.add(institution)
        await self.repository.flush()
        await self.repository.write_derived(institution, new=True)
        await self._publish(institution, "created")
        self._track(upserted=[institution], touched=self._related(institution, []))
        return institution

    async def update(
        self,
        principal: Principal,
        institution_id: uuid.UUID,
        data: InstitutionUpdate,
        *,
        expected_version: int,
    ) -> Institution:
        ensure_writer(principal, self.settings)
        institution = await self.get(institution_id)
        ensure_owned_here(self.settings, institution.origin_node, f"institution {institution.id}")
        if institution.is_reference:
            ensure_reference_country(principal, self.settings, self.trust, institution.country)
        if institution.superseded_by is not None:
            raise Conflict(
                f"reference record {institution.id} was superseded by the owner's record "
                f"{institution.superseded_by}; it no longer changes"
            )
        if not institution.is_reference:
            ensure_country_authority(self.settings, institution.country)
        if institution.version != expected_version:
            raise PreconditionFailed(
                f"institution {institution.id} is at version {institution.version}, "
                f"not {expected_version}: read it again and reapply your change"
            )
        merged = content_dict(institution) | data.model_dump(mode="json", exclude_unset=True)
        try:
            content = InstitutionContent.model_validate(merged)
        except ValidationError as error:
            raise unprocessable(error) from None
        if content.country != institution.country:
            if institution.is_reference:
                ensure_reference_country(principal, self.settings, self.trust, content.country)
            else:
                ensure_country_authority(self.settings, content.country)
        if content.content_hash() == institution.content_hash:
            return institution  # nothing changed: no new version, no event
        await self._check_references(institution.id, content)
        await self._claim_identifiers(institution.id, content)
        previous_related = [r["institution_id"] for r in institution.relationships]
        apply_content(institution, content)
        institution.version += 1
        institution.updated_at = utcnow()
        await self.repository.flush()
        await self.repository.write_derived(institution)
        await self._publish(institution, "updated")
        self._track(upserted=[institution], touched=self._related(institution, previous_related))
        return institution

    async def _check_references(self, own_id: uuid.UUID, content: InstitutionContent) -> None:
        targets = {rel.institution_id for rel in content.relationships}
        errors = []
        if own_id in targets:
            errors.append(
                FieldError(
                    path="body.relationships", message="an institution cannot relate to itself"
                )
            )
        missing = targets - {own_id} - await self.repository.existing_ids(targets - {own_id})
        errors.extend(
            FieldError(path="body.relationships", message=f"institution {target} does not exist")
            for target in sorted(missing)
        )
        if errors:
            raise Unprocessable("relationships name unknown institutions", errors=errors)

    async def _claim_identifiers(self, own_id: uuid.UUID, content: InstitutionContent) -> None:
        """A world-wide identifier names one institution: 409 if another record holds it;
        a reference record holding it (or the same national identifier in the same country)
        is superseded by this one."""
        holders = await self._holders(own_id, content)
        for resource, value, holder in holders:
            if not holder.is_reference and resource in UNIQUE_RESOURCES:
                raise Conflict(
                    f"the {resource} identifier {value} already names institution {holder.id}"
                )
            if holder.reference_source is not None and holder.origin_node == self.settings.node_id:
                raise Conflict(
                    f"institution {holder.id} was already entered here as a reference record "
                    f"with the {resource} identifier {value}: change that one"
                )
        for holder in {h.id: h for _, _, h in holders if h.is_reference}.values():
            await self._supersede_reference(holder, own_id)

    async def _holders(
        self, own_id: uuid.UUID, content: InstitutionContent
    ) -> list[tuple[str, str, Institution]]:
        """The other live records that name the same institution as `content`
        (rules/reference_records.py), with the identifier they share."""
        identifiers = [(i.resource.value, i.value) for i in content.identifiers]
        keys = institution_keys(content.country, identifiers)
        found = [
            h
            for h in await self.repository.holders_of(
                [(r, v) for r, v in identifiers if institution_keys(content.country, [(r, v)])]
            )
            if h[2] != own_id
        ]
        rows = {row.id: row for row in await self.repository.get_many(h[2] for h in found)}
        return [
            (resource, value, rows[holder_id])
            for resource, value, holder_id in found
            if holder_id in rows
            and rows[holder_id].superseded_by is None
            and institution_keys(rows[holder_id].country, [(resource, value)]) & keys
        ]

    async def _supersede_reference(self, reference: Institution, owner_id: uuid.UUID) -> None:
        """Retire a reference record in favour of the owner's: it stays readable, marked
        `superseded_by`, but no longer holds its identifiers nor shows in lists, search or
        matching; relationships that pointed at it now point at the owner's record. Not
        published: every node applies this same rule when the owner's record reaches it."""
        reference_id = reference.id
        self.superseded.add(reference_id)
        declaring = await self.repository.declaring_ids(reference_id)
        for row in await self.repository.get_many(declaring):
            row.relationships = [
                {**r, "institution_id": str(owner_id)}
                if r["institution_id"] == str(reference_id)
                else r
                for r in row.relationships
            ]
        await self.repository.repoint_relationships(reference_id, owner_id)
        reference.superseded_by = owner_id
        reference.version += 1
        reference.updated_at = utcnow()
        await self.repository.flush()
        await self.repository.write_derived(reference)
        self._track(removed=[reference_id], touched=[*declaring, reference_id])

    def _related(self, institution: Institution, previous: Iterable[str]) -> list[uuid.UUID]:
        ids = {uuid.UUID(r["institution_id"]) for r in institution.relationships}
        ids.update(uuid.UUID(i) for i in previous)
        return list(ids)

    def _track(
        self,
        *,
        upserted: Iterable[Institution] = (),
        removed: Iterable[uuid.UUID] = (),
        touched: Iterable[uuid.UUID] = (),
    ) -> None:
        if self.directory is not None:
            self.directory.track(self.session, upserted=upserted, removed=removed, touched=touched)

    async def _publish(self, institution: Institution, action: str) -> None:
        if self.publisher is None:
            raise RuntimeError("this service instance cannot publish (no publisher)")
        await self.publisher.publish(
            self.session,
            "institution",
            action,
            subject=str(institution.id),
            data=published(InstitutionState, state_of(institution)),
            version=institution.version,
        )

    # -- applying events ------------------------------------------------------------------------

    async def apply_state(self, state: InstitutionState, version: int) -> bool:
        """Upsert a record from its event state, whatever node it comes from. A version not
        newer than the stored one of the same origin is ignored (idempotent, order-tolerant);
        a stored state of another origin was written without authority, so the authority's
        state replaces it (`replaces_stored`). An owner's record
        supersedes the reference records naming the same institution; a reference record never
        overrides another record: it is kept superseded by the one already here. Returns
        whether it applied."""
        reference = state.reference_source is not None
        contents: list[InstitutionContent] = []
        previous_related: list[str] = []

        def write(row: Institution, state: InstitutionState) -> None:
            content = content_of_state(state)
            contents.append(content)
            previous_related.extend(r["institution_id"] for r in row.relationships or [])
            apply_content(row, content)
            row.is_reference = reference
            row.reference_source = state.reference_source
            row.created_at = state.created_at or row.created_at or state.updated_at
            row.updated_at = state.updated_at

        written = await self.repository.upsert_by_version(
            Institution,
            [(state, version)],
            write,
            this_node=self.settings.node_id,
            check=_refuse_reference_of_another,
        )
        if not written:
            return False
        row, content = written[0], contents[0]
        # Relationships to institutions not (yet) known here are kept in the state and shown
        # once the related record arrives; the lookup table needs no foreign key for them.
        if reference:
            holders = await self._holders(state.id, content)
            if holders:
                row.superseded_by = min(holders, key=lambda h: h[2].is_reference)[2].id
        else:
            await self._claim_identifiers_from_owner(state.id, content)
        await self.repository.flush()
        await self.repository.write_derived(row)
        touched = self._related(row, previous_related)
        if row.superseded_by is None:
            self._track(upserted=[row], touched=touched)
        else:
            self._track(removed=[row.id], touched=[*touched, row.id])
        return True

    async def apply_states(self, states: Sequence[tuple[InstitutionState, int]]) -> int:
        """`apply_state` for a batch of events, in a few statements instead of several per
        record: the same rules (newest version of an origin wins, the authority's state replaces
        another origin's, a reference record claiming another's id is refused with ValueError).
        Records whose world-wide identifiers another record holds take the one-by-one path.
        Returns how many applied."""
        replacing = await self.repository.replacing(
            Institution,
            states,
            this_node=self.settings.node_id,
            check=_refuse_reference_of_another,
            columns=("id", "origin_node", "version", "created_at"),
        )
        fresh = [(state, version) for state, version, _ in replacing]
        stored = {state.id: row for state, _, row in replacing if row is not None}
        contents = {state.id: content_of_state(state) for state, _ in fresh}
        # Reference records take the one-by-one path: whether one is superseded on arrival
        # depends on the records already here.
        contested = {state.id for state, _ in fresh if state.reference_source is not None}
        wanted = {
            (i.resource.value, i.value): state.id
            for state, _ in fresh
            for i in contents[state.id].identifiers
            if i.resource in UNIQUE_RESOURCES
        }
        contested |= {
            wanted[(resource, value)]
            for resource, value, holder in await self.repository.holders_of_values(wanted)
            if holder != wanted[(resource, value)]
        }
        rows: list[dict[str, Any]] = []
        for state, version in fresh:
            if state.id in contested:
                continue
            current = stored.get(state.id)
            content = contents[state.id]
            dumped = content.model_dump(mode="json")
            rows.append(
                {
                    "id": state.id,
                    "origin_node": state.origin_node,
                    "is_reference": False,
                    "reference_source": None,
                    "superseded_by": None,
                    **column_values(content, dumped),
                    "version": version,
                    "created_at": (
                        current.created_at
                        if current is not None
                        else state.created_at or state.updated_at
                    ),
                    "updated_at": state.updated_at,
                }
            )
        previously_related = await self.repository.related_ids_of(
            row["id"] for row in rows if row["id"] in stored
        )
        await self.repository.insert_rows([row for row in rows if row["id"] not in stored])
        await self.repository.update_rows([row for row in rows if row["id"] in stored])
        await self.repository.write_derived_rows(rows)
        for row in rows:  # Core writes: the audit trail hears of them from here
            current = stored.get(row["id"])
            note_write(
                self.session,
                record_type=Institution.__audit_type__,
                record_id=row["id"],
                change="created" if current is None else "updated",
                version_before=None if current is None else current.version,
                version_after=row["version"],
            )
        applied = [Institution(**row) for row in rows]
        self._track(
            upserted=applied,
            touched=previously_related
            | {uuid.UUID(r["institution_id"]) for row in rows for r in row["relationships"]},
        )
        for state, version in fresh:
            if state.id in contested:
                await self.apply_state(state, version)
        return len(fresh)

    async def apply_qa_status(self, change: StatusChanged, version: int) -> bool:
        """The QA status the quality service last derived for an institution (or one of its
        programmes), by version; kept even when the institution has not arrived yet. Returns
        whether it applied."""

        def write(entry: InstitutionQaStatus, change: StatusChanged) -> None:
            entry.institution_id = change.institution_id
            entry.programme_id = change.programme_id
            entry.status = change.status
            entry.as_of = change.as_of
            entry.updated_at = utcnow()

        written = await self.repository.upsert_by_version(
            InstitutionQaStatus, [(change, version)], write, key="subject_id", by_origin=False
        )
        if written and change.programme_id is None and self.directory is not None:
            self.directory.track_qa_status(self.session, change.institution_id, change.status)
        return bool(written)

    async def _claim_identifiers_from_owner(
        self, own_id: uuid.UUID, content: InstitutionContent
    ) -> None:
        """The owner's record arriving supersedes the reference records naming the same
        institution (a conflict with another owner's record is the owners' to settle)."""
        for holder in {h.id: h for _, _, h in await self._holders(own_id, content)}.values():
            if holder.is_reference:
                await self._supersede_reference(holder, own_id)


def _refuse_reference_of_another(stored: Institution, state: InstitutionState) -> None:
    """A reference record never takes the id of another origin's record (ValueError; the rule
    of rules/reference_records.py)."""
    ensure_claim_of_origin(
        f"institution {state.id}",
        stored.origin_node,
        state.origin_node,
        reference=state.reference_source is not None,
    )
