from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.convention_read import ConventionRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    country: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recognition/conventions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[ConventionRead] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ConventionRead.from_dict(response_200_item_data)

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
) -> Response[Problem | list[ConventionRead]]:
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
) -> Response[Problem | list[ConventionRead]]:
    """List the recognition conventions

     The recognition conventions (Lisbon 1997, Tokyo 2011, Addis Ababa 2014, Buenos Aires
    2019, the Global Convention 2019), each with its parties and the date it entered into
    force for each, with their sources. An assessment cites one only if it binds both
    countries on the assessment date. Public.

    Args:
        country (None | str | Unset): Only the conventions this country is party to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ConventionRead]]
    """

    kwargs = _get_kwargs(
        country=country,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
) -> Problem | list[ConventionRead] | None:
    """List the recognition conventions

     The recognition conventions (Lisbon 1997, Tokyo 2011, Addis Ababa 2014, Buenos Aires
    2019, the Global Convention 2019), each with its parties and the date it entered into
    force for each, with their sources. An assessment cites one only if it binds both
    countries on the assessment date. Public.

    Args:
        country (None | str | Unset): Only the conventions this country is party to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ConventionRead]
    """

    return sync_detailed(
        client=client,
        country=country,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
) -> Response[Problem | list[ConventionRead]]:
    """List the recognition conventions

     The recognition conventions (Lisbon 1997, Tokyo 2011, Addis Ababa 2014, Buenos Aires
    2019, the Global Convention 2019), each with its parties and the date it entered into
    force for each, with their sources. An assessment cites one only if it binds both
    countries on the assessment date. Public.

    Args:
        country (None | str | Unset): Only the conventions this country is party to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ConventionRead]]
    """

    kwargs = _get_kwargs(
        country=country,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    country: None | str | Unset = UNSET,
) -> Problem | list[ConventionRead] | None:
    """List the recognition conventions

     The recognition conventions (Lisbon 1997, Tokyo 2011, Addis Ababa 2014, Buenos Aires
    2019, the Global Convention 2019), each with its parties and the date it entered into
    force for each, with their sources. An assessment cites one only if it binds both
    countries on the assessment date. Public.

    Args:
        country (None | str | Unset): Only the conventions this country is party to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ConventionRead]
    """

    return (
        await asyncio_detailed(
            client=client,
            country=country,
        )
    ).parsed
