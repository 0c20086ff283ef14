"""The quality service's commands: `edunode import|export evaluations`, `edunode import
agencies` and `edunode reference agency|evaluation`.

They work on the node's quality database through the service's own code (the bulk import,
`AgencyService`, `EvaluationService`), records and their outbox events in the same
transactions: the quality service's relay publishes them once the node runs.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.agencies.schemas import AgencyCreate, AgencyRead
from services.quality.agencies.service import AgencyService
from services.quality.db import publisher
from services.quality.evaluations.bulk import (
    Row,
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
from services.quality.settings import QualitySettings
from shared.cli import (
    CommandGroups,
    CommandNode,
    CountriesOption,
    DatabaseOption,
    DataDirOption,
    FileArgument,
    NodeOption,
    SourceOption,
    TrustOption,
    enter_each,
    print_entered,
    read_payloads,
)
from shared.db import Database
from shared.trust import TrustList

console = Console(stderr=True)


def quality_settings(node: CommandNode, database_url: str | None = None) -> QualitySettings:
    return QualitySettings(
        node_id=node.node_id,
        countries=node.countries,
        database_url=database_url or node.database_url_for("quality"),
    )


async def migrated_settings(node: CommandNode) -> QualitySettings:
    """The settings of the node's quality database, created if need be and migrated."""
    return quality_settings(node, await asyncio.to_thread(node.migrated_database_url, "quality"))


def _count_rows(path: Path, file_format: str) -> int | None:
    if file_format == "csv":
        with path.open(encoding="utf-8-sig") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    return None


async def import_evaluations(
    node: CommandNode, rows: Iterable[Row], *, on_chunk: Callable[[int], None] | None = None
) -> BatchReport:
    """`edunode import evaluations`: rows (as DEQAR's files or edunode's own name their
    fields) submitted as the node's operator, into its quality database, migrated first."""
    settings = quality_settings(
        node, await asyncio.to_thread(node.migrated_database_url, "quality")
    )
    database = Database(settings.database_url)
    try:
        return await import_evaluation_rows(
            database,
            publisher(node.node_id),
            settings,
            node.operator(),
            rows,
            on_chunk=on_chunk,
        )
    finally:
        await database.dispose()


async def export_evaluations(
    node: CommandNode, file_format: Literal["csv", "json"], sink: BinaryIO, *, agency: str | None
) -> int:
    """`edunode export evaluations`: the node's own evaluations (of one agency, by acronym,
    if given) in DEQAR's CSV or JSON submission format; returns how many were written."""
    settings = quality_settings(node)
    database = Database(settings.database_url)
    try:
        agency_id = None
        if agency is not None:
            async with database.session() as session:
                found = await AgencyService(session, publisher(node.node_id), settings).find_own(
                    agency
                )
            if found is None:
                raise ValueError(f"no agency of node {node.node_id!r} has the acronym {agency!r}")
            agency_id = found.id
        where = EvaluationFilter(origin_node=node.node_id, agency_id=agency_id, include_hidden=True)
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


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


async def enter_agencies(
    node: CommandNode,
    payloads: list[dict[str, Any]],
    trust: TrustList | None = None,
    *,
    keep_existing: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """`edunode import agencies` and `edunode reference agency`: each payload created as the
    API's POST does, by the node's operator; with `keep_existing`, not when this node already
    has an agency of that acronym (left as it is: the API edits it). Returns the agencies
    created and how many were refused."""
    settings = quality_settings(
        node, await asyncio.to_thread(node.migrated_database_url, "quality")
    )

    async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any] | None:
        service = AgencyService(session, publisher(node.node_id), settings, trust=trust)
        data = AgencyCreate.model_validate(payload)
        if keep_existing and data.acronym and await service.find_own(data.acronym):
            console.print(f"agency {data.acronym} is already there: left unchanged")
            return None
        return _dump(AgencyRead.model_validate(await service.create(node.operator(), data)))

    return await enter_each(settings.database_url, payloads, enter)


async def enter_reference_evaluations(
    node: CommandNode, payloads: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int]:
    """`edunode reference evaluation`: each payload submitted as the API's PUT does (created
    or updated by local identifier), by the node's operator."""
    settings = quality_settings(
        node, await asyncio.to_thread(node.migrated_database_url, "quality")
    )

    async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any]:
        service = EvaluationService(session, publisher(node.node_id), settings)
        result, _ = await service.submit(
            node.operator(), EvaluationSubmission.model_validate(payload), mode="upsert"
        )
        return _dump(result)

    return await enter_each(settings.database_url, payloads, enter)


def register(groups: CommandGroups) -> None:
    """Add the quality service's commands to `edunode`."""

    @groups.imports.command("evaluations")
    def import_evaluations_command(
        node: NodeOption,
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file.")],
        file_format: Annotated[
            str,
            typer.Option(
                "--format",
                help="csv (DEQAR's template, or edunode's columns) or json (DEQAR's submission "
                "objects, or edunode's).",
            ),
        ] = "csv",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
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
        target = CommandNode.from_options(node, data_dir, database_url)
        rows = read_csv(file) if file_format == "csv" else read_json(file)
        with Progress(
            TextColumn("[bold]importing evaluations"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("import", total=_count_rows(file, file_format))
            result = asyncio.run(
                import_evaluations(target, rows, on_chunk=lambda done: progress.advance(task, done))
            )
        for row in result.results:
            if row.result == "rejected":
                reasons = "; ".join(f"{e['path']}: {e['message']}" for e in row.errors)
                console.print(f"[red]row {row.index}[/] {row.local_identifier or ''} {reasons}")
        if report is not None:
            report.write_text(result.model_dump_json(indent=2))
        typer.echo(json.dumps(result.summary.model_dump()))

    @groups.exports.command("evaluations")
    def export_evaluations_command(
        file_format: Annotated[
            str, typer.Option("--format", help="csv (DEQAR's template) or json (its API).")
        ] = "csv",
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        agency: Annotated[
            str | None, typer.Option("--agency", help="Only this agency's (acronym).")
        ] = None,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
    ) -> None:
        """Export this node's evaluations in DEQAR's submission formats (to a file or stdout):
        what `edunode import evaluations` and DEQAR itself read back."""
        if file_format not in ("csv", "json"):
            raise typer.BadParameter("csv or json", param_hint="--format")
        target = CommandNode.from_options(node, data_dir, database_url)
        chosen: Literal["csv", "json"] = "csv" if file_format == "csv" else "json"
        sink = output.open("wb") if output else sys.stdout.buffer
        try:
            count = asyncio.run(export_evaluations(target, chosen, sink, agency=agency))
        except ValueError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        finally:
            if output:
                sink.close()
        console.print(f"exported {count} evaluations")

    @groups.imports.command("agencies")
    def import_agencies_command(
        file: FileArgument,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
    ) -> None:
        """Enter this node's QA agencies (a JSON object or array, as `POST /v1/agencies`
        takes it); an agency whose acronym the node already has is left as it is. Prints the
        agencies created as JSON."""
        target = CommandNode.from_options(node, data_dir, database_url, countries)
        print_entered(*asyncio.run(enter_agencies(target, read_payloads(file), keep_existing=True)))

    @groups.reference.command("agency")
    def reference_agency_command(
        file: FileArgument,
        source: SourceOption,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
        trust: TrustOption = None,
    ) -> None:
        """Enter QA agencies of a country without a node as reference records."""
        target = CommandNode.from_options(node, data_dir, database_url, countries)
        trust_list = TrustList.load(trust) if trust is not None else None
        print_entered(*asyncio.run(enter_agencies(target, read_payloads(file, source), trust_list)))

    @groups.reference.command("evaluation")
    def reference_evaluation_command(
        file: FileArgument,
        source: SourceOption,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
    ) -> None:
        """Enter evaluations (QA results) by a reference agency, as reference records. The
        institutions they name must have reached the node's quality service (enter them first,
        with the node running)."""
        target = CommandNode.from_options(node, data_dir, database_url, countries)
        print_entered(
            *asyncio.run(enter_reference_evaluations(target, read_payloads(file, source)))
        )
