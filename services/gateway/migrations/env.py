"""Alembic environment of the gateway's database."""

from services.gateway.clients import models  # noqa: F401  (registers the tables)
from services.gateway.console import models as console_models  # noqa: F401
from services.gateway.db import GatewayBase
from shared.migrations import run_env

run_env(GatewayBase.metadata)
