"""`edunode audit verify` against a node's SQLite files, tampered with as an attacker holding
the file would: drop the append-only triggers, then change or delete an entry."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from edunode.cli import app
from shared.audit import entry_hash
from shared.auth import Role
from shared.signing import init_node_key
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
    assert "institutions: ok, 3 entries, head 3:" in output


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


def noted_head(output: str) -> str:
    """The `SEQ:HASH` an intact run prints, as an operator notes it."""
    return output.split(" head ", 1)[1].split()[0]


def rewrite_from(db_file: Path, seq: int, **changes: str) -> None:
    """Rewrite entry `seq` and recompute every hash after it, as a careful forger would."""
    connection = sqlite3.connect(db_file, timeout=30)
    try:
        connection.row_factory = sqlite3.Row
        rows = [
            dict(row)
            for row in connection.execute(
                "SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", (seq,)
            )
        ]
    finally:
        connection.close()
    statements = []
    prev_hash = rows[0]["prev_hash"]
    for row in rows:
        if row["seq"] == seq:
            row.update(changes)
        row["prev_hash"] = prev_hash
        row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=UTC)
        row["hash"] = prev_hash = entry_hash(row)
        assignments = ", ".join(f"{name} = '{row[name]}'" for name in (*changes, "prev_hash"))
        statements.append(
            f"UPDATE audit_entry SET {assignments}, hash = '{row['hash']}' WHERE seq = {row['seq']}"
        )
    tamper(db_file, *statements)


async def verify_with(data_dir: Path, node: str, *options: str) -> tuple[int, str]:
    arguments = ["audit", "verify", "--node", node, "--service", "institutions", *options]
    result = await asyncio.to_thread(
        CliRunner().invoke, app, [*arguments, "--data-dir", str(data_dir)]
    )
    return result.exit_code, result.output


async def test_a_cut_tail_is_found_against_the_noted_head(
    node_files: tuple[Path, Path], node_id: str
) -> None:
    data_dir, db_file = node_files
    _code, output = await verify_command(data_dir, node_id)
    head = noted_head(output)
    await asyncio.to_thread(tamper, db_file, "DELETE FROM audit_entry WHERE seq = 3")

    code, output = await verify_command(data_dir, node_id)
    assert code == 0 and "ok, 2 entries" in output  # the chain alone cannot tell
    code, output = await verify_with(data_dir, node_id, "--expect-head", head)
    assert code == 1, output
    assert "BROKEN at seq 3: tail cut: the chain ends at seq 2" in output


async def test_a_tail_rewritten_with_its_hashes_recomputed_is_found_against_the_noted_head(
    node_files: tuple[Path, Path], node_id: str
) -> None:
    data_dir, db_file = node_files
    _code, output = await verify_command(data_dir, node_id)
    head = noted_head(output)
    await asyncio.to_thread(rewrite_from, db_file, 2, actor_client_id="someone-innocent")

    code, output = await verify_command(data_dir, node_id)
    assert code == 0 and "ok, 3 entries" in output  # it links again
    for expected in (head, head.split(":")[1], f"institutions={head}"):
        code, output = await verify_with(data_dir, node_id, "--expect-head", expected)
        assert code == 1, output
        assert "the expected head is not on the chain" in output


async def test_an_entry_numbered_zero_is_refused_and_reported(
    node_files: tuple[Path, Path], node_id: str
) -> None:
    data_dir, db_file = node_files
    row = await asyncio.to_thread(read_entry, db_file, 1)
    forged = {**row, "seq": 0, "hash": "f" * 64}
    columns = ", ".join(forged)
    values = ", ".join("NULL" if v is None else f"'{v}'" for v in forged.values())
    insert = f"INSERT INTO audit_entry ({columns}) VALUES ({values})"
    with pytest.raises(sqlite3.IntegrityError, match="seq starts at 1"):
        await asyncio.to_thread(tamper, db_file, insert)  # the database refuses it

    # An attacker who drops that guard too gets the entry in, and verify reports it.
    await asyncio.to_thread(tamper, db_file, "DROP TRIGGER audit_entry_seq_from_one", insert)
    code, output = await verify_command(data_dir, node_id)
    assert code == 1, output
    assert "BROKEN at seq 0: entry numbered below 1" in output


async def test_a_signed_checkpoint_anchors_the_head(
    node_files: tuple[Path, Path], node_id: str, tmp_path: Path
) -> None:
    data_dir, db_file = node_files
    init_node_key(data_dir / "keys", node_id)
    checkpoint = tmp_path / "checkpoint.json"
    arguments = ["audit", "checkpoint", "--node", node_id, "--service", "institutions"]
    arguments += ["--data-dir", str(data_dir), "--out", str(checkpoint)]
    result = await asyncio.to_thread(CliRunner().invoke, app, arguments)
    assert result.exit_code == 0, result.output
    code, output = await verify_with(data_dir, node_id, "--checkpoint", str(checkpoint))
    assert code == 0 and "(the expected head is on it)" in output, output

    await asyncio.to_thread(rewrite_from, db_file, 3, record_id=str(uuid.uuid4()))
    code, output = await verify_with(data_dir, node_id, "--checkpoint", str(checkpoint))
    assert code == 1, output
    assert "the expected head is not on the chain" in output

    # A checkpoint changed to match the forgery no longer verifies.
    _code, output = await verify_command(data_dir, node_id)
    forged = orjson.loads(checkpoint.read_bytes())
    forged["checkpoint"]["heads"]["institutions"]["hash"] = noted_head(output).split(":")[1]
    checkpoint.write_bytes(orjson.dumps(forged))
    code, output = await verify_with(data_dir, node_id, "--checkpoint", str(checkpoint))
    assert code == 2, output
    assert "signature does not verify" in output


async def test_a_checkpoint_of_a_chain_still_empty_holds_as_it_grows(
    node_files: tuple[Path, Path], node_id: str, tmp_path: Path
) -> None:
    # A service nobody has written to yet (here: quality) has an empty chain; its signed head
    # is the chain's start, which every later chain still begins with: nothing was cut.
    data_dir, _db_file = node_files
    init_node_key(data_dir / "keys", node_id)
    quality_db = data_dir / "db" / "quality.db"
    migrated("services.quality", f"sqlite+aiosqlite:///{quality_db}")
    checkpoint = tmp_path / "checkpoint.json"
    common = ["--node", node_id, "--service", "quality", "--data-dir", str(data_dir)]
    result = await asyncio.to_thread(
        CliRunner().invoke, app, ["audit", "checkpoint", *common, "--out", str(checkpoint)]
    )
    assert result.exit_code == 0, result.output
    assert "quality: head 0:" + "0" * 64 in result.output

    verify = ["audit", "verify", *common, "--checkpoint", str(checkpoint)]
    result = await asyncio.to_thread(CliRunner().invoke, app, verify)
    assert result.exit_code == 0, result.output
    assert "quality: ok, 0 entries" in result.output

    # The head `verify` printed for the empty chain is accepted back as well.
    expect = ["audit", "verify", *common, "--expect-head", "0:" + "0" * 64]
    result = await asyncio.to_thread(CliRunner().invoke, app, expect)
    assert result.exit_code == 0, result.output
