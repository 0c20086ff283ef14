from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.outcome import Outcome
from ...models.page_published_decision_read import PagePublishedDecisionRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    institution_id: None | Unset | UUID = UNSET,
    level: None | str | Unset = UNSET,
    origin_country: None | str | Unset = UNSET,
    host_country: None | str | Unset = UNSET,
    outcome: None | Outcome | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_institution_id: None | str | Unset
    if isinstance(institution_id, Unset):
        json_institution_id = UNSET
    elif isinstance(institution_id, UUID):
        json_institution_id = str(institution_id)
    else:
        json_institution_id = institution_id
    params["institution_id"] = json_institution_id

    json_level: None | str | Unset
    if isinstance(level, Unset):
        json_level = UNSET
    else:
        json_level = level
    params["level"] = json_level

    json_origin_country: None | str | Unset
    if isinstance(origin_country, Unset):
        json_origin_country = UNSET
    else:
        json_origin_country = origin_country
    params["origin_country"] = json_origin_country

    json_host_country: None | str | Unset
    if isinstance(host_country, Unset):
        json_host_country = UNSET
    else:
        json_host_country = host_country
    params["host_country"] = json_host_country

    json_outcome: None | str | Unset
    if isinstance(outcome, Unset):
        json_outcome = UNSET
    elif isinstance(outcome, Outcome):
        json_outcome = outcome.value
    else:
        json_outcome = outcome
    params["outcome"] = json_outcome

    json_origin_node: None | str | Unset
    if isinstance(origin_node, Unset):
        json_origin_node = UNSET
    else:
        json_origin_node = origin_node
    params["origin_node"] = json_origin_node

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
        "url": "/v1/recognition/decisions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PagePublishedDecisionRead | Problem | None:
    if response.status_code == 200:
        response_200 = PagePublishedDecisionRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[PagePublishedDecisionRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    institution_id: None | Unset | UUID = UNSET,
    level: None | str | Unset = UNSET,
    origin_country: None | str | Unset = UNSET,
    host_country: None | str | Unset = UNSET,
    outcome: None | Outcome | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PagePublishedDecisionRead | Problem]:
    """Published decisions (precedents)

     Anonymised decisions of this node and of the federation's other nodes, newest first,
    filterable by institution, level, country pair and outcome. Public: no person in them.

    Args:
        institution_id (None | Unset | UUID):
        level (None | str | Unset): The qualification's level, e.g. `MQF:6`.
        origin_country (None | str | Unset):
        host_country (None | str | Unset):
        outcome (None | Outcome | Unset):
        origin_node (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagePublishedDecisionRead | Problem]
    """

    kwargs = _get_kwargs(
        institution_id=institution_id,
        level=level,
        origin_country=origin_country,
        host_country=host_country,
        outcome=outcome,
        origin_node=origin_node,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    institution_id: None | Unset | UUID = UNSET,
    level: None | str | Unset = UNSET,
    origin_country: None | str | Unset = UNSET,
    host_country: None | str | Unset = UNSET,
    outcome: None | Outcome | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PagePublishedDecisionRead | Problem | None:
    """Published decisions (precedents)

     Anonymised decisions of this node and of the federation's other nodes, newest first,
    filterable by institution, level, country pair and outcome. Public: no person in them.

    Args:
        institution_id (None | Unset | UUID):
        level (None | str | Unset): The qualification's level, e.g. `MQF:6`.
        origin_country (None | str | Unset):
        host_country (None | str | Unset):
        outcome (None | Outcome | Unset):
        origin_node (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagePublishedDecisionRead | Problem
    """

    return sync_detailed(
        client=client,
        institution_id=institution_id,
        level=level,
        origin_country=origin_country,
        host_country=host_country,
        outcome=outcome,
        origin_node=origin_node,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    institution_id: None | Unset | UUID = UNSET,
    level: None | str | Unset = UNSET,
    origin_country: None | str | Unset = UNSET,
    host_country: None | str | Unset = UNSET,
    outcome: None | Outcome | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PagePublishedDecisionRead | Problem]:
    """Published decisions (precedents)

     Anonymised decisions of this node and of the federation's other nodes, newest first,
    filterable by institution, level, country pair and outcome. Public: no person in them.

    Args:
        institution_id (None | Unset | UUID):
        level (None | str | Unset): The qualification's level, e.g. `MQF:6`.
        origin_country (None | str | Unset):
        host_country (None | str | Unset):
        outcome (None | Outcome | Unset):
        origin_node (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PagePublishedDecisionRead | Problem]
    """

    kwargs = _get_kwargs(
        institution_id=institution_id,
        level=level,
        origin_country=origin_country,
        host_country=host_country,
        outcome=outcome,
        origin_node=origin_node,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    institution_id: None | Unset | UUID = UNSET,
    level: None | str | Unset = UNSET,
    origin_country: None | str | Unset = UNSET,
    host_country: None | str | Unset = UNSET,
    outcome: None | Outcome | Unset = UNSET,
    origin_node: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PagePublishedDecisionRead | Problem | None:
    """Published decisions (precedents)

     Anonymised decisions of this node and of the federation's other nodes, newest first,
    filterable by institution, level, country pair and outcome. Public: no person in them.

    Args:
        institution_id (None | Unset | UUID):
        level (None | str | Unset): The qualification's level, e.g. `MQF:6`.
        origin_country (None | str | Unset):
        host_country (None | str | Unset):
        outcome (None | Outcome | Unset):
        origin_node (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PagePublishedDecisionRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            institution_id=institution_id,
            level=level,
            origin_country=origin_country,
            host_country=host_country,
            outcome=outcome,
            origin_node=origin_node,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
