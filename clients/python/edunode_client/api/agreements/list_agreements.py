import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agreement import Agreement
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    country: None | str | Unset = UNSET,
    in_force_on: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_in_force_on: None | str | Unset
    if isinstance(in_force_on, Unset):
        json_in_force_on = UNSET
    elif isinstance(in_force_on, datetime.date):
        json_in_force_on = in_force_on.isoformat()
    else:
        json_in_force_on = in_force_on
    params["in_force_on"] = json_in_force_on

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recognition/agreements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[Agreement] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Agreement.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[Agreement]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
    in_force_on: datetime.date | None | Unset = UNSET,
) -> Response[Problem | list[Agreement]]:
    """List agreements

     Bilateral and multilateral recognition agreements: parties, dates, levels covered,
    conditions and source (`verified: false` where the details are provisional). Public.

    Args:
        country (None | str | Unset): A party (ISO alpha-2).
        in_force_on (datetime.date | None | Unset): Only those in force that day.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Agreement]]
    """

    kwargs = _get_kwargs(
        country=country,
        in_force_on=in_force_on,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
    in_force_on: datetime.date | None | Unset = UNSET,
) -> Problem | list[Agreement] | None:
    """List agreements

     Bilateral and multilateral recognition agreements: parties, dates, levels covered,
    conditions and source (`verified: false` where the details are provisional). Public.

    Args:
        country (None | str | Unset): A party (ISO alpha-2).
        in_force_on (datetime.date | None | Unset): Only those in force that day.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Agreement]
    """

    return sync_detailed(
        client=client,
        country=country,
        in_force_on=in_force_on,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
    in_force_on: datetime.date | None | Unset = UNSET,
) -> Response[Problem | list[Agreement]]:
    """List agreements

     Bilateral and multilateral recognition agreements: parties, dates, levels covered,
    conditions and source (`verified: false` where the details are provisional). Public.

    Args:
        country (None | str | Unset): A party (ISO alpha-2).
        in_force_on (datetime.date | None | Unset): Only those in force that day.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[Agreement]]
    """

    kwargs = _get_kwargs(
        country=country,
        in_force_on=in_force_on,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
    in_force_on: datetime.date | None | Unset = UNSET,
) -> Problem | list[Agreement] | None:
    """List agreements

     Bilateral and multilateral recognition agreements: parties, dates, levels covered,
    conditions and source (`verified: false` where the details are provisional). Public.

    Args:
        country (None | str | Unset): A party (ISO alpha-2).
        in_force_on (datetime.date | None | Unset): Only those in force that day.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[Agreement]
    """

    return (
        await asyncio_detailed(
            client=client,
            country=country,
            in_force_on=in_force_on,
        )
    ).parsed
