"""A client registered while transcripts were read with the agreements scope keeps reading them
after they got their own scope (`mobility:transcripts`, issue 19): the gateway's migration grants
it beside `mobility:agreements`, and to nobody else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from shared.db import Database
from shared.migrations import downgrade, upgrade

BEFORE = "0004_console_users_console"
CLIENTS = {
    "university-old": "mobility:agreements credentials:issue",
    "registrar": "institutions:write programmes:write",
    "university-new": "mobility:agreements mobility:transcripts",
}


async def scopes_of(url: str) -> dict[str, list[str]]:
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            rows = await connection.execute(sa.text("SELECT client_id, scopes FROM api_client"))
            return {client_id: scopes.split() for client_id, scopes in rows}
    finally:
        await database.dispose()


async def test_agreement_holders_get_the_transcripts_scope(
    new_database_url: Callable[[str], str],
) -> None:
    url = new_database_url("gateway")
    upgrade("services.gateway", url, BEFORE)
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            for client_id, scopes in CLIENTS.items():
                await connection.execute(
                    sa.text(
                        "INSERT INTO api_client (client_id, name, role, scopes, secret_hash,"
                        " created_at) VALUES (:id, :id, 'university', :scopes, 'x', :at)"
                    ),
                    {"id": client_id, "scopes": scopes, "at": datetime.now(UTC)},
                )
    finally:
        await database.dispose()

    upgrade("services.gateway", url)
    after = await scopes_of(url)
    assert after["university-old"] == [
        "mobility:agreements",
        "credentials:issue",
        "mobility:transcripts",
    ]
    assert after["registrar"] == ["institutions:write", "programmes:write"]
    assert after["university-new"] == ["mobility:agreements", "mobility:transcripts"]

    downgrade("services.gateway", url, BEFORE)
    back = await scopes_of(url)
    assert "mobility:transcripts" not in back["university-old"] + back["university-new"]
