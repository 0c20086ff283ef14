"""All SQL about API clients."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.clients.models import ApiClient


class ApiClientRepository:
    """Reads and writes `api_client` rows inside the caller's unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, client_id: str) -> ApiClient | None:
        return await self.session.get(ApiClient, client_id)

    async def add(self, client: ApiClient) -> ApiClient:
        self.session.add(client)
        await self.session.flush()
        return client
