"""`edunode audit verify`: walk each service's audit chain and report the first broken link;
`edunode audit checkpoint`: sign each chain's head with the node's federation key, so a later
`verify --checkpoint` (or `--expect-head`) shows a tail cut or rewritten since."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from sqlalchemy.engine import make_url

from edunode.node import ALL_SERVICES, NodeConfig
from shared.audit import (
    ChainReport,
    Head,
    checkpoint_payload,
    read_checkpoint,
    sign_checkpoint,
    verify_chain,
)
from shared.db import Database
from shared.signing import load_node_signer


class AuditedService(StrEnum):
    INSTITUTIONS = "institutions"
    QUALITY = "quality"
    RECOGNITION = "recognition"
    CREDENTIALS = "credentials"
    MOBILITY = "mobility"
    GATEWAY = "gateway"
    ALL = "all"


async def verify_database(database_url: str, expect_head: Head | None = None) -> ChainReport:
    """Walk the audit chain of one service's database."""
    database = Database(database_url)
    try:
        async with database.engine.connect() as connection:
            return await verify_chain(connection, expect_head=expect_head)
    finally:
        await database.dispose()


def _missing_sqlite_file(database_url: str) -> bool:
    url = make_url(database_url)
    return url.drivername.startswith("sqlite") and not Path(url.database or "").exists()


def _expected_heads(
    values: list[str], services: tuple[str, ...], checkpoint: Path | None, config: NodeConfig
) -> dict[str, Head]:
    """The heads to find on the chains, from `--expect-head` and `--checkpoint`."""
    heads: dict[str, Head] = {}
    if checkpoint is not None:
        keys_dir = config.federation_keys_dir

        def public_key(kid: str) -> bytes | None:
            path = keys_dir / f"federation-{kid.rsplit(':', 1)[-1]}.pub"
            return path.read_bytes() if path.is_file() else None

        try:
            node, signed = read_checkpoint(orjson.loads(checkpoint.read_bytes()), public_key)
        except (OSError, orjson.JSONDecodeError, ValueError) as error:
            raise typer.BadParameter(f"{checkpoint}: {error}", param_hint="--checkpoint") from None
        if node != config.node_id:
            raise typer.BadParameter(
                f"{checkpoint} is node {node!r}'s, not {config.node_id!r}'s",
                param_hint="--checkpoint",
            )
        heads.update({name: head for name, head in signed.items() if name in services})
    for value in values:
        name, _, text = value.rpartition("=")
        if not name:
            if len(services) != 1:
                raise typer.BadParameter(
                    "name the service (SERVICE=HASH) or choose one with --service",
                    param_hint="--expect-head",
                )
            name = services[0]
        if name not in services:
            raise typer.BadParameter(f"{name!r} is not verified here", param_hint="--expect-head")
        try:
            heads[name] = Head.parse(text)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--expect-head") from None
    return heads


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
        expect_head: Annotated[
            list[str] | None,
            typer.Option(
                "--expect-head",
                help="A head noted from an earlier run, [SERVICE=][SEQ:]HASH (repeatable): "
                "it must still be on the chain.",
            ),
        ] = None,
        checkpoint: Annotated[
            Path | None,
            typer.Option(
                "--checkpoint",
                help="A checkpoint file from `edunode audit checkpoint`: its signature must "
                "verify and every head it signed must still be on its chain.",
            ),
        ] = None,
    ) -> None:
        """Recompute every entry's hash and link, service by service. Prints `ok` with the
        number of entries and the head, or the first broken link (its seq, the expected and
        the found value) and exits 1. A chain checks only against itself: cut or rewritten
        with its hashes recomputed, it still links. Keep its head apart from the node (note
        the printed `SEQ:HASH`, or sign a checkpoint) and give it back with `--expect-head`
        or `--checkpoint`: a head no longer on the chain is reported as broken."""
        config = _config(node, data_dir, database_url)
        services = ALL_SERVICES if service is AuditedService.ALL else (service.value,)
        heads = _expected_heads(expect_head or [], services, checkpoint, config)
        broken = False
        for name in services:
            url = _database_url(config, name)
            report = asyncio.run(verify_database(url, heads.get(name)))
            if report.broken is None:
                anchored = " (the expected head is on it)" if name in heads else ""
                typer.echo(
                    f"{name}: ok, {report.count} entries, head {report.head_seq}:"
                    f"{report.head_hash}{anchored}"
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

    @audit_app.command("checkpoint")
    def checkpoint_command(
        node: Annotated[str, typer.Option("--node", help="Node id: lowercase ISO 3166 code.")],
        out: Annotated[Path, typer.Option("--out", help="Where to write the checkpoint (JSON).")],
        service: Annotated[
            AuditedService, typer.Option("--service", help="Which service's log.")
        ] = AuditedService.ALL,
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="Where the node keeps its state.")
        ] = None,
        database_url: Annotated[
            str | None,
            typer.Option("--database-url", help="As for `audit verify`."),
        ] = None,
    ) -> None:
        """Verify every service's chain, then write their heads, signed with the node's
        federation key, to `--out`. Keep the file away from the node (or hand it to a peer,
        which can check the signature against the node's public key): `audit verify
        --checkpoint FILE` later shows any tail cut or rewritten since."""
        config = _config(node, data_dir, database_url)
        signer = load_node_signer(config.federation_keys_dir, config.node_id)
        if signer is None:
            typer.echo(f"no federation key in {config.federation_keys_dir}", err=True)
            raise typer.Exit(2)
        services = ALL_SERVICES if service is AuditedService.ALL else (service.value,)
        heads: dict[str, Head] = {}
        for name in services:
            report = asyncio.run(verify_database(_database_url(config, name)))
            if report.broken is not None:
                typer.echo(f"{name}: BROKEN at seq {report.broken.seq}; no checkpoint", err=True)
                raise typer.Exit(1)
            heads[name] = Head(report.head_hash, report.head_seq)
        payload = checkpoint_payload(config.node_id, heads, datetime.now(UTC))
        out.write_bytes(orjson.dumps(sign_checkpoint(payload, signer), option=orjson.OPT_INDENT_2))
        for name, head in heads.items():
            typer.echo(f"{name}: head {head.seq}:{head.hash}")
        typer.echo(f"checkpoint signed by {signer.kid}: {out}")


def _config(node: str, data_dir: Path | None, database_url: str | None) -> NodeConfig:
    return NodeConfig(
        node_id=node, data_dir=data_dir or Path(".data") / node, database_url=database_url
    )


def _database_url(config: NodeConfig, service: str) -> str:
    url = config.database_url_for(service)
    if _missing_sqlite_file(url):
        typer.echo(f"{service}: no database at {make_url(url).database}", err=True)
        raise typer.Exit(2)
    return url
