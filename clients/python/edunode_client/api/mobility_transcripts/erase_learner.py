from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transcript_read import TranscriptRead
from ...types import Response


def _get_kwargs(
    transcript_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/mobility/transcripts/{transcript_id}/learner".format(
            transcript_id=quote(str(transcript_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TranscriptRead | None:
    if response.status_code == 200:
        response_200 = TranscriptRead.from_dict(response.json())

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
    transcript_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TranscriptRead]:
    """Erase the learner's personal data

     Erase the learner's personal data on request, here and at the other institution's
    node; the results and their recognition at home stay.

    Args:
        transcript_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        transcript_id=transcript_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transcript_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | TranscriptRead | None:
    """Erase the learner's personal data

     Erase the learner's personal data on request, here and at the other institution's
    node; the results and their recognition at home stay.

    Args:
        transcript_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TranscriptRead
    """

    return sync_detailed(
        transcript_id=transcript_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    transcript_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TranscriptRead]:
    """Erase the learner's personal data

     Erase the learner's personal data on request, here and at the other institution's
    node; the results and their recognition at home stay.

    Args:
        transcript_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TranscriptRead]
    """

    kwargs = _get_kwargs(
        transcript_id=transcript_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transcript_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | TranscriptRead | None:
    """Erase the learner's personal data

     Erase the learner's personal data on request, here and at the other institution's
    node; the results and their recognition at home stay.

    Args:
        transcript_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TranscriptRead
    """

    return (
        await asyncio_detailed(
            transcript_id=transcript_id,
            client=client,
        )
    ).parsed
