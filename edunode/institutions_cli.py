"""The `edunode` commands of the institutions service (bulk import/export, demo seeding).

`edunode import institutions FILE --format ror|csv|ndjson [--reference]` writes straight into
the node's institutions database (rows and their outbox events in the same transactions); a
running node's institutions service publishes the events and picks the rows up within seconds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
from collections.abc import Coroutine
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from edunode.node import NodeConfig, migrate
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
from shared.db import Database

console = Console(stderr=True)
MAX_ERRORS_SHOWN = 50
T = TypeVar("T")


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


async def import_for_node(
    config: NodeConfig,
    path: Path,
    format_: ImportFormat,
    *,
    reference: bool = False,
    source: str | None = None,
    show_progress: bool = False,
) -> ImportSummary:
    """Import a file into a node's institutions database, migrating it first."""
    await asyncio.to_thread(migrate, config, ("institutions",))
    return await import_file(
        config.database_url_for("institutions"),
        config.node_id,
        config.countries,
        path,
        format_,
        reference=reference,
        source=source,
        show_progress=show_progress,
    )


def print_summary(summary: ImportSummary) -> None:
    table = Table(title="import summary")
    for column in ("created", "updated", "unchanged", "rejected", "skipped"):
        table.add_column(column, justify="right")
    table.add_row(
        *(
            str(getattr(summary, column))
            for column in ("created", "updated", "unchanged", "rejected", "skipped")
        )
    )
    console.print(table)
    for reason, count in summary.skip_reasons.most_common():
        console.print(f"  skipped {count}: {reason}")
    for error in summary.errors[:MAX_ERRORS_SHOWN]:
        console.print(f"  [red]line {error.line}[/]: {error.message}")
    if len(summary.errors) > MAX_ERRORS_SHOWN:
        console.print(f"  … and {len(summary.errors) - MAX_ERRORS_SHOWN} more rejected rows")


def seed_demo_institutions(config: NodeConfig) -> int:
    """Import the node's countries' real education institutions (ROR, CC0) shipped in
    `edunode/demo_data/ror-<country>.json.gz`; idempotent. Returns how many were created."""
    created = 0
    for country in config.countries:
        data = resources.files("edunode") / "demo_data" / f"ror-{country.lower()}.json.gz"
        if not data.is_file():
            continue
        with resources.as_file(data) as path:
            summary = _run_blocking(import_for_node(config, path, ImportFormat.ROR))
        created += summary.created
    return created


def _run_blocking(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when called inside an event loop
    (then on a worker thread with its own loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        return executor.submit(asyncio.run, work).result()


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    """Add this service's `edunode import …` and `edunode export …` commands."""

    @import_app.command("institutions")
    def import_institutions(
        node: Annotated[str, typer.Option("--node", help="Node id.")],
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
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
        database_url: Annotated[str | None, typer.Option("--database-url")] = None,
        countries: Annotated[
            str | None, typer.Option(help="Countries the node has authority over.")
        ] = None,
    ) -> None:
        """Import institutions idempotently: a second import of the same file changes nothing.
        Prints a summary (created/updated/unchanged/rejected/skipped) and each rejected row."""
        config = NodeConfig(
            node_id=node,
            data_dir=data_dir or Path(".data") / node,
            database_url=database_url,
            countries=[c.strip().upper() for c in countries.split(",")] if countries else [],
        )
        try:
            summary = asyncio.run(
                import_for_node(
                    config, file, format_, reference=reference, source=source, show_progress=True
                )
            )
        except RorDumpError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        print_summary(summary)
        if summary.rejected and not (summary.created or summary.updated or summary.unchanged):
            raise typer.Exit(1)

    @export_app.command("institutions")
    def export_institutions(
        node: Annotated[str, typer.Option("--node", help="Node id.")],
        format_: Annotated[
            str, typer.Option("--format", help="ndjson, csv or ror (ROR v2 records).")
        ] = "ndjson",
        output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
        country: Annotated[str | None, typer.Option(help="Only this country.")] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
        database_url: Annotated[str | None, typer.Option("--database-url")] = None,
    ) -> None:
        """Stream the node's institutions as NDJSON or CSV (to a file or stdout), as
        `GET /v1/institutions/export` does, or as a ROR data dump (a JSON array of ROR v2
        records: the institutions with a ROR id and the GeoNames id of their city)."""
        from services.institutions.bulk.export import export_stream
        from services.institutions.institutions.repository import InstitutionFilters

        if format_ not in ("ndjson", "csv", "ror"):
            raise typer.BadParameter("ndjson, csv or ror", param_hint="--format")
        chosen: Literal["ndjson", "csv"] = "csv" if format_ == "csv" else "ndjson"
        config = NodeConfig(
            node_id=node, data_dir=data_dir or Path(".data") / node, database_url=database_url
        )

        async def run() -> None:
            database = Database(config.database_url_for("institutions"))
            sink = output.open("wb") if output else sys.stdout.buffer
            try:
                filters = InstitutionFilters(country=country.upper() if country else None)
                if format_ == "ror":
                    export = await write_ror_json(export_ror(database, filters), sink)
                    console.print(f"{export.written} ROR records written")
                    for reason, count in sorted(export.skipped.items()):
                        console.print(f"  skipped {count}: {reason}")
                    return
                async for chunk in export_stream(database, filters, chosen):
                    sink.write(chunk)
            finally:
                if output:
                    sink.close()
                await database.dispose()

        asyncio.run(run())


ror_app = typer.Typer(help="The Research Organization Registry's data dump.", no_args_is_help=True)


@ror_app.command("fetch")
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
    print the zip's path; `edunode import institutions PATH --format ror` reads it as it is.
    A release already downloaded is not fetched again."""
    try:
        release, path, downloaded = fetch_latest_dump(directory, url=url, token=token)
    except RorFetchError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(
        f"ROR {release.version}: {'downloaded' if downloaded else 'already here'} ({path})"
    )
    typer.echo(str(path))
