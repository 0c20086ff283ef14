from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_mobility_statistics_state import PageMobilityStatisticsState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    academic_year: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_academic_year: None | str | Unset
    if isinstance(academic_year, Unset):
        json_academic_year = UNSET
    else:
        json_academic_year = academic_year
    params["academic_year"] = json_academic_year

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
        "url": "/v1/mobility/statistics",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageMobilityStatisticsState | Problem | None:
    if response.status_code == 200:
        response_200 = PageMobilityStatisticsState.from_dict(response.json())

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
) -> Response[PageMobilityStatisticsState | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    academic_year: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageMobilityStatisticsState | Problem]:
    """Mobility statistics

     Every node's outgoing flows of students accepted for a stay, per academic year,
    country pair, ISCED-F broad field and EQF level; anonymous (no person, no institution)
    and public. Flows of fewer than 5 students are left out.

    Args:
        academic_year (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageMobilityStatisticsState | Problem]
    """

    kwargs = _get_kwargs(
        academic_year=academic_year,
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
    academic_year: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageMobilityStatisticsState | Problem | None:
    """Mobility statistics

     Every node's outgoing flows of students accepted for a stay, per academic year,
    country pair, ISCED-F broad field and EQF level; anonymous (no person, no institution)
    and public. Flows of fewer than 5 students are left out.

    Args:
        academic_year (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageMobilityStatisticsState | Problem
    """

    return sync_detailed(
        client=client,
        academic_year=academic_year,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    academic_year: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageMobilityStatisticsState | Problem]:
    """Mobility statistics

     Every node's outgoing flows of students accepted for a stay, per academic year,
    country pair, ISCED-F broad field and EQF level; anonymous (no person, no institution)
    and public. Flows of fewer than 5 students are left out.

    Args:
        academic_year (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageMobilityStatisticsState | Problem]
    """

    kwargs = _get_kwargs(
        academic_year=academic_year,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    academic_year: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageMobilityStatisticsState | Problem | None:
    """Mobility statistics

     Every node's outgoing flows of students accepted for a stay, per academic year,
    country pair, ISCED-F broad field and EQF level; anonymous (no person, no institution)
    and public. Flows of fewer than 5 students are left out.

    Args:
        academic_year (None | str | Unset):
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageMobilityStatisticsState | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            academic_year=academic_year,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
