"""`edunode reference …`: the node admin enters reference records — institutions, QA agencies
and their evaluations of a country that has no node — with their source
(docs/reference-records.md).

Each command reads a JSON object (or an array of them) shaped as the API's create payload,
adds `--source` as the records' `reference_source`, and writes them through the service's own
rules into the node's database, as the node's admin: a country this node or another node of
the trust list has authority over is refused. A running node publishes them within seconds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from edunode.node import NodeConfig, migrate
from edunode.quality_cli import operator
from services.institutions.db import publisher as institutions_publisher
from services.institutions.institutions.records import read_of
from services.institutions.institutions.schemas import InstitutionCreate
from services.institutions.institutions.service import InstitutionService
from services.institutions.settings import InstitutionsSettings
from services.quality.agencies.schemas import AgencyCreate, AgencyRead
from services.quality.agencies.service import AgencyService
from services.quality.db import publisher as quality_publisher
from services.quality.evaluations.schemas import EvaluationSubmission
from services.quality.evaluations.service import EvaluationService
from services.quality.settings import QualitySettings
from shared.audit import act_as, command_line_actor
from shared.db import Database
from shared.errors import ProblemError
from shared.trust import TrustList

console = Console(stderr=True)

SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where the records come from, e.g. 'Ministry of Education ID register, "
        "2026-10-01' (required).",
    ),
]
FileArgument = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, help="A JSON object, or an array, as the API takes it."
    ),
]
NodeOption = Annotated[str, typer.Option("--node", help="Node id.")]
DataDirOption = Annotated[Path | None, typer.Option("--data-dir")]
DatabaseOption = Annotated[str | None, typer.Option("--database-url")]
CountriesOption = Annotated[str | None, typer.Option(help="Countries the node has authority over.")]
TrustOption = Annotated[
    Path | None,
    typer.Option(
        "--trust",
        exists=True,
        help="The federation trust list: countries another node has authority over are "
        "refused. Without it, only this node's own countries are.",
    ),
]


def _config(
    node: str, data_dir: Path | None, database_url: str | None, countries: str | None
) -> NodeConfig:
    return NodeConfig(
        node_id=node,
        data_dir=data_dir or Path(".data") / node,
        database_url=database_url,
        countries=[c.strip().upper() for c in countries.split(",")] if countries else [],
    )


def _payloads(file: Path, source: str) -> list[dict[str, Any]]:
    loaded = json.loads(file.read_text(encoding="utf-8"))
    items = loaded if isinstance(loaded, list) else [loaded]
    if not all(isinstance(item, dict) for item in items):
        raise typer.BadParameter("a JSON object or an array of objects", param_hint="FILE")
    return [{**item, "reference_source": item.get("reference_source") or source} for item in items]


async def _enter_each(
    database_url: str,
    payloads: list[dict[str, Any]],
    enter: Callable[[AsyncSession, dict[str, Any]], Awaitable[dict[str, Any]]],
) -> tuple[list[dict[str, Any]], int]:
    """Enter each payload in its own transaction: one refused record never stops the others.
    Returns what was entered and how many were refused (each reported on stderr)."""
    database = Database(database_url)
    entered: list[dict[str, Any]] = []
    refused = 0
    try:
        for index, payload in enumerate(payloads):
            try:
                async with database.session() as session:
                    act_as(session, command_line_actor())  # audited as the operator
                    entered.append(await enter(session, payload))
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


def _finish(entered: list[dict[str, Any]], refused: int) -> None:
    typer.echo(json.dumps(entered, indent=2, ensure_ascii=False, default=str))
    if refused and not entered:
        raise typer.Exit(1)


def _trust(trust: Path | None) -> TrustList | None:
    return TrustList.load(trust) if trust is not None else None


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


def register(app: typer.Typer) -> None:
    """Add `edunode reference institution|agency|evaluation`."""
    reference_app = typer.Typer(
        help="Reference records of countries without a node, with their source.",
        no_args_is_help=True,
    )
    app.add_typer(reference_app, name="reference")

    @reference_app.command("institution")
    def enter_institutions(
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
        config = _config(node, data_dir, database_url, countries)
        migrate(config, ("institutions",))
        settings = InstitutionsSettings(
            node_id=config.node_id,
            countries=config.countries,
            database_url=config.database_url_for("institutions"),
        )
        trust_list = _trust(trust)

        async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any]:
            service = InstitutionService(
                session=session,
                publisher=institutions_publisher(settings.node_id),
                settings=settings,
                trust=trust_list,
            )
            row = await service.create(operator(config), InstitutionCreate.model_validate(payload))
            return read_of(row, [], None)

        _finish(*asyncio.run(_enter_each(settings.database_url, _payloads(file, source), enter)))

    @reference_app.command("agency")
    def enter_agencies(
        file: FileArgument,
        source: SourceOption,
        node: NodeOption = "cn",
        data_dir: DataDirOption = None,
        database_url: DatabaseOption = None,
        countries: CountriesOption = None,
        trust: TrustOption = None,
    ) -> None:
        """Enter QA agencies of a country without a node as reference records."""
        config = _config(node, data_dir, database_url, countries)
        migrate(config, ("quality",))
        settings = QualitySettings(
            node_id=config.node_id,
            countries=config.countries,
            database_url=config.database_url_for("quality"),
        )
        trust_list = _trust(trust)

        async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any]:
            service = AgencyService(
                session, quality_publisher(settings.node_id), settings, trust=trust_list
            )
            agency = await service.create(operator(config), AgencyCreate.model_validate(payload))
            return _dump(AgencyRead.model_validate(agency))

        _finish(*asyncio.run(_enter_each(settings.database_url, _payloads(file, source), enter)))

    @reference_app.command("evaluation")
    def enter_evaluations(
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
        config = _config(node, data_dir, database_url, countries)
        migrate(config, ("quality",))
        settings = QualitySettings(
            node_id=config.node_id,
            countries=config.countries,
            database_url=config.database_url_for("quality"),
        )

        async def enter(session: AsyncSession, payload: dict[str, Any]) -> dict[str, Any]:
            service = EvaluationService(session, quality_publisher(settings.node_id), settings)
            result, _ = await service.submit(
                operator(config), EvaluationSubmission.model_validate(payload), mode="upsert"
            )
            return _dump(result)

        _finish(*asyncio.run(_enter_each(settings.database_url, _payloads(file, source), enter)))
