"""The `edunode` command line: the node-level commands (up, hub, keys, deploy, migrate, serve,
status, demo, trust, federation, audit) and the services' own, assembled from each service's
`cli.py`."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from edunode import audit_cli, federation_cli, trust_cli, users_cli
from edunode.hub import (
    ADMIN_SEED_FILE,
    HubConfig,
    HubError,
    admin_key_from,
    admit,
    check_node_ids,
    follow_leaf_nodes,
    keep_hub_streams,
    load_leaf_nodes,
    revoke,
)
from edunode.node import (
    ALL_SERVICES,
    Node,
    NodeConfig,
    StartupError,
    ensure_token_keys,
    install_signal_handlers,
    migrate,
)
from edunode.ports import PortUnavailable, check_ports
from edunode.status import status as status_command
from edunode.trust_cli import dump_entry, trust_entry
from services.gateway import cli as gateway_cli
from services.institutions import cli as institutions_cli
from services.quality import cli as quality_cli
from shared.cli import CommandGroups, DatabaseOption, DataDirOption, NodeOption, parse_countries
from shared.signing import init_node_key

app = typer.Typer(
    name="edunode",
    help="Run and operate an edunode national node.",
    no_args_is_help=True,
    add_completion=False,
)
keys_app = typer.Typer(help="The node's federation signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
deploy_app = typer.Typer(
    help="Deployment files (docker compose, Kubernetes).", no_args_is_help=True
)
app.add_typer(deploy_app, name="deploy")
# The services' commands (each service's `cli.py`), then the node's own.
groups = CommandGroups(
    root=app,
    imports=typer.Typer(help="Bulk imports into this node.", no_args_is_help=True),
    exports=typer.Typer(help="Bulk exports from this node.", no_args_is_help=True),
    reference=typer.Typer(
        help="Reference records of countries without a node, with their source.",
        no_args_is_help=True,
    ),
)
app.add_typer(groups.imports, name="import")
app.add_typer(groups.exports, name="export")
app.add_typer(groups.reference, name="reference")
for register in (gateway_cli.register, institutions_cli.register, quality_cli.register):
    register(groups)
audit_cli.register(app)
federation_cli.register(app)
trust_cli.register(app)
users_cli.register(app)
console = Console(stderr=True)


def _node_config(
    node: str,
    data_dir: Path | None,
    database_url: str | None,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    nats_url: str | None = None,
    hub: str | None = None,
    countries: str | None = None,
    log_level: str = "info",
    workers: int = 1,
) -> NodeConfig:
    return NodeConfig(
        node_id=node,
        data_dir=data_dir or Path(".data") / node,
        port=port,
        host=host,
        database_url=database_url,
        nats_url=nats_url,
        hub=hub,
        countries=parse_countries(countries),
        log_level=log_level,
        workers=workers,
    )


def _print_urls(config: NodeConfig) -> None:
    gateway = config.service_url("gateway")
    console.print(f"[bold green]node {config.node_id} is up[/]")
    console.print(f"  API docs     {gateway}/docs")
    console.print(f"  OpenAPI      {gateway}/openapi.json")
    console.print(f"  Readiness    {gateway}/readyz")
    console.print(f"  Data dir     {config.data_dir}")
    console.print(f"  NATS         {config.effective_nats_url}")


@contextlib.contextmanager
def _startup_errors_on_terminal() -> Iterator[None]:
    """A node that cannot start says why on the terminal and exits non-zero."""
    try:
        yield
    except (StartupError, PortUnavailable) as error:
        console.print(f"[bold red]{escape(str(error))}[/]", soft_wrap=True)
        raise typer.Exit(1) from None


async def _run_node(node: Node) -> None:
    install_signal_handlers(node.request_stop)
    await node.run()


@app.command()
def up(
    node: NodeOption,
    port: Annotated[int, typer.Option(help="Gateway port; services use the next ports.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
    nats_url: Annotated[
        str | None, typer.Option(help="An external NATS server; embedded when left out.")
    ] = None,
    hub: Annotated[
        str | None, typer.Option(help="The community hub's leaf URL (nats-leaf://HOST:7422).")
    ] = None,
    hub_ca: Annotated[
        Path | None,
        typer.Option(
            "--hub-ca",
            help="The CA certificate that signed the hub's (when not a public CA's).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    countries: Annotated[
        str | None, typer.Option(help="Countries this node has authority over (comma-separated).")
    ] = None,
    trust: Annotated[
        Path | None,
        typer.Option(
            "--trust", help="The federation trust list (docs/federation.md).", exists=True
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
    workers: Annotated[
        int, typer.Option(min=1, max=32, help="Processes per service, sharing its port.")
    ] = 1,
    national_legal_basis: Annotated[
        str | None,
        typer.Option(
            help="The law, by name, on which this node recognises foreign qualifications when "
            "no agreement or convention binds both countries (decisions cite it)."
        ),
    ] = None,
    single_process: Annotated[
        bool,
        typer.Option(
            "--single-process",
            help="Every service in this one process (a small country's node: less memory), "
            "each still on its own port with its own database.",
        ),
    ] = False,
) -> None:
    """Start a node: NATS (embedded unless --nats-url), migrations, the services and the
    gateway, supervised until Ctrl-C."""
    if single_process and workers != 1:
        raise typer.BadParameter("one process serves every service", param_hint="--workers")
    config = _node_config(
        node,
        data_dir,
        database_url,
        port=port,
        host=host,
        nats_url=nats_url,
        hub=hub,
        countries=countries,
        log_level=log_level,
        workers=workers,
    )
    config.trust_file = trust
    config.national_legal_basis = national_legal_basis
    config.hub_ca = hub_ca
    config.single_process = single_process

    async def ready(running: Node) -> None:
        _print_urls(running.config)

    with _startup_errors_on_terminal():
        asyncio.run(_run_node(Node(config, on_ready=ready)))


hub_app = typer.Typer(
    help="The community hub: run it (`edunode hub`), admit and revoke nodes.",
    invoke_without_command=True,
)
app.add_typer(hub_app, name="hub")
HubDirOption = Annotated[Path, typer.Option(help="Where the hub keeps its state.")]


@hub_app.callback()
def hub(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Client port (the administrator's only).")] = 4222,
    leafnode_port: Annotated[int, typer.Option(help="Where nodes connect as leaves.")] = 7422,
    host: Annotated[
        str, typer.Option(help="Interface of the leaf-node port (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    client_host: Annotated[
        str, typer.Option(help="Interface of the client port (the administrator's).")
    ] = "127.0.0.1",
    data_dir: HubDirOption = Path(".data/hub"),
    tls_dir: Annotated[
        Path | None,
        typer.Option(help="tls.crt and tls.key of the leaf-node port; <data-dir>/tls by default."),
    ] = None,
) -> None:
    """Run the community hub: a nats-server with JetStream domain `hub` and a TLS leaf-node
    listener that the admitted nodes (`edunode hub admit`) join with
    `edunode up --hub nats-leaf://HOST:PORT`. Stops on Ctrl-C."""
    if ctx.invoked_subcommand is not None:
        return
    config = HubConfig(
        data_dir=data_dir,
        port=port,
        leafnode_port=leafnode_port,
        host=host,
        tls_dir=tls_dir,
        client_host=client_host,
    )
    try:
        server = config.server()
    except HubError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    server.start()
    console.print(
        f"[bold green]hub is up[/] leaf nodes {server.leafnode_url} (TLS), "
        f"admitted: {', '.join(user.user for user in server.config.leaf_users) or 'none yet'}"
    )
    console.print(f"  config {server.config_path}, nodes {config.leaf_nodes_file}")

    async def wait() -> None:
        stop = asyncio.Event()
        install_signal_handlers(stop.set)
        await follow_leaf_nodes(config, server, stop)

    try:
        asyncio.run(wait())
    finally:
        server.stop()


@hub_app.command("admit")
def hub_admit(
    node: NodeOption,
    nkey: Annotated[str, typer.Option(help="The node's public leaf NKey (edunode keys init).")],
    data_dir: HubDirOption = Path(".data/hub"),
) -> None:
    """Admit a node: its leaf connection may sign in with that NKey. A running hub picks the
    change up by itself."""
    try:
        admit(HubConfig(data_dir=data_dir).leaf_nodes_file, node, nkey)
    except HubError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    console.print(f"[green]admitted[/] {node}")


@hub_app.command("revoke")
def hub_revoke(node: NodeOption, data_dir: HubDirOption = Path(".data/hub")) -> None:
    """Revoke a node: a running hub closes its link and refuses it from then on."""
    try:
        revoke(HubConfig(data_dir=data_dir).leaf_nodes_file, node)
    except HubError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    console.print(f"[green]revoked[/] {node}")


@hub_app.command("nodes")
def hub_nodes(data_dir: HubDirOption = Path(".data/hub")) -> None:
    """List the admitted nodes and their leaf NKeys."""
    try:
        nodes = load_leaf_nodes(HubConfig(data_dir=data_dir).leaf_nodes_file)
    except HubError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None
    for node, nkey in nodes.items():
        typer.echo(f"{node}\t{nkey}")


@hub_app.command("keep")
def hub_keep(
    url: Annotated[str, typer.Option(help="The hub's client port, e.g. nats://hub-nats:4222.")],
    node: Annotated[
        list[str], typer.Option("--node", help="A node admitted to the hub (repeat for each).")
    ],
    seed_file: Annotated[
        Path | None,
        typer.Option(help="A file holding the administrator's seed, instead of $HUB_ADMIN_SEED."),
    ] = None,
) -> None:
    """Keep a deployed hub's streams (FED_EVENTS, FED_DIRECT) for the admitted nodes, signing
    in as its administrator (seed in $HUB_ADMIN_SEED or --seed-file, never on the command
    line): what `edunode hub` does beside its own server, run beside the hub's nats-server in
    compose and Kubernetes. Stops on SIGTERM or Ctrl-C."""
    try:
        key = admin_key_from(os.environ, seed_file)
        nodes = check_node_ids(node)
    except HubError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(2) from None

    async def keep() -> None:
        stop = asyncio.Event()
        install_signal_handlers(stop.set)
        console.print(f"keeping the streams of {url} for {', '.join(nodes)}")
        await keep_hub_streams(url, key, nodes, stop)

    asyncio.run(keep())
    console.print("keeper stopped")


@keys_app.command("init")
def keys_init(
    node: NodeOption,
    name: Annotated[str, typer.Option(help="The node's name, as peers will show it.")],
    gateway_url: Annotated[
        str, typer.Option(help="The node's public gateway URL (https://…), as peers reach it.")
    ],
    data_dir: DataDirOption = None,
    countries: Annotated[
        str | None, typer.Option(help="Countries this node has authority over (comma-separated).")
    ] = None,
    rotate: Annotated[
        bool, typer.Option(help="Create the next key version; the old one stays valid.")
    ] = False,
) -> None:
    """Create the node's Ed25519 federation key pair (or rotate to a new one) and its leaf
    NKey for the hub; print the trust-list entry (for `edunode trust add`) on stdout."""
    if not gateway_url.startswith(("https://", "http://")):
        console.print(f"[red]error:[/] --gateway-url {gateway_url!r} is not an http(s) URL")
        raise typer.Exit(2)
    config = _node_config(node, data_dir, None, countries=countries)
    kid, public_path = init_node_key(config.federation_keys_dir, node, rotate=rotate)
    created = datetime.datetime.fromtimestamp(public_path.stat().st_mtime, datetime.UTC)
    entry = trust_entry(
        node=node,
        name=name,
        countries=config.countries,
        gateway_url=gateway_url,
        kid=kid,
        public_key=public_path.read_text(),
        valid_from=created,
    )
    leaf = config.leaf_key().public_key
    console.print(f"[green]key {kid}[/] in {public_path.parent}")
    typer.echo(
        f"leaf NKey {leaf}; on the hub: edunode hub admit --node {node} --nkey {leaf}", err=True
    )
    typer.echo(dump_entry(entry), nl=False)


@keys_app.command("leaf")
def keys_leaf(node: NodeOption, data_dir: DataDirOption = None) -> None:
    """Print the node's public leaf NKey, the one the hub admits (the seed,
    <data-dir>/keys/leaf.nk, is created on first use and never printed)."""
    typer.echo(_node_config(node, data_dir, None).leaf_key().public_key)


@keys_app.command("hub-admin")
def keys_hub_admin(data_dir: HubDirOption = Path(".data/hub")) -> None:
    """Print the hub administrator's public NKey (for the hub's $HUB_ADMIN_NKEY); its seed,
    <data-dir>/admin.nk, created on first use and never printed, is the keeper's
    $HUB_ADMIN_SEED (`edunode hub keep`). The same key `edunode hub` uses."""
    config = HubConfig(data_dir=data_dir)
    typer.echo(config.admin_key.public_key)
    typer.echo(f"seed in {config.data_dir / ADMIN_SEED_FILE}", err=True)


@keys_app.command("token")
def keys_token(node: NodeOption, data_dir: DataDirOption = None) -> None:
    """Create the gateway's Ed25519 access-token key pair (keys/token.key, keys/token.pub)
    if it does not exist: node-local, never shared. `edunode up` does this by itself; a
    deployment that runs the services itself runs it once."""
    config = _node_config(node, data_dir, None)
    ensure_token_keys(config)
    console.print(f"[green]token keys[/] {config.token_private_key}, {config.token_public_key}")


@app.command("migrate")
def migrate_command(
    node: NodeOption,
    data_dir: DataDirOption = None,
    database_url: DatabaseOption = None,
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            help="Only this service's database (repeat); every service's by default. A pod "
            "that keeps its own service's SQLite file migrates just that one.",
        ),
    ] = None,
) -> None:
    """Bring every service's database of a node to the latest schema."""
    unknown = sorted(set(service or ()) - set(ALL_SERVICES))
    if unknown:
        raise typer.BadParameter(
            f"{', '.join(unknown)}: not one of {', '.join(ALL_SERVICES)}", param_hint="--service"
        )
    config = _node_config(node, data_dir, database_url)
    chosen = tuple(name for name in ALL_SERVICES if name in (service or ALL_SERVICES))
    migrate(config, chosen)
    console.print(f"[green]migrated[/] node {node}: {', '.join(chosen)}")


@app.command("serve")
def serve_command(
    service: Annotated[
        str, typer.Argument(help="gateway, institutions, quality, recognition or mobility.")
    ],
) -> None:
    """Run one service in this process, configured by its environment variables
    (`EDUNODE_<SERVICE>_...`): what each container of a deployment runs."""
    from edunode.serve import serve

    serve(service)


@app.command("probe")
def probe_command(
    service: Annotated[
        str | None,
        typer.Argument(help="The service to probe; the one this container serves if left out."),
    ] = None,
) -> None:
    """Exit 0 if the service answers `/readyz` on this host, else 1: the image's HEALTHCHECK.
    Without SERVICE, the one this container's first process serves (`edunode serve ...`); a
    container serving none (migrations, nats-server) passes."""
    from edunode.serve import probe

    if not probe(service):
        raise typer.Exit(1)


@deploy_app.command("render")
def deploy_render(
    out: Annotated[Path, typer.Option(help="The repository root to write deploy/ under.")] = Path(
        "."
    ),
    node: Annotated[
        list[str] | None,
        typer.Option("--node", help="A node of the federation (repeat); my and de by default."),
    ] = None,
) -> None:
    """Write the generated deployment files: the hub's and the nodes' NATS configurations
    (deploy/nats/), the NATS Helm chart values (deploy/k8s/nats/) and the hub's keeper
    (deploy/k8s/edunode-hub-keeper.yaml). The hub reads $HUB_ADMIN_NKEY and its keeper
    $HUB_ADMIN_SEED: `edunode keys hub-admin` makes the pair."""
    from edunode.deploy import COMPOSE_NODES, write_deploy

    for path in write_deploy(out, tuple(node) if node else COMPOSE_NODES):
        console.print(f"[green]wrote[/] {path}")
    typer.echo(
        "the hub's $HUB_ADMIN_NKEY and its keeper's $HUB_ADMIN_SEED: edunode keys hub-admin",
        err=True,
    )


@deploy_app.command("certs")
def deploy_certs(
    out: Annotated[Path, typer.Option(help="Where to write the files.")] = Path("deploy/tls"),
    hub: Annotated[
        list[str] | None, typer.Option(help="The hub's DNS names or IP addresses.")
    ] = None,
) -> None:
    """Create a throwaway CA and a certificate for the hub's leaf-node listener, to try the
    compose federation out (ca.crt, ca.key, tls.crt, tls.key). Not for production."""
    from edunode.deploy import write_dev_certificates

    write_dev_certificates(out, hub or ["hub", "localhost"])
    console.print(f"[green]certificates[/] in {out}")


demo_app = typer.Typer(
    help="The demo federation: run it (`edunode demo`), a node joins it (`edunode demo join`).",
    invoke_without_command=True,
)
app.add_typer(demo_app, name="demo")
DemoDirOption = Annotated[Path, typer.Option(help="Where the demo keeps its state.")]


@demo_app.callback()
def demo(
    ctx: typer.Context,
    data_dir: DemoDirOption = Path(".data/demo"),
    nodes: Annotated[
        str,
        typer.Option(
            help="The demo nodes to run, comma-separated, from cn, my, de, ke, br (gateways on "
            ":8000, :8010, :8020, :8030, :8040)."
        ),
    ] = "cn,my,de",
) -> None:
    """Start the demo federation: a hub and the nodes `cn`, `my` and `de` (gateways on :8000,
    :8010, :8020), or those `--nodes` names, each seeded with its own real institutions and QA
    agency and with an admin client whose credentials are written to the node's data dir.
    Another node joins it while it runs with `edunode demo join NODE`."""
    if ctx.invoked_subcommand is not None:
        return
    import httpx

    from edunode.demo import (
        ADMIN_CREDENTIALS_FILE,
        DemoFederation,
        converged_summary,
        demo_diploma,
        demo_nodes,
        seed_node,
        wait_converged,
    )
    from edunode.demo_mobility import demo_mobility
    from edunode.trust_demo import govern_demo_trust, publish_demo_trust

    try:
        chosen = demo_nodes(nodes)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--nodes") from None
    federation = DemoFederation(data_dir=data_dir, nodes=chosen)
    configs = federation.node_configs()
    with _startup_errors_on_terminal():  # every port of the hub and the nodes, before any starts
        check_ports(
            "127.0.0.1",
            {
                federation.hub_port: "hub client port",
                federation.leafnode_port: "hub leaf-node port",
                federation.monitoring_port: "hub monitoring port",
            }
            | {
                port: f"{c.node_id}: {user}"
                for c in configs
                for port, user in c.listening_ports().items()
            },
        )
    # The community's governed trust list (docs/federation.md, "Governance"): signed by the
    # demo's secretariat key, published on the hub, followed by every node while it runs.
    signed = govern_demo_trust(data_dir, federation.write_trust_list())
    for config in configs:
        config.trust_file = signed
    hub_config = federation.hub()
    hub_server = hub_config.server()
    hub_server.start()
    held = asyncio.run(publish_demo_trust(hub_config, hub_server, data_dir))
    console.print(
        f"[bold green]hub is up[/] at {hub_server.url} (leaf nodes {hub_server.leafnode_url}); "
        f"trust list version {held.version} signed by the demo's secretariat and published"
    )
    seeded = {config.node_id: asyncio.Event() for config in configs}

    async def ready(running: Node) -> None:
        created = await seed_node(running)
        _print_urls(running.config)
        console.print(f"  Demo records {created} created now (institutions, QA results)")
        console.print(f"  Admin client {running.config.data_dir / ADMIN_CREDENTIALS_FILE}")
        seeded[running.config.node_id].set()

    async def report_convergence(nodes: list[Node]) -> None:
        """The start-up's last lines: the federation is ready and converged (or what is not),
        then a diploma issued at cn and verified at de with cn's services stopped."""
        for event in seeded.values():
            await event.wait()
        gaps, statuses = await wait_converged(
            {config.node_id: config.service_url("gateway") for config in configs}
        )
        if gaps:
            console.print(
                f"[bold yellow]federation not converged yet:[/] {escape('; '.join(gaps))}",
                soft_wrap=True,
            )
        else:
            console.print(f"[bold green]{converged_summary(statuses)}[/]", soft_wrap=True)
        running = {node.config.node_id: node for node in nodes}
        try:
            await demo_mobility(running, console.print)
        except (httpx.HTTPError, KeyError, ValueError, TimeoutError) as error:
            console.print(f"[yellow]mobility demo skipped:[/] {escape(repr(error))}")
        try:
            await demo_diploma(running, console.print)
        except (httpx.HTTPError, KeyError, ValueError) as error:
            console.print(f"[yellow]credentials demo skipped:[/] {escape(repr(error))}")

    async def run_all() -> None:
        nodes = [Node(config, on_ready=ready) for config in configs]
        stop = asyncio.Event()

        def stop_all() -> None:
            stop.set()
            for node in nodes:
                node.request_stop()

        install_signal_handlers(stop_all)
        reporter = asyncio.create_task(report_convergence(nodes))
        # A node joining (`edunode demo join`) is admitted in the hub's list: applied here.
        follower = asyncio.create_task(follow_leaf_nodes(hub_config, hub_server, stop))
        try:
            await asyncio.gather(*(node.run() for node in nodes))
        finally:
            stop.set()
            reporter.cancel()
            await follower

    try:
        with _startup_errors_on_terminal():
            asyncio.run(run_all())
    finally:
        hub_server.stop()


@demo_app.command("join")
def demo_join(
    node: Annotated[str, typer.Argument(help="The node joining: one of cn, my, de, ke, br.")],
    data_dir: DemoDirOption = Path(".data/demo"),
) -> None:
    """A node joins the running demo without any other node restarting: its keys made, its
    leaf key admitted at the hub, its entry added to the trust list and the next version
    signed and published; then it runs here (until Ctrl-C), seeded as the demo's nodes are,
    and the time until every node has converged is printed."""
    from edunode.trust_demo import DemoJoinError, join_running_demo

    try:
        with _startup_errors_on_terminal():
            asyncio.run(join_running_demo(data_dir, node.strip().lower(), console.print))
    except DemoJoinError as error:
        console.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from None


app.command("status")(status_command)

if __name__ == "__main__":
    app()
