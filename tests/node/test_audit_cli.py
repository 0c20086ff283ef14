"""`edunode audit verify` against a node's SQLite files, tampered with as an attacker holding
the file would: drop the append-only triggers, then change or delete an entry."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from edunode.cli import app
from shared.audit import entry_hash
from shared.auth import Role
from tests.conftest import MakeToken, ServiceLauncher, bearer, migrated
from tests.institutions.conftest import tsinghua
from tests.shared.test_audit import create, peking


@pytest.fixture
def db_backend() -> str:
    """The command reads the node's SQLite files: no PostgreSQL run here."""
    return "sqlite"


@pytest.fixture
def registrar(make_token: MakeToken, node_id: str) -> dict[str, str]:
    return bearer(make_token(Role.REGISTRAR, node=node_id, client_id="registrar-1"))


async def verify_command(data_dir: Path, node: str) -> tuple[int, str]:
    """Run `edunode audit verify` (in a thread: the node's service keeps running here)."""
    arguments = ["audit", "verify", "--node", node, "--service", "institutions"]
    result = await asyncio.to_thread(
        CliRunner().invoke, app, [*arguments, "--data-dir", str(data_dir)]
    )
    return result.exit_code, result.output


@pytest.fixture
async def node_files(
    services: ServiceLauncher, node_id: str, tmp_path: Path, registrar: dict[str, str]
) -> tuple[Path, Path]:
    """A node's data dir whose institutions database holds a chain of three entries."""
    data_dir = tmp_path / "node"
    db_file = data_dir / "db" / "institutions.db"
    db_file.parent.mkdir(parents=True)
    url = migrated("services.institutions", f"sqlite+aiosqlite:///{db_file}")
    directory = await services.institutions(node_id, database_url=url)
    for body in (tsinghua(), peking(), peking(name="Fudan University")):
        await create(directory, registrar, body)
    return data_dir, db_file


def tamper(db_file: Path, *statements: str) -> None:
    """What an attacker with the file does: drop the guard, then change the log (taking the
    write lock first, as the node's service is still running)."""
    connection = sqlite3.connect(db_file, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("DROP TRIGGER audit_entry_no_update")
        connection.execute("DROP TRIGGER audit_entry_no_delete")
        for statement in statements:
            connection.execute(statement)
        connection.execute("COMMIT")
    finally:
        connection.close()


def read_entry(db_file: Path, seq: int) -> dict[str, Any]:
    connection = sqlite3.connect(db_file, timeout=30)
    try:
        connection.row_factory = sqlite3.Row
        return dict(
            connection.execute("SELECT * FROM audit_entry WHERE seq = ?", (seq,)).fetchone()
        )
    finally:
        connection.close()


async def test_verify_reports_an_intact_chain(node_files: tuple[Path, Path], node_id: str) -> None:
    data_dir, _ = node_files
    code, output = await verify_command(data_dir, node_id)
    assert code == 0, output
    assert "institutions: ok, 3 entries, head seq 3" in output


async def test_verify_finds_a_changed_entry(node_files: tuple[Path, Path], node_id: str) -> None:
    data_dir, db_file = node_files
    forged = str(uuid.uuid4())
    await asyncio.to_thread(
        tamper, db_file, f"UPDATE audit_entry SET record_id = '{forged}' WHERE seq = 2"
    )
    code, output = await verify_command(data_dir, node_id)
    assert code == 1, output
    assert "BROKEN at seq 2: hash does not match" in output


async def test_verify_finds_a_changed_entry_whose_hash_was_recomputed(
    node_files: tuple[Path, Path], node_id: str
) -> None:
    data_dir, db_file = node_files
    row = await asyncio.to_thread(read_entry, db_file, 2)
    row["actor_client_id"] = "someone-innocent"
    row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=UTC)
    forged_hash = entry_hash(row)
    await asyncio.to_thread(
        tamper,
        db_file,
        f"UPDATE audit_entry SET actor_client_id = 'someone-innocent', hash = '{forged_hash}' "
        "WHERE seq = 2",
    )
    code, output = await verify_command(data_dir, node_id)
    assert code == 1, output
    assert "BROKEN at seq 3: prev_hash is not the previous entry's hash" in output
    assert forged_hash in output


async def test_verify_finds_a_deleted_entry(node_files: tuple[Path, Path], node_id: str) -> None:
    data_dir, db_file = node_files
    await asyncio.to_thread(tamper, db_file, "DELETE FROM audit_entry WHERE seq = 2")
    code, output = await verify_command(data_dir, node_id)
    assert code == 1, output
    assert "BROKEN at seq 2: entry missing (expected seq 2, found seq 3)" in output
