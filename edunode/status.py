"""`edunode status`: a node's health in the terminal, read from its gateway over HTTP.

It reads `/v1/node/health` (each service's readiness, outbox backlog and age, consumer lag,
quarantined events, dead letters, and the verdict) and `/v1/federation/status` (the peers;
a node without a trust list runs on its own). Exit code: 0 healthy, 1 degraded or unhealthy,
2 the gateway did not answer as a gateway.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from shared.health import NodeHealth

EXIT_UNHEALTHY = 1
EXIT_UNREACHABLE = 2


def status(
    url: Annotated[str, typer.Option(help="The node's gateway.")] = "http://127.0.0.1:8000",
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token to send (the figures are public; for a gateway behind a proxy "
            "that asks for one).",
            envvar="EDUNODE_TOKEN",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as JSON instead of tables.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer.")] = 15.0,
) -> None:
    """Summarise a node's health: each service's readiness, outbox backlog and age, consumer
    lag, quarantined events and dead letters, and the federation peers. Exits 1 when the node
    is degraded or unhealthy, 2 when the gateway cannot be read."""
    out = Console()
    err = Console(stderr=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    base = url.rstrip("/")
    try:
        with httpx.Client(base_url=base, headers=headers, timeout=timeout) as client:
            health = NodeHealth.model_validate_json(client.get("/v1/node/health").content)
            federation = _federation_status(client)
    except (httpx.HTTPError, ValidationError) as error:
        err.print(f"[red]cannot read the node's health from {base}:[/] {error}")
        raise typer.Exit(EXIT_UNREACHABLE) from None
    if as_json:
        typer.echo(
            json.dumps(
                {"health": health.model_dump(mode="json"), "federation": federation}, indent=2
            )
        )
    else:
        _print(out, health, federation)
    if not health.healthy:
        raise typer.Exit(EXIT_UNHEALTHY)


def _federation_status(client: httpx.Client) -> dict[str, Any] | None:
    """The gateway's federation status, or None for a node without a trust list (404)."""
    response = client.get("/v1/federation/status")
    if response.status_code == 404:
        return None
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _print(console: Console, health: NodeHealth, federation: dict[str, Any] | None) -> None:
    """Services (outbox: events waiting for the broker; lag: consumers' undelivered messages),
    consumers, peers, then what is wrong and the verdict."""
    services = Table(title=f"node {health.node}: services")
    services.add_column("service", no_wrap=True)
    services.add_column("ready", no_wrap=True)
    for column in ("outbox", "oldest (s)", "lag", "quarantined", "dead letters"):
        services.add_column(column, justify="right", min_width=len(column.split()[0]))
    consumers = Table(title="consumers")
    consumers.add_column("consumer", no_wrap=True)
    consumers.add_column("stream", no_wrap=True)
    consumers.add_column("lag", justify="right")
    consumers.add_column("unacked", justify="right")
    for name, report in health.services.items():
        if report is None:
            services.add_row(name, "[red]unreachable[/]", "-", "-", "-", "-", "-")
            continue
        lags = [c.pending for c in report.consumers]
        known = [lag for lag in lags if lag is not None]
        services.add_row(
            name,
            "[green]ready[/]" if report.ready else "[red]not ready[/]",
            str(report.outbox.backlog),
            f"{report.outbox.oldest_age_seconds:.1f}",
            str(sum(known)) if len(known) == len(lags) else "?",
            str(report.quarantined),
            str(report.dead_letters),
        )
        for consumer in report.consumers:
            consumers.add_row(
                consumer.name,
                consumer.stream,
                "?" if consumer.pending is None else str(consumer.pending),
                "?" if consumer.ack_pending is None else str(consumer.ack_pending),
            )
    console.print(services)
    console.print(consumers)
    if federation is None:
        console.print("federation: none (this node runs on its own, without a trust list)")
    else:
        peers = Table(title="federation peers")
        peers.add_column("peer", no_wrap=True)
        peers.add_column("connected")
        peers.add_column("last event applied")
        peers.add_column("source lag", justify="right")
        peers.add_column("quarantined", justify="right")
        for peer in federation["peers"]:
            peers.add_row(
                peer["id"],
                "[green]yes[/]" if peer["connected"] else "[yellow]no[/]",
                peer["last_event_at"] or "-",
                "?" if peer["source_lag"] is None else str(peer["source_lag"]),
                str(peer["quarantined"]),
            )
        console.print(peers)
    for problem in health.problems:
        console.print(f"[red]problem:[/] {problem}")
    for alarm in health.alarms:
        console.print(f"[bold red]alarm:[/] {alarm}")
    for warning in health.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    if federation is not None:
        for peer in federation["peers"]:
            if not peer["connected"]:
                console.print(f"[yellow]warning:[/] peer {peer['id']} is not connected")
        for divergence in federation.get("divergent", []):
            console.print(
                f"[yellow]warning:[/] {divergence['copy']} differs from {divergence['record_type']}"
                " (`edunode federation resync` rebuilds a copy of a peer's records)"
            )
    colour = {"healthy": "green", "degraded": "yellow", "unhealthy": "red"}[health.status]
    console.print(f"node {health.node} is [bold {colour}]{health.status}[/]")
