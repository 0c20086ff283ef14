from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transcript_read import TranscriptRead
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File,
    mobility_id: UUID,
    sending_institution_id: None | Unset | UUID = UNSET,
    sending_node: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_mobility_id = str(mobility_id)
    params["mobility_id"] = json_mobility_id

    json_sending_institution_id: None | str | Unset
    if isinstance(sending_institution_id, Unset):
        json_sending_institution_id = UNSET
    elif isinstance(sending_institution_id, UUID):
        json_sending_institution_id = str(sending_institution_id)
    else:
        json_sending_institution_id = sending_institution_id
    params["sending_institution_id"] = json_sending_institution_id

    json_sending_node: None | str | Unset
    if isinstance(sending_node, Unset):
        json_sending_node = UNSET
    else:
        json_sending_node = sending_node
    params["sending_node"] = json_sending_node

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/mobility/transcripts/elmo",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/xml"

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

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
    body: File,
    mobility_id: UUID,
    sending_institution_id: None | Unset | UUID = UNSET,
    sending_node: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TranscriptRead]:
    """Import a transcript (EMREX ELMO XML)

     The same as the JSON import, from an ELMO document (EMREX ELMO 1.x, validated against
    its schema; no DTD, no entities, at most 4 MiB). The sending institution is named only
    for a mobility whose learning agreement is not held here.

    Args:
        mobility_id (UUID): The learning agreement's id.
        sending_institution_id (None | Unset | UUID):
        sending_node (None | str | Unset):
        idempotency_key (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        body=body,
        mobility_id=mobility_id,
        sending_institution_id=sending_institution_id,
        sending_node=sending_node,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File,
    mobility_id: UUID,
    sending_institution_id: None | Unset | UUID = UNSET,
    sending_node: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TranscriptRead | None:
    """Import a transcript (EMREX ELMO XML)

     The same as the JSON import, from an ELMO document (EMREX ELMO 1.x, validated against
    its schema; no DTD, no entities, at most 4 MiB). The sending institution is named only
    for a mobility whose learning agreement is not held here.

    Args:
        mobility_id (UUID): The learning agreement's id.
        sending_institution_id (None | Unset | UUID):
        sending_node (None | str | Unset):
        idempotency_key (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TranscriptRead
    """

    return sync_detailed(
        client=client,
        body=body,
        mobility_id=mobility_id,
        sending_institution_id=sending_institution_id,
        sending_node=sending_node,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    mobility_id: UUID,
    sending_institution_id: None | Unset | UUID = UNSET,
    sending_node: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | TranscriptRead]:
    """Import a transcript (EMREX ELMO XML)

     The same as the JSON import, from an ELMO document (EMREX ELMO 1.x, validated against
    its schema; no DTD, no entities, at most 4 MiB). The sending institution is named only
    for a mobility whose learning agreement is not held here.

    Args:
        mobility_id (UUID): The learning agreement's id.
        sending_institution_id (None | Unset | UUID):
        sending_node (None | str | Unset):
        idempotency_key (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        body=body,
        mobility_id=mobility_id,
        sending_institution_id=sending_institution_id,
        sending_node=sending_node,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File,
    mobility_id: UUID,
    sending_institution_id: None | Unset | UUID = UNSET,
    sending_node: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Problem | TranscriptRead | None:
    """Import a transcript (EMREX ELMO XML)

     The same as the JSON import, from an ELMO document (EMREX ELMO 1.x, validated against
    its schema; no DTD, no entities, at most 4 MiB). The sending institution is named only
    for a mobility whose learning agreement is not held here.

    Args:
        mobility_id (UUID): The learning agreement's id.
        sending_institution_id (None | Unset | UUID):
        sending_node (None | str | Unset):
        idempotency_key (str | Unset):
        body (File):

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
            mobility_id=mobility_id,
            sending_institution_id=sending_institution_id,
            sending_node=sending_node,
            idempotency_key=idempotency_key,
        )
    ).parsed
