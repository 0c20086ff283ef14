"""Alembic, once for every service: each service keeps its own history in
`services/<name>/migrations/` and its `env.py` calls `run_env`; `upgrade` applies a
service's migrations to a database URL (what `edunode migrate` and the tests call). The
kernel's tables (events, audit, idempotency keys) are created by the steps at the end of this
module, which the services' migrations call: their DDL is written once."""

from __future__ import annotations

import asyncio
import importlib.resources
import threading
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.operations import Operations
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.audit import (
    append_only_ddl,
    drop_append_only_ddl,
    drop_seq_from_one_ddl,
    seq_from_one_ddl,
)
from shared.db import UtcDateTime


def alembic_config(service_package: str, database_url: str) -> Config:
    """The Alembic configuration of a service (e.g. `services.institutions`)."""
    root = Path(str(importlib.resources.files(service_package))) / "migrations"
    config = Config()
    config.set_main_option("script_location", str(root))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


# Alembic keeps the running migration in module globals (`alembic.context`): one at a time
# per process, even when several nodes start side by side (the demo).
_ALEMBIC = threading.Lock()


def upgrade(service_package: str, database_url: str, revision: str = "head") -> None:
    """Bring a service's database to `revision` (idempotent)."""
    with _ALEMBIC:
        command.upgrade(alembic_config(service_package, database_url), revision)


def downgrade(service_package: str, database_url: str, revision: str = "base") -> None:
    with _ALEMBIC:
        command.downgrade(alembic_config(service_package, database_url), revision)


def _render_item(type_: str, obj: Any, _context: Any) -> str | Literal[False]:
    # Migrations store the plain column type; UtcDateTime's conversion is runtime behaviour.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.attributes.get("database_url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(str(url), poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
        await engine.dispose()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(main())
    else:  # called from inside an event loop (tests): run in a private loop on a thread
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(1) as executor:
            executor.submit(asyncio.run, main()).result()


def ensure_database(database_url: str) -> None:
    """Create a PostgreSQL database if it does not exist yet (SQLite creates its file)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if not url.drivername.startswith("postgresql") or not url.database:
        if url.database and url.drivername.startswith("sqlite"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return
    name = url.database

    async def create() -> None:
        engine = create_async_engine(
            url.set(database="postgres"), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
        )
        async with engine.connect() as connection:
            exists = await connection.scalar(
                text("select 1 from pg_database where datname = :name"), {"name": name}
            )
            if not exists:
                quoted = name.replace('"', '""')
                await connection.execute(text(f'create database "{quoted}"'))
        await engine.dispose()

    asyncio.run(create())


# -- the kernel's tables, as steps of every service's history ----------------------------------
# Each service's Alembic migrations call these where its history creates the kernel's tables.
# Databases already migrated ran exactly these statements: a step is never edited. A change to
# a kernel table is a new step here, and a new migration in each service that calls it.


def create_event_tables(op: Operations) -> None:
    """The event tables (service migration 0001): the outbox the relay publishes from, the
    inbox that makes a consumer idempotent, the dead letters and the quarantined events."""
    op.create_table(
        "dead_letter",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letter")),
    )
    op.create_table(
        "quarantined_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("origin_node", sa.String(length=16), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_event")),
    )
    op.create_table(
        "inbox_message",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("origin_node", sa.String(length=16), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer", name=op.f("pk_inbox_message")),
    )
    op.create_table(
        "outbox_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("traceparent", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_event")),
    )
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_event_published_at"), ["published_at"], unique=False
        )


def drop_event_tables(op: Operations) -> None:
    """`create_event_tables` undone."""
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_event_published_at"))
    op.drop_table("outbox_event")
    op.drop_table("inbox_message")
    op.drop_table("quarantined_event")
    op.drop_table("dead_letter")


def create_audit_entry(op: Operations) -> None:
    """The hash-chained audit log, append-only: the database refuses to change or remove an
    entry, whatever the code does."""
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_client_id", sa.String(length=100), nullable=False),
        sa.Column("actor_roles", sa.String(length=200), nullable=False),
        sa.Column("actor_node", sa.String(length=16), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("record_type", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("version_before", sa.Integer(), nullable=True),
        sa.Column("version_after", sa.Integer(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_actor_client_id", ["actor_client_id"], unique=False)
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_record", ["record_type", "record_id"], unique=False)
    for statement in append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def drop_audit_entry(op: Operations) -> None:
    """`create_audit_entry` undone."""
    for statement in drop_append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_record")
        batch_op.drop_index("ix_audit_entry_at")
        batch_op.drop_index("ix_audit_entry_actor_client_id")
    op.drop_table("audit_entry")


def create_idempotency_key(op: Operations) -> None:
    """The `Idempotency-Key`s of POST requests and the responses they replay."""
    op.create_table(
        "idempotency_key",
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", sa.Text(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "key", name=op.f("pk_idempotency_key")),
    )
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_key_expires_at", ["expires_at"], unique=False)


def drop_idempotency_key(op: Operations) -> None:
    """`create_idempotency_key` undone."""
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_key_expires_at")
    op.drop_table("idempotency_key")


def audit_seq_from_one(op: Operations) -> None:
    """The database refuses an audit entry numbered below 1, which would sit before the
    chain's start where no verification reaches it."""
    for statement in seq_from_one_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def drop_audit_seq_from_one(op: Operations) -> None:
    """`audit_seq_from_one` undone."""
    for statement in drop_seq_from_one_ddl(op.get_bind().dialect.name):
        op.execute(statement)
