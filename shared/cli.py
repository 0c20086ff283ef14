"""The kernel's part of the command line: what every service's `cli.py` needs to find the node
a command works on, act as its operator, and add its commands to `edunode`.

A service's commands live beside the service (`services/<name>/cli.py`, a `register`
function); they call the same service functions its HTTP routers call. `edunode/cli.py` only
assembles them, with the node-level commands (up, hub, deploy, trust, federation, audit).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import act_as, command_line_actor
from shared.auth import ROLE_SCOPES, Principal, Role
from shared.db import Database
from shared.errors import ProblemError
from shared.fields import CONTROL_CHARACTERS_MESSAGE, control_character_paths

console = Console(stderr=True)

NodeOption = Annotated[str, typer.Option("--node", help="Node id: lowercase ISO 3166 code.")]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Where the node keeps its state.")
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="postgresql+asyncpg://user@host/base (one database per service, "
        "<base>_<service>); SQLite files in the data dir when left out.",
    ),
]
CountriesOption = Annotated[
    str | None, typer.Option(help="Countries this node has authority over (comma-separated).")
]


def service_database_url(
    node_id: str, data_dir: Path, database_url: str | None, service: str
) -> str:
    """A service's database: a SQLite file in the node's data dir by default; with a
    PostgreSQL URL, one database per service named `<database>_<service>`."""
    if database_url is None:
        return f"sqlite+aiosqlite:///{data_dir / 'db' / f'{service}.db'}"
    url = make_url(database_url)
    base = url.database or f"edunode_{node_id.replace('-', '_')}"
    return url.set(database=f"{base}_{service}").render_as_string(hide_password=False)


def parse_countries(countries: str | None) -> list[str]:
    """`--countries my,sg` as ISO codes (none when left out)."""
    return [c.strip().upper() for c in countries.split(",")] if countries else []


@dataclass(frozen=True)
class CommandNode:
    """The node a command works on, as its options name it (`--node`, `--data-dir`,
    `--database-url`, `--countries`)."""

    node_id: str
    data_dir: Path
    database_url: str | None = None
    countries: list[str] = field(default_factory=list)

    @classmethod
    def from_options(
        cls,
        node: str,
        data_dir: Path | None,
        database_url: str | None = None,
        countries: str | None = None,
    ) -> CommandNode:
        return cls(
            node_id=node,
            data_dir=(data_dir or Path(".data") / node).resolve(),
            database_url=database_url,
            countries=parse_countries(countries) or [node[:2].upper()],
        )

    def database_url_for(self, service: str) -> str:
        return service_database_url(self.node_id, self.data_dir, self.database_url, service)

    def migrated_database_url(self, service: str) -> str:
        """The service's database, created if need be and brought to the latest schema."""
        # Imported here: `edunode up` migrates in a child, and the processes it forks need
        # none of Alembic (6 MB).
        from shared.migrations import ensure_database, upgrade

        url = self.database_url_for(service)
        ensure_database(url)
        upgrade(f"services.{service}", url)
        return url

    def operator(self) -> Principal:
        """The node's operator at the command line: its admin (it holds the database anyway)."""
        return Principal(
            client_id=f"cli:{self.node_id}",
            role=Role.NODE_ADMIN,
            scopes=ROLE_SCOPES[Role.NODE_ADMIN],
            node=self.node_id,
        )


@dataclass(frozen=True)
class CommandGroups:
    """The `edunode` groups a service adds its commands to."""

    root: typer.Typer
    imports: typer.Typer  # edunode import …
    exports: typer.Typer  # edunode export …
    reference: typer.Typer  # edunode reference … (records of countries without a node)


# -- records entered one by one (`edunode reference …`) ------------------------------------

FileArgument = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, help="A JSON object, or an array, as the API takes it."
    ),
]
SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where the records come from, e.g. 'Ministry of Education ID register, "
        "2026-10-01' (required).",
    ),
]
TrustOption = Annotated[
    Path | None,
    typer.Option(
        "--trust",
        exists=True,
        help="The federation trust list: countries another node has authority over are "
        "refused. Without it, only this node's own countries are.",
    ),
]


def read_payloads(file: Path, source: str | None = None) -> list[dict[str, Any]]:
    """The JSON object (or array of objects) in `file`, as the API takes them; with a
    `source`, each one's `reference_source` unless it names its own."""
    loaded = json.loads(file.read_text(encoding="utf-8"))
    items = loaded if isinstance(loaded, list) else [loaded]
    if not all(isinstance(item, dict) for item in items):
        raise typer.BadParameter("a JSON object or an array of objects", param_hint="FILE")
    if source is None:
        return items
    return [{**item, "reference_source": item.get("reference_source") or source} for item in items]


async def enter_each(
    database_url: str,
    payloads: list[dict[str, Any]],
    enter: Callable[[AsyncSession, dict[str, Any]], Awaitable[dict[str, Any] | None]],
) -> tuple[list[dict[str, Any]], int]:
    """Enter each payload in its own transaction, audited as the operator: one refused record
    never stops the others. Returns what was entered (`enter` answers None for a record it
    left as it was) and how many were refused (each reported on stderr). A record with a
    control character in a text is refused before any transaction, as the API refuses it."""
    database = Database(database_url)
    entered: list[dict[str, Any]] = []
    refused = 0
    try:
        for index, payload in enumerate(payloads):
            if found := control_character_paths(payload, "body"):
                refused += 1
                for path in found:
                    console.print(f"[red]record {index}[/]: {path}: {CONTROL_CHARACTERS_MESSAGE}")
                continue
            try:
                async with database.session() as session:
                    act_as(session, command_line_actor())
                    if (record := await enter(session, payload)) is not None:
                        entered.append(record)
            except ValidationError as error:
                refused += 1
                console.print(f"[red]record {index}[/]: {error}")
            except ProblemError as error:
                refused += 1
                details = "; ".join(f"{e.path}: {e.message}" for e in error.errors or [])
                console.print(f"[red]record {index}[/] ({error.status}): {error.detail} {details}")
    finally:
        await database.dispose()
    return entered, refused


def print_entered(entered: list[dict[str, Any]], refused: int) -> None:
    """The records entered, as JSON on stdout; exit 1 if every one was refused."""
    typer.echo(json.dumps(entered, indent=2, ensure_ascii=False, default=str))
    if refused and not entered:
        raise typer.Exit(1)
