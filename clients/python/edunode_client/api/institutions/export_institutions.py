from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_institutions_format import ExportInstitutionsFormat
from ...models.identifier_resource import IdentifierResource
from ...models.institution_status import InstitutionStatus
from ...models.institution_type import InstitutionType
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ExportInstitutionsFormat | Unset = ExportInstitutionsFormat.NDJSON,
    country: None | str | Unset = UNSET,
    type_: InstitutionType | None | Unset = UNSET,
    status: InstitutionStatus | None | Unset = UNSET,
    identifier_resource: IdentifierResource | None | Unset = UNSET,
    qa_status: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_country: None | str | Unset
    if isinstance(country, Unset):
        json_country = UNSET
    else:
        json_country = country
    params["country"] = json_country

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, InstitutionType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, InstitutionStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_identifier_resource: None | str | Unset
    if isinstance(identifier_resource, Unset):
        json_identifier_resource = UNSET
    elif isinstance(identifier_resource, IdentifierResource):
        json_identifier_resource = identifier_resource.value
    else:
        json_identifier_resource = identifier_resource
    params["identifier_resource"] = json_identifier_resource

    json_qa_status: None | str | Unset
    if isinstance(qa_status, Unset):
        json_qa_status = UNSET
    else:
        json_qa_status = qa_status
    params["qa_status"] = json_qa_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/institutions/export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = response.json()
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    format_: ExportInstitutionsFormat | Unset = ExportInstitutionsFormat.NDJSON,
    country: None | str | Unset = UNSET,
    type_: InstitutionType | None | Unset = UNSET,
    status: InstitutionStatus | None | Unset = UNSET,
    identifier_resource: IdentifierResource | None | Unset = UNSET,
    qa_status: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export institutions

     Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public.

    Args:
        format_ (ExportInstitutionsFormat | Unset):  Default: ExportInstitutionsFormat.NDJSON.
        country (None | str | Unset): ISO 3166-1 alpha-2.
        type_ (InstitutionType | None | Unset):
        status (InstitutionStatus | None | Unset):
        identifier_resource (IdentifierResource | None | Unset): Only institutions with such an
            identifier.
        qa_status (None | str | Unset): accredited, accredited with conditions, not accredited,
            expired or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        country=country,
        type_=type_,
        status=status,
        identifier_resource=identifier_resource,
        qa_status=qa_status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    format_: ExportInstitutionsFormat | Unset = ExportInstitutionsFormat.NDJSON,
    country: None | str | Unset = UNSET,
    type_: InstitutionType | None | Unset = UNSET,
    status: InstitutionStatus | None | Unset = UNSET,
    identifier_resource: IdentifierResource | None | Unset = UNSET,
    qa_status: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Export institutions

     Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public.

    Args:
        format_ (ExportInstitutionsFormat | Unset):  Default: ExportInstitutionsFormat.NDJSON.
        country (None | str | Unset): ISO 3166-1 alpha-2.
        type_ (InstitutionType | None | Unset):
        status (InstitutionStatus | None | Unset):
        identifier_resource (IdentifierResource | None | Unset): Only institutions with such an
            identifier.
        qa_status (None | str | Unset): accredited, accredited with conditions, not accredited,
            expired or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        format_=format_,
        country=country,
        type_=type_,
        status=status,
        identifier_resource=identifier_resource,
        qa_status=qa_status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    format_: ExportInstitutionsFormat | Unset = ExportInstitutionsFormat.NDJSON,
    country: None | str | Unset = UNSET,
    type_: InstitutionType | None | Unset = UNSET,
    status: InstitutionStatus | None | Unset = UNSET,
    identifier_resource: IdentifierResource | None | Unset = UNSET,
    qa_status: None | str | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export institutions

     Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public.

    Args:
        format_ (ExportInstitutionsFormat | Unset):  Default: ExportInstitutionsFormat.NDJSON.
        country (None | str | Unset): ISO 3166-1 alpha-2.
        type_ (InstitutionType | None | Unset):
        status (InstitutionStatus | None | Unset):
        identifier_resource (IdentifierResource | None | Unset): Only institutions with such an
            identifier.
        qa_status (None | str | Unset): accredited, accredited with conditions, not accredited,
            expired or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        country=country,
        type_=type_,
        status=status,
        identifier_resource=identifier_resource,
        qa_status=qa_status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    format_: ExportInstitutionsFormat | Unset = ExportInstitutionsFormat.NDJSON,
    country: None | str | Unset = UNSET,
    type_: InstitutionType | None | Unset = UNSET,
    status: InstitutionStatus | None | Unset = UNSET,
    identifier_resource: IdentifierResource | None | Unset = UNSET,
    qa_status: None | str | Unset = UNSET,
) -> Any | Problem | None:
    """Export institutions

     Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public.

    Args:
        format_ (ExportInstitutionsFormat | Unset):  Default: ExportInstitutionsFormat.NDJSON.
        country (None | str | Unset): ISO 3166-1 alpha-2.
        type_ (InstitutionType | None | Unset):
        status (InstitutionStatus | None | Unset):
        identifier_resource (IdentifierResource | None | Unset): Only institutions with such an
            identifier.
        qa_status (None | str | Unset): accredited, accredited with conditions, not accredited,
            expired or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            country=country,
            type_=type_,
            status=status,
            identifier_resource=identifier_resource,
            qa_status=qa_status,
        )
    ).parsed
