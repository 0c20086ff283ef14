"""HTTP for the directory's reads: search, affiliation matching, export and institutions by id
or identifier. Public: no token needed. Parse, call the read service, shape the reply."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from services.institutions import caps
from services.institutions.directory.dependencies import DirectoryServiceDep
from services.institutions.directory.responses import EXAMPLE, JSON, read_etag, read_response
from services.institutions.directory.schemas import InstitutionPage, MatchResult
from services.institutions.directory.service import ExportFormat
from services.institutions.registry.models import (
    IdentifierResource,
    InstitutionStatus,
    InstitutionType,
)
from services.institutions.registry.repository import InstitutionFilters
from services.institutions.registry.schemas import InstitutionRead
from shared.caps import at_most_words
from shared.errors import NotFound, problem_responses
from shared.pagination import PageParams, page_params

router = APIRouter(prefix="/v1/institutions", tags=["institutions"])

CountryQuery = Annotated[
    str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
]
TypeQuery = Annotated[InstitutionType | None, Query(alias="type")]
StatusQuery = Annotated[InstitutionStatus | None, Query(alias="status")]
ResourceQuery = Annotated[
    IdentifierResource | None,
    Query(alias="identifier_resource", description="Only institutions with such an identifier."),
]
QaQuery = Annotated[
    str | None,
    Query(
        alias="qa_status",
        max_length=40,
        description="accredited, accredited with conditions, not accredited, expired or none.",
    ),
]


def institution_filters(
    country: str | None,
    type_: InstitutionType | None,
    status_: InstitutionStatus | None,
    identifier_resource: IdentifierResource | None,
    qa_status: str | None,
) -> InstitutionFilters:
    return InstitutionFilters(
        country=country.upper() if country else None,
        type=type_,
        status=status_,
        identifier_resource=identifier_resource.value if identifier_resource else None,
        qa_status=qa_status,
    )


@router.get(
    "",
    summary="Search and list institutions",
    response_model=InstitutionPage,
    responses=problem_responses(400, 422),
)
async def list_institutions(
    directory: DirectoryServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str | None,
        Query(
            max_length=caps.SEARCH_TEXT_MAX,
            description="Words of any name in any language: official, English, transliterated, "
            "historical, acronyms. Accents, case, typos and word order do not matter.",
        ),
        at_most_words(caps.SEARCH_TERMS_MAX),
    ] = None,
    country: CountryQuery = None,
    type_: TypeQuery = None,
    status_: StatusQuery = None,
    identifier_resource: ResourceQuery = None,
    qa_status: QaQuery = None,
) -> Response:
    """Every institution this node knows (its own, replicas and reference copies): ranked by
    relevance to `q` when given, else in a stable order; filtered; with facet counts by
    country, type and status; one page at a time (`next_cursor`). Public: no token needed."""
    filters = institution_filters(country, type_, status_, identifier_resource, qa_status)
    return Response(await directory.search(q, filters, page), media_type=JSON)


@router.get(
    "/match",
    summary="Match an affiliation string",
    response_model=MatchResult,
    responses=problem_responses(422, 503),
)
async def match_affiliation(
    directory: DirectoryServiceDep,
    affiliation: Annotated[
        str,
        Query(
            min_length=1,
            max_length=caps.AFFILIATION_MAX,
            description="Free text, e.g. `Dept. of Physics, Univ. Malaya, Kuala Lumpur`.",
        ),
        at_most_words(caps.AFFILIATION_TERMS_MAX),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """Institutions named in a free-text affiliation, ranked, each with a score (0..1) and how
    it matched; `chosen` is true for at most one candidate, and only when confident. Public."""
    return Response(await directory.match(affiliation, limit), media_type=JSON)


@router.get(
    "/export",
    summary="Export institutions",
    responses={
        200: {
            "description": "NDJSON (one institution state per line), CSV (columns: "
            "services/institutions/bulk/README.md) or a ROR data dump (a JSON array of ROR "
            "v2 records of the institutions with a ROR id and the GeoNames id of their city).",
            "content": {"application/x-ndjson": {}, "text/csv": {}, "application/json": {}},
        }
    },
)
async def export_institutions(
    directory: DirectoryServiceDep,
    format_: Annotated[ExportFormat, Query(alias="format")] = "ndjson",
    country: CountryQuery = None,
    type_: TypeQuery = None,
    status_: StatusQuery = None,
    identifier_resource: ResourceQuery = None,
    qa_status: QaQuery = None,
) -> StreamingResponse:
    """Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public."""
    filters = institution_filters(country, type_, status_, identifier_resource, qa_status)
    export = directory.export(filters, format_)
    return StreamingResponse(
        export.chunks,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get(
    "/by-identifier/{resource}/{value:path}",
    summary="Find an institution by an identifier",
    response_model=InstitutionRead,
    responses=problem_responses(404, 422, examples={200: EXAMPLE}),
)
async def get_institution_by_identifier(
    resource: IdentifierResource, value: str, directory: DirectoryServiceDep
) -> Response:
    """The institution with an identifier of any registry (`ror/00rzspn62`,
    `wikidata/Q1234`, `schac/um.edu.my`, ...; a ROR URL works too). Public."""
    return read_response(await directory.read_by_identifier(resource, value))


@router.get(
    "/{institution_id}",
    summary="Get an institution",
    response_model=InstitutionRead,
    responses=problem_responses(404, examples={200: EXAMPLE})
    | {304: {"description": "Not modified (If-None-Match matched the current ETag)."}},
)
async def get_institution(
    institution_id: uuid.UUID, request: Request, directory: DirectoryServiceDep
) -> Response:
    """One institution. The `ETag` (`"3-5f0c1a2b"`) names its version and what this read
    shows: send it back as `If-Match` to update (only the version counts), or as
    `If-None-Match` to revalidate a cached copy (a new QA status makes a new ETag). Public:
    no token needed."""
    read = await directory.read(institution_id)
    if read is None:
        raise NotFound(f"institution {institution_id} does not exist")
    etag = read_etag(read)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return read_response(read, etag=etag)
