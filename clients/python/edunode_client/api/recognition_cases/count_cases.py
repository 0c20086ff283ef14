import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_counts import CaseCounts
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recognition/cases/counts",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CaseCounts | Problem | None:
    if response.status_code == 200:
        response_200 = CaseCounts.from_dict(response.json())

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
) -> Response[CaseCounts | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
) -> Response[CaseCounts | Problem]:
    """Count the open, overdue and due cases

     Over all of this node's open cases (the queue's figures): how many are open, overdue
    (as `?overdue=true` lists them) and due within seven days (not overdue, the deadline at
    most seven days after `as_of`).

    Args:
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseCounts | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
) -> CaseCounts | Problem | None:
    """Count the open, overdue and due cases

     Over all of this node's open cases (the queue's figures): how many are open, overdue
    (as `?overdue=true` lists them) and due within seven days (not overdue, the deadline at
    most seven days after `as_of`).

    Args:
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseCounts | Problem
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
) -> Response[CaseCounts | Problem]:
    """Count the open, overdue and due cases

     Over all of this node's open cases (the queue's figures): how many are open, overdue
    (as `?overdue=true` lists them) and due within seven days (not overdue, the deadline at
    most seven days after `as_of`).

    Args:
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseCounts | Problem]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | None | Unset = UNSET,
) -> CaseCounts | Problem | None:
    """Count the open, overdue and due cases

     Over all of this node's open cases (the queue's figures): how many are open, overdue
    (as `?overdue=true` lists them) and due within seven days (not overdue, the deadline at
    most seven days after `as_of`).

    Args:
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseCounts | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
        )
    ).parsed
