"""The gateway's commands: `edunode clients create`, the node's API clients (OAuth2 client
credentials), created through the same service as the gateway's own."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer
from rich.console import Console

from services.gateway.clients.service import create_client
from shared.auth import ROLE_SCOPES, Role, Scope
from shared.cli import CommandGroups, CommandNode, DatabaseOption, DataDirOption, NodeOption

console = Console(stderr=True)


def register(groups: CommandGroups) -> None:
    """Add the gateway's commands to `edunode`."""
    clients = typer.Typer(help="API clients (OAuth2 client credentials).", no_args_is_help=True)
    groups.root.add_typer(clients, name="clients")

    @clients.command("create")
    def create_client_command(
        node: NodeOption,
        name: Annotated[str, typer.Option(help="Who the client is, for the audit trail.")],
        role: Annotated[Role, typer.Option(help="The client's role.")],
        scopes: Annotated[
            str | None,
            typer.Option(
                help="Space- or comma-separated scopes; all the role allows when left out."
            ),
        ] = None,
        institution: Annotated[
            str | None, typer.Option("--institution", help="For a university: its institution id.")
        ] = None,
        agency: Annotated[
            str | None, typer.Option("--agency", help="For a QA agency: its agency id.")
        ] = None,
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
    ) -> None:
        """Create an API client and print its credentials as JSON (the secret is shown once)."""
        target = CommandNode.from_options(node, data_dir, database_url)
        url = target.migrated_database_url("gateway")
        requested = (
            [Scope(s) for s in scopes.replace(",", " ").split()]
            if scopes
            else sorted(ROLE_SCOPES[role])
        )
        try:
            client_id, client_secret = create_client(
                url,
                name=name,
                role=role,
                scopes=requested,
                institution_id=uuid.UUID(institution) if institution else None,
                agency_id=uuid.UUID(agency) if agency else None,
            )
        except ValueError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        typer.echo(
            json.dumps(
                {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "role": role.value,
                    "scopes": sorted(s.value for s in requested),
                },
                indent=2,
            )
        )
