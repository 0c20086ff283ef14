from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.grade_table_state import GradeTableState
from ...models.grade_table_upload import GradeTableUpload
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    isced_f: str,
    *,
    body: GradeTableUpload,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/mobility/grade-tables/{isced_f}".format(
            isced_f=quote(str(isced_f), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GradeTableState | Problem | None:
    if response.status_code == 200:
        response_200 = GradeTableState.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
) -> Response[GradeTableState | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    isced_f: str,
    *,
    client: AuthenticatedClient,
    body: GradeTableUpload,
) -> Response[GradeTableState | Problem]:
    """Upload a grade distribution table

     The caller's institution's grade distribution table for one ISCED-F field (ECTS Users'
    Guide 2015): its passing grades, best first, with their counts over the reference years.
    Replaces the previous one; transcripts sent afterwards carry it.

    Args:
        isced_f (str):
        body (GradeTableUpload): An institution's grade distribution table for one field of study
            (ECTS Users' Guide
            2015): the passing grades awarded over the reference years, best grade first, each with
            its count (or percentage).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GradeTableState | Problem]
    """

    kwargs = _get_kwargs(
        isced_f=isced_f,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    isced_f: str,
    *,
    client: AuthenticatedClient,
    body: GradeTableUpload,
) -> GradeTableState | Problem | None:
    """Upload a grade distribution table

     The caller's institution's grade distribution table for one ISCED-F field (ECTS Users'
    Guide 2015): its passing grades, best first, with their counts over the reference years.
    Replaces the previous one; transcripts sent afterwards carry it.

    Args:
        isced_f (str):
        body (GradeTableUpload): An institution's grade distribution table for one field of study
            (ECTS Users' Guide
            2015): the passing grades awarded over the reference years, best grade first, each with
            its count (or percentage).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GradeTableState | Problem
    """

    return sync_detailed(
        isced_f=isced_f,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    isced_f: str,
    *,
    client: AuthenticatedClient,
    body: GradeTableUpload,
) -> Response[GradeTableState | Problem]:
    """Upload a grade distribution table

     The caller's institution's grade distribution table for one ISCED-F field (ECTS Users'
    Guide 2015): its passing grades, best first, with their counts over the reference years.
    Replaces the previous one; transcripts sent afterwards carry it.

    Args:
        isced_f (str):
        body (GradeTableUpload): An institution's grade distribution table for one field of study
            (ECTS Users' Guide
            2015): the passing grades awarded over the reference years, best grade first, each with
            its count (or percentage).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GradeTableState | Problem]
    """

    kwargs = _get_kwargs(
        isced_f=isced_f,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    isced_f: str,
    *,
    client: AuthenticatedClient,
    body: GradeTableUpload,
) -> GradeTableState | Problem | None:
    """Upload a grade distribution table

     The caller's institution's grade distribution table for one ISCED-F field (ECTS Users'
    Guide 2015): its passing grades, best first, with their counts over the reference years.
    Replaces the previous one; transcripts sent afterwards carry it.

    Args:
        isced_f (str):
        body (GradeTableUpload): An institution's grade distribution table for one field of study
            (ECTS Users' Guide
            2015): the passing grades awarded over the reference years, best grade first, each with
            its count (or percentage).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GradeTableState | Problem
    """

    return (
        await asyncio_detailed(
            isced_f=isced_f,
            client=client,
            body=body,
        )
    ).parsed
