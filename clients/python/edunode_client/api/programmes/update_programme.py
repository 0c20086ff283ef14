from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.programme_read import ProgrammeRead
from ...models.programme_update import ProgrammeUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    programme_id: UUID,
    *,
    body: ProgrammeUpdate,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/programmes/{programme_id}".format(
            programme_id=quote(str(programme_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProgrammeRead | None:
    if response.status_code == 200:
        response_200 = ProgrammeRead.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = Problem.from_dict(response.json())

        return response_428

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
) -> Response[Problem | ProgrammeRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    programme_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProgrammeUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | ProgrammeRead]:
    """Update a programme

     Change a programme (412 on a stale `If-Match`). Ending a programme is a status change
    (`discontinued`), never a delete. Publishes `institutions.programme.updated`.

    Args:
        programme_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        body (ProgrammeUpdate): A partial update; lists are replaced as a whole. Ending a
            programme is a status change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgrammeRead]
    """

    kwargs = _get_kwargs(
        programme_id=programme_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    programme_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProgrammeUpdate,
    if_match: None | str | Unset = UNSET,
) -> Problem | ProgrammeRead | None:
    """Update a programme

     Change a programme (412 on a stale `If-Match`). Ending a programme is a status change
    (`discontinued`), never a delete. Publishes `institutions.programme.updated`.

    Args:
        programme_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        body (ProgrammeUpdate): A partial update; lists are replaced as a whole. Ending a
            programme is a status change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgrammeRead
    """

    return sync_detailed(
        programme_id=programme_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    programme_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProgrammeUpdate,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | ProgrammeRead]:
    """Update a programme

     Change a programme (412 on a stale `If-Match`). Ending a programme is a status change
    (`discontinued`), never a delete. Publishes `institutions.programme.updated`.

    Args:
        programme_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        body (ProgrammeUpdate): A partial update; lists are replaced as a whole. Ending a
            programme is a status change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgrammeRead]
    """

    kwargs = _get_kwargs(
        programme_id=programme_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    programme_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProgrammeUpdate,
    if_match: None | str | Unset = UNSET,
) -> Problem | ProgrammeRead | None:
    """Update a programme

     Change a programme (412 on a stale `If-Match`). Ending a programme is a status change
    (`discontinued`), never a delete. Publishes `institutions.programme.updated`.

    Args:
        programme_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        body (ProgrammeUpdate): A partial update; lists are replaced as a whole. Ending a
            programme is a status change.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgrammeRead
    """

    return (
        await asyncio_detailed(
            programme_id=programme_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
