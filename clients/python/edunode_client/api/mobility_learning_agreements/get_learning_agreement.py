from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.learning_agreement_read import LearningAgreementRead
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    learning_agreement_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/mobility/learning-agreements/{learning_agreement_id}".format(
            learning_agreement_id=quote(str(learning_agreement_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LearningAgreementRead | Problem | None:
    if response.status_code == 200:
        response_200 = LearningAgreementRead.from_dict(response.json())

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
) -> Response[LearningAgreementRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    learning_agreement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[LearningAgreementRead | Problem]:
    """One learning agreement

     The current version (components, digest, who approved it and when, the day the
    receiving side's answer is due) and every earlier version.

    Args:
        learning_agreement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LearningAgreementRead | Problem]
    """

    kwargs = _get_kwargs(
        learning_agreement_id=learning_agreement_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    learning_agreement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> LearningAgreementRead | Problem | None:
    """One learning agreement

     The current version (components, digest, who approved it and when, the day the
    receiving side's answer is due) and every earlier version.

    Args:
        learning_agreement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LearningAgreementRead | Problem
    """

    return sync_detailed(
        learning_agreement_id=learning_agreement_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    learning_agreement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[LearningAgreementRead | Problem]:
    """One learning agreement

     The current version (components, digest, who approved it and when, the day the
    receiving side's answer is due) and every earlier version.

    Args:
        learning_agreement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LearningAgreementRead | Problem]
    """

    kwargs = _get_kwargs(
        learning_agreement_id=learning_agreement_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    learning_agreement_id: UUID,
    *,
    client: AuthenticatedClient,
) -> LearningAgreementRead | Problem | None:
    """One learning agreement

     The current version (components, digest, who approved it and when, the day the
    receiving side's answer is due) and every earlier version.

    Args:
        learning_agreement_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LearningAgreementRead | Problem
    """

    return (
        await asyncio_detailed(
            learning_agreement_id=learning_agreement_id,
            client=client,
        )
    ).parsed
