"""FastAPI dependencies of the gateway's own routes (the proxy needs none)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.runtime import GatewayRuntime


async def gateway_runtime(request: Request) -> GatewayRuntime:
    runtime: GatewayRuntime = request.app.state.gateway
    return runtime


Runtime = Annotated[GatewayRuntime, Depends(gateway_runtime)]


async def database_session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """One unit of work per request: committed when the route returns, rolled back on error."""
    async with runtime.database.session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(database_session)]
