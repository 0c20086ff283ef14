"""What the credentials service applies: the directory's institutions (who may issue, what a
diploma says of its awarding body, what verification finds in the directory) and every node's
status lists (revocation checked with the issuer unreachable), by version and whatever their
origin. What it publishes — status lists, never a holder — leaves through the `Publisher`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from contracts.credential_inquiries import InquiryAnswered, InquiryAsked
from contracts.credentials import StatusListState
from contracts.institutions import InstitutionState
from services.credentials.ask.service import InquiryService
from services.credentials.institutions.models import InstitutionCopy
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.settings import CredentialsSettings
from services.credentials.status.models import StatusList
from services.credentials.status.service import StatusListService
from shared.authority import authority_country
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent
from shared.inbox import PermanentEventError, ensure_same_origin
from shared.resync import ReplicaTable
from shared.trust import TrustList

StateT = TypeVar("StateT", bound=BaseModel)


def _state(model: type[StateT], event: CloudEvent) -> StateT:
    try:
        return model.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error


# The handlers' context: the trust list ("ask the issuer" answers and checks answers by it).
Credentials = Applying[CredentialsSettings, TrustList | None]
routes = EventRoutes[CredentialsSettings, TrustList | None]()


@routes.applies("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_state(applying: Credentials, event: CloudEvent) -> None:
    """An institution of any node → the service's copy."""
    await InstitutionRepository(applying.session).apply(
        [(_institution(event), event.aggregateversion)]
    )


@routes.applies_batch("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_states(applying: Credentials, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_state` for a fetched batch: one transaction instead of one per event,
    which a node catching up on thousands of institutions needs."""
    await InstitutionRepository(applying.session).apply(
        [(_institution(event), event.aggregateversion) for event in events]
    )


def _institution(event: CloudEvent) -> InstitutionState:
    state = _state(InstitutionState, event)
    ensure_same_origin(event, state.origin_node, f"institution {state.id}")
    return state


@routes.applies("credentials.status_list.updated")
async def apply_status_list_updated(applying: Credentials, event: CloudEvent) -> None:
    """A status list of any node → its copy (this node's own come back and are ignored by
    version)."""
    state = _state(StatusListState, event)
    ensure_same_origin(event, state.origin_node, f"status list {state.id}")
    await StatusListService(applying.session).apply(state, event.aggregateversion)


def _direct(applying: Credentials, event: CloudEvent) -> None:
    if event.recipientnode != applying.settings.node_id:
        raise PermanentEventError(f"{event.type} is only taken as a direct message to this node")


@routes.applies("credentials.inquiry.asked")
async def apply_inquiry_asked(applying: Credentials, event: CloudEvent) -> None:
    """A verifying node's question about a graduate (direct, sealed to this node): answered
    to it, yes or no, signed."""
    _direct(applying, event)
    service = InquiryService(
        applying.session, applying.settings, applying.publisher, applying.context
    )
    await service.answer_message(event.originnode, _state(InquiryAsked, event))


@routes.applies("credentials.inquiry.answered")
async def apply_inquiry_answered(applying: Credentials, event: CloudEvent) -> None:
    """The issuing node's signed answer to this node's inquiry (direct)."""
    _direct(applying, event)
    service = InquiryService(
        applying.session, applying.settings, applying.publisher, applying.context
    )
    await service.receive(event.originnode, _state(InquiryAnswered, event))


def authority_of(event: CloudEvent) -> str | None:
    """An institution's country, which its origin must have authority over; a status list
    belongs to the node that made it (None: the signer must only be its origin)."""
    if event.service == "institutions":
        return authority_country(event.data)
    return None


SUBSCRIPTIONS = [
    Subscription(
        name="institutions",
        subjects=["evt.{node}.institutions.institution.*"],
        authority=authority_of,
    ),
    Subscription(name="credentials", subjects=["evt.{node}.credentials.>"], authority=authority_of),
    Subscription(
        name="peer_institutions",
        subjects=["evt.*.institutions.institution.*"],
        peers=True,
        authority=authority_of,
    ),
    Subscription(
        name="peer_credentials",
        subjects=["evt.*.credentials.>"],
        peers=True,
        authority=authority_of,
    ),
]


# The copies of other nodes' records this service keeps: what a resync rebuilds.
REPLICA_TABLES = [
    ReplicaTable(
        name="institution",
        model=InstitutionCopy,
        event_types=("institutions.institution.",),
        country_column="country",
    ),
    ReplicaTable(
        name="status_list",
        model=StatusList,
        event_types=("credentials.status_list.",),
        holds_own_records=True,
    ),
]
