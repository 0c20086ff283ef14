"""All SQL of the console: its users and sessions, inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.gateway.console.models import ConsoleSession, ConsoleUser


class ConsoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user(self, username: str) -> ConsoleUser | None:
        return await self.session.get(ConsoleUser, username)

    async def add_user(self, user: ConsoleUser) -> ConsoleUser:
        self.session.add(user)
        await self.session.flush()
        return user

    async def users_page(self, after: str | None, limit: int) -> list[ConsoleUser]:
        """Users by username, `limit` of them after `after`."""
        query = select(ConsoleUser).order_by(ConsoleUser.username).limit(limit)
        if after is not None:
            query = query.where(ConsoleUser.username > after)
        return list((await self.session.scalars(query)).all())

    async def count_users(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(ConsoleUser)) or 0)

    async def browser_session(self, token_hash: str) -> ConsoleSession | None:
        return await self.session.get(ConsoleSession, token_hash)

    async def add_session(self, browser: ConsoleSession) -> None:
        self.session.add(browser)
        await self.session.flush()

    async def end_session(self, token_hash: str) -> None:
        await self.session.execute(
            delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash)
        )

    async def end_sessions_of(self, username: str) -> None:
        await self.session.execute(
            delete(ConsoleSession).where(ConsoleSession.username == username)
        )

    async def end_sessions_idle_since(self, cutoff: datetime) -> None:
        await self.session.execute(
            delete(ConsoleSession).where(ConsoleSession.last_seen_at < cutoff)
        )
