"""The institutions service's commands: `edunode import|export institutions`,
`edunode reference institution` and `edunode ror fetch`.

They work on the node's institutions database through the service's own code (the bulk
importer, the export, `InstitutionService`), rows and their outbox events in the same
transactions: a running node's institutions service publishes the events and picks the rows
up within seconds.
"""

from __future__ import annotations

import asyncio
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.bulk.export import export_stream
from services.institutions.bulk.formats import (
    RorDumpError,
    SourceRow,
    read_csv,
    read_ndjson,
    read_ror,
)
from services.institutions.bulk.importer import ImportSummary, InstitutionImporter
from services.institutions.bulk.ror import (
    ROR_DUMP_URL_VARIABLE,
    RorFetchError,
    export_ror,
    fetch_latest_dump,
    write_ror_json,
)
from services.institutions.db import publisher
from services.institutions.registry.records import read_of
from services.institutions.registry.repository import InstitutionFilters
from services.institutions.registry.schemas import InstitutionCreate
from services.institutions.registry.service import InstitutionService
from services.institutions.settings import InstitutionsSettings
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
MAX_ERRORS_SHOWN = 50


class ImportFormat(StrEnum):
    ROR = "ror"
    CSV = "csv"
    NDJSON = "ndjson"


def read_rows(path: Path, format_: ImportFormat) -> list[SourceRow]:
    """Every row of a file in the given format."""
    reader = {
        ImportFormat.ROR: read_ror,
        ImportFormat.CSV: read_csv,
        ImportFormat.NDJSON: read_ndjson,
    }
    return list(reader[format_](path))


async def import_file(
    database_url: str,
    node_id: str,
    countries: list[str],
    path: Path,
    format_: ImportFormat,
    *,
    reference: bool = False,
    source: str | None = None,
    show_progress: bool = False,
) -> ImportSummary:
    """Import a file into a (migrated) institutions database of node `node_id`. Reference
    copies carry `source`, by default the file's format and name."""
    rows = await asyncio.to_thread(read_rows, path, format_)
    database = Database(database_url)
    try:
        importer = InstitutionImporter(
            database,
            node_id,
            countries,
            publisher(node_id),
            reference=reference,
            source=source or f"{format_.value.upper()} file {path.name}",
        )
        if not show_progress:
            return await importer.run(rows)
        with Progress(
            TextColumn("[bold]importing[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(path.name, total=len(rows))
            importer.progress = lambda n: progress.advance(task, n)
            return await importer.run(rows)
    finally:
        await database.dispose()


async def import_institutions(
    node: CommandNode,
    path: Path,
    format_: ImportFormat,
    *,
    reference: bool = False,
    source: str | None = None,
    show_progress: bool = False,
) -> ImportSummary:
    """`edunode import institutions`: a file into the node's institutions database, migrated
    first."""
    url = await asyncio.to_thread(node.migrated_database_url, "institutions")
    return await import_file(
        url,
        node.node_id,
        node.countries,
        path,
        format_,
        reference=reference,
        source=source,
        show_progress=show_progress,
    )


def print_summary(summary: ImportSummary) -> None:
    columns = ("created", "updated", "unchanged", "rejected", "skipped")
    table = Table(title="import summary")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(*(str(getattr(summary, column)) for column in columns))
    console.print(table)
    for reason, count in summary.skip_reasons.most_common():
        console.print(f"  skipped {count}: {reason}")
    for error in summary.errors[:MAX_ERRORS_SHOWN]:
        console.print(f"  [red]line {error.line}[/]: {error.message}")
    if len(summary.errors) > MAX_ERRORS_SHOWN:
        console.print(f"  … and {len(summary.errors) - MAX_ERRORS_SHOWN} more rejected rows")


async def export_institutions(
    node: CommandNode, format_: Literal["ndjson", "csv", "ror"], sink: Any, country: str | None
) -> None:
    """`edunode export institutions`: the node's institutions as NDJSON, CSV or a ROR dump."""
    database = Database(node.database_url_for("institutions"))
    try:
        filters = InstitutionFilters(country=country.upper() if country else None)
        if format_ == "ror":
            export = await write_ror_json(export_ror(database, filters), sink)
            console.print(f"{export.written} ROR records written")
            for reason, count in sorted(export.skipped.items()):
                console.print(f"  skipped {count}: {reason}")
            return
        async for chunk in export_stream(database, filters, format_):
            sink.write(chunk)
    finally:
        await database.dispose()


async def enter_reference_institutions(
    node: CommandNode, payloads: list[dict[str, Any]], trust: TrustList | None
) -> tuple[list[dict[str, Any]], int]:
    """`edunode reference institution`: each payload created as the API's POST does, by the
    node's operator; returns the records entered and how many were refused."""
    url = await asyncio.to_thread(node.migrated_database_url, "institutions")
    settings = InstitutionsSettings(
        node_id=node.node_id, countries=node.countries, database_url=url
    )

    async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any]:
        service = InstitutionService(
            session=session, publisher=publisher(node.node_id), settings=settings, trust=trust
        )
        row = await service.create(node.operator(), InstitutionCreate.model_validate(payload))
        return read_of(row, [], None)

    return await enter_each(url, payloads, enter)


def register(groups: CommandGroups) -> None:
    """Add the institutions service's commands to `edunode`."""

    @groups.imports.command("institutions")
    def import_command(
        node: NodeOption,
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        format_: Annotated[
            ImportFormat,
            typer.Option(
                "--format",
                help="ror (a ROR v2 dump: ROR's zip as published, or its JSON, plain or "
                "gzip), csv or ndjson.",
            ),
        ],
        reference: Annotated[
            bool,
            typer.Option(
                "--reference",
                help="Also keep other countries' records, as read-only reference copies "
                "(is_reference=true), superseded when their owning node publishes them.",
            ),
        ] = False,
        source: Annotated[
            str | None,
            typer.Option(
                "--source",
                help="Where the reference copies come from (e.g. 'ROR v1.63, 2025-04-03'); "
                "by default the file's format and name.",
            ),
        ] = None,
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
    ) -> None:
        """Import institutions idempotently: a second import of the same file changes nothing.
        Prints a summary (created/updated/unchanged/rejected/skipped) and each rejected row."""
        target = CommandNode.from_options(node, data_dir, database_url, countries)
        try:
            summary = asyncio.run(
                import_institutions(
                    target, file, format_, reference=reference, source=source, show_progress=True
                )
            )
        except RorDumpError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        print_summary(summary)
        if summary.rejected and not (summary.created or summary.updated or summary.unchanged):
            raise typer.Exit(1)

    @groups.exports.command("institutions")
    def export_command(
        node: NodeOption,
        format_: Annotated[
            str, typer.Option("--format", help="ndjson, csv or ror (ROR v2 records).")
        ] = "ndjson",
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        country: Annotated[str | None, typer.Option(help="Only this country.")] = None,
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
    ) -> None:
        """Stream the node's institutions as NDJSON or CSV (to a file or stdout), as
        `GET /v1/institutions/export` does, or as a ROR data dump (a JSON array of ROR v2
        records: the institutions with a ROR id and the GeoNames id of their city)."""
        if format_ not in ("ndjson", "csv", "ror"):
            raise typer.BadParameter("ndjson, csv or ror", param_hint="--format")
        chosen: Literal["ndjson", "csv", "ror"] = (
            "csv" if format_ == "csv" else "ror" if format_ == "ror" else "ndjson"
        )
        target = CommandNode.from_options(node, data_dir, database_url)
        sink = output.open("wb") if output else sys.stdout.buffer
        try:
            asyncio.run(export_institutions(target, chosen, sink, country))
        finally:
            if output:
                sink.close()

    @groups.reference.command("institution")
    def reference_command(
        file: FileArgument,
        source: SourceOption,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
        trust: TrustOption = None,
    ) -> None:
        """Enter institutions of a country without a node as reference records. Prints them
        as JSON; each refused record is reported with its reason."""
        target = CommandNode.from_options(node, data_dir, database_url, countries)
        trust_list = TrustList.load(trust) if trust is not None else None
        print_entered(
            *asyncio.run(
                enter_reference_institutions(target, read_payloads(file, source), trust_list)
            )
        )

    ror = typer.Typer(help="The Research Organization Registry's data dump.", no_args_is_help=True)
    groups.root.add_typer(ror, name="ror")

    @ror.command("fetch")
    def ror_fetch(
        directory: Annotated[Path, typer.Option("--dir", help="Where the dump is kept.")] = Path(
            ".data"
        )
        / "ror",
        url: Annotated[
            str | None,
            typer.Option(
                "--url",
                envvar=ROR_DUMP_URL_VARIABLE,
                help="The Zenodo record (or search) answering with the latest release; ROR's "
                "concept record by default.",
            ),
        ] = None,
        token: Annotated[
            str | None,
            typer.Option("--token", envvar="ZENODO_API_KEY", help="A Zenodo API key (optional)."),
        ] = None,
    ) -> None:
        """Download the latest ROR data dump from Zenodo (where ROR publishes its releases) and
        print the zip's path; `edunode import institutions PATH --format ror` reads it as it
        is. A release already downloaded is not fetched again."""
        try:
            release, path, downloaded = fetch_latest_dump(directory, url=url, token=token)
        except RorFetchError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(1) from None
        console.print(
            f"ROR {release.version}: {'downloaded' if downloaded else 'already here'} ({path})"
        )
        typer.echo(str(path))
