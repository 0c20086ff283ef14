from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.la_version_status import LaVersionStatus
from ...models.page_learning_agreement_read import PageLearningAgreementRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: LaVersionStatus | None | Unset = UNSET,
    overdue: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, LaVersionStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["overdue"] = overdue

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
        "url": "/v1/mobility/learning-agreements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageLearningAgreementRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageLearningAgreementRead.from_dict(response.json())

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
) -> Response[PageLearningAgreementRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: LaVersionStatus | None | Unset = UNSET,
    overdue: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageLearningAgreementRead | Problem]:
    """The caller's learning agreements

     The learning agreements of the caller's institution (either side), last changed
    first; the node's admin sees every one held here.

    Args:
        status (LaVersionStatus | None | Unset): The current version's status.
        overdue (bool | Unset): Only those the receiving coordinator has not answered in time.
            Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageLearningAgreementRead | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        overdue=overdue,
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
    status: LaVersionStatus | None | Unset = UNSET,
    overdue: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageLearningAgreementRead | Problem | None:
    """The caller's learning agreements

     The learning agreements of the caller's institution (either side), last changed
    first; the node's admin sees every one held here.

    Args:
        status (LaVersionStatus | None | Unset): The current version's status.
        overdue (bool | Unset): Only those the receiving coordinator has not answered in time.
            Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageLearningAgreementRead | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        overdue=overdue,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: LaVersionStatus | None | Unset = UNSET,
    overdue: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageLearningAgreementRead | Problem]:
    """The caller's learning agreements

     The learning agreements of the caller's institution (either side), last changed
    first; the node's admin sees every one held here.

    Args:
        status (LaVersionStatus | None | Unset): The current version's status.
        overdue (bool | Unset): Only those the receiving coordinator has not answered in time.
            Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageLearningAgreementRead | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        overdue=overdue,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: LaVersionStatus | None | Unset = UNSET,
    overdue: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageLearningAgreementRead | Problem | None:
    """The caller's learning agreements

     The learning agreements of the caller's institution (either side), last changed
    first; the node's admin sees every one held here.

    Args:
        status (LaVersionStatus | None | Unset): The current version's status.
        overdue (bool | Unset): Only those the receiving coordinator has not answered in time.
            Default: False.
        limit (int | Unset): Page size (at most 200). Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageLearningAgreementRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            overdue=overdue,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
