"""The Python SDK in `clients/python/`: generated from the node's merged OpenAPI document as it
is now (`make sdk` fails this test's first two checks when forgotten), and usable as a client
would use it, against a node served over real sockets."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import filecmp
import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from edunode_client import AuthenticatedClient, Client
from edunode_client.api.frameworks import get_framework, list_frameworks
from edunode_client.api.institutions import (
    create_institution,
    get_institution,
    update_institution,
)
from edunode_client.models import (
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
    Problem,
    RecognitionFramework,
)

from edunode.natsserver import NatsServer
from edunode.sdk import CLIENT_DIR, SPEC_SNAPSHOT, generate_client, merged_document, render
from edunode.sdk import REPO as ROOT
from shared.auth import Role
from tests.conftest import MakeToken, TokenKeys, ensure_running
from tests.served import served_node


def test_the_client_was_generated_from_the_current_document() -> None:
    assert SPEC_SNAPSHOT.read_bytes() == render(merged_document()), (
        "the merged OpenAPI document changed: run `make sdk` and commit clients/python"
    )


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right, ignore=["__pycache__", ".ruff_cache"])
    found = [*compared.left_only, *compared.right_only, *compared.diff_files]
    found += compared.funny_files
    for name in compared.subdirs:
        found += [f"{name}/{item}" for item in _differences(left / name, right / name)]
    return found


def test_generating_again_gives_the_committed_client(tmp_path: Path) -> None:
    again = tmp_path / "python"
    generate_client(SPEC_SNAPSHOT, again)
    assert _differences(CLIENT_DIR, again) == [], "run `make sdk` and commit clients/python"


async def test_the_sdk_reads_and_writes_through_a_node(
    nats_server: NatsServer,
    new_migrated_database_url: Callable[[str, str], str],
    token_keys: TokenKeys,
    make_token: MakeToken,
    node_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with served_node(
        node_id,
        nats_url=ensure_running(nats_server).url,
        new_migrated_database_url=new_migrated_database_url,
        token_keys=token_keys,
    ) as node:
        public = Client(base_url=node.gateway_url)
        registrar = AuthenticatedClient(
            base_url=node.gateway_url, token=make_token(Role.REGISTRAR, node=node_id)
        )
        async with public, registrar:
            # A model the merged document renamed (recognition's `Framework`) still parses.
            frameworks = await list_frameworks.asyncio(client=public)
            assert isinstance(frameworks, list)
            assert "EQF" in {framework.code for framework in frameworks}
            eqf = await get_framework.asyncio("EQF", client=public)
            assert isinstance(eqf, RecognitionFramework), eqf
            assert eqf.code == "EQF"
            assert len(eqf.levels) == 8  # EQF has eight levels

            created = await create_institution.asyncio_detailed(
                client=registrar,
                body=InstitutionCreate(country="CN", name="Peking University", city="Beijing"),
            )
            assert created.status_code == 201
            assert isinstance(created.parsed, InstitutionRead)
            assert created.headers["etag"]  # documented, and sent back as If-Match below
            institution_id = uuid.UUID(str(created.parsed.id))

            # null clears a field the document shows as nullable; a stale If-Match is a 412
            # problem, parsed as one.
            updated = await update_institution.asyncio_detailed(
                institution_id,
                client=registrar,
                body=InstitutionUpdate(city=None),
                if_match=created.headers["etag"],
            )
            assert updated.status_code == 200, updated.content
            assert isinstance(updated.parsed, InstitutionRead)
            assert updated.parsed.city is None
            stale = await update_institution.asyncio_detailed(
                institution_id,
                client=registrar,
                body=InstitutionUpdate(name="Lost update"),
                if_match='"1"',
            )
            assert stale.status_code == 412
            assert isinstance(stale.parsed, Problem)
            assert stale.parsed.status == 412

            read = await get_institution.asyncio(institution_id, client=public)
            assert isinstance(read, InstitutionRead)
            assert (read.name, read.city, read.version) == ("Peking University", None, 2)

            missing = await get_institution.asyncio(uuid.UUID(int=1), client=public)
            assert isinstance(missing, Problem)
            assert missing.status == 404

        # The README's example runs as written against this node.
        printed = io.StringIO()
        monkeypatch.setenv("EDUNODE_URL", node.gateway_url)
        monkeypatch.setenv("EDUNODE_TOKEN", make_token(Role.REGISTRAR, node=node_id))
        with contextlib.redirect_stdout(printed):
            await asyncio.to_thread(exec, readme_example(), {})
        lines = printed.getvalue().splitlines()
        assert len(ast.literal_eval(lines[0])) == 8  # EQF's eight levels, by name
        assert lines[1].startswith("201 ")
        assert lines[2] == "Shandong University"


def readme_example() -> str:
    """The README's Python example (the one code block that uses the SDK)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    examples = [block for block in blocks if "edunode_client" in block]
    assert len(examples) == 1
    return str(examples[0])
