"""Alembic, once for every service: each service keeps its own history in
`services/<name>/migrations/` and its `env.py` calls `run_env`; `upgrade` applies a
service's migrations to a database URL (what `edunode migrate` and the tests call)."""

from __future__ import annotations

import asyncio
import importlib.resources
import threading
from pathlib import Path
from typing import Any, Literal

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

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
