import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_sort import CaseSort
from ...models.case_status import CaseStatus
from ...models.page_case_summary import PageCaseSummary
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: CaseStatus | None | Unset = UNSET,
    open_: bool | Unset = False,
    overdue: bool | Unset = False,
    as_of: datetime.date | None | Unset = UNSET,
    sort: CaseSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, CaseStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["open"] = open_

    params["overdue"] = overdue

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

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
        "url": "/v1/recognition/cases",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageCaseSummary | Problem | None:
    if response.status_code == 200:
        response_200 = PageCaseSummary.from_dict(response.json())

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
) -> Response[PageCaseSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: CaseStatus | None | Unset = UNSET,
    open_: bool | Unset = False,
    overdue: bool | Unset = False,
    as_of: datetime.date | None | Unset = UNSET,
    sort: CaseSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCaseSummary | Problem]:
    """List cases

     This node's cases (no personal data in the list), oldest first or by deadline (the
    officers' queue: `?open=true&sort=deadline`).

    Args:
        status (CaseStatus | None | Unset):
        open_ (bool | Unset): Only open cases: not decided, not appeal decided, not withdrawn.
            Default: False.
        overdue (bool | Unset): Only cases past their deadline and not yet decided. Default:
            False.
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.
        sort (CaseSort | Unset): The order of the case list: by id (the oldest first), or the
            nearest deadline first with
            the cases whose deadline has not started last (ties by id).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCaseSummary | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        open_=open_,
        overdue=overdue,
        as_of=as_of,
        sort=sort,
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
    status: CaseStatus | None | Unset = UNSET,
    open_: bool | Unset = False,
    overdue: bool | Unset = False,
    as_of: datetime.date | None | Unset = UNSET,
    sort: CaseSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCaseSummary | Problem | None:
    """List cases

     This node's cases (no personal data in the list), oldest first or by deadline (the
    officers' queue: `?open=true&sort=deadline`).

    Args:
        status (CaseStatus | None | Unset):
        open_ (bool | Unset): Only open cases: not decided, not appeal decided, not withdrawn.
            Default: False.
        overdue (bool | Unset): Only cases past their deadline and not yet decided. Default:
            False.
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.
        sort (CaseSort | Unset): The order of the case list: by id (the oldest first), or the
            nearest deadline first with
            the cases whose deadline has not started last (ties by id).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCaseSummary | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        open_=open_,
        overdue=overdue,
        as_of=as_of,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: CaseStatus | None | Unset = UNSET,
    open_: bool | Unset = False,
    overdue: bool | Unset = False,
    as_of: datetime.date | None | Unset = UNSET,
    sort: CaseSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCaseSummary | Problem]:
    """List cases

     This node's cases (no personal data in the list), oldest first or by deadline (the
    officers' queue: `?open=true&sort=deadline`).

    Args:
        status (CaseStatus | None | Unset):
        open_ (bool | Unset): Only open cases: not decided, not appeal decided, not withdrawn.
            Default: False.
        overdue (bool | Unset): Only cases past their deadline and not yet decided. Default:
            False.
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.
        sort (CaseSort | Unset): The order of the case list: by id (the oldest first), or the
            nearest deadline first with
            the cases whose deadline has not started last (ties by id).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCaseSummary | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        open_=open_,
        overdue=overdue,
        as_of=as_of,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: CaseStatus | None | Unset = UNSET,
    open_: bool | Unset = False,
    overdue: bool | Unset = False,
    as_of: datetime.date | None | Unset = UNSET,
    sort: CaseSort | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCaseSummary | Problem | None:
    """List cases

     This node's cases (no personal data in the list), oldest first or by deadline (the
    officers' queue: `?open=true&sort=deadline`).

    Args:
        status (CaseStatus | None | Unset):
        open_ (bool | Unset): Only open cases: not decided, not appeal decided, not withdrawn.
            Default: False.
        overdue (bool | Unset): Only cases past their deadline and not yet decided. Default:
            False.
        as_of (datetime.date | None | Unset): The day deadlines are judged on (`overdue`,
            `due_within_7_days`); today.
        sort (CaseSort | Unset): The order of the case list: by id (the oldest first), or the
            nearest deadline first with
            the cases whose deadline has not started last (ties by id).
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCaseSummary | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            open_=open_,
            overdue=overdue,
            as_of=as_of,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
