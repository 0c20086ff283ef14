"""`edunode federation …`: repairing a node's copies of a peer's records.

`resync --from NODE` reads NODE's signed events from this node's replica stream (the owner's
own stream, sourced: each message still carries the owner's signature), or from its own stream
when NODE is this node, checks each one as the consumers do, and rebuilds the quality and
recognition services' copies of NODE's records from the newest signed states
(shared/resync.py). Run it when `/v1/federation/status` lists a
divergent copy; the running services pick the rebuilt rows up as they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import nats
import typer
from rich.console import Console
from rich.table import Table

from edunode.node import NodeConfig
from services.institutions.db import publisher as institutions_publisher
from services.institutions.events import REPLICA_TABLES as INSTITUTIONS_REPLICAS
from services.institutions.events import SUBSCRIPTIONS as INSTITUTIONS_SUBSCRIPTIONS
from services.institutions.events import routes as institutions_routes
from services.institutions.settings import InstitutionsSettings
from services.quality.db import publisher as quality_publisher
from services.quality.events import REPLICA_TABLES as QUALITY_REPLICAS
from services.quality.events import SUBSCRIPTIONS as QUALITY_SUBSCRIPTIONS
from services.quality.events import routes as quality_routes
from services.quality.events import status_refresher
from services.quality.settings import QualitySettings
from services.recognition.db import publisher as recognition_publisher
from services.recognition.events import REPLICA_TABLES as RECOGNITION_REPLICAS
from services.recognition.events import SUBSCRIPTIONS as RECOGNITION_SUBSCRIPTIONS
from services.recognition.events import routes as recognition_routes
from services.recognition.settings import RecognitionSettings
from shared.db import Database
from shared.event_routes import Subscription
from shared.events import node_stream_name, node_subjects, replica_stream_name
from shared.inbox import EventHandler
from shared.resync import AfterRemove, ReplicaTable, ResyncReport, read_stream, rebuild_replicas
from shared.trust import TrustList

console = Console(stderr=True)

# One service's part of a resync: its database, subscriptions, handler, copies and clean-up.
Plan = tuple[str, str, Sequence[Subscription], EventHandler, list[ReplicaTable], AfterRemove | None]


async def resync_from(
    config: NodeConfig, trust: TrustList, owner_id: str
) -> dict[str, ResyncReport]:
    """Rebuild this node's copies of `owner_id`'s records (quality's and recognition's; for
    the node itself also the directory's copy of its QA statuses) from its signed events;
    returns each service's report."""
    owner = trust.node(owner_id)
    if owner is None:
        raise ValueError(f"node {owner_id!r} is not in the trust list")
    # A peer's events come through the replica stream, the node's own are in its own stream.
    own = owner_id == config.node_id
    stream = (node_stream_name if own else replica_stream_name)(config.node_id)
    nc = await nats.connect(config.effective_nats_url, name=f"{config.node_id}-resync")
    try:
        messages = await read_stream(nc, stream, node_subjects(owner_id))
    finally:
        await nc.close()
    quality = QualitySettings(
        node_id=config.node_id,
        countries=config.countries,
        database_url=config.database_url_for("quality"),
    )
    recognition = RecognitionSettings(
        node_id=config.node_id,
        countries=config.countries,
        database_url=config.database_url_for("recognition"),
    )
    node = config.node_id
    publisher = quality_publisher(node)
    plans: list[Plan] = []
    if own:
        # The directory's copy of the QA status this node's quality derives.
        institutions = InstitutionsSettings(
            node_id=config.node_id,
            countries=config.countries,
            database_url=config.database_url_for("institutions"),
        )
        plans.append(
            (
                "institutions",
                institutions.database_url,
                INSTITUTIONS_SUBSCRIPTIONS,
                institutions_routes.handler(
                    institutions,
                    institutions_publisher(node),
                    None,
                ),
                INSTITUTIONS_REPLICAS,
                None,
            )
        )
    plans += [
        (
            "quality",
            quality.database_url,
            QUALITY_SUBSCRIPTIONS,
            quality_routes.handler(quality, publisher, None),
            QUALITY_REPLICAS,
            status_refresher(quality, publisher),
        ),
        (
            "recognition",
            recognition.database_url,
            RECOGNITION_SUBSCRIPTIONS,
            recognition_routes.handler(
                recognition,
                recognition_publisher(node),
                None,
            ),
            RECOGNITION_REPLICAS,
            None,
        ),
    ]
    reports: dict[str, ResyncReport] = {}
    for service, database_url, subscriptions, handler, tables, after_remove in plans:
        database = Database(database_url)
        try:
            reports[service] = await rebuild_replicas(
                database,
                node=config.node_id,
                owner=owner,
                trust=trust,
                subscriptions=subscriptions,
                handler=handler,
                tables=tables,
                messages=messages,
                after_remove=after_remove,
            )
        finally:
            await database.dispose()
    return reports


def _print(reports: dict[str, ResyncReport]) -> None:
    table = Table(title="resync")
    for column in ("service", "copy", "rebuilt", "removed"):
        table.add_column(column)
    for service, report in reports.items():
        for name, counts in report.tables.items():
            table.add_row(service, name, str(counts.rebuilt), str(counts.removed))
    console.print(table)
    for service, report in reports.items():
        refused = ", ".join(f"{code}: {count}" for code, count in sorted(report.refused.items()))
        console.print(
            f"{service}: {report.read} events of {report.owner} read, {report.verified} "
            f"verified" + (f", refused ({refused})" if refused else "")
        )


def register(app: typer.Typer) -> None:
    """Add `edunode federation …`."""
    federation_app = typer.Typer(
        help="The node's place in the federation: repair its replicas.", no_args_is_help=True
    )
    app.add_typer(federation_app, name="federation")

    @federation_app.command("resync")
    def resync(
        node: Annotated[str, typer.Option("--node", help="This node's id.")],
        owner: Annotated[
            str,
            typer.Option(
                "--from", help="The node whose records to rebuild here (this node: its own)."
            ),
        ],
        trust: Annotated[
            Path,
            typer.Option(
                "--trust", help="The federation trust list (docs/federation.md).", exists=True
            ),
        ],
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="Where the node keeps its state.")
        ] = None,
        database_url: Annotated[
            str | None,
            typer.Option("--database-url", help="As given to `edunode up`."),
        ] = None,
        port: Annotated[int, typer.Option(help="The node's gateway port, as for `up`.")] = 8000,
        nats_url: Annotated[
            str | None, typer.Option(help="The node's NATS, if not embedded.")
        ] = None,
    ) -> None:
        """Rebuild this node's copies of a node's records (quality's and recognition's) from
        that node's signed events, each checked against the trust list as the consumers check
        them: every copy is set to the newest signed state, whatever version it held, and
        copies that no signed event backs are removed. `--from` this node itself rebuilds
        the copies its services keep of its own records, from its own stream."""
        config = NodeConfig(
            node_id=node,
            data_dir=data_dir or Path(".data") / node,
            port=port,
            database_url=database_url,
            nats_url=nats_url,
            trust_file=trust,
        )
        try:
            reports = asyncio.run(resync_from(config, TrustList.load(trust), owner))
        except ValueError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(2) from None
        _print(reports)
