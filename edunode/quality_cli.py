"""The `edunode` commands of the quality service (bulk import, demo seeding).

Both work on the node's quality database directly, through the service's own rules and
outbox: what they write is published by the quality service's relay once the node runs.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from edunode.node import NodeConfig
from services.quality.agencies.repository import AgencyRepository
from services.quality.agencies.schemas import AgencyCreate
from services.quality.agencies.service import AgencyService
from services.quality.db import publisher
from services.quality.evaluations.bulk import (
    export_deqar,
    read_csv,
    read_json,
    write_deqar_csv,
    write_deqar_json,
)
from services.quality.evaluations.bulk import import_rows as import_evaluation_rows
from services.quality.evaluations.repository import EvaluationFilter
from services.quality.evaluations.schemas import BatchReport, EvaluationSubmission
from services.quality.evaluations.service import EvaluationService
from services.quality.institutions.repository import InstitutionRefRepository
from services.quality.settings import QualitySettings
from shared.auth import ROLE_SCOPES, Principal, Role
from shared.db import Database
from shared.migrations import ensure_database, upgrade

console = Console(stderr=True)


def quality_settings(config: NodeConfig) -> QualitySettings:
    return QualitySettings(
        node_id=config.node_id,
        countries=config.countries,
        database_url=config.database_url_for("quality"),
    )


def operator(config: NodeConfig) -> Principal:
    """The node's operator at the command line: its admin (it holds the database anyway)."""
    return Principal(
        client_id=f"cli:{config.node_id}",
        role=Role.NODE_ADMIN,
        scopes=ROLE_SCOPES[Role.NODE_ADMIN],
        node=config.node_id,
    )


def _count_rows(path: Path, file_format: str) -> int | None:
    if file_format == "csv":
        with path.open(encoding="utf-8-sig") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    return None


async def import_evaluations_file(
    config: NodeConfig, path: Path, file_format: Literal["csv", "json"], *, show_progress: bool
) -> BatchReport:
    """Import a CSV or JSON file of evaluations into the node's quality database."""
    settings = quality_settings(config)
    ensure_database(settings.database_url)
    upgrade("services.quality", settings.database_url)
    database = Database(settings.database_url)
    rows = read_csv(path) if file_format == "csv" else read_json(path)
    try:
        with Progress(
            TextColumn("[bold]importing evaluations"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not show_progress,
        ) as progress:
            task = progress.add_task("import", total=_count_rows(path, file_format))
            return await import_evaluation_rows(
                database,
                publisher(settings.node_id),
                settings,
                operator(config),
                rows,
                on_chunk=lambda done: progress.advance(task, done),
            )
    finally:
        await database.dispose()


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    """Add this service's `edunode import …` and `edunode export …` commands."""

    @import_app.command("evaluations")
    def import_evaluations(
        node: Annotated[str, typer.Option("--node", help="Node id.")],
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file.")],
        file_format: Annotated[
            str,
            typer.Option(
                "--format",
                help="csv (DEQAR's template, or edunode's columns) or json (DEQAR's submission "
                "objects, or edunode's).",
            ),
        ] = "csv",
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="Where the node keeps its state.")
        ] = None,
        database_url: Annotated[
            str | None,
            typer.Option("--database-url", help="postgresql+asyncpg://user@host/base, if any."),
        ] = None,
        report: Annotated[
            Path | None, typer.Option("--report", help="Write every row's result here (JSON).")
        ] = None,
    ) -> None:
        """Import evaluations (QA results) idempotently by local identifier: each row is
        created, updated, unchanged or rejected with its reasons; one bad row never stops the
        import. Prints a summary and the rejected rows."""
        if file_format not in ("csv", "json"):
            console.print("[red]error:[/] --format must be csv or json")
            raise typer.Exit(2)
        config = NodeConfig(
            node_id=node, data_dir=data_dir or Path(".data") / node, database_url=database_url
        )
        result = asyncio.run(
            import_evaluations_file(
                config,
                file,
                "csv" if file_format == "csv" else "json",
                show_progress=console.is_terminal,
            )
        )
        for row in result.results:
            if row.result == "rejected":
                reasons = "; ".join(f"{e['path']}: {e['message']}" for e in row.errors)
                console.print(f"[red]row {row.index}[/] {row.local_identifier or ''} {reasons}")
        if report is not None:
            report.write_text(result.model_dump_json(indent=2))
        typer.echo(json.dumps(result.summary.model_dump()))

    @export_app.command("evaluations")
    def export_evaluations(
        file_format: Annotated[
            str, typer.Option("--format", help="csv (DEQAR's template) or json (its API).")
        ] = "csv",
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        agency: Annotated[
            str | None, typer.Option("--agency", help="Only this agency's (acronym).")
        ] = None,
        node: Annotated[str, typer.Option("--node", help="Node id.")] = "cn",
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
        database_url: Annotated[str | None, typer.Option("--database-url")] = None,
    ) -> None:
        """Export this node's evaluations in DEQAR's submission formats (to a file or stdout):
        what `edunode import evaluations` and DEQAR itself read back."""
        if file_format not in ("csv", "json"):
            raise typer.BadParameter("csv or json", param_hint="--format")
        config = NodeConfig(
            node_id=node, data_dir=data_dir or Path(".data") / node, database_url=database_url
        )
        chosen: Literal["csv", "json"] = "csv" if file_format == "csv" else "json"
        sink = output.open("wb") if output else sys.stdout.buffer
        try:
            count = asyncio.run(export_evaluations_file(config, chosen, sink, agency=agency))
        except ValueError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        finally:
            if output:
                sink.close()
        console.print(f"exported {count} evaluations")


async def export_evaluations_file(
    config: NodeConfig, file_format: Literal["csv", "json"], sink: BinaryIO, *, agency: str | None
) -> int:
    """Write the node's own evaluations (of one agency, by acronym, if given) in DEQAR's CSV or
    JSON submission format; returns how many were written."""
    settings = quality_settings(config)
    database = Database(settings.database_url)
    try:
        agency_id = None
        if agency is not None:
            async with database.session() as session:
                found = await AgencyRepository(session).find_named(
                    agency, origin_node=config.node_id
                )
            if found is None:
                raise ValueError(f"no agency of node {config.node_id!r} has the acronym {agency!r}")
            agency_id = found.id
        where = EvaluationFilter(
            origin_node=config.node_id, agency_id=agency_id, include_hidden=True
        )
        documents = export_deqar(database, where)
        if file_format == "json":
            return await write_deqar_json(documents, sink)
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)
        try:
            return await write_deqar_csv(documents, text)
        finally:
            text.detach()
    finally:
        await database.dispose()


# -- demo ---------------------------------------------------------------------------------------

# Illustrative records: the agencies are real, their register windows approximate.
DEMO_AGENCIES: dict[str, dict[str, Any]] = {
    "cn": {
        "name": "Higher Education Evaluation Center of the Ministry of Education",
        "acronym": "HEEC",
        "country": "CN",
        "website": "https://www.heec.edu.cn/",
        "focus_countries": [{"country": "CN", "kind": "official"}],
        "registrations": [
            {"register": "national", "valid_from": "2004-08-01", "decision": "admission"}
        ],
        "activities": [{"type": "institutional", "name": "Undergraduate teaching audit"}],
        "framework": "national",
    },
    "my": {
        "name": "Malaysian Qualifications Agency",
        "acronym": "MQA",
        "names": [{"value": "Agensi Kelayakan Malaysia", "lang": "ms"}],
        "country": "MY",
        "website": "https://www.mqa.gov.my/",
        "focus_countries": [{"country": "MY", "kind": "official"}],
        "registrations": [
            {"register": "AQAN", "valid_from": "2008-07-01", "decision": "admission"},
            {"register": "national", "valid_from": "2007-11-01", "decision": "admission"},
        ],
        "activities": [
            {"type": "programme", "name": "Programme accreditation"},
            {"type": "institutional", "name": "Institutional audit"},
        ],
        "framework": "AQAF",
    },
    "de": {
        "name": "Accreditation, Certification and Quality Assurance Institute",
        "acronym": "ACQUIN",
        "country": "DE",
        "website": "https://www.acquin.org/",
        "focus_countries": [{"country": "DE", "kind": "official"}],
        "registrations": [
            {
                "register": "EQAR",
                "valid_from": "2009-01-01",
                "valid_to": "2013-12-31",
                "decision": "admission",
            },
            {"register": "EQAR", "valid_from": "2014-01-01", "decision": "renewal"},
        ],
        "activities": [
            {"type": "programme", "name": "Programme accreditation"},
            {"type": "institutional", "name": "System accreditation"},
        ],
        "framework": "ESG 2015",
    },
}
# (decision, valid_from, valid_to) of the evaluations of the first four demo institutions:
# a positive, a conditional, a negative and an expired one.
DEMO_OUTCOMES = [
    ("positive", "2021-03-01", "2027-02-28"),
    ("positive with conditions or restrictions", "2022-09-01", "2028-08-31"),
    ("negative", "2023-05-01", "2029-04-30"),
    ("positive", "2014-01-01", "2019-12-31"),
]


# The demo institutions evaluated (ROR id, display name), from `demo_data/ror-<country>.json.gz`.
DEMO_INSTITUTIONS: dict[str, list[tuple[str, str]]] = {
    "cn": [
        ("https://ror.org/013q1eq08", "Fudan University"),
        ("https://ror.org/01rxvg760", "Nanjing University"),
        ("https://ror.org/02v51f717", "Peking University"),
        ("https://ror.org/03cve4549", "Tsinghua University"),
    ],
    "my": [
        ("https://ror.org/00rzspn62", "University of Malaya"),
        ("https://ror.org/00bw8d226", "National University of Malaysia"),
        ("https://ror.org/02e91jd64", "Universiti Putra Malaysia"),
        ("https://ror.org/02rgb2k63", "Universiti Sains Malaysia"),
    ],
    "de": [
        ("https://ror.org/038t36y30", "Heidelberg University"),
        ("https://ror.org/03s7gtk40", "Leipzig University"),
        ("https://ror.org/042aqky30", "Technische Universität Dresden"),
        ("https://ror.org/03bnmw459", "University of Potsdam"),
    ],
}


async def seed_demo_quality(config: NodeConfig, *, wait_seconds: float = 30.0) -> int:
    """Seed the node's demo agency and evaluations of its demo institutions; returns how many
    records were created or changed (0 on a second run: everything goes by acronym and local
    identifier). The institutions come from the reference table the directory's events fill,
    so this waits (up to `wait_seconds`) until they have arrived."""
    template = DEMO_AGENCIES.get(config.node_id)
    if template is None:
        return 0
    settings = quality_settings(config)
    database = Database(settings.database_url)
    quality_publisher = publisher(settings.node_id)
    principal = operator(config)
    country = template["country"]
    wanted = DEMO_INSTITUTIONS[config.node_id]
    try:
        institution_ids = await _wait_for_institutions(database, wanted, country, wait_seconds)
        changed = 0
        async with database.session() as session:
            agencies = AgencyService(session, quality_publisher, settings)
            agency = await agencies.repository.find_by_acronym(
                template["acronym"], origin_node=config.node_id
            )
            if agency is None:
                agency = await agencies.create(principal, AgencyCreate.model_validate(template))
                changed += 1
            agency_id = agency.id
            activity = template["activities"][-1]["type"]
        for position, institution_id in enumerate(institution_ids):
            decision, valid_from, valid_to = DEMO_OUTCOMES[position]
            submission = EvaluationSubmission.model_validate(
                {
                    "agency_id": str(agency_id),
                    "local_identifier": f"DEMO-{template['acronym']}-{position + 1:03d}",
                    "activity_type": activity,
                    "decision": decision,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "institutions": [str(institution_id)],
                    "summary": f"Demo {decision} result ({valid_from} to {valid_to}).",
                    "files": [{"url": template["website"], "languages": ["en"]}],
                }
            )
            async with database.session() as session:
                service = EvaluationService(session, quality_publisher, settings)
                result, _ = await service.submit(principal, submission, mode="upsert")
                changed += result.result != "unchanged"
        return changed
    finally:
        await database.dispose()


async def _wait_for_institutions(
    database: Database, wanted: list[tuple[str, str]], country: str, wait_seconds: float
) -> list[Any]:
    """The reference-table ids of the wanted institutions (by ROR id, else by name), waiting
    for the directory's events to bring them; those still missing at the deadline are left
    out."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        found: list[Any] = []
        async with database.session() as session:
            repository = InstitutionRefRepository(session)
            by_ror = {
                value: institution_id
                for _, value, institution_id in await repository.find_by_identifiers(
                    [ror for ror, _ in wanted]
                )
            }
            for ror, name in wanted:
                if ror in by_ror:
                    found.append(by_ror[ror])
                elif (ref := await repository.find_by_name(name, country=country)) is not None:
                    found.append(ref.id)
        if len(found) == len(wanted) or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.5)
