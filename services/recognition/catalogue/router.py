"""HTTP for the reference data: frameworks, levels, comparisons, credit systems, fields
(`/v1/frameworks`), agreements (`/v1/recognition/agreements`) and the recognition conventions
(`/v1/recognition/conventions`). Reading is public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from rules.conventions import CONVENTIONS
from services.recognition.catalogue.schemas import (
    Agreement,
    AgreementCreate,
    AgreementUpdate,
    Comparison,
    ConventionParty,
    ConventionRead,
    CreditSystem,
    Framework,
    FrameworkLevel,
    FrameworkLevelCreate,
    FrameworkLevelUpdate,
    FrameworkSummary,
    Referencing,
    StudyField,
)
from services.recognition.catalogue.service import CatalogueService
from services.recognition.dependencies import SettingsDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, SessionDep, set_etag
from shared.errors import problem_responses
from shared.fields import IsoDate

frameworks_router = APIRouter(prefix="/v1/frameworks", tags=["frameworks"])
agreements_router = APIRouter(prefix="/v1/recognition/agreements", tags=["agreements"])
conventions_router = APIRouter(prefix="/v1/recognition/conventions", tags=["agreements"])

WriterDep = Annotated[Principal, require_scope(Scope.REFERENCE_WRITE)]


async def catalogue_service(
    session: SessionDep, settings: SettingsDep, publisher: PublisherDep
) -> CatalogueService:
    return CatalogueService(session=session, settings=settings, publisher=publisher)


ServiceDep = Annotated[CatalogueService, Depends(catalogue_service)]


@frameworks_router.get("", summary="List frameworks", response_model=list[FrameworkSummary])
async def list_frameworks(service: ServiceDep) -> list[FrameworkSummary]:
    """Every qualifications framework this node knows: the reference frameworks (EQF, QF-EHEA,
    AQRF), ISCED 2011, the demo countries' national frameworks and China's degree ladder, plus
    frameworks nodes registered. Each carries its source. Public."""
    return (await service.catalogue()).summaries()


@frameworks_router.get(
    "/compare",
    summary="Compare a level with another framework",
    response_model=Comparison,
    response_model_by_alias=True,
    responses=problem_responses(404, 422),
)
async def compare_levels(
    service: ServiceDep,
    from_: Annotated[str, Query(alias="from", max_length=40, description="A level, e.g. `MQF:6`.")],
    to: Annotated[
        str,
        Query(max_length=40, description="A framework (`CNDL`) or a level (`CNDL:xueshi`)."),
    ],
) -> Comparison:
    """Map a level to another framework through the reference frameworks (EQF, QF-EHEA,
    AQRF), never directly between national frameworks. Every step names its basis and source;
    `verified` is false if any step is provisional. Public."""
    return (await service.catalogue()).compare(from_, to)


@frameworks_router.get("/fields", summary="ISCED-F 2013 fields", response_model=list[StudyField])
async def list_fields(
    service: ServiceDep,
    level: Annotated[str | None, Query(pattern="^(broad|narrow|detailed)$")] = None,
) -> list[StudyField]:
    """The ISCED-F 2013 fields of education and training (broad, narrow, detailed). Public."""
    fields = (await service.catalogue()).fields.values()
    return [f for f in fields if level is None or f.level == level]


@frameworks_router.get(
    "/credit-systems", summary="Credit systems", response_model=list[CreditSystem]
)
async def list_credit_systems(service: ServiceDep) -> list[CreditSystem]:
    """Credit systems with their conversion to ECTS-equivalents and the assumption behind
    each factor. Public."""
    return list((await service.catalogue()).credit_systems.values())


@frameworks_router.get(
    "/referencing",
    summary="Referencing tables",
    response_model=list[Referencing],
    response_model_by_alias=True,
)
async def list_referencing(service: ServiceDep) -> list[Referencing]:
    """Every correspondence between levels of two frameworks, with its basis and source."""
    return (await service.catalogue()).referencing


@frameworks_router.post(
    "/levels",
    summary="Add a framework level",
    status_code=status.HTTP_201_CREATED,
    response_model=FrameworkLevel,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_framework_level(
    data: FrameworkLevelCreate, principal: WriterDep, service: ServiceDep, response: Response
) -> FrameworkLevel:
    """Add a level of a framework this node registers (scope `reference:write`, node admin).
    Publishes `recognition.framework_level.created`; peers apply it as a replica."""
    level = await service.create_level(principal, data)
    set_etag(response, level.version)
    return level


@frameworks_router.patch(
    "/levels/{code}",
    summary="Change a framework level",
    response_model=FrameworkLevel,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_framework_level(
    code: str,
    data: FrameworkLevelUpdate,
    version: IfMatchVersion,
    principal: WriterDep,
    service: ServiceDep,
    response: Response,
) -> FrameworkLevel:
    """Change a level this node added (`If-Match` its ETag). Publishes
    `recognition.framework_level.updated`."""
    level = await service.update_level(principal, code, data, expected_version=version)
    set_etag(response, level.version)
    return level


@frameworks_router.get(
    "/{code}", summary="One framework", response_model=Framework, responses=problem_responses(404)
)
async def get_framework(code: str, service: ServiceDep) -> Framework:
    """A framework with its levels in order. Public."""
    return (await service.catalogue()).framework(code)


@frameworks_router.get(
    "/{code}/levels",
    summary="Levels of a framework",
    response_model=list[FrameworkLevel],
    responses=problem_responses(404),
)
async def list_framework_levels(code: str, service: ServiceDep) -> list[FrameworkLevel]:
    """The levels of one framework, in order. Public."""
    return (await service.catalogue()).framework(code).levels


@frameworks_router.get(
    "/{code}/levels/{level}",
    summary="One level",
    response_model=FrameworkLevel,
    responses=problem_responses(404),
)
async def get_framework_level(code: str, level: str, service: ServiceDep) -> FrameworkLevel:
    """One level, with its source. Public."""
    return (await service.catalogue()).level(f"{code}:{level}")


@agreements_router.get("", summary="List agreements", response_model=list[Agreement])
async def list_agreements(
    service: ServiceDep,
    country: Annotated[
        str | None, Query(pattern="^[A-Za-z]{2}$", description="A party (ISO alpha-2).")
    ] = None,
    in_force_on: Annotated[
        IsoDate | None, Query(description="Only those in force that day.")
    ] = None,
) -> list[Agreement]:
    """Bilateral and multilateral recognition agreements: parties, dates, levels covered,
    conditions and source (`verified: false` where the details are provisional). Public."""
    return await service.agreements(country=country, in_force_on=in_force_on)


@agreements_router.get(
    "/{agreement_id}",
    summary="One agreement",
    response_model=Agreement,
    responses=problem_responses(404),
)
async def get_agreement(agreement_id: str, service: ServiceDep) -> Agreement:
    """One agreement. Public."""
    return await service.agreement(agreement_id)


@agreements_router.post(
    "",
    summary="Register an agreement",
    status_code=status.HTTP_201_CREATED,
    response_model=Agreement,
    responses=problem_responses(401, 403, 422),
)
async def create_agreement(
    data: AgreementCreate, principal: WriterDep, service: ServiceDep, response: Response
) -> Agreement:
    """Register an agreement one of this node's countries is party to (scope
    `reference:write`). Publishes `recognition.agreement.created`."""
    agreement = await service.create_agreement(principal, data)
    set_etag(response, agreement.version)
    return agreement


@agreements_router.patch(
    "/{agreement_id}",
    summary="Change an agreement",
    response_model=Agreement,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
)
async def update_agreement(
    agreement_id: str,
    data: AgreementUpdate,
    version: IfMatchVersion,
    principal: WriterDep,
    service: ServiceDep,
    response: Response,
    settings: SettingsDep,
) -> Agreement:
    """Change an agreement this node registered (`If-Match` its ETag); a replica is 403
    naming its owner. Publishes `recognition.agreement.updated`."""
    agreement = await service.update_agreement(
        principal, agreement_id, data, expected_version=version
    )
    set_etag(response, agreement.version)
    return agreement


@conventions_router.get(
    "", summary="List the recognition conventions", response_model=list[ConventionRead]
)
async def list_conventions(
    country: Annotated[
        str | None,
        Query(
            pattern="^[A-Za-z]{2}$", description="Only the conventions this country is party to."
        ),
    ] = None,
) -> list[ConventionRead]:
    """The recognition conventions (Lisbon 1997, Tokyo 2011, Addis Ababa 2014, Buenos Aires
    2019, the Global Convention 2019), each with its parties and the date it entered into
    force for each, with their sources. An assessment cites one only if it binds both
    countries on the assessment date. Public."""
    wanted = country.upper() if country else None
    return [
        ConventionRead(
            id=c.id.value,
            name=c.name,
            title=c.title,
            adopted_on=c.adopted_on,
            in_force_on=c.in_force_on,
            article=c.article,
            article_source=c.article_source,
            regional=c.regional,
            parties=[
                ConventionParty(
                    country=p.country,
                    in_force_on=p.in_force_on,
                    verified=p.verified,
                    source=p.source,
                )
                for p in sorted(c.parties.values(), key=lambda p: (p.in_force_on, p.country))
                if wanted is None or p.country == wanted
            ],
        )
        for c in CONVENTIONS
        if wanted is None or wanted in c.parties
    ]
