"""The rules of the catalogue (frameworks, levels, agreements): what a request sees (shipped +
added), and the node admin's additions, which federate like other public records (single writer,
by version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.catalogue.catalogue import (
    Catalogue,
    normalise_level_code,
    shipped_catalogue,
)
from services.recognition.catalogue.models import AgreementRecord, FrameworkLevelRecord
from services.recognition.catalogue.repository import CatalogueRepository
from services.recognition.catalogue.schemas import (
    Agreement,
    AgreementCreate,
    AgreementUpdate,
    FrameworkLevel,
    FrameworkLevelCreate,
    FrameworkLevelUpdate,
    Reference,
)
from shared.auth import Principal, Role
from shared.authority import ensure_owned_here, ensure_role, ensure_this_node
from shared.db import new_id, utcnow
from shared.errors import Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable
from shared.inbox import ensure_owned_by
from shared.publisher import Publisher
from shared.settings import ServiceSettings

WRITER_ROLES = (Role.NODE_ADMIN,)


def level_from_record(record: FrameworkLevelRecord) -> FrameworkLevel:
    return FrameworkLevel.model_validate(
        {
            "code": record.code,
            "framework": record.framework,
            "level": record.level,
            "rank": record.rank,
            "name": record.name,
            "ects_min": record.ects_min,
            "ects_max": record.ects_max,
            "references": record.references,
            "source": record.source,
            "origin_node": record.origin_node,
            "framework_name": record.framework_name,
            "framework_kind": record.framework_kind,
            "country": record.country,
            "version": record.version,
            "updated_at": record.updated_at,
        }
    )


def agreement_from_record(record: AgreementRecord) -> Agreement:
    return Agreement.model_validate(
        {
            "id": record.id,
            "title": record.title,
            "kind": record.kind,
            "parties": record.parties,
            "signed_on": record.signed_on,
            "in_force_on": record.in_force_on,
            "ended_on": record.ended_on,
            "levels": record.levels,
            "scope": record.scope,
            "legal_basis": record.legal_basis,
            "article": record.article,
            "conditions": record.conditions,
            "source": record.source,
            "origin_node": record.origin_node,
            "version": record.version,
            "updated_at": record.updated_at,
        }
    )


@dataclass
class CatalogueService:
    session: AsyncSession
    settings: ServiceSettings
    publisher: Publisher | None = None

    @property
    def repository(self) -> CatalogueRepository:
        return CatalogueRepository(self.session)

    async def catalogue(self) -> Catalogue:
        """The shipped reference data plus every level and agreement nodes added."""
        levels = [level_from_record(r) for r in await self.repository.levels()]
        agreements = [agreement_from_record(r) for r in await self.repository.agreements()]
        shipped = shipped_catalogue()
        if not levels and not agreements:
            return shipped
        return shipped.with_additions(levels, agreements)

    async def agreements(self, *, country: str | None, in_force_on: date | None) -> list[Agreement]:
        catalogue = await self.catalogue()
        found = []
        for agreement in sorted(catalogue.agreements.values(), key=lambda a: a.id):
            if country and country.upper() not in agreement.parties:
                continue
            if in_force_on and not agreement.in_force(in_force_on):
                continue
            found.append(agreement)
        return found

    async def agreement(self, agreement_id: str) -> Agreement:
        catalogue = await self.catalogue()
        agreement = catalogue.agreements.get(agreement_id)
        if agreement is None:
            raise NotFound(f"agreement {agreement_id!r} is not known")
        return agreement

    # -- framework levels -------------------------------------------------------------------

    async def create_level(
        self, principal: Principal, data: FrameworkLevelCreate
    ) -> FrameworkLevel:
        self._ensure_writer(principal)
        code = normalise_level_code(f"{data.framework}:{data.level}")
        catalogue = await self.catalogue()
        if code in catalogue.levels:
            raise Conflict(f"framework level {code} already exists")
        framework = catalogue.frameworks.get(data.framework)
        if framework is not None:
            if framework.origin_node is None:
                raise Forbidden(
                    f"framework {data.framework} is shipped reference data; add levels to a "
                    "framework this node registers"
                )
            ensure_owned_here(self.settings, framework.origin_node, f"framework {data.framework}")
        self._check_references(catalogue, data.references)
        record = FrameworkLevelRecord(
            code=code,
            framework=data.framework,
            level=code.split(":", 1)[1],
            rank=data.rank,
            name=data.name,
            framework_name=data.framework_name or data.framework,
            framework_kind=data.framework_kind.value,
            country=data.country,
            ects_min=data.ects_min,
            ects_max=data.ects_max,
            references=[r.model_dump(mode="json") for r in data.references],
            source=data.source.model_dump(mode="json"),
            origin_node=self.settings.node_id,
            version=1,
            updated_at=utcnow(),
        )
        self.repository.add(record)
        await self.repository.flush()
        level = level_from_record(record)
        await self._publish_level(level, "created")
        return level

    async def update_level(
        self,
        principal: Principal,
        code: str,
        data: FrameworkLevelUpdate,
        *,
        expected_version: int,
    ) -> FrameworkLevel:
        self._ensure_writer(principal)
        code = normalise_level_code(code)
        record = await self.repository.level(code)
        if record is None:
            if code in shipped_catalogue().levels:
                raise Forbidden(f"framework level {code} is shipped reference data")
            raise NotFound(f"framework level {code} is not known")
        ensure_owned_here(self.settings, record.origin_node, f"framework level {code}")
        if record.version != expected_version:
            raise PreconditionFailed(
                f"framework level {code} is at version {record.version}, not {expected_version}"
            )
        changes = data.model_dump(exclude_unset=True)
        if data.references is not None:
            self._check_references(await self.catalogue(), data.references)
            changes["references"] = [r.model_dump(mode="json") for r in data.references]
        if data.source is not None:
            changes["source"] = data.source.model_dump(mode="json")
        for name, value in changes.items():
            setattr(record, name, value)
        record.version += 1
        record.updated_at = utcnow()
        await self.repository.flush()
        level = level_from_record(record)
        await self._publish_level(level, "updated")
        return level

    async def apply_level(self, state: FrameworkLevel, version: int) -> bool:
        """Apply a `recognition.framework_level.*` event by version (any origin; the record's
        origin alone writes it)."""
        code = normalise_level_code(state.code)
        if code in shipped_catalogue().levels:
            return False
        origin = state.origin_node or "unknown"
        state = state.model_copy(update={"code": code, "origin_node": origin})
        return bool(
            await self.repository.upsert_by_version(
                FrameworkLevelRecord,
                [(state, version)],
                _write_level,
                key="code",
                check=lambda record, _: ensure_owned_by(
                    record.origin_node, origin, f"framework level {code}"
                ),
            )
        )

    # -- agreements -------------------------------------------------------------------------

    async def create_agreement(self, principal: Principal, data: AgreementCreate) -> Agreement:
        self._ensure_writer(principal)
        if self.settings.countries[0] not in data.parties and not (
            set(self.settings.countries) & set(data.parties)
        ):
            raise Forbidden(
                f"node {self.settings.node_id!r} can only register agreements its countries "
                "are party to"
            )
        self._check_agreement_levels(await self.catalogue(), data.levels)
        record = AgreementRecord(
            id=str(new_id()),
            title=data.title,
            kind=data.kind.value,
            parties=sorted(set(data.parties)),
            signed_on=data.signed_on,
            in_force_on=data.in_force_on,
            ended_on=data.ended_on,
            levels=[normalise_level_code(code) for code in data.levels],
            scope=data.scope.value,
            legal_basis=None,
            article=data.article,
            conditions=list(data.conditions),
            source=data.source.model_dump(mode="json"),
            origin_node=self.settings.node_id,
            version=1,
            updated_at=utcnow(),
        )
        self.repository.add(record)
        await self.repository.flush()
        agreement = agreement_from_record(record)
        await self._publish_agreement(agreement, "created")
        return agreement

    async def update_agreement(
        self,
        principal: Principal,
        agreement_id: str,
        data: AgreementUpdate,
        *,
        expected_version: int,
    ) -> Agreement:
        self._ensure_writer(principal)
        record = await self.repository.agreement(agreement_id)
        if record is None:
            if agreement_id in shipped_catalogue().agreements:
                raise Forbidden(f"agreement {agreement_id} is shipped reference data")
            raise NotFound(f"agreement {agreement_id!r} is not known")
        ensure_owned_here(self.settings, record.origin_node, f"agreement {agreement_id}")
        if record.version != expected_version:
            raise PreconditionFailed(
                f"agreement {agreement_id} is at version {record.version}, not {expected_version}"
            )
        changes = data.model_dump(exclude_unset=True, mode="json")
        if data.levels is not None:
            self._check_agreement_levels(await self.catalogue(), data.levels)
            changes["levels"] = [normalise_level_code(code) for code in data.levels]
        for name in ("signed_on", "in_force_on", "ended_on"):
            if name in changes:
                changes[name] = getattr(data, name)
        for name, value in changes.items():
            setattr(record, name, value)
        record.version += 1
        record.updated_at = utcnow()
        await self.repository.flush()
        agreement = agreement_from_record(record)
        await self._publish_agreement(agreement, "updated")
        return agreement

    async def apply_agreement(self, state: Agreement, version: int) -> bool:
        """Apply a `recognition.agreement.*` event by version (any origin; the record's origin
        alone writes it)."""
        if state.id in shipped_catalogue().agreements:
            return False
        origin = state.origin_node or "unknown"
        state = state.model_copy(update={"origin_node": origin})
        return bool(
            await self.repository.upsert_by_version(
                AgreementRecord,
                [(state, version)],
                _write_agreement,
                check=lambda record, _: ensure_owned_by(
                    record.origin_node, origin, f"agreement {state.id}"
                ),
            )
        )

    # -- internals --------------------------------------------------------------------------

    def _ensure_writer(self, principal: Principal) -> None:
        ensure_role(principal, WRITER_ROLES)
        ensure_this_node(principal, self.settings)

    @staticmethod
    def _check_references(catalogue: Catalogue, references: list[Reference]) -> None:
        for reference in references:
            if catalogue.find_level(reference.to) is None:
                raise Unprocessable(f"the referenced level {reference.to} is not known")

    @staticmethod
    def _check_agreement_levels(catalogue: Catalogue, levels: list[str]) -> None:
        for code in levels:
            if catalogue.find_level(code) is None:
                raise Unprocessable(f"the level {code} is not known")

    async def _publish_level(self, level: FrameworkLevel, action: str) -> None:
        if self.publisher is not None:
            await self.publisher.publish(
                self.session,
                "framework_level",
                action,
                subject=level.code,
                data=level.model_dump(mode="json"),
                version=level.version,
            )

    async def _publish_agreement(self, agreement: Agreement, action: str) -> None:
        if self.publisher is not None:
            await self.publisher.publish(
                self.session,
                "agreement",
                action,
                subject=agreement.id,
                data=agreement.model_dump(mode="json"),
                version=agreement.version,
            )


def _write_level(record: FrameworkLevelRecord, state: FrameworkLevel) -> None:
    record.framework = state.framework
    record.level = state.level
    record.rank = state.rank
    record.name = state.name
    record.framework_name = state.framework_name
    record.framework_kind = state.framework_kind.value
    record.country = state.country
    record.ects_min = state.ects_min
    record.ects_max = state.ects_max
    record.references = [r.model_dump(mode="json") for r in state.references]
    record.source = state.source.model_dump(mode="json")
    record.updated_at = state.updated_at or utcnow()


def _write_agreement(record: AgreementRecord, state: Agreement) -> None:
    record.title = state.title
    record.kind = state.kind.value
    record.parties = list(state.parties)
    record.signed_on = state.signed_on
    record.in_force_on = state.in_force_on
    record.ended_on = state.ended_on
    record.levels = list(state.levels)
    record.scope = state.scope.value
    record.legal_basis = state.legal_basis
    record.article = state.article
    record.conditions = list(state.conditions)
    record.source = state.source.model_dump(mode="json")
    record.updated_at = state.updated_at or utcnow()
