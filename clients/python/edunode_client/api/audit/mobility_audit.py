import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_audit_entry import PageAuditEntry
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    record_type: None | str | Unset = UNSET,
    record_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_record_type: None | str | Unset
    if isinstance(record_type, Unset):
        json_record_type = UNSET
    else:
        json_record_type = record_type
    params["record_type"] = json_record_type

    json_record_id: None | str | Unset
    if isinstance(record_id, Unset):
        json_record_id = UNSET
    else:
        json_record_id = record_id
    params["record_id"] = json_record_id

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/mobility/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageAuditEntry | Problem | None:
    if response.status_code == 200:
        response_200 = PageAuditEntry.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Problem.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageAuditEntry | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    record_type: None | str | Unset = UNSET,
    record_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAuditEntry | Problem]:
    """The mobility audit log

     Every write to this service's records, newest first: who (client and role), what
    (action, record type and id, versions before and after), when, and from which request,
    with the hash chain that makes tampering evident (`edunode audit verify`). The node's
    administrators only (role `node_admin`, scope `audit:read`). No personal data: entries
    reference records, they never copy them.

    Args:
        record_type (None | str | Unset): e.g. `institution`, `case`.
        record_id (None | str | Unset):
        actor (None | str | Unset): An actor's client id.
        since (datetime.datetime | None | Unset): Entries at or after this time (ISO 8601).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAuditEntry | Problem]
    """

    kwargs = _get_kwargs(
        record_type=record_type,
        record_id=record_id,
        actor=actor,
        since=since,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    record_type: None | str | Unset = UNSET,
    record_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAuditEntry | Problem | None:
    """The mobility audit log

     Every write to this service's records, newest first: who (client and role), what
    (action, record type and id, versions before and after), when, and from which request,
    with the hash chain that makes tampering evident (`edunode audit verify`). The node's
    administrators only (role `node_admin`, scope `audit:read`). No personal data: entries
    reference records, they never copy them.

    Args:
        record_type (None | str | Unset): e.g. `institution`, `case`.
        record_id (None | str | Unset):
        actor (None | str | Unset): An actor's client id.
        since (datetime.datetime | None | Unset): Entries at or after this time (ISO 8601).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAuditEntry | Problem
    """

    return sync_detailed(
        client=client,
        record_type=record_type,
        record_id=record_id,
        actor=actor,
        since=since,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    record_type: None | str | Unset = UNSET,
    record_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAuditEntry | Problem]:
    """The mobility audit log

     Every write to this service's records, newest first: who (client and role), what
    (action, record type and id, versions before and after), when, and from which request,
    with the hash chain that makes tampering evident (`edunode audit verify`). The node's
    administrators only (role `node_admin`, scope `audit:read`). No personal data: entries
    reference records, they never copy them.

    Args:
        record_type (None | str | Unset): e.g. `institution`, `case`.
        record_id (None | str | Unset):
        actor (None | str | Unset): An actor's client id.
        since (datetime.datetime | None | Unset): Entries at or after this time (ISO 8601).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAuditEntry | Problem]
    """

    kwargs = _get_kwargs(
        record_type=record_type,
        record_id=record_id,
        actor=actor,
        since=since,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    record_type: None | str | Unset = UNSET,
    record_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAuditEntry | Problem | None:
    """The mobility audit log

     Every write to this service's records, newest first: who (client and role), what
    (action, record type and id, versions before and after), when, and from which request,
    with the hash chain that makes tampering evident (`edunode audit verify`). The node's
    administrators only (role `node_admin`, scope `audit:read`). No personal data: entries
    reference records, they never copy them.

    Args:
        record_type (None | str | Unset): e.g. `institution`, `case`.
        record_id (None | str | Unset):
        actor (None | str | Unset): An actor's client id.
        since (datetime.datetime | None | Unset): Entries at or after this time (ISO 8601).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAuditEntry | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            record_type=record_type,
            record_id=record_id,
            actor=actor,
            since=since,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
