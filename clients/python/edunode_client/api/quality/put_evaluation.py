from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.evaluation_read import EvaluationRead
from ...models.evaluation_submission import EvaluationSubmission
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    local_identifier: str,
    *,
    body: EvaluationSubmission,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/quality/evaluations/by-local-id/{local_identifier}".format(
            local_identifier=quote(str(local_identifier), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EvaluationRead | Problem | None:
    if response.status_code == 200:
        response_200 = EvaluationRead.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
) -> Response[EvaluationRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    local_identifier: str,
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    if_match: None | str | Unset = UNSET,
) -> Response[EvaluationRead | Problem]:
    """Submit or resubmit an evaluation by its local identifier

     Idempotent submission: creates the agency's evaluation with this local identifier
    (201), updates it when the content differs (200, new version), or changes nothing when it
    is the same (200, header `Edunode-Submission-Result: unchanged`). The body's
    `local_identifier` must match the path. `If-Match` is optional (412 when stale). Same
    validation as `POST /v1/quality/evaluations`.

    Args:
        local_identifier (str):
        if_match (None | str | Unset): The ETag being changed (e.g. `"3"`); 412 when stale.
        body (EvaluationSubmission): An evaluation as an agency submits it; `local_identifier`
            (unique per agency) makes a
            resubmission idempotent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EvaluationRead | Problem]
    """

    kwargs = _get_kwargs(
        local_identifier=local_identifier,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    local_identifier: str,
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    if_match: None | str | Unset = UNSET,
) -> EvaluationRead | Problem | None:
    """Submit or resubmit an evaluation by its local identifier

     Idempotent submission: creates the agency's evaluation with this local identifier
    (201), updates it when the content differs (200, new version), or changes nothing when it
    is the same (200, header `Edunode-Submission-Result: unchanged`). The body's
    `local_identifier` must match the path. `If-Match` is optional (412 when stale). Same
    validation as `POST /v1/quality/evaluations`.

    Args:
        local_identifier (str):
        if_match (None | str | Unset): The ETag being changed (e.g. `"3"`); 412 when stale.
        body (EvaluationSubmission): An evaluation as an agency submits it; `local_identifier`
            (unique per agency) makes a
            resubmission idempotent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EvaluationRead | Problem
    """

    return sync_detailed(
        local_identifier=local_identifier,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    local_identifier: str,
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    if_match: None | str | Unset = UNSET,
) -> Response[EvaluationRead | Problem]:
    """Submit or resubmit an evaluation by its local identifier

     Idempotent submission: creates the agency's evaluation with this local identifier
    (201), updates it when the content differs (200, new version), or changes nothing when it
    is the same (200, header `Edunode-Submission-Result: unchanged`). The body's
    `local_identifier` must match the path. `If-Match` is optional (412 when stale). Same
    validation as `POST /v1/quality/evaluations`.

    Args:
        local_identifier (str):
        if_match (None | str | Unset): The ETag being changed (e.g. `"3"`); 412 when stale.
        body (EvaluationSubmission): An evaluation as an agency submits it; `local_identifier`
            (unique per agency) makes a
            resubmission idempotent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EvaluationRead | Problem]
    """

    kwargs = _get_kwargs(
        local_identifier=local_identifier,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    local_identifier: str,
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    if_match: None | str | Unset = UNSET,
) -> EvaluationRead | Problem | None:
    """Submit or resubmit an evaluation by its local identifier

     Idempotent submission: creates the agency's evaluation with this local identifier
    (201), updates it when the content differs (200, new version), or changes nothing when it
    is the same (200, header `Edunode-Submission-Result: unchanged`). The body's
    `local_identifier` must match the path. `If-Match` is optional (412 when stale). Same
    validation as `POST /v1/quality/evaluations`.

    Args:
        local_identifier (str):
        if_match (None | str | Unset): The ETag being changed (e.g. `"3"`); 412 when stale.
        body (EvaluationSubmission): An evaluation as an agency submits it; `local_identifier`
            (unique per agency) makes a
            resubmission idempotent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EvaluationRead | Problem
    """

    return (
        await asyncio_detailed(
            local_identifier=local_identifier,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
