from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.iia_state import IiaState
from ...models.iia_termination import IiaTermination
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    agreement_id: UUID,
    *,
    body: IiaTermination,
    if_match: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/mobility/agreements/{agreement_id}/termination".format(
            agreement_id=quote(str(agreement_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> IiaState | Problem | None:
    if response.status_code == 200:
        response_200 = IiaState.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[IiaState | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    agreement_id: UUID,
    *,
    client: AuthenticatedClient,
    body: IiaTermination,
    if_match: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[IiaState | Problem]:
    """Terminate an agreement

     End the agreement (`If-Match` required), with a reason both partners see.

    Args:
        agreement_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        idempotency_key (str | Unset):
        body (IiaTermination):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IiaState | Problem]
    """

    kwargs = _get_kwargs(
        agreement_id=agreement_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agreement_id: UUID,
    *,
    client: AuthenticatedClient,
    body: IiaTermination,
    if_match: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> IiaState | Problem | None:
    """Terminate an agreement

     End the agreement (`If-Match` required), with a reason both partners see.

    Args:
        agreement_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        idempotency_key (str | Unset):
        body (IiaTermination):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IiaState | Problem
    """

    return sync_detailed(
        agreement_id=agreement_id,
        client=client,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    agreement_id: UUID,
    *,
    client: AuthenticatedClient,
    body: IiaTermination,
    if_match: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[IiaState | Problem]:
    """Terminate an agreement

     End the agreement (`If-Match` required), with a reason both partners see.

    Args:
        agreement_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        idempotency_key (str | Unset):
        body (IiaTermination):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IiaState | Problem]
    """

    kwargs = _get_kwargs(
        agreement_id=agreement_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agreement_id: UUID,
    *,
    client: AuthenticatedClient,
    body: IiaTermination,
    if_match: None | str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> IiaState | Problem | None:
    """Terminate an agreement

     End the agreement (`If-Match` required), with a reason both partners see.

    Args:
        agreement_id (UUID):
        if_match (None | str | Unset): The ETag of the version being changed (e.g. `"3"`); a stale
            one is refused with 412.
        idempotency_key (str | Unset):
        body (IiaTermination):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IiaState | Problem
    """

    return (
        await asyncio_detailed(
            agreement_id=agreement_id,
            client=client,
            body=body,
            if_match=if_match,
            idempotency_key=idempotency_key,
        )
    ).parsed
