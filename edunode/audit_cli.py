"""`edunode audit verify`: walk each service's audit chain and report the first broken link."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from edunode.node import ALL_SERVICES, NodeConfig
from shared.audit import ChainReport, verify_chain
from shared.db import Database


class AuditedService(StrEnum):
    INSTITUTIONS = "institutions"
    QUALITY = "quality"
    RECOGNITION = "recognition"
    GATEWAY = "gateway"
    ALL = "all"


async def verify_database(database_url: str) -> ChainReport:
    """Walk the audit chain of one service's database."""
    database = Database(database_url)
    try:
        async with database.engine.connect() as connection:
            return await verify_chain(connection)
    finally:
        await database.dispose()


def _missing_sqlite_file(database_url: str) -> bool:
    url = make_url(database_url)
    return url.drivername.startswith("sqlite") and not Path(url.database or "").exists()


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(help="The node's audit trail.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def verify(
        node: Annotated[str, typer.Option("--node", help="Node id: lowercase ISO 3166 code.")],
        service: Annotated[
            AuditedService, typer.Option("--service", help="Which service's log.")
        ] = AuditedService.ALL,
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="Where the node keeps its state.")
        ] = None,
        database_url: Annotated[
            str | None,
            typer.Option(
                "--database-url",
                help="postgresql+asyncpg://user@host/base (one database per service, "
                "<base>_<service>); SQLite files in the data dir when left out.",
            ),
        ] = None,
    ) -> None:
        """Recompute every entry's hash and link, service by service. Prints `ok` with the
        number of entries and the head (note it: a later run can only show a cut tail against
        it), or the first broken link (its seq, the expected and the found value) and exits 1."""
        config = NodeConfig(
            node_id=node, data_dir=data_dir or Path(".data") / node, database_url=database_url
        )
        services = ALL_SERVICES if service is AuditedService.ALL else (service.value,)
        broken = False
        for name in services:
            url = config.database_url_for(name)
            if _missing_sqlite_file(url):
                typer.echo(f"{name}: no database at {make_url(url).database}", err=True)
                raise typer.Exit(2)
            report = asyncio.run(verify_database(url))
            if report.broken is None:
                typer.echo(
                    f"{name}: ok, {report.count} entries, head seq {report.head_seq} "
                    f"hash {report.head_hash}"
                )
                continue
            link = report.broken
            broken = True
            typer.echo(
                f"{name}: BROKEN at seq {link.seq}: {link.reason} "
                f"(expected {link.expected}, found {link.found}); "
                f"{report.count} entries before it verify"
            )
        if broken:
            raise typer.Exit(1)
