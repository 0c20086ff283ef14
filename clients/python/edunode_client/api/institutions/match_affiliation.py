from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.match_result import MatchResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    affiliation: str,
    limit: int | Unset = 10,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["affiliation"] = affiliation

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/institutions/match",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MatchResult | Problem | None:
    if response.status_code == 200:
        response_200 = MatchResult.from_dict(response.json())

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
) -> Response[MatchResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    affiliation: str,
    limit: int | Unset = 10,
) -> Response[MatchResult | Problem]:
    """Match an affiliation string

     Institutions named in a free-text affiliation, ranked, each with a score (0..1) and how
    it matched; `chosen` is true for at most one candidate, and only when confident. Public.

    Args:
        affiliation (str): Free text, e.g. `Dept. of Physics, Univ. Malaya, Kuala Lumpur`.
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MatchResult | Problem]
    """

    kwargs = _get_kwargs(
        affiliation=affiliation,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    affiliation: str,
    limit: int | Unset = 10,
) -> MatchResult | Problem | None:
    """Match an affiliation string

     Institutions named in a free-text affiliation, ranked, each with a score (0..1) and how
    it matched; `chosen` is true for at most one candidate, and only when confident. Public.

    Args:
        affiliation (str): Free text, e.g. `Dept. of Physics, Univ. Malaya, Kuala Lumpur`.
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MatchResult | Problem
    """

    return sync_detailed(
        client=client,
        affiliation=affiliation,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    affiliation: str,
    limit: int | Unset = 10,
) -> Response[MatchResult | Problem]:
    """Match an affiliation string

     Institutions named in a free-text affiliation, ranked, each with a score (0..1) and how
    it matched; `chosen` is true for at most one candidate, and only when confident. Public.

    Args:
        affiliation (str): Free text, e.g. `Dept. of Physics, Univ. Malaya, Kuala Lumpur`.
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MatchResult | Problem]
    """

    kwargs = _get_kwargs(
        affiliation=affiliation,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    affiliation: str,
    limit: int | Unset = 10,
) -> MatchResult | Problem | None:
    """Match an affiliation string

     Institutions named in a free-text affiliation, ranked, each with a score (0..1) and how
    it matched; `chosen` is true for at most one candidate, and only when confident. Public.

    Args:
        affiliation (str): Free text, e.g. `Dept. of Physics, Univ. Malaya, Kuala Lumpur`.
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MatchResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            affiliation=affiliation,
            limit=limit,
        )
    ).parsed
