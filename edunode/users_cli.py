"""`edunode users create`: a person who signs in to the node's console (docs/console.md),
created through the same service as the console's own users page."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from services.gateway.console.roles import ConsoleRole
from services.gateway.console.service import create_user_blocking
from shared.cli import CommandNode, DatabaseOption, DataDirOption, NodeOption

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add `edunode users` to the command."""
    users = typer.Typer(help="The people who sign in to the console.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("create")
    def create_user_command(
        node: NodeOption,
        username: Annotated[str, typer.Option(help="What the person signs in with.")],
        name: Annotated[str, typer.Option(help="The person's name, shown in the console.")],
        role: Annotated[ConsoleRole, typer.Option(help="What the person may do.")],
        institution: Annotated[
            str | None,
            typer.Option("--institution", help="For a university's user: its institution id."),
        ] = None,
        agency: Annotated[
            str | None, typer.Option("--agency", help="For a QA agency's user: its agency id.")
        ] = None,
        password_stdin: Annotated[
            bool,
            typer.Option(
                "--password-stdin", help="Read the password from standard input (scripts)."
            ),
        ] = False,
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
    ) -> None:
        """Create a console user; the password is asked for (twice) unless given on stdin."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        target = CommandNode.from_options(node, data_dir, database_url)
        try:
            user = create_user_blocking(
                target.migrated_database_url("gateway"),
                username,
                name,
                role,
                password,
                institution_id=institution,
                agency_id=agency,
            )
        except ValueError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        typer.echo(
            json.dumps(
                {"username": user.username, "name": user.display_name, "role": user.role},
                indent=2,
            )
        )
