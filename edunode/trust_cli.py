"""`edunode trust …`: build the federation's trust list from the entries `edunode keys init`
prints, refusing anything that would make it ambiguous (docs/federation.md)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console

from shared.trust import TrustedNode, TrustList, load_yaml_strict

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
    document = _read(path.read_text(encoding="utf-8"), str(path))
    try:
        return TrustList.model_validate(document)
    except ValidationError as error:
        raise TrustEntryError(f"{path}: {error}") from None


def add_entries(trust: TrustList, entries: list[TrustedNode]) -> TrustList:
    """`trust` with `entries` added; a node id, key id or public key already there (or twice
    among the entries) is refused."""
    try:
        return TrustList(version=trust.version, nodes=[*trust.nodes, *entries])
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
        return TrustList(version=trust.version, nodes=nodes)
    except ValidationError as error:
        messages = "; ".join(str(detail["msg"]) for detail in error.errors())
        raise TrustEntryError(messages.removeprefix("Value error, ")) from None


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
        """Check a trust list: readable, no key named twice, no node or key listed twice."""
        try:
            if not file.exists():
                raise TrustEntryError(f"{file}: no such file")
            trust = load_trust_file(file)
        except TrustEntryError as error:
            console.print(f"[red]error:[/] {error}")
            raise typer.Exit(2) from None
        names = ", ".join(node.id for node in trust.nodes)
        console.print(f"[green]valid[/] {len(trust.nodes)} node(s): {names}")
