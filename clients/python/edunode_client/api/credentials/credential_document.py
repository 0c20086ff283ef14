from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credential_document_format import CredentialDocumentFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    credential_id: UUID,
    *,
    format_: CredentialDocumentFormat | Unset = CredentialDocumentFormat.HTML,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/credentials/{credential_id}/document".format(
            credential_id=quote(str(credential_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    credential_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CredentialDocumentFormat | Unset = CredentialDocumentFormat.HTML,
) -> Response[Any | Problem]:
    """A credential's printable document, with its QR code

     The credential as a person reads and prints it: its title, issuer, standing and every
    fact of its subject, with a QR code of the link that verifies it at the issuing node's
    verifier page (`/verify?credential=…`). For the same callers as `GET /{credential_id}`.

    Args:
        credential_id (UUID):
        format_ (CredentialDocumentFormat | Unset): html or pdf Default:
            CredentialDocumentFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        credential_id=credential_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    credential_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CredentialDocumentFormat | Unset = CredentialDocumentFormat.HTML,
) -> Any | Problem | None:
    """A credential's printable document, with its QR code

     The credential as a person reads and prints it: its title, issuer, standing and every
    fact of its subject, with a QR code of the link that verifies it at the issuing node's
    verifier page (`/verify?credential=…`). For the same callers as `GET /{credential_id}`.

    Args:
        credential_id (UUID):
        format_ (CredentialDocumentFormat | Unset): html or pdf Default:
            CredentialDocumentFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        credential_id=credential_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    credential_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CredentialDocumentFormat | Unset = CredentialDocumentFormat.HTML,
) -> Response[Any | Problem]:
    """A credential's printable document, with its QR code

     The credential as a person reads and prints it: its title, issuer, standing and every
    fact of its subject, with a QR code of the link that verifies it at the issuing node's
    verifier page (`/verify?credential=…`). For the same callers as `GET /{credential_id}`.

    Args:
        credential_id (UUID):
        format_ (CredentialDocumentFormat | Unset): html or pdf Default:
            CredentialDocumentFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        credential_id=credential_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    credential_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: CredentialDocumentFormat | Unset = CredentialDocumentFormat.HTML,
) -> Any | Problem | None:
    """A credential's printable document, with its QR code

     The credential as a person reads and prints it: its title, issuer, standing and every
    fact of its subject, with a QR code of the link that verifies it at the issuing node's
    verifier page (`/verify?credential=…`). For the same callers as `GET /{credential_id}`.

    Args:
        credential_id (UUID):
        format_ (CredentialDocumentFormat | Unset): html or pdf Default:
            CredentialDocumentFormat.HTML.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            credential_id=credential_id,
            client=client,
            format_=format_,
        )
    ).parsed
