"""Grant mobility:transcripts to every client that holds mobility:agreements.

Transcripts, grade tables and their recognition at home were read and written with the
agreements scope until they got their own. A client created before then keeps what it could do:
it holds the new scope beside the old one. Clients created later get it from their role.

Revision ID: 0005_grant_transcripts_scope
Revises: 0004_console_users_console
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_grant_transcripts_scope"
down_revision: str | None = "0004_console_users_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGREEMENTS = "mobility:agreements"
TRANSCRIPTS = "mobility:transcripts"

clients = sa.table("api_client", sa.column("client_id", sa.String), sa.column("scopes", sa.Text))


def upgrade() -> None:
    connection = op.get_bind()
    for client_id, scopes in connection.execute(sa.select(clients.c.client_id, clients.c.scopes)):
        held = scopes.split()
        if AGREEMENTS in held and TRANSCRIPTS not in held:
            connection.execute(
                clients.update()
                .where(clients.c.client_id == client_id)
                .values(scopes=" ".join([*held, TRANSCRIPTS]))
            )


def downgrade() -> None:
    connection = op.get_bind()
    for client_id, scopes in connection.execute(sa.select(clients.c.client_id, clients.c.scopes)):
        held = scopes.split()
        if TRANSCRIPTS in held:
            connection.execute(
                clients.update()
                .where(clients.c.client_id == client_id)
                .values(scopes=" ".join(scope for scope in held if scope != TRANSCRIPTS))
            )
