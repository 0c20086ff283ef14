"""`edunode trust …`: build the federation's trust list from the entries `edunode keys init`
prints, refusing anything that would make it ambiguous (docs/federation.md); and, for a governed
list, the secretariat's steps: its key (`init`), members in and out (`add`, `remove`), a signed
version (`sign`), put on the hub for every node (`publish`), and what a list says (`show`)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import (
    BucketNotFoundError,
    KeyNotFoundError,
    NoKeysError,
    ServiceUnavailableError,
)
from pydantic import ValidationError
from rich.console import Console

from edunode.hub import connect_admin
from shared.nkeys import load_or_create_seed
from shared.signing import NodeSigner, init_node_key
from shared.trust import (
    SECRETARIAT,
    SignedListError,
    SignedTrustList,
    TrustedKey,
    TrustedNode,
    TrustList,
    is_signed_text,
    load_yaml_strict,
)
from shared.trust_governance import (
    TRUST_BUCKET,
    TRUST_HISTORY,
    TRUST_KEY,
    accept_update,
    held_after,
)

console = Console(stderr=True)


class TrustEntryError(ValueError):
    """An entry or a trust list that cannot be used as it is."""


def trust_entry(
    *,
    node: str,
    name: str,
    countries: list[str],
    gateway_url: str,
    kid: str,
    public_key: str,
    valid_from: datetime,
) -> dict[str, Any]:
    """A node's trust-list entry, as `edunode keys init` prints it."""
    entry = TrustedNode(
        id=node,
        name=name,
        countries=countries,
        gateway_url=gateway_url,
        keys=[
            {
                "kid": kid,
                "public_key": public_key,
                "valid_from": valid_from.astimezone(UTC).replace(microsecond=0),
            }
        ],
    )
    document: dict[str, Any] = entry.model_dump(mode="json", exclude_none=True)
    return document


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings (PEM keys) as literal blocks, as docs/federation.md shows them."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _string)


def dump_entry(entry: dict[str, Any]) -> str:
    """An entry as YAML a person reads and `edunode trust add` takes."""
    return yaml.dump(entry, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True)


def _read(text: str, where: str) -> Any:
    try:
        return load_yaml_strict(text)
    except yaml.YAMLError as error:
        raise TrustEntryError(f"{where}: {error}") from None


def parse_entries(text: str, where: str = "the entry") -> list[TrustedNode]:
    """The node entries in `text`: one node's mapping, or a document with `nodes:`."""
    document = _read(text, where)
    items = document.get("nodes") if isinstance(document, dict) else None
    if items is None:
        items = [document]
    try:
        return [TrustedNode.model_validate(item) for item in items]
    except ValidationError as error:
        raise TrustEntryError(f"{where}: {error}") from None


def load_trust_file(path: Path) -> TrustList:
    """The trust list in `path` (an empty one when the file does not exist yet)."""
    if not path.exists():
        return TrustList(nodes=[])
    text = path.read_text(encoding="utf-8")
    if is_signed_text(text):
        return SignedTrustList.parse(text).self_verified()
    document = _read(text, str(path))
    try:
        return TrustList.model_validate(document)
    except ValidationError as error:
        raise TrustEntryError(f"{path}: {error}") from None


def _with_nodes(trust: TrustList, nodes: list[TrustedNode]) -> TrustList:
    """`trust` (its version, secretariat keys) with `nodes`, checked as a whole again."""
    return TrustList.model_validate({**dict(trust), "nodes": nodes})


def add_entries(trust: TrustList, entries: list[TrustedNode]) -> TrustList:
    """`trust` with `entries` added; a node id, key id or public key already there (or twice
    among the entries) is refused."""
    try:
        return _with_nodes(trust, [*trust.nodes, *entries])
    except ValidationError as error:
        messages = "; ".join(str(detail["msg"]) for detail in error.errors())
        raise TrustEntryError(messages.removeprefix("Value error, ")) from None


def add_rotated_keys(trust: TrustList, entries: list[TrustedNode]) -> TrustList:
    """`trust` with the keys of `entries` (from `edunode keys init --rotate`) added to their
    nodes, which must be listed already; each node's keys still open get `valid_to` = the new
    key's `valid_from`, so that the old key stays valid for what it signed before. A key id or
    public key already listed is refused."""
    nodes = [node.model_copy(deep=True) for node in trust.nodes]
    for entry in entries:
        node = next((n for n in nodes if n.id == entry.id), None)
        if node is None:
            raise TrustEntryError(f"{entry.id} is not in the trust list: add it without --rotate")
        for key in entry.keys:
            if key.valid_from is None:
                raise TrustEntryError(f"{key.kid}: a rotated key needs its valid_from")
            for old in node.keys:
                if old.valid_to is None:
                    old.valid_to = key.valid_from
            node.keys.append(key)
    try:
        return _with_nodes(trust, nodes)
    except ValidationError as error:
        messages = "; ".join(str(detail["msg"]) for detail in error.errors())
        raise TrustEntryError(messages.removeprefix("Value error, ")) from None


def remove_node(trust: TrustList, node: str) -> TrustList:
    """`trust` without `node`: from the version signed with it on, the node's events are
    quarantined everywhere (its keys are no longer listed)."""
    if trust.node(node) is None:
        raise TrustEntryError(f"{node} is not in the trust list")
    return _with_nodes(trust, [n for n in trust.nodes if n.id != node])


def add_secretariat_key(trust: TrustList, keys_dir: Path, *, rotate: bool) -> TrustList:
    """`trust` naming the secretariat's key in `keys_dir` (created if there is none; with
    `rotate`, a new one beside the old, which keeps signing until a version signed with the
    new one retires it)."""
    if trust.secretariat and not rotate:
        raise TrustEntryError("the list names a secretariat key already: use --rotate")
    kid, public = init_node_key(keys_dir, SECRETARIAT, rotate=rotate)
    if any(key.kid == kid for key in trust.secretariat):
        raise TrustEntryError(f"{kid} is in the list already")
    key = TrustedKey(
        kid=kid,
        public_key=public.read_text(encoding="utf-8"),
        valid_from=datetime.now(UTC).replace(microsecond=0),
    )
    try:
        return TrustList.model_validate({**dict(trust), "secretariat": [*trust.secretariat, key]})
    except ValidationError as error:
        raise TrustEntryError(str(error)) from None


def retire_secretariat_key(trust: TrustList, kid: str) -> TrustList:
    """`trust` without the secretariat key `kid` (sign it with another key the nodes know)."""
    kept = [key for key in trust.secretariat if key.kid != kid]
    if len(kept) == len(trust.secretariat):
        raise TrustEntryError(f"{kid} is not one of the secretariat's keys")
    if not kept:
        raise TrustEntryError("the secretariat's last key cannot be retired")
    return trust.model_copy(update={"secretariat": kept})


def secretariat_signer(trust: TrustList, keys_dir: Path) -> NodeSigner:
    """The key a new version is signed with: the oldest secretariat key the list names whose
    private half is in `keys_dir`. After a rotation the old key signs the version that names
    the new one (the nodes know only the old); once the old one is retired, the new signs."""
    for key in sorted(trust.secretariat, key=lambda k: int(k.kid.rsplit(":", 1)[1])):
        private = keys_dir / f"federation-{key.kid.rsplit(':', 1)[1]}.key"
        if private.exists():
            return NodeSigner(kid=key.kid, private_pem=private.read_bytes())
    raise TrustEntryError(f"no private key in {keys_dir} for the secretariat keys of the list")


def sign_draft(trust: TrustList, keys_dir: Path) -> tuple[TrustList, str]:
    """The next version of the draft `trust`, and that version signed. The draft records the
    version last signed: the first signing signs its version, each later one the next."""
    if not trust.governed:
        raise TrustEntryError("the list names no secretariat key: `edunode trust init` first")
    version = trust.version + 1 if trust.issued_at is not None else trust.version
    signed = trust.model_copy(
        update={"version": version, "issued_at": datetime.now(UTC).replace(microsecond=0)}
    )
    return signed, signed.sign(secretariat_signer(trust, keys_dir))


def check_next(published: list[str], token: str) -> TrustList:
    """The list signed in `token`, if the nodes that read the bucket's versions `published`
    (oldest first) would take it next; with nothing published yet, it must verify with a
    key it names."""
    held, _ = held_after(published)
    try:
        if held is None:
            return SignedTrustList.parse(token).self_verified()
        return accept_update(held, token)
    except SignedListError as error:
        raise TrustEntryError(f"refused ({error.code}): {error.reason}") from None


# How long the hub's JetStream may stay unanswered (it is briefly, right after the hub reloads
# its configuration, as admitting a node makes it do) before publishing gives up.
JETSTREAM_WAIT_SECONDS = 20.0


async def _bucket(url: str, admin_key: Path) -> Any:
    client = await connect_admin(url, load_or_create_seed(admin_key))
    js = client.jetstream(timeout=5)
    deadline = asyncio.get_running_loop().time() + JETSTREAM_WAIT_SECONDS
    while True:
        try:
            bucket = await js.key_value(TRUST_BUCKET)
            break
        except ServiceUnavailableError:
            if asyncio.get_running_loop().time() > deadline:
                await client.close()
                raise
            await asyncio.sleep(0.25)
        except BucketNotFoundError:
            bucket = None
            break
    if bucket is None:
        bucket = await js.create_key_value(
            KeyValueConfig(
                bucket=TRUST_BUCKET,
                history=TRUST_HISTORY,
                storage=StorageType.FILE,
                description="The community's signed trust lists (edunode trust publish)",
            )
        )
    return client, bucket


async def _published(bucket: Any) -> list[str]:
    try:
        entries = await bucket.history(TRUST_KEY)
    except (KeyNotFoundError, NoKeysError):
        return []
    return [entry.value.decode() for entry in entries if entry.value]


async def latest_published(url: str, admin_key: Path) -> str | None:
    """The signed list on the hub the nodes hold now (the newest they would take), if any."""
    client, bucket = await _bucket(url, admin_key)
    try:
        return held_after(await _published(bucket))[1]
    finally:
        await client.close()


async def publish(url: str, admin_key: Path, token: str) -> TrustList:
    """Put the signed list on the hub, after checking the nodes would take it."""
    client, bucket = await _bucket(url, admin_key)
    try:
        trust = check_next(await _published(bucket), token)
        await bucket.put(TRUST_KEY, token.strip().encode())
        return trust
    finally:
        await client.close()


def _describe(trust: TrustList, signer: str | None) -> str:
    lines = [
        f"version {trust.version}"
        + (f", issued {trust.issued_at.isoformat()}" if trust.issued_at else "")
        + (f", signed by {signer}" if signer else ", not signed"),
        "secretariat keys: " + (", ".join(k.kid for k in trust.secretariat) or "none"),
    ]
    for node in trust.nodes:
        keys = ", ".join(key.kid for key in node.keys) or "no key"
        lines.append(f"  {node.id}: {', '.join(node.countries)} — {keys}")
    return "\n".join(lines)


KeysDirOption = Annotated[
    Path,
    typer.Option("--keys-dir", help="The secretariat's keys (kept offline by the secretariat)."),
]
HubUrlOption = Annotated[
    str, typer.Option("--hub", help="The hub's client port, e.g. nats://127.0.0.1:4222.")
]
AdminKeyOption = Annotated[
    Path, typer.Option("--admin-key", help="The hub administrator's seed (<hub>/admin.nk).")
]


def register(app: typer.Typer) -> None:
    trust_app = typer.Typer(help="The federation trust list.", no_args_is_help=True)
    app.add_typer(trust_app, name="trust")

    @trust_app.command("add")
    def add(
        entry: Annotated[
            str,
            typer.Argument(help="A file with what `edunode keys init` printed; - reads stdin."),
        ],
        file: Annotated[Path, typer.Option("--file", help="The trust list to add it to.")],
        rotate: Annotated[
            bool,
            typer.Option(
                help="The entry is a listed node's new key (keys init --rotate): add the key, "
                "and end its open keys' validity where the new one begins."
            ),
        ] = False,
    ) -> None:
        """Add a node's entry to the trust list. Refused when the list already names the node
        (unless --rotate) or one of its keys, or when either file names a YAML key twice."""
        try:
            text = sys.stdin.read() if entry == "-" else Path(entry).read_text(encoding="utf-8")
            entries = parse_entries(text, "stdin" if entry == "-" else entry)
            merge = add_rotated_keys if rotate else add_entries
            updated = merge(load_trust_file(file), entries)
        except (OSError, TrustEntryError) as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        updated.dump(file)
        console.print(f"[green]added[/] {', '.join(e.id for e in entries)} to {file}")

    @trust_app.command("check")
    def check(file: Annotated[Path, typer.Argument(help="The trust list.")]) -> None:
        """Check a trust list: readable, no key named twice, no node or key listed twice,
        every key an Ed25519 key; a signed one, signed by a secretariat key it names."""
        try:
            if not file.exists():
                raise TrustEntryError(f"{file}: no such file")
            trust = load_trust_file(file)
        except (TrustEntryError, SignedListError) as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        names = ", ".join(node.id for node in trust.nodes)
        console.print(f"[green]valid[/] {len(trust.nodes)} node(s): {names}")

    def _fail(error: Exception) -> typer.Exit:
        console.print(f"[red]error:[/] {error}")
        return typer.Exit(2)

    @trust_app.command("init")
    def init(
        file: Annotated[Path, typer.Option("--file", help="The draft trust list.")],
        keys_dir: KeysDirOption,
        rotate: Annotated[
            bool, typer.Option(help="A new secretariat key beside the current one.")
        ] = False,
    ) -> None:
        """Create the secretariat's signing key and name it in the draft list (a governed
        list: nodes take the versions it signs while they run)."""
        try:
            updated = add_secretariat_key(load_trust_file(file), keys_dir, rotate=rotate)
        except (OSError, TrustEntryError) as error:
            raise _fail(error) from None
        updated.dump(file)
        console.print(f"[green]secretariat key[/] {updated.secretariat[-1].kid} in {file}")

    @trust_app.command("remove")
    def remove(
        node: Annotated[str, typer.Argument(help="The node leaving the community.")],
        file: Annotated[Path, typer.Option("--file", help="The draft trust list.")],
    ) -> None:
        """Remove a node: from the version signed next, its events are quarantined."""
        try:
            updated = remove_node(load_trust_file(file), node)
        except (OSError, TrustEntryError) as error:
            raise _fail(error) from None
        updated.dump(file)
        console.print(f"[green]removed[/] {node} from {file}")

    @trust_app.command("retire-key")
    def retire_key(
        kid: Annotated[
            str, typer.Argument(help="The secretariat key to retire, e.g. secretariat:1.")
        ],
        file: Annotated[Path, typer.Option("--file", help="The draft trust list.")],
    ) -> None:
        """Remove one of the secretariat's keys (after a rotation, or when it is lost)."""
        try:
            updated = retire_secretariat_key(load_trust_file(file), kid)
        except (OSError, TrustEntryError) as error:
            raise _fail(error) from None
        updated.dump(file)
        console.print(f"[green]retired[/] {kid} in {file}")

    @trust_app.command("sign")
    def sign(
        file: Annotated[Path, typer.Option("--file", help="The draft trust list.")],
        keys_dir: KeysDirOption,
        out: Annotated[Path, typer.Option("--out", help="Where the signed list goes.")],
    ) -> None:
        """Sign the draft as the next version (the draft records it)."""
        try:
            signed, token = sign_draft(load_trust_file(file), keys_dir)
        except (OSError, TrustEntryError) as error:
            raise _fail(error) from None
        signed.dump(file)
        out.write_text(token + "\n", encoding="utf-8")
        console.print(f"[green]signed[/] version {signed.version} to {out}")

    @trust_app.command("publish")
    def publish_command(
        signed: Annotated[Path, typer.Argument(help="The signed list (edunode trust sign).")],
        hub: HubUrlOption,
        admin_key: AdminKeyOption,
    ) -> None:
        """Put a signed list on the hub; every node takes it within seconds. Refused when the
        nodes would refuse it (older, unknown signer, signer removed, malformed key)."""
        try:
            trust = asyncio.run(publish(hub, admin_key, signed.read_text(encoding="utf-8")))
        except (OSError, TrustEntryError) as error:
            raise _fail(error) from None
        console.print(f"[green]published[/] version {trust.version} on {hub}")

    @trust_app.command("show")
    def show(
        file: Annotated[Path | None, typer.Argument(help="A trust list, signed or not.")] = None,
        hub: Annotated[
            str | None, typer.Option("--hub", help="Show the hub's latest instead.")
        ] = None,
        admin_key: Annotated[
            Path | None, typer.Option("--admin-key", help="With --hub: <hub>/admin.nk.")
        ] = None,
    ) -> None:
        """What a trust list says: version, signer, secretariat keys, nodes and their keys."""
        try:
            if hub is not None:
                if admin_key is None:
                    raise TrustEntryError("--hub needs --admin-key")
                text = asyncio.run(latest_published(hub, admin_key))
                if text is None:
                    raise TrustEntryError(f"nothing published on {hub} yet")
            elif file is not None:
                text = file.read_text(encoding="utf-8")
            else:
                raise TrustEntryError("give a file or --hub")
            if is_signed_text(text):
                parsed = SignedTrustList.parse(text)
                trust, signer = parsed.self_verified(), parsed.kid
            else:
                trust, signer = TrustList.model_validate(load_yaml_strict(text)), None
        except (OSError, TrustEntryError, SignedListError, ValidationError) as error:
            raise _fail(error) from None
        typer.echo(_describe(trust, signer))
