from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transcript_import import TranscriptImport
from ...models.transcript_read import TranscriptRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TranscriptImport,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/mobility/transcripts",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TranscriptRead | None:
    if response.status_code == 201:
        response_201 = TranscriptRead.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[Problem | TranscriptRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TranscriptImport,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TranscriptRead]:
    """Import a transcript (JSON)

     The caller's (receiving) institution issues the transcript of a mobility; it is sent,
    with the institution's grade tables for its fields, to the sending institution's node
    only, where its recognition at home is computed.

    Args:
        idempotency_key (str | Unset):
        body (TranscriptImport): A transcript the caller's (receiving) institution issued for a
            mobility, to be sent to
            the sending institution's node. `mobility_id` is the learning agreement's id: its sending
            institution and its approved components are taken from it. For a mobility whose learning
            agreement is not held here, `sending` (and `planned`, its components) are given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TranscriptImport,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TranscriptRead | None:
    """Import a transcript (JSON)

     The caller's (receiving) institution issues the transcript of a mobility; it is sent,
    with the institution's grade tables for its fields, to the sending institution's node
    only, where its recognition at home is computed.

    Args:
        idempotency_key (str | Unset):
        body (TranscriptImport): A transcript the caller's (receiving) institution issued for a
            mobility, to be sent to
            the sending institution's node. `mobility_id` is the learning agreement's id: its sending
            institution and its approved components are taken from it. For a mobility whose learning
            agreement is not held here, `sending` (and `planned`, its components) are given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TranscriptRead
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TranscriptImport,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TranscriptRead]:
    """Import a transcript (JSON)

     The caller's (receiving) institution issues the transcript of a mobility; it is sent,
    with the institution's grade tables for its fields, to the sending institution's node
    only, where its recognition at home is computed.

    Args:
        idempotency_key (str | Unset):
        body (TranscriptImport): A transcript the caller's (receiving) institution issued for a
            mobility, to be sent to
            the sending institution's node. `mobility_id` is the learning agreement's id: its sending
            institution and its approved components are taken from it. For a mobility whose learning
            agreement is not held here, `sending` (and `planned`, its components) are given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TranscriptImport,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TranscriptRead | None:
    """Import a transcript (JSON)

     The caller's (receiving) institution issues the transcript of a mobility; it is sent,
    with the institution's grade tables for its fields, to the sending institution's node
    only, where its recognition at home is computed.

    Args:
        idempotency_key (str | Unset):
        body (TranscriptImport): A transcript the caller's (receiving) institution issued for a
            mobility, to be sent to
            the sending institution's node. `mobility_id` is the learning agreement's id: its sending
            institution and its approved components are taken from it. For a mobility whose learning
            agreement is not held here, `sending` (and `planned`, its components) are given.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TranscriptRead
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
