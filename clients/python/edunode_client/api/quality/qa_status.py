import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.qa_status_read import QAStatusRead
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    institution: None | str | Unset = UNSET,
    programme: None | Unset | UUID = UNSET,
    at: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_institution: None | str | Unset
    if isinstance(institution, Unset):
        json_institution = UNSET
    else:
        json_institution = institution
    params["institution"] = json_institution

    json_programme: None | str | Unset
    if isinstance(programme, Unset):
        json_programme = UNSET
    elif isinstance(programme, UUID):
        json_programme = str(programme)
    else:
        json_programme = programme
    params["programme"] = json_programme

    json_at: None | str | Unset
    if isinstance(at, Unset):
        json_at = UNSET
    elif isinstance(at, datetime.date):
        json_at = at.isoformat()
    else:
        json_at = at
    params["at"] = json_at

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quality/status",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QAStatusRead | None:
    if response.status_code == 200:
        response_200 = QAStatusRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | QAStatusRead]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    institution: None | str | Unset = UNSET,
    programme: None | Unset | UUID = UNSET,
    at: datetime.date | None | Unset = UNSET,
) -> Response[Problem | QAStatusRead]:
    """QA status of an institution or programme at a date

     `accredited`, `accredited with conditions`, `not accredited`, `expired` or `none`, with
    the evaluations that justify it (the decisive one first). Institutional evaluations cover
    the institution's programmes; the most recent valid decision wins (a later negative over an
    earlier positive); with nothing valid, an ended positive gives `expired`. Withdrawn and
    uncleared high-flagged evaluations do not count. Public.

    Args:
        institution (None | str | Unset): The institution's id, or one of its identifiers (e.g. a
            ROR id).
        programme (None | Unset | UUID): A programme's id.
        at (datetime.date | None | Unset): The date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QAStatusRead]
    """

    kwargs = _get_kwargs(
        institution=institution,
        programme=programme,
        at=at,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    institution: None | str | Unset = UNSET,
    programme: None | Unset | UUID = UNSET,
    at: datetime.date | None | Unset = UNSET,
) -> Problem | QAStatusRead | None:
    """QA status of an institution or programme at a date

     `accredited`, `accredited with conditions`, `not accredited`, `expired` or `none`, with
    the evaluations that justify it (the decisive one first). Institutional evaluations cover
    the institution's programmes; the most recent valid decision wins (a later negative over an
    earlier positive); with nothing valid, an ended positive gives `expired`. Withdrawn and
    uncleared high-flagged evaluations do not count. Public.

    Args:
        institution (None | str | Unset): The institution's id, or one of its identifiers (e.g. a
            ROR id).
        programme (None | Unset | UUID): A programme's id.
        at (datetime.date | None | Unset): The date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QAStatusRead
    """

    return sync_detailed(
        client=client,
        institution=institution,
        programme=programme,
        at=at,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    institution: None | str | Unset = UNSET,
    programme: None | Unset | UUID = UNSET,
    at: datetime.date | None | Unset = UNSET,
) -> Response[Problem | QAStatusRead]:
    """QA status of an institution or programme at a date

     `accredited`, `accredited with conditions`, `not accredited`, `expired` or `none`, with
    the evaluations that justify it (the decisive one first). Institutional evaluations cover
    the institution's programmes; the most recent valid decision wins (a later negative over an
    earlier positive); with nothing valid, an ended positive gives `expired`. Withdrawn and
    uncleared high-flagged evaluations do not count. Public.

    Args:
        institution (None | str | Unset): The institution's id, or one of its identifiers (e.g. a
            ROR id).
        programme (None | Unset | UUID): A programme's id.
        at (datetime.date | None | Unset): The date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QAStatusRead]
    """

    kwargs = _get_kwargs(
        institution=institution,
        programme=programme,
        at=at,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    institution: None | str | Unset = UNSET,
    programme: None | Unset | UUID = UNSET,
    at: datetime.date | None | Unset = UNSET,
) -> Problem | QAStatusRead | None:
    """QA status of an institution or programme at a date

     `accredited`, `accredited with conditions`, `not accredited`, `expired` or `none`, with
    the evaluations that justify it (the decisive one first). Institutional evaluations cover
    the institution's programmes; the most recent valid decision wins (a later negative over an
    earlier positive); with nothing valid, an ended positive gives `expired`. Withdrawn and
    uncleared high-flagged evaluations do not count. Public.

    Args:
        institution (None | str | Unset): The institution's id, or one of its identifiers (e.g. a
            ROR id).
        programme (None | Unset | UUID): A programme's id.
        at (datetime.date | None | Unset): The date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QAStatusRead
    """

    return (
        await asyncio_detailed(
            client=client,
            institution=institution,
            programme=programme,
            at=at,
        )
    ).parsed
