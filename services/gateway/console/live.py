"""The console sessions seen live lately, for the front door's rate limiter
(`services.gateway.limits`): a signed-in person's requests count in their own bucket, under their
API role's policy, instead of their address's anonymous one (where a whole office behind one
address would share a bucket).

The limiter runs before any route and must not read the database, so it trusts only sessions
that `pages.visit_of` has found live in the database within `SEEN_FOR` (their cookie's digest
kept here in memory). A made-up cookie is not among them, so it cannot buy a fresh bucket: it is
limited by its address, as any anonymous request."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from http.cookies import CookieError, SimpleCookie

from shared.auth import Role

SESSION_COOKIE = "edunode_console"
SEEN_FOR = 30 * 60.0  # a session's idle limit (service.SESSION_IDLE)
KEPT_MAX = 100_000


class LiveSessions:
    """Cookie digest → (until, username, API role or None for read-only), most recent last."""

    def __init__(self) -> None:
        self._live: OrderedDict[bytes, tuple[float, str, Role | None]] = OrderedDict()

    @staticmethod
    def _digest(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def seen(self, token: str, username: str, role: Role | None) -> None:
        key = self._digest(token)
        self._live[key] = (time.monotonic() + SEEN_FOR, username, role)
        self._live.move_to_end(key)
        while len(self._live) > KEPT_MAX:
            self._live.popitem(last=False)

    def forget(self, token: str) -> None:
        self._live.pop(self._digest(token), None)

    def person(self, token: str) -> tuple[str, Role | None] | None:
        found = self._live.get(self._digest(token))
        if found is None or found[0] < time.monotonic():
            return None
        return found[1], found[2]

    def person_of_headers(
        self, headers: list[tuple[bytes, bytes]]
    ) -> tuple[str, Role | None] | None:
        """The signed-in person of a request's session cookie, if seen live lately."""
        for name, value in headers:
            if name != b"cookie" or SESSION_COOKIE.encode() not in value:
                continue
            try:
                cookie = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                return None
            morsel = cookie.get(SESSION_COOKIE)
            if morsel is not None and 0 < len(morsel.value) <= 128:
                return self.person(morsel.value)
        return None


LIVE_SESSIONS = LiveSessions()
