"""What checking submissions looks up, each once for the life of one `Lookups` (one request, or
one batch chunk): agencies by id and by name, institutions by id and by identifier (asked at
this node's directory when its copy of the institutions does not know them yet), and the stored
evaluations that submissions resubmit. No rules, no HTTP of its own; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import partial

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.agencies.repository import AgencyRepository
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.repository import EvaluationRepository
from services.quality.evaluations.schemas import EvaluationSubmission, InstitutionReference
from services.quality.evaluations.validation import ResolvedInstitution
from services.quality.institutions.directory import (
    RETRY_AFTER_SECONDS,
    DirectoryUnavailable,
    fetch_institution,
    fetch_institution_by_identifier,
)
from services.quality.institutions.repository import InstitutionCopyRepository
from services.quality.institutions.schemas import InstitutionState
from services.quality.institutions.service import (
    ROR_PREFIX,
    InstitutionCopyService,
    identifier_lookup_key,
)
from shared.auth import Principal
from shared.errors import Conflict
from shared.settings import ServiceSettings

# Institutions asked at the directory per submission or batch chunk (each lookup is a request).
DIRECTORY_LOOKUPS_MAX = 50
ROR = "ror"
Lookup = Callable[[], Awaitable[tuple[InstitutionState, int] | None]]
# An evaluation's natural key: (agency id, local identifier).
EvaluationKey = tuple[uuid.UUID, str]
log = structlog.get_logger("edunode.quality.evaluations")


@dataclass
class Lookups:
    """The look-ups of one request or one batch chunk, each made once."""

    session: AsyncSession
    settings: ServiceSettings
    # This node's institutions service: asked about an institution its copy does
    # not know yet (services/quality/institutions/directory.py).
    directory_url: str | None = None
    # For a batch: a directory that does not answer leaves its institutions unknown (those
    # rows are refused, never the batch) and is not asked again. For a single submission it
    # is a 409 with Retry-After, never a 422 for an institution that may exist.
    directory_may_fail: bool = False
    _agencies: dict[uuid.UUID, AgencyRead | None] = field(default_factory=dict)
    _acronyms: dict[str, uuid.UUID | None] = field(default_factory=dict)
    _institutions: dict[uuid.UUID, ResolvedInstitution | None] = field(default_factory=dict)
    _identifiers: dict[str, list[tuple[str, uuid.UUID]]] = field(default_factory=dict)
    _stored: dict[EvaluationKey, Evaluation | None] = field(default_factory=dict)

    # -- agencies -------------------------------------------------------------------------------

    async def agency(self, agency_id: uuid.UUID) -> AgencyRead | None:
        if agency_id not in self._agencies:
            agency = await AgencyRepository(self.session).get(agency_id)
            self._agencies[agency_id] = AgencyRead.model_validate(agency) if agency else None
        return self._agencies[agency_id]

    async def own_agency_named(self, name: str) -> uuid.UUID | None:
        """The id of this node's agency a submission names by acronym or DEQAR id."""
        if name not in self._acronyms:
            found = await AgencyRepository(self.session).find_named(
                name, origin_node=self.settings.node_id
            )
            self._acronyms[name] = found.id if found else None
        return self._acronyms[name]

    async def agencies_named(self, name: str) -> list[uuid.UUID]:
        """The agencies a contributing agency's acronym or DEQAR id may mean: this node's,
        else every agency of any node with it."""
        repository = AgencyRepository(self.session)
        found = await repository.find_named(name, origin_node=self.settings.node_id)
        candidates = [found] if found else await repository.find_all_named(name)
        return [agency.id for agency in candidates]

    # -- institutions ---------------------------------------------------------------------------

    def institution(self, reference: InstitutionReference) -> ResolvedInstitution | None:
        """The institution a reference names, if known (after `prefetch_institutions`); None
        too when an identifier names several."""
        if reference.id is not None:
            return self._institutions.get(reference.id)
        matches = {
            institution_id
            for resource, institution_id in self._identifiers.get(
                identifier_lookup_key(reference.identifier or ""), []
            )
            if reference.resource is None or resource.lower() == reference.resource.lower()
        }
        if len(matches) != 1:
            return None
        return self._institutions.get(matches.pop())

    async def prefetch_institutions(self, submissions: Iterable[EvaluationSubmission]) -> None:
        """Look up every institution the submissions name that is not looked up yet: in the
        reference table, then at the directory."""
        ids: set[uuid.UUID] = set()
        values: dict[str, str | None] = {}  # identifier → the registry it was named in
        for submission in submissions:
            for reference in submission.institutions:
                if reference.id is not None:
                    if reference.id not in self._institutions:
                        ids.add(reference.id)
                elif reference.identifier:
                    value = identifier_lookup_key(reference.identifier)
                    if value not in self._identifiers:
                        values[value] = reference.resource or values.get(value)
        repository = InstitutionCopyRepository(self.session)
        for value in values:
            self._identifiers[value] = []
        for resource, value, institution_id in await repository.find_by_identifiers(set(values)):
            self._identifiers[value].append((resource, institution_id))
            ids.add(institution_id)
        ids = {i for i in ids if i not in self._institutions}  # not `-= keys()`: O(cache)
        known = await repository.country_and_status(ids)
        for institution_id in ids:
            found = known.get(institution_id)
            self._institutions[institution_id] = (
                ResolvedInstitution(id=institution_id, country=found[0], status=found[1])
                if found
                else None
            )
        missing_identifiers = {
            value: resource
            for value, resource in values.items()
            if not self._identifiers[value]
            and (resource or (ROR if value.startswith(ROR_PREFIX) else None))
        }
        await self._ask_directory(
            [i for i in ids if i not in known],
            {v: r or ROR for v, r in missing_identifiers.items()},
        )

    async def _ask_directory(self, missing: list[uuid.UUID], identifiers: dict[str, str]) -> None:
        """Institutions its copy does not know yet, named by id or by an identifier
        of a given registry: asked at this node's directory, and applied to the table if it
        has them (see `directory_may_fail` for when it does not answer)."""
        if self.directory_url is None or not (missing or identifiers):
            return
        url = self.directory_url
        lookups: list[tuple[Lookup, uuid.UUID | None, str | None]] = [
            (partial(fetch_institution, url, institution_id), institution_id, None)
            for institution_id in missing
        ] + [
            (partial(fetch_institution_by_identifier, url, resource, value), None, value)
            for value, resource in identifiers.items()
        ]
        references = InstitutionCopyService(self.session)
        for lookup, institution_id, value in lookups[:DIRECTORY_LOOKUPS_MAX]:
            try:
                found = await lookup()
            except DirectoryUnavailable as error:
                log.warning("directory_unavailable", institution=str(institution_id or value))
                if self.directory_may_fail:
                    break
                raise Conflict(
                    f"institution {institution_id or value} is not known to this node yet and "
                    "the directory could not be asked; retry shortly",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                ) from error
            if found is None:
                continue
            state, version = found
            await references.apply_institution_state(state, version)
            self._institutions[state.id] = ResolvedInstitution(
                id=state.id, country=state.country, status=state.status
            )
            if value is not None:
                self._identifiers[value] = [
                    (i.resource, state.id)
                    for i in state.identifiers
                    if identifier_lookup_key(i.value) == value
                ] or [(identifiers[value], state.id)]

    # -- stored evaluations ---------------------------------------------------------------------

    async def stored_evaluation(self, key: EvaluationKey) -> Evaluation | None:
        """The stored evaluation with this key, with its links."""
        if key not in self._stored:
            self._stored[key] = await EvaluationRepository(self.session).find_by_local_identifier(
                *key
            )
        return self._stored[key]

    def remember(self, key: EvaluationKey, evaluation: Evaluation) -> None:
        """An evaluation just added under `key`."""
        self._stored[key] = evaluation

    def forget(self, keys: Collection[EvaluationKey]) -> None:
        """Evaluations written behind the session's back: looked up again when asked."""
        for key in keys:
            self._stored.pop(key, None)

    async def prefetch_evaluations(
        self, principal: Principal, submissions: Iterable[EvaluationSubmission]
    ) -> None:
        """Load the stored evaluations that submissions resubmit, in one query."""
        keys: set[EvaluationKey] = set()
        for submission in submissions:
            agency_id = submission.agency_id or principal.agency_id
            if agency_id is None and submission.agency:
                agency_id = await self.own_agency_named(submission.agency)
            if agency_id is not None:
                keys.add((agency_id, submission.local_identifier))
        keys -= self._stored.keys()
        if not keys:
            return
        found = await EvaluationRepository(self.session).find_many_by_local_identifier(keys)
        for key in keys:
            self._stored[key] = found.get(key)
