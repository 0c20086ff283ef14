from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.assessment import Assessment
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    case_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recognition/cases/{case_id}/assessment".format(
            case_id=quote(str(case_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Assessment | Problem | None:
    if response.status_code == 200:
        response_200 = Assessment.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Assessment | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    case_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Assessment | Problem]:
    """Assess a case

     Run the explained assessment of a complete case (it moves to `under_assessment`):
    identity, quality at the award date, level through the reference frameworks, workload,
    agreements in force, precedents; a recommendation and each substantial difference tied to
    level, workload, quality, profile or learning outcomes. Reads this node's replicas; a
    free-text institution name is resolved by this node's directory (503 if it cannot be asked).
    Deterministic: the same inputs (see `inputs_hash`) return the same stored result.

    Args:
        case_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Assessment | Problem]
    """

    kwargs = _get_kwargs(
        case_id=case_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    case_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Assessment | Problem | None:
    """Assess a case

     Run the explained assessment of a complete case (it moves to `under_assessment`):
    identity, quality at the award date, level through the reference frameworks, workload,
    agreements in force, precedents; a recommendation and each substantial difference tied to
    level, workload, quality, profile or learning outcomes. Reads this node's replicas; a
    free-text institution name is resolved by this node's directory (503 if it cannot be asked).
    Deterministic: the same inputs (see `inputs_hash`) return the same stored result.

    Args:
        case_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Assessment | Problem
    """

    return sync_detailed(
        case_id=case_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    case_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[Assessment | Problem]:
    """Assess a case

     Run the explained assessment of a complete case (it moves to `under_assessment`):
    identity, quality at the award date, level through the reference frameworks, workload,
    agreements in force, precedents; a recommendation and each substantial difference tied to
    level, workload, quality, profile or learning outcomes. Reads this node's replicas; a
    free-text institution name is resolved by this node's directory (503 if it cannot be asked).
    Deterministic: the same inputs (see `inputs_hash`) return the same stored result.

    Args:
        case_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Assessment | Problem]
    """

    kwargs = _get_kwargs(
        case_id=case_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    case_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Assessment | Problem | None:
    """Assess a case

     Run the explained assessment of a complete case (it moves to `under_assessment`):
    identity, quality at the award date, level through the reference frameworks, workload,
    agreements in force, precedents; a recommendation and each substantial difference tied to
    level, workload, quality, profile or learning outcomes. Reads this node's replicas; a
    free-text institution name is resolved by this node's directory (503 if it cannot be asked).
    Deterministic: the same inputs (see `inputs_hash`) return the same stored result.

    Args:
        case_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Assessment | Problem
    """

    return (
        await asyncio_detailed(
            case_id=case_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
