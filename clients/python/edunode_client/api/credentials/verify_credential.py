from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.verification_report import VerificationReport
from ...models.verify_request import VerifyRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VerifyRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/credentials/verify",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | VerificationReport | None:
    if response.status_code == 200:
        response_200 = VerificationReport.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | VerificationReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | VerificationReport]:
    """Verify a credential

     Check a `vc+jwt` credential of any node, with no token: its format, that its algorithm
    is EdDSA, that its key is in the federation's trust list and was valid at `validFrom`,
    its signature, that its issuer node has authority over the institution's country, that
    the institution is in the directory, its validity period, and that it is not revoked
    (the issuer's status list as replicated here). Each check says ok, failed or not
    checked, and why; `valid` is true only when every one is ok. Beside the checks, for the
    reader: the qualification's level compared with this node's own framework(s) through the
    reference frameworks, and the institution's QA status at the award date as this node's
    quality service gives it, beside the issuer's evidence. Works with the issuer
    unreachable.

    Args:
        idempotency_key (str | Unset):
        body (VerifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VerificationReport]
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
    client: AuthenticatedClient | Client,
    body: VerifyRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | VerificationReport | None:
    """Verify a credential

     Check a `vc+jwt` credential of any node, with no token: its format, that its algorithm
    is EdDSA, that its key is in the federation's trust list and was valid at `validFrom`,
    its signature, that its issuer node has authority over the institution's country, that
    the institution is in the directory, its validity period, and that it is not revoked
    (the issuer's status list as replicated here). Each check says ok, failed or not
    checked, and why; `valid` is true only when every one is ok. Beside the checks, for the
    reader: the qualification's level compared with this node's own framework(s) through the
    reference frameworks, and the institution's QA status at the award date as this node's
    quality service gives it, beside the issuer's evidence. Works with the issuer
    unreachable.

    Args:
        idempotency_key (str | Unset):
        body (VerifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VerificationReport
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | VerificationReport]:
    """Verify a credential

     Check a `vc+jwt` credential of any node, with no token: its format, that its algorithm
    is EdDSA, that its key is in the federation's trust list and was valid at `validFrom`,
    its signature, that its issuer node has authority over the institution's country, that
    the institution is in the directory, its validity period, and that it is not revoked
    (the issuer's status list as replicated here). Each check says ok, failed or not
    checked, and why; `valid` is true only when every one is ok. Beside the checks, for the
    reader: the qualification's level compared with this node's own framework(s) through the
    reference frameworks, and the institution's QA status at the award date as this node's
    quality service gives it, beside the issuer's evidence. Works with the issuer
    unreachable.

    Args:
        idempotency_key (str | Unset):
        body (VerifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | VerificationReport]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | VerificationReport | None:
    """Verify a credential

     Check a `vc+jwt` credential of any node, with no token: its format, that its algorithm
    is EdDSA, that its key is in the federation's trust list and was valid at `validFrom`,
    its signature, that its issuer node has authority over the institution's country, that
    the institution is in the directory, its validity period, and that it is not revoked
    (the issuer's status list as replicated here). Each check says ok, failed or not
    checked, and why; `valid` is true only when every one is ok. Beside the checks, for the
    reader: the qualification's level compared with this node's own framework(s) through the
    reference frameworks, and the institution's QA status at the award date as this node's
    quality service gives it, beside the issuer's evidence. Works with the issuer
    unreachable.

    Args:
        idempotency_key (str | Unset):
        body (VerifyRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | VerificationReport
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
