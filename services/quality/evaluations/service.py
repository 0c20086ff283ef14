"""The rules of the evaluations domain: who may submit for which agency, DEQAR's validation,
idempotent resubmission by local identifier, flags and their clearance, withdrawal, an event
for every change, and applying the evaluation events of any origin. No SQL, no HTTP; never
commits."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, Literal

import orjson
import structlog
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from rules.qa_status import default_valid_to
from services.quality.agencies.repository import AgencyRepository
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
    FlagClearance,
)
from services.quality.evaluations.repository import EvaluationFilter, EvaluationRepository
from services.quality.evaluations.schemas import (
    EvaluationRead,
    EvaluationSubmission,
    FlagMessage,
    InstitutionReference,
    SubmissionResult,
    UnreadableRow,
)
from services.quality.evaluations.validation import (
    ResolvedInstitution,
    check_evaluation,
    resolve_activity,
)
from services.quality.institutions.directory import (
    RETRY_AFTER_SECONDS,
    DirectoryUnavailable,
    fetch_institution,
    fetch_institution_by_identifier,
)
from services.quality.institutions.repository import InstitutionRefRepository
from services.quality.institutions.schemas import InstitutionState
from services.quality.institutions.service import (
    ROR_PREFIX,
    InstitutionRefService,
    identifier_lookup_key,
)
from services.quality.status.service import StatusService, today
from services.quality.vocabulary import ActivityType, FlagLevel
from shared.auth import Principal, Role
from shared.authority import ensure_owned_here, ensure_role, ensure_this_node
from shared.db import new_id, utcnow
from shared.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ProblemError,
    Unprocessable,
)
from shared.events import CloudEvent
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.repository import replaces_stored
from shared.settings import ServiceSettings

SUBMITTER_ROLES = (Role.NODE_ADMIN, Role.QA_AGENCY)
# Institutions asked at the directory per submission or batch chunk (each lookup is a request).
DIRECTORY_LOOKUPS_MAX = 50
ROR = "ror"
Lookup = Callable[[], Awaitable[tuple[InstitutionState, int] | None]]
log = structlog.get_logger("edunode.quality.evaluations")
Mode = Literal["create", "upsert"]


def can_see_hidden(principal: Principal | None, agency_id: uuid.UUID, node: str) -> bool:
    """A hidden (high-flagged) evaluation is shown to this node's admin and its own agency."""
    if principal is None or principal.node != node:
        return False
    return principal.role is Role.NODE_ADMIN or principal.agency_id == agency_id


def _field_errors(error: ValidationError) -> list[FieldError]:
    return [
        FieldError(
            path=".".join(str(part) for part in item["loc"]) or "body",
            message=item["msg"],
            type=item["type"],
        )
        for item in error.errors()
    ]


@dataclass
class EvaluationService:
    session: AsyncSession
    publisher: Publisher
    settings: ServiceSettings
    # This node's institutions service: asked about an institution id the reference table
    # does not know yet (services/quality/institutions/directory.py).
    directory_url: str | None = None
    # Look-ups kept for the life of the service (one request, or one batch chunk).
    _agencies: dict[uuid.UUID, AgencyRead | None] = field(default_factory=dict)
    _acronyms: dict[str, uuid.UUID | None] = field(default_factory=dict)
    _institutions: dict[uuid.UUID, ResolvedInstitution | None] = field(default_factory=dict)
    _identifiers: dict[str, list[tuple[str, uuid.UUID]]] = field(default_factory=dict)
    _known: dict[tuple[uuid.UUID, str], Evaluation | None] = field(default_factory=dict)
    # During a batch, events are held and written to the outbox together, in order, and new
    # evaluations stay out of the session to be inserted together (see `submit_batch`).
    _held_events: list[CloudEvent] | None = None
    _created: dict[tuple[uuid.UUID, str], _NewRows] | None = None

    @property
    def repository(self) -> EvaluationRepository:
        return EvaluationRepository(self.session)

    @property
    def status(self) -> StatusService:
        return StatusService(self.session, self.publisher, self.settings)

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, evaluation_id: uuid.UUID, principal: Principal | None) -> Evaluation:
        evaluation = await self.repository.get(evaluation_id)
        if evaluation is None or (
            evaluation.hidden
            and not can_see_hidden(principal, evaluation.agency_id, self.settings.node_id)
        ):
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        return evaluation

    async def list_page(
        self, params: PageParams, where: EvaluationFilter, principal: Principal | None
    ) -> tuple[list[Evaluation], str | None]:
        if principal is not None and principal.node == self.settings.node_id:
            if principal.role is Role.NODE_ADMIN:
                where = _replace(where, include_hidden=True)
            elif principal.agency_id is not None:
                where = _replace(where, hidden_of_agency=principal.agency_id)
        return await self.repository.list_page(params, where)

    async def clearances(
        self, principal: Principal, evaluation_id: uuid.UUID
    ) -> list[FlagClearance]:
        ensure_role(principal, (Role.NODE_ADMIN,))
        await self.get(evaluation_id, principal)
        return await self.repository.clearances(evaluation_id)

    # -- writes ---------------------------------------------------------------------------------

    async def submit(
        self,
        principal: Principal,
        submission: EvaluationSubmission,
        *,
        mode: Mode,
        expected_version: int | None = None,
    ) -> tuple[SubmissionResult, Evaluation]:
        """Create, update or confirm one evaluation. Raises 403 for authority, 422 with every
        reason for a rejection, 409/412 for conflicts; nothing is written then."""
        checked = await self._check(principal, submission, mode, expected_version)
        existing = checked.existing
        if existing is not None and existing.content_hash == checked.content_hash:
            return self._result("unchanged", existing), existing
        if existing is None:
            evaluation = Evaluation(**self._new_columns(checked), links=[], programme_links=[])
            _set_links(evaluation, checked.institutions, checked.content["programmes"])
            self.repository.add(evaluation)
            self._known[checked.key] = evaluation
            await self._publish_change(evaluation)
            result = self._result("created", evaluation)
        else:
            evaluation, result = existing, await self._change(existing, checked)
        await self.status.refresh(checked.touched)
        return result, evaluation

    async def submit_batch(
        self, principal: Principal, rows: Sequence[Any], *, first_index: int = 0
    ) -> list[SubmissionResult]:
        """Submit each row on its own, by the same checks as `submit`: a bad row is reported
        and never fails the others. New evaluations are written together at the end with one
        statement per table (a unit-of-work flush of thousands of objects costs more than the
        checks); changed ones through the ORM. The statuses of the institutions touched are
        refreshed once, at the end."""
        parsed: list[EvaluationSubmission | UnreadableRow] = []
        for row in rows:
            if isinstance(row, UnreadableRow):  # refused before this point (e.g. CSV dates)
                parsed.append(row)
                continue
            try:
                parsed.append(EvaluationSubmission.model_validate(row))
            except ValidationError as error:
                local_identifier = row.get("local_identifier") if isinstance(row, dict) else None
                parsed.append(
                    UnreadableRow(
                        _field_errors(error),
                        str(local_identifier) if local_identifier is not None else None,
                    )
                )
        self._held_events, self._created = [], {}
        submissions = [p for p in parsed if isinstance(p, EvaluationSubmission)]
        await self._prefetch_institutions(submissions)
        await self._prefetch_evaluations(principal, submissions)
        results: list[SubmissionResult] = []
        touched: set[uuid.UUID] = set()
        for offset, item in enumerate(parsed):
            index = first_index + offset
            if isinstance(item, UnreadableRow):
                results.append(_rejected(index, item.local_identifier, item.errors))
                continue
            try:
                # Changed rows are flushed together when the statuses are refreshed below.
                with self.session.no_autoflush:
                    checked = await self._check(principal, item, "upsert", None)
                    existing = checked.existing
                    if existing is None:
                        result = await self._hold_new(checked)
                    elif existing.content_hash == checked.content_hash:
                        result = self._result("unchanged", existing)
                    else:
                        result = await self._change(existing, checked)
            except ProblemError as error:
                errors = error.errors or [
                    FieldError(path="body", message=error.detail, type=error.slug)
                ]
                results.append(_rejected(index, item.local_identifier, errors))
                continue
            if result.result != "unchanged":
                touched |= checked.touched
            results.append(result.model_copy(update={"index": index}))
        await self._insert_new()
        self._created = None
        events, self._held_events = self._held_events or [], None
        await self.publisher.publish_all(self.session, events)
        await self.status.refresh(touched)
        return results

    async def withdraw(self, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
        """Withdraw an evaluation (it stays readable, marked withdrawn, and stops counting)."""
        evaluation = await self._owned(principal, evaluation_id)
        if evaluation.withdrawn_at is not None:
            raise Conflict(f"evaluation {evaluation.id} is already withdrawn")
        evaluation.withdrawn_at = utcnow()
        evaluation.version += 1
        await self.repository.flush()
        if evaluation.published:
            await self._publish(EvaluationRead.model_validate(evaluation), "withdrawn")
        await self.status.refresh({uuid.UUID(i) for i in evaluation.institution_ids})
        return evaluation

    async def clear_flag(
        self, principal: Principal, evaluation_id: uuid.UUID, reason: str
    ) -> FlagClearance:
        """A node admin clears a high flag: the evaluation becomes public and is published."""
        ensure_role(principal, (Role.NODE_ADMIN,))
        ensure_this_node(principal, self.settings)
        evaluation = await self.repository.get(evaluation_id)
        if evaluation is None:
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        ensure_owned_here(self.settings, evaluation.origin_node, f"evaluation {evaluation.id}")
        if not evaluation.hidden:
            raise Conflict(f"evaluation {evaluation.id} has no uncleared high flag")
        clearance = FlagClearance(
            evaluation_id=evaluation.id,
            evaluation_version=evaluation.version,
            flag=evaluation.flag,
            flag_messages=list(evaluation.flag_messages),
            cleared_by=principal.client_id,
            cleared_at=utcnow(),
            reason=reason,
        )
        self.repository.add_clearance(clearance)
        evaluation.flag_cleared_at = clearance.cleared_at
        evaluation.version += 1
        await self.repository.flush()
        await self._publish_change(evaluation)
        await self.status.refresh({uuid.UUID(i) for i in evaluation.institution_ids})
        return clearance

    async def apply_evaluation_state(self, state: EvaluationRead, version: int) -> bool:
        """Upsert an evaluation from an event of any origin; a version not newer than the
        stored one of the same origin is ignored (idempotent, order-tolerant;
        `replaces_stored`). Refreshes the statuses it touches.
        Returns whether anything changed."""
        evaluation = await self.repository.get(state.id, with_links=True)
        stored = (evaluation.origin_node, evaluation.version) if evaluation is not None else None
        if not replaces_stored(stored, state.origin_node, version, this_node=self.settings.node_id):
            return False
        if (
            evaluation is not None
            and evaluation.origin_node != state.origin_node
            and state.reference_source is not None
        ):
            # A peer's reference record (checked for its signature only) claiming the id of
            # another node's evaluation never overrides it; an authority's own state does.
            raise ValueError(f"evaluation {state.id} belongs to {evaluation.origin_node!r}")
        before: set[uuid.UUID] = set()
        if evaluation is None:
            evaluation = Evaluation(
                id=state.id,
                created_at=state.created_at or state.updated_at,
                links=[],
                programme_links=[],
            )
            self.repository.add(evaluation)
        else:
            before = {uuid.UUID(i) for i in evaluation.institution_ids}
        dumped = state.model_dump(mode="json")
        for name in (*_CONTENT_FIELDS, "origin_node", "flag", "flag_messages"):
            setattr(evaluation, name, dumped[name])
        evaluation.agency_id = state.agency_id
        evaluation.valid_from = state.valid_from
        evaluation.valid_to = state.valid_to
        evaluation.flag_cleared_at = state.flag_cleared_at
        evaluation.withdrawn_at = state.withdrawn_at
        evaluation.version = version
        evaluation.updated_at = state.updated_at
        evaluation.published = True
        refs = await InstitutionRefRepository(self.session).get_many(state.institution_ids)
        resolved = [
            ResolvedInstitution(
                id=i,
                country=refs[i].country if i in refs else "",
                status=refs[i].status if i in refs else "",
            )
            for i in state.institution_ids
        ]
        _set_links(evaluation, resolved, dumped["programmes"])
        await self.repository.flush()
        await self.status.refresh(before | set(state.institution_ids))
        return True

    # -- internals ------------------------------------------------------------------------------

    async def _check(
        self,
        principal: Principal,
        submission: EvaluationSubmission,
        mode: Mode,
        expected_version: int | None,
    ) -> _Checked:
        """Authority, DEQAR's validation and the state of a resubmitted evaluation: raises
        403, 422 with every reason, 409 or 412; otherwise, what is to be written."""
        ensure_role(principal, SUBMITTER_ROLES)
        ensure_this_node(principal, self.settings)
        agency = await self._submitting_agency(principal, submission)
        if agency is not None:
            _check_reference(principal, agency, submission)
        submission, naming_errors = await self._named(submission, agency)
        await self._prefetch_institutions([submission])
        institutions = [self._resolved(reference) for reference in submission.institutions]
        unknown_contributors = [
            index
            for index, contributor in enumerate(submission.contributing_agency_ids)
            if await self._agency(contributor) is None
        ]
        valid_to = submission.valid_to or default_valid_to(submission.valid_from)
        verdict = check_evaluation(
            submission,
            agency=agency,
            unknown_contributors=unknown_contributors,
            institutions=institutions,
            valid_to=valid_to,
        )
        verdict.errors[:0] = naming_errors
        if verdict.errors:
            raise Unprocessable(
                f"evaluation {submission.local_identifier!r} was rejected: "
                f"{len(verdict.errors)} reason(s)",
                errors=verdict.errors,
            )
        assert agency is not None
        resolved = [i for i in institutions if i is not None]
        content = _content(submission, agency.id, valid_to, resolved)
        content_hash = _content_hash(content)
        existing = await self._existing((agency.id, submission.local_identifier))
        if existing is not None:
            ensure_owned_here(self.settings, existing.origin_node, f"evaluation {existing.id}")
            if mode == "create":
                raise Conflict(
                    f"agency {agency.acronym} already has an evaluation with local identifier "
                    f"{submission.local_identifier!r} ({existing.id}); PUT it by local "
                    "identifier to resubmit"
                )
            if existing.withdrawn_at is not None:
                raise Conflict(
                    f"evaluation {existing.id} ({submission.local_identifier!r}) was withdrawn; "
                    "submit it under a new local identifier"
                )
            if expected_version is not None and existing.version != expected_version:
                raise PreconditionFailed(
                    f"evaluation {existing.id} is at version {existing.version}, not "
                    f"{expected_version}: reload it and try again"
                )
        before = {uuid.UUID(i) for i in existing.institution_ids} if existing else set()
        return _Checked(
            key=(agency.id, submission.local_identifier),
            existing=existing,
            institutions=resolved,
            content=content,
            content_hash=content_hash,
            flag=verdict.flag_level.value,
            flag_messages=[m.model_dump(mode="json") for m in verdict.flags],
            touched=before | {i.id for i in resolved},
        )

    async def _existing(self, key: tuple[uuid.UUID, str]) -> Evaluation | None:
        if self._created and key in self._created:
            # Created earlier in this batch: written now, to be read back as a stored one.
            await self._insert_new()
        if key not in self._known:
            self._known[key] = await self.repository.find_by_local_identifier(*key)
        return self._known[key]

    def _new_columns(self, checked: _Checked) -> dict[str, Any]:
        """The columns of a new evaluation. Ids and times are set here rather than at flush,
        so that a batch is inserted at once."""
        now = utcnow()
        return {
            "id": new_id(),
            "origin_node": self.settings.node_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            **checked.content,
            "content_hash": checked.content_hash,
            "flag": checked.flag,
            "flag_messages": checked.flag_messages,
            "flag_cleared_at": None,
            "withdrawn_at": None,
            "published": False,
            "expiry_handled_for": _handled_by_this_write(checked.content["valid_to"]),
        }

    async def _change(self, evaluation: Evaluation, checked: _Checked) -> SubmissionResult:
        """Apply a resubmission with new content to a stored evaluation (a new version)."""
        evaluation.updated_at = utcnow()
        for name, value in checked.content.items():
            setattr(evaluation, name, value)
        evaluation.content_hash = checked.content_hash
        if (checked.flag, checked.flag_messages) != (evaluation.flag, evaluation.flag_messages):
            evaluation.flag_cleared_at = None  # a new high flag needs a new clearance
        evaluation.flag = checked.flag
        evaluation.flag_messages = checked.flag_messages
        _set_links(evaluation, checked.institutions, checked.content["programmes"])
        evaluation.expiry_handled_for = (
            _handled_by_this_write(evaluation.valid_to) or evaluation.expiry_handled_for
        )
        evaluation.version += 1
        await self._publish_change(evaluation)
        return self._result("updated", evaluation)

    async def _hold_new(self, checked: _Checked) -> SubmissionResult:
        """A new evaluation of a batch, kept as rows until `_insert_new` writes them; its event
        is held with the batch's others, in order."""
        assert self._created is not None
        columns = self._new_columns(checked)
        if checked.flag != FlagLevel.HIGH.value:  # hidden until a node admin clears it
            await self._publish(EvaluationRead.model_validate(columns), "created")
            columns["published"] = True
        links = [
            {
                "evaluation_id": columns["id"],
                "institution_id": institution_id,
                "position": position,
                "country": country,
            }
            for institution_id, (position, country) in _link_columns(checked.institutions).items()
        ]
        programme_links = [
            {"evaluation_id": columns["id"], "programme_id": programme_id}
            for programme_id in _programme_ids(checked.content["programmes"])
        ]
        self._created[checked.key] = (columns, links, programme_links)
        return SubmissionResult(
            local_identifier=columns["local_identifier"],
            result="created",
            id=columns["id"],
            version=columns["version"],
            flag=FlagLevel(checked.flag),
            flags=[FlagMessage.model_validate(m) for m in checked.flag_messages],
        )

    async def _insert_new(self) -> None:
        if not self._created:
            return
        held = list(self._created.values())
        for key in self._created:  # stored from now on: looked up again if resubmitted
            self._known.pop(key, None)
        self._created.clear()
        await self.repository.insert_new(
            [columns for columns, _, _ in held],
            [link for _, links, _ in held for link in links],
            [link for _, _, programme_links in held for link in programme_links],
        )

    async def _owned(self, principal: Principal, evaluation_id: uuid.UUID) -> Evaluation:
        ensure_role(principal, SUBMITTER_ROLES)
        ensure_this_node(principal, self.settings)
        evaluation = await self.repository.get(evaluation_id)
        if evaluation is None or (
            evaluation.hidden
            and not can_see_hidden(principal, evaluation.agency_id, self.settings.node_id)
        ):
            raise NotFound(f"evaluation {evaluation_id} does not exist")
        ensure_owned_here(self.settings, evaluation.origin_node, f"evaluation {evaluation.id}")
        if principal.role is Role.QA_AGENCY and principal.agency_id != evaluation.agency_id:
            raise Forbidden(f"evaluation {evaluation.id} belongs to another agency")
        return evaluation

    async def _agency(self, agency_id: uuid.UUID) -> AgencyRead | None:
        if agency_id not in self._agencies:
            agency = await AgencyRepository(self.session).get(agency_id)
            self._agencies[agency_id] = AgencyRead.model_validate(agency) if agency else None
        return self._agencies[agency_id]

    async def _submitting_agency(
        self, principal: Principal, submission: EvaluationSubmission
    ) -> AgencyRead | None:
        """The agency the evaluation is submitted for, after the authority checks: an agency
        submits for itself only, and only this node's agencies can be written here."""
        agency_id = submission.agency_id
        if agency_id is None and submission.agency:
            acronym = submission.agency
            if acronym not in self._acronyms:
                found = await AgencyRepository(self.session).find_named(
                    acronym, origin_node=self.settings.node_id
                )
                self._acronyms[acronym] = found.id if found else None
            agency_id = self._acronyms[acronym]
            if agency_id is None:
                raise Unprocessable(
                    f"no agency of node {self.settings.node_id!r} has the acronym or DEQAR id "
                    f"{acronym!r}",
                    errors=[
                        FieldError(
                            path="agency",
                            message="unknown acronym or DEQAR id",
                            type="unknown-agency",
                        )
                    ],
                )
        if agency_id is None:
            agency_id = principal.agency_id
        if agency_id is None:
            raise Unprocessable(
                "name the agency (agency_id or agency)",
                errors=[FieldError(path="agency_id", message="required", type="missing")],
            )
        if principal.role is Role.QA_AGENCY and principal.agency_id != agency_id:
            raise Forbidden(
                f"a client of agency {principal.agency_id} cannot submit for agency {agency_id}"
            )
        agency = await self._agency(agency_id)
        if agency is not None:
            ensure_owned_here(self.settings, agency.origin_node, f"agency {agency.acronym}")
        return agency

    async def _named(
        self, submission: EvaluationSubmission, agency: AgencyRead | None
    ) -> tuple[EvaluationSubmission, list[FieldError]]:
        """The submission with what it names as DEQAR does resolved: the agency's activity
        (when no `activity_type` is given) and the contributing agencies by acronym (this
        node's first, else the one agency of any node with it); and the names not found."""
        errors: list[FieldError] = []
        update: dict[str, Any] = {}
        if submission.activity_type is None and submission.activity and agency is not None:
            resolved = resolve_activity(submission.activity, agency)
            if isinstance(resolved, FieldError):
                errors.append(resolved)
            else:
                update["activity_type"], update["activity"] = resolved
        if submission.contributing_agencies:
            ids = list(submission.contributing_agency_ids)
            repository = AgencyRepository(self.session)
            for index, acronym in enumerate(submission.contributing_agencies):
                found = await repository.find_named(acronym, origin_node=self.settings.node_id)
                candidates = [found] if found else await repository.find_all_named(acronym)
                if len(candidates) == 1:
                    ids.append(candidates[0].id)
                else:
                    errors.append(
                        FieldError(
                            path=f"contributing_agencies.{index}",
                            message=f"{len(candidates)} agencies have the acronym or DEQAR id "
                            f"{acronym!r}",
                            type="unknown-agency",
                        )
                    )
            update |= {"contributing_agency_ids": ids, "contributing_agencies": []}
        return (submission.model_copy(update=update) if update else submission), errors

    async def _prefetch_institutions(self, submissions: Iterable[EvaluationSubmission]) -> None:
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
        repository = InstitutionRefRepository(self.session)
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
        """Institutions the reference table does not know yet, named by id or by an identifier
        of a given registry: asked at this node's directory, and applied to the table if it
        has them. In a batch a directory that does not answer leaves them unknown (those rows
        are refused, never the batch, and it is not asked again for the batch); for a single
        submission it is a 409 with Retry-After, never a 422 for an institution that may
        exist."""
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
        references = InstitutionRefService(self.session)
        for lookup, institution_id, value in lookups[:DIRECTORY_LOOKUPS_MAX]:
            try:
                found = await lookup()
            except DirectoryUnavailable as error:
                log.warning("directory_unavailable", institution=str(institution_id or value))
                if self._held_events is not None:  # a batch: not asked again for this chunk
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

    async def _prefetch_evaluations(
        self, principal: Principal, submissions: list[EvaluationSubmission]
    ) -> None:
        """Load the existing evaluations a batch resubmits, in one query."""
        keys: set[tuple[uuid.UUID, str]] = set()
        for submission in submissions:
            agency_id = submission.agency_id or principal.agency_id
            if agency_id is None and submission.agency:
                if submission.agency not in self._acronyms:
                    agency = await AgencyRepository(self.session).find_named(
                        submission.agency, origin_node=self.settings.node_id
                    )
                    self._acronyms[submission.agency] = agency.id if agency else None
                agency_id = self._acronyms[submission.agency]
            if agency_id is not None:
                keys.add((agency_id, submission.local_identifier))
        keys -= self._known.keys()
        if not keys:
            return
        found = await self.repository.find_many_by_local_identifier(keys)
        for key in keys:
            self._known[key] = found.get(key)

    def _resolved(self, reference: InstitutionReference) -> ResolvedInstitution | None:
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

    def _result(
        self, outcome: Literal["created", "updated", "unchanged"], evaluation: Evaluation
    ) -> SubmissionResult:
        return SubmissionResult(
            local_identifier=evaluation.local_identifier,
            result=outcome,
            id=evaluation.id,
            version=evaluation.version,
            flag=FlagLevel(evaluation.flag),
            flags=[FlagMessage.model_validate(m) for m in evaluation.flag_messages],
        )

    async def _publish_change(self, evaluation: Evaluation) -> None:
        # A hidden evaluation is published only once a node admin cleared its flag.
        if evaluation.hidden:
            return
        action = "updated" if evaluation.published else "created"
        await self._publish(EvaluationRead.model_validate(evaluation), action)
        evaluation.published = True

    async def _publish(self, evaluation: EvaluationRead, action: str) -> None:
        state = evaluation.model_dump(mode="json")
        # Receiving nodes check that this node has authority over the agency's country.
        agency = await self._agency(evaluation.agency_id)  # kept for the batch: one look-up
        state["agency_country"] = agency.country if agency is not None else None
        event = self.publisher.event(
            "evaluation", action, subject=str(evaluation.id), data=state, version=evaluation.version
        )
        if self._held_events is not None:
            self._held_events.append(event)
        else:
            await self.publisher.publish_all(self.session, [event])


_CONTENT_FIELDS = (
    "reference_source",
    "local_identifier",
    "contributing_agency_ids",
    "activity_type",
    "activity",
    "status",
    "decision",
    "institution_ids",
    "countries",
    "programmes",
    "summary",
    "files",
    "criterion_scores",
)


def _content(
    submission: EvaluationSubmission,
    agency_id: uuid.UUID,
    valid_to: date,
    institutions: list[ResolvedInstitution],
) -> dict[str, Any]:
    """The stored content of a submission, as column values (the fingerprint is taken of it)."""
    dumped = submission.model_dump(mode="json")
    return {
        "agency_id": agency_id,
        "local_identifier": submission.local_identifier,
        "contributing_agency_ids": dumped["contributing_agency_ids"],
        "activity_type": _activity_type(submission).value,
        "activity": submission.activity,
        "status": submission.status.value,
        "decision": submission.decision.value,
        "valid_from": submission.valid_from,
        "valid_to": valid_to,
        "institution_ids": [str(i.id) for i in institutions],
        "countries": sorted({i.country for i in institutions if i.country}),
        "programmes": dumped["programmes"],
        "summary": submission.summary,
        "files": dumped["files"],
        "criterion_scores": dumped["criterion_scores"],
        "reference_source": submission.reference_source,
    }


def _check_reference(
    principal: Principal, agency: AgencyRead, submission: EvaluationSubmission
) -> None:
    """An evaluation by a reference agency is a reference record: entered by a node admin,
    with its source; an evaluation by an agency of a node is never one."""
    if agency.reference_source is None:
        if submission.reference_source is not None:
            raise Unprocessable(
                f"agency {agency.acronym} is not a reference record: its evaluations carry no "
                "reference_source",
                errors=[
                    FieldError(
                        path="reference_source",
                        message="only for an evaluation by a reference agency",
                        type="not-a-reference-agency",
                    )
                ],
            )
        return
    ensure_role(principal, (Role.NODE_ADMIN,))
    if submission.reference_source is None:
        raise Unprocessable(
            f"agency {agency.acronym} is a reference record (source: {agency.reference_source}): "
            "an evaluation by it is one too and must name its reference_source",
            errors=[
                FieldError(
                    path="reference_source",
                    message="required for an evaluation by a reference agency",
                    type="missing",
                )
            ],
        )


def _content_hash(content: dict[str, Any]) -> str:
    """The fingerprint of stored content. A field added later is hashed only when set, so that
    resubmitting what was stored before it existed still finds the content unchanged."""
    if content.get("activity") is None:
        content = {key: value for key, value in content.items() if key != "activity"}
    return hashlib.sha256(
        orjson.dumps(content, option=orjson.OPT_SORT_KEYS, default=str)
    ).hexdigest()


def _activity_type(submission: EvaluationSubmission) -> ActivityType:
    """The activity type of a checked submission (named, or resolved from its activity)."""
    if submission.activity_type is None:
        raise ValueError("the activity of a checked submission is resolved")
    return submission.activity_type


@dataclass
class _Checked:
    """A submission that passed the checks: what to store, and the stored one it resubmits."""

    key: tuple[uuid.UUID, str]  # (agency id, local identifier)
    existing: Evaluation | None
    institutions: list[ResolvedInstitution]
    content: dict[str, Any]
    content_hash: str
    flag: str
    flag_messages: list[dict[str, Any]]
    touched: set[uuid.UUID]  # the institutions whose status a write may change


# A new evaluation of a batch as rows: its columns, its institution and programme links.
_NewRows = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def _handled_by_this_write(valid_to: date) -> date | None:
    """`valid_to` if the validity ended before today: the status refresh that follows every
    write counts it, so the expiry pass has nothing left to do for it (status/worker.py).
    Without this, the first pass after an import of past evaluations refreshed all of them
    again, to publish nothing."""
    return valid_to if valid_to < today() else None


def _link_columns(
    institutions: list[ResolvedInstitution],
) -> dict[uuid.UUID, tuple[int, str | None]]:
    """Institution id → (position, country) of the evaluation's institution links."""
    return {i.id: (position, i.country or None) for position, i in enumerate(institutions)}


def _programme_ids(programmes: list[dict[str, Any]]) -> set[uuid.UUID]:
    """The directory programmes (named by id) an evaluation's links point at."""
    return {uuid.UUID(p["programme_id"]) for p in programmes if p.get("programme_id")}


def _set_links(
    evaluation: Evaluation,
    institutions: list[ResolvedInstitution],
    programmes: list[dict[str, Any]],
) -> None:
    """Point the link rows at the given institutions and programmes, diffing so that a key
    is never deleted and re-inserted in one flush."""
    wanted = _link_columns(institutions)
    kept = []
    for link in evaluation.links:
        if link.institution_id in wanted:
            link.position, link.country = wanted.pop(link.institution_id)
            kept.append(link)
    evaluation.links = kept + [
        EvaluationInstitution(institution_id=institution_id, position=position, country=country)
        for institution_id, (position, country) in wanted.items()
    ]
    programme_ids = _programme_ids(programmes)
    kept_programmes = [
        link for link in evaluation.programme_links if link.programme_id in programme_ids
    ]
    have = {link.programme_id for link in kept_programmes}
    evaluation.programme_links = kept_programmes + [
        EvaluationProgramme(programme_id=programme_id) for programme_id in programme_ids - have
    ]


def _rejected(index: int, local_identifier: Any, errors: Sequence[FieldError]) -> SubmissionResult:
    return SubmissionResult(
        index=index,
        local_identifier=str(local_identifier) if local_identifier is not None else None,
        result="rejected",
        errors=[{"path": e.path, "message": e.message, "type": e.type} for e in errors],
    )


def _replace(where: EvaluationFilter, **changes: Any) -> EvaluationFilter:
    return dataclasses.replace(where, **changes)
