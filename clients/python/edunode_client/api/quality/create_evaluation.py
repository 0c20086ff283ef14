from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.evaluation_read import EvaluationRead
from ...models.evaluation_submission import EvaluationSubmission
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EvaluationSubmission,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/quality/evaluations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EvaluationRead | Problem | None:
    if response.status_code == 201:
        response_201 = EvaluationRead.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    idempotency_key: str | Unset = UNSET,
) -> Response[EvaluationRead | Problem]:
    """Submit an evaluation

     Submit a new evaluation (QA result) of the caller's own agency (a QA-agency client) or
    of any agency of this node (node admin). Scope `quality:write`.

    Rejected with 422 listing **every** reason (`errors[]`) — see the rules below; saved with
    `flag` low/high otherwise. A high flag hides it until a node admin clears it. 409 when the
    agency already has this `local_identifier`: resubmit with
    `PUT /v1/quality/evaluations/by-local-id/{local_identifier}`. Publishes
    `quality.evaluation.created` (and `quality.status.changed` when a status changes).

    Rejections: unknown agency or contributing agency; `valid_from` outside the agency's
    registrations; `valid_to` before `valid_from`; institutional with programmes; programme
    without exactly one institution and ≥1 programme; joint programme with <2 institutions or
    no programme; unknown or repeated institution; bad types and ranges.
    Flags — high: activity type the agency does not declare; closed or merged institution.
    Low: institution outside the agency's (focus) countries; no report file; `valid_to`
    defaulted (valid_from + 6 years); positive decision with an AUN-QA criterion below 4.

    Args:
        idempotency_key (str | Unset):
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
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    idempotency_key: str | Unset = UNSET,
) -> EvaluationRead | Problem | None:
    """Submit an evaluation

     Submit a new evaluation (QA result) of the caller's own agency (a QA-agency client) or
    of any agency of this node (node admin). Scope `quality:write`.

    Rejected with 422 listing **every** reason (`errors[]`) — see the rules below; saved with
    `flag` low/high otherwise. A high flag hides it until a node admin clears it. 409 when the
    agency already has this `local_identifier`: resubmit with
    `PUT /v1/quality/evaluations/by-local-id/{local_identifier}`. Publishes
    `quality.evaluation.created` (and `quality.status.changed` when a status changes).

    Rejections: unknown agency or contributing agency; `valid_from` outside the agency's
    registrations; `valid_to` before `valid_from`; institutional with programmes; programme
    without exactly one institution and ≥1 programme; joint programme with <2 institutions or
    no programme; unknown or repeated institution; bad types and ranges.
    Flags — high: activity type the agency does not declare; closed or merged institution.
    Low: institution outside the agency's (focus) countries; no report file; `valid_to`
    defaulted (valid_from + 6 years); positive decision with an AUN-QA criterion below 4.

    Args:
        idempotency_key (str | Unset):
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
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    idempotency_key: str | Unset = UNSET,
) -> Response[EvaluationRead | Problem]:
    """Submit an evaluation

     Submit a new evaluation (QA result) of the caller's own agency (a QA-agency client) or
    of any agency of this node (node admin). Scope `quality:write`.

    Rejected with 422 listing **every** reason (`errors[]`) — see the rules below; saved with
    `flag` low/high otherwise. A high flag hides it until a node admin clears it. 409 when the
    agency already has this `local_identifier`: resubmit with
    `PUT /v1/quality/evaluations/by-local-id/{local_identifier}`. Publishes
    `quality.evaluation.created` (and `quality.status.changed` when a status changes).

    Rejections: unknown agency or contributing agency; `valid_from` outside the agency's
    registrations; `valid_to` before `valid_from`; institutional with programmes; programme
    without exactly one institution and ≥1 programme; joint programme with <2 institutions or
    no programme; unknown or repeated institution; bad types and ranges.
    Flags — high: activity type the agency does not declare; closed or merged institution.
    Low: institution outside the agency's (focus) countries; no report file; `valid_to`
    defaulted (valid_from + 6 years); positive decision with an AUN-QA criterion below 4.

    Args:
        idempotency_key (str | Unset):
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
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EvaluationSubmission,
    idempotency_key: str | Unset = UNSET,
) -> EvaluationRead | Problem | None:
    """Submit an evaluation

     Submit a new evaluation (QA result) of the caller's own agency (a QA-agency client) or
    of any agency of this node (node admin). Scope `quality:write`.

    Rejected with 422 listing **every** reason (`errors[]`) — see the rules below; saved with
    `flag` low/high otherwise. A high flag hides it until a node admin clears it. 409 when the
    agency already has this `local_identifier`: resubmit with
    `PUT /v1/quality/evaluations/by-local-id/{local_identifier}`. Publishes
    `quality.evaluation.created` (and `quality.status.changed` when a status changes).

    Rejections: unknown agency or contributing agency; `valid_from` outside the agency's
    registrations; `valid_to` before `valid_from`; institutional with programmes; programme
    without exactly one institution and ≥1 programme; joint programme with <2 institutions or
    no programme; unknown or repeated institution; bad types and ranges.
    Flags — high: activity type the agency does not declare; closed or merged institution.
    Low: institution outside the agency's (focus) countries; no report file; `valid_to`
    defaulted (valid_from + 6 years); positive decision with an AUN-QA criterion below 4.

    Args:
        idempotency_key (str | Unset):
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
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
