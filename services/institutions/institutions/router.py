"""HTTP for the institution directory: parse, authorise, call the service, shape the reply."""

from __future__ import annotations

import uuid
import zlib
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from services.institutions import caps
from services.institutions.bulk.export import export_stream
from services.institutions.bulk.ror import RorExport, export_ror, ror_dump_chunks
from services.institutions.directory import Directory
from services.institutions.institutions.models import (
    IdentifierResource,
    InstitutionStatus,
    InstitutionType,
)
from services.institutions.institutions.repository import InstitutionFilters
from services.institutions.institutions.schemas import (
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
)
from services.institutions.institutions.service import InstitutionService
from services.institutions.search import InvalidCursor
from shared.auth import Principal, Scope, require_scope
from shared.caps import at_most_words
from shared.dependencies import (
    IfMatchVersion,
    PublisherDep,
    RuntimeDep,
    SessionDep,
    etag_for,
)
from shared.errors import BadRequest, NotFound, ServiceUnavailable, problem_responses
from shared.pagination import PageParams, page_params
from shared.runtime import ServiceRuntime

router = APIRouter(prefix="/v1/institutions", tags=["institutions"])

WriterDep = Annotated[Principal, require_scope(Scope.INSTITUTIONS_WRITE)]
JSON = "application/json"


def get_directory(request: Request) -> Directory:
    directory: Directory = request.app.state.directory
    return directory


DirectoryDep = Annotated[Directory, Depends(get_directory)]


def institution_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep, directory: DirectoryDep
) -> InstitutionService:
    return InstitutionService(
        session=session,
        publisher=publisher,
        settings=runtime.settings,
        directory=directory,
        trust=runtime.trust,
    )


ServiceDep = Annotated[InstitutionService, Depends(institution_service)]

EXAMPLE: dict[str, Any] = {
    "id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "origin_node": "my",
    "is_reference": False,
    "name": "Universiti Malaya",
    "country": "MY",
    "names": [
        {"value": "Universiti Malaya", "lang": "ms", "kind": "official", "valid_to": None},
        {"value": "University of Malaya", "lang": "en", "kind": "english", "valid_to": None},
        {"value": "UM", "lang": None, "kind": "acronym", "valid_to": None},
    ],
    "identifiers": [
        {"resource": "ror", "value": "00rzspn62", "valid_from": None, "valid_to": None}
    ],
    "relationships": [],
    "city": "Kuala Lumpur",
    "latitude": 3.1209,
    "longitude": 101.6538,
    "website": "https://www.um.edu.my/",
    "type": "university",
    "legal_status": "public",
    "status": "active",
    "founded_on": "1905-01-01",
    "closed_on": None,
    "qa_status": "accredited",
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


class InstitutionPage(BaseModel):
    """One page of institutions, with facet counts over the whole (filtered) result."""

    items: list[InstitutionRead]
    next_cursor: str | None = Field(
        default=None, description="Opaque cursor of the next page; null on the last page."
    )
    limit: int
    total: int | None = Field(default=None, description="How many institutions match.")
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Counts by country, type and status."
    )


class MatchItem(BaseModel):
    institution: InstitutionRead
    score: float = Field(ge=0, le=1)
    chosen: bool
    matching_type: str


class MatchResult(BaseModel):
    """Ranked candidates; `chosen` is true for at most one, and only when confident."""

    items: list[MatchItem]


def _json(body: Any, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type=JSON, headers=headers)


def _etag(version: int, body: bytes) -> str:
    """The ETag of an institution's read: its version (what If-Match checks) and a digest of
    the read, since the read also shows facts that change without a new version (its QA
    status, the relationships other records hold to it)."""
    return etag_for(version, f"{zlib.crc32(body):08x}")


def _read(
    version: int,
    body: bytes,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    etag: str | None = None,
) -> Response:
    return Response(
        body,
        status_code=status_code,
        media_type=JSON,
        headers={"ETag": etag or _etag(version, body), **(headers or {})},
    )


async def read_cached(
    runtime: ServiceRuntime[Any], directory: Directory, institution_id: uuid.UUID
) -> tuple[int, bytes] | None:
    """The serialized read of one institution and its version, from the cache or the
    database (then cached)."""
    cached = directory.cache.get(institution_id)
    if cached is not None:
        return cached
    generation = directory.cache.generation
    async with runtime.database.session() as session:
        service = InstitutionService(session=session, publisher=None, settings=runtime.settings)
        row = await service.repository.get(institution_id)
        if row is None:
            return None
        body = orjson.dumps(await service.read_row(row))
        version = row.version
    directory.cache.put(institution_id, version, body, generation)
    return version, body


async def _read_many(
    runtime: ServiceRuntime[Any], directory: Directory, ids: list[uuid.UUID]
) -> list[bytes]:
    """Serialized reads of many institutions in order: cached ones from memory, the others
    loaded together (and cached)."""
    found: dict[uuid.UUID, bytes] = {}
    missing = []
    for institution_id in ids:
        cached = directory.cache.get(institution_id)
        if cached is None:
            missing.append(institution_id)
        else:
            found[institution_id] = cached[1]
    if missing:
        generation = directory.cache.generation
        async with runtime.database.session() as session:
            service = InstitutionService(session=session, publisher=None, settings=runtime.settings)
            rows = await service.repository.get_many(missing)
            for row, read in zip(rows, await service.read_rows(rows), strict=True):
                body = orjson.dumps(read)
                found[row.id] = body
                directory.cache.put(row.id, row.version, body, generation)
    return [found[key] for key in ids if key in found]


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


@router.get(
    "",
    summary="Search and list institutions",
    response_model=InstitutionPage,
    responses=problem_responses(400, 422),
)
async def list_institutions(
    runtime: RuntimeDep,
    directory: DirectoryDep,
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
    filters = InstitutionFilters(
        country=country.upper() if country else None,
        type=type_,
        status=status_,
        identifier_resource=identifier_resource.value if identifier_resource else None,
        qa_status=qa_status,
    )
    if not directory.loaded.is_set():
        # The index is still loading (just after start): a plain filtered list from the
        # database, without ranking or facets.
        if q:
            raise BadRequest("search is warming up; retry in a few seconds")
        async with runtime.database.session() as session:
            service = InstitutionService(session=session, publisher=None, settings=runtime.settings)
            rows, next_cursor = await service.list_page(page, filters)
            items = await service.read_rows(rows)
        return _json({"items": items, "next_cursor": next_cursor, "limit": page.limit})
    try:
        result = directory.index.search(
            q,
            countries=[filters.country] if filters.country else None,
            types=[filters.type.value] if filters.type else None,
            statuses=[filters.status.value] if filters.status else None,
            qa_statuses=[qa_status] if qa_status else None,
            identifier_resource=filters.identifier_resource,
            limit=page.limit,
            cursor=page.cursor,
        )
    except InvalidCursor:
        raise BadRequest("the cursor is not valid for this list") from None
    bodies = await _read_many(runtime, directory, [hit.id for hit in result.hits])
    head = orjson.dumps(
        {
            "next_cursor": result.next_cursor,
            "limit": page.limit,
            "total": result.total,
            "facets": result.facets,
        }
    )
    body = b'{"items":[' + b",".join(bodies) + b"]," + head[1:]
    return Response(body, media_type=JSON)


@router.get(
    "/match",
    summary="Match an affiliation string",
    response_model=MatchResult,
    responses=problem_responses(422, 503),
)
async def match_affiliation(
    runtime: RuntimeDep,
    directory: DirectoryDep,
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
    if not directory.loaded.is_set():
        raise ServiceUnavailable("the directory index is still loading; retry shortly")
    candidates = directory.index.match(affiliation, limit=limit)
    items = []
    for candidate in candidates:
        found = await read_cached(runtime, directory, candidate.id)
        if found is None:
            continue
        items.append(
            b'{"institution":'
            + found[1]
            + b","
            + orjson.dumps(
                {
                    "score": round(candidate.score, 4),
                    "chosen": candidate.chosen,
                    "matching_type": candidate.matching_type,
                }
            )[1:]
        )
    return Response(b'{"items":[' + b",".join(items) + b"]}", media_type=JSON)


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
    runtime: RuntimeDep,
    format_: Annotated[Literal["ndjson", "csv", "ror"], Query(alias="format")] = "ndjson",
    country: CountryQuery = None,
    type_: TypeQuery = None,
    status_: StatusQuery = None,
    identifier_resource: ResourceQuery = None,
    qa_status: QaQuery = None,
) -> StreamingResponse:
    """Stream every institution (filters allowed) as NDJSON, CSV or ROR v2 records, read from
    the database in batches, never all at once. `edunode import institutions FILE --format
    ndjson|csv|ror` reads the result back. Public."""
    filters = InstitutionFilters(
        country=country.upper() if country else None,
        type=type_,
        status=status_,
        identifier_resource=identifier_resource.value if identifier_resource else None,
        qa_status=qa_status,
    )
    if format_ == "ror":
        return StreamingResponse(
            ror_dump_chunks(export_ror(runtime.database, filters), RorExport()),
            media_type=JSON,
            headers={"Content-Disposition": 'attachment; filename="ror-data.json"'},
        )
    media = "application/x-ndjson" if format_ == "ndjson" else "text/csv; charset=utf-8"
    return StreamingResponse(
        export_stream(runtime.database, filters, format_),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="institutions.{format_}"'},
    )


@router.get(
    "/by-identifier/{resource}/{value:path}",
    summary="Find an institution by an identifier",
    response_model=InstitutionRead,
    responses=problem_responses(404, 422, examples={200: EXAMPLE}),
)
async def get_institution_by_identifier(
    resource: IdentifierResource,
    value: str,
    service: ServiceDep,
    runtime: RuntimeDep,
    directory: DirectoryDep,
) -> Response:
    """The institution with an identifier of any registry (`ror/00rzspn62`,
    `wikidata/Q1234`, `schac/um.edu.my`, ...; a ROR URL works too). Public."""
    institution = await service.by_identifier(resource, value)
    found = await read_cached(runtime, directory, institution.id)
    assert found is not None
    return _read(*found)


@router.post(
    "",
    summary="Create an institution",
    status_code=status.HTTP_201_CREATED,
    response_model=InstitutionRead,
    responses=problem_responses(401, 403, 409, 422, examples={201: EXAMPLE}),
)
async def create_institution(
    data: InstitutionCreate,
    principal: WriterDep,
    service: ServiceDep,
    request: Request,
) -> Response:
    """Register an institution of a country this node has authority over. Needs the scope
    `institutions:write` (registrar or node admin). A world-wide identifier (ROR, ISNI, ...)
    names one institution: 409 if another record holds it. Publishes
    `institutions.institution.created`.

    With `reference_source`, a node admin enters a **reference record** of a country no node
    has authority over (403 for a country that has a node): published like any record, marked
    `is_reference`, and superseded when that country's own node publishes the institution with
    the same ROR/ETER/DEQAR/WHED or national identifier (docs/reference-records.md)."""
    institution = await service.create(principal, data)
    location = str(request.url_for("get_institution", institution_id=institution.id))
    body = orjson.dumps(await service.read_row(institution))
    return _read(institution.version, body, status_code=201, headers={"Location": location})


@router.get(
    "/{institution_id}",
    summary="Get an institution",
    response_model=InstitutionRead,
    responses=problem_responses(404, examples={200: EXAMPLE})
    | {304: {"description": "Not modified (If-None-Match matched the current ETag)."}},
)
async def get_institution(institution_id: uuid.UUID, request: Request) -> Response:
    """One institution. The `ETag` (`"3-5f0c1a2b"`) names its version and what this read
    shows: send it back as `If-Match` to update (only the version counts), or as
    `If-None-Match` to revalidate a cached copy (a new QA status makes a new ETag). Public:
    no token needed."""
    runtime: ServiceRuntime[Any] = request.app.state.runtime
    found = await read_cached(runtime, request.app.state.directory, institution_id)
    if found is None:
        raise NotFound(f"institution {institution_id} does not exist")
    version, body = found
    etag = _etag(version, body)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    return _read(version, body, etag=etag)


@router.patch(
    "/{institution_id}",
    summary="Update an institution",
    response_model=InstitutionRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428, examples={200: EXAMPLE}),
)
async def update_institution(
    institution_id: uuid.UUID,
    data: InstitutionUpdate,
    version: IfMatchVersion,
    principal: WriterDep,
    service: ServiceDep,
) -> Response:
    """Change fields of an institution this node owns. `If-Match` must carry the current ETag
    (412 if another change came first). Closing or merging an institution is a status change,
    never a delete. A change publishes `institutions.institution.updated` with the whole new
    state; a request that changes nothing keeps the version and publishes nothing."""
    institution = await service.update(principal, institution_id, data, expected_version=version)
    return _read(institution.version, orjson.dumps(await service.read_row(institution)))
