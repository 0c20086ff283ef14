from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_grade_table_state import PageGradeTableState
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    institution_id: None | Unset | UUID = UNSET,
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
        "url": "/v1/mobility/grade-tables",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageGradeTableState | Problem | None:
    if response.status_code == 200:
        response_200 = PageGradeTableState.from_dict(response.json())

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
) -> Response[PageGradeTableState | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    institution_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageGradeTableState | Problem]:
    """An institution's grade distribution tables

     The tables institutions of this node uploaded, by institution and field (they are not
    personal data: any university client of this node reads them).

    Args:
        institution_id (None | Unset | UUID): One institution's tables; without it, every
            institution's here.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageGradeTableState | Problem]
    """

    kwargs = _get_kwargs(
        institution_id=institution_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    institution_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageGradeTableState | Problem | None:
    """An institution's grade distribution tables

     The tables institutions of this node uploaded, by institution and field (they are not
    personal data: any university client of this node reads them).

    Args:
        institution_id (None | Unset | UUID): One institution's tables; without it, every
            institution's here.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageGradeTableState | Problem
    """

    return sync_detailed(
        client=client,
        institution_id=institution_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    institution_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageGradeTableState | Problem]:
    """An institution's grade distribution tables

     The tables institutions of this node uploaded, by institution and field (they are not
    personal data: any university client of this node reads them).

    Args:
        institution_id (None | Unset | UUID): One institution's tables; without it, every
            institution's here.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageGradeTableState | Problem]
    """

    kwargs = _get_kwargs(
        institution_id=institution_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    institution_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageGradeTableState | Problem | None:
    """An institution's grade distribution tables

     The tables institutions of this node uploaded, by institution and field (they are not
    personal data: any university client of this node reads them).

    Args:
        institution_id (None | Unset | UUID): One institution's tables; without it, every
            institution's here.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageGradeTableState | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            institution_id=institution_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
