"""The console's rules for people: who may be a user, how passwords are checked, when an
account locks, and how long a session lasts. No SQL (`repository.py`), no HTTP (`router.py`).

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended
option: 64 MiB, 3 passes), off the event loop. After `MAX_FAILED_LOGINS` wrong passwords in a
row an account locks until an administrator unlocks it; an unknown username costs the same
hash as a known one, and both failures read the same.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.gateway.clients.service import validate_client_spec
from services.gateway.console.models import ConsoleSession, ConsoleUser
from services.gateway.console.repository import ConsoleRepository
from services.gateway.console.roles import API_ROLE, ConsoleRole
from shared.audit import act_as, command_line_actor
from shared.auth import ROLE_SCOPES
from shared.db import Database
from shared.timestamps import utcnow

MAX_FAILED_LOGINS = 5
PASSWORD_MIN = 12  # NIST SP 800-63B allows 8; people here guard other people's records
PASSWORD_MAX = 256
SESSION_IDLE = timedelta(minutes=30)
SESSION_LONGEST = timedelta(hours=12)
# The password hash of a person who signs in at the agency's identity provider (`oidc.py`): no
# password matches it, and a wrong one does not count towards a lock-out.
NO_PASSWORD = "!openid-connect"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_urlsafe(32))


class LoginRefused(Exception):
    """Wrong username or password (which one is never said)."""


class AccountLocked(Exception):
    """Too many wrong passwords: an administrator must unlock the account."""


@dataclass(frozen=True)
class UserSpec:
    """A validated request to create a user."""

    username: str
    display_name: str
    role: ConsoleRole
    institution_id: uuid.UUID | None
    agency_id: uuid.UUID | None


def validate_user(
    username: str,
    display_name: str,
    role: ConsoleRole | str,
    password: str,
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> UserSpec:
    """Check a user before it exists; ValueError says what to fix. The binding rules are the
    API clients' (a university bound to its institution, a QA agency to its agency)."""
    spec = validate_person(username, display_name, role, institution_id, agency_id)
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValueError(f"the password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    return spec


def validate_person(
    username: str,
    display_name: str,
    role: ConsoleRole | str,
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> UserSpec:
    """`validate_user` but the password: also the rules of a person an identity provider
    vouches for (`oidc.py`)."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise ValueError(
            "the username must be 2 to 64 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    try:
        parsed_role = ConsoleRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in ConsoleRole)
        raise ValueError(f"unknown role {role!r}; roles: {roles}") from None
    institution_id = institution_id or None
    agency_id = agency_id or None
    api_role = API_ROLE[parsed_role]
    if api_role is None:
        if institution_id is not None or agency_id is not None:
            raise ValueError("a read-only user is bound to no institution or agency")
        name = display_name.strip()
        if not name or len(name) > 200:
            raise ValueError("name must be 1 to 200 characters")
        return UserSpec(username, name, parsed_role, None, None)
    spec = validate_client_spec(
        display_name, api_role, ROLE_SCOPES[api_role], institution_id, agency_id
    )
    return UserSpec(username, spec.name, parsed_role, spec.institution_id, spec.agency_id)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _password_matches(stored: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


async def create_user(
    repository: ConsoleRepository, spec: UserSpec, password: str, created_by: str
) -> ConsoleUser:
    """Add a user; ValueError if the username is taken."""
    if await repository.user(spec.username) is not None:
        raise ValueError(f"the username {spec.username!r} is taken")
    user = ConsoleUser(
        username=spec.username,
        display_name=spec.display_name,
        role=spec.role.value,
        institution_id=spec.institution_id,
        agency_id=spec.agency_id,
        password_hash=await hash_password(password),
        failed_logins=0,
        created_by=created_by,
    )
    return await repository.add_user(user)


async def authenticate(repository: ConsoleRepository, username: str, password: str) -> ConsoleUser:
    """The user these credentials are; LoginRefused or AccountLocked otherwise. A wrong
    password counts towards the lock-out (the caller's unit of work must commit it)."""
    user = await repository.user(username.strip().lower()) if len(username) <= 64 else None
    stored = user.password_hash if user is not None else _UNKNOWN_USER_HASH
    matches = await _password_matches(stored, password[:PASSWORD_MAX])
    if user is None or user.password_hash == NO_PASSWORD:
        raise LoginRefused()
    if user.locked_at is not None:
        raise AccountLocked()
    if not matches:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_at = utcnow()
            await repository.end_sessions_of(user.username)
            raise AccountLocked()
        raise LoginRefused()
    if user.failed_logins:
        user.failed_logins = 0
    return user


def unlock(user: ConsoleUser) -> None:
    user.locked_at = None
    user.failed_logins = 0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(repository: ConsoleRepository, user: ConsoleUser) -> tuple[str, str]:
    """A new session for `user`: (the cookie's token, the session's CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await repository.add_session(
        ConsoleSession(token_hash=_digest(token), username=user.username, csrf_token=csrf)
    )
    return token, csrf


@dataclass(frozen=True)
class SignedIn:
    user: ConsoleUser
    csrf_token: str


async def resume_session(
    repository: ConsoleRepository, token: str, now: datetime | None = None
) -> SignedIn | None:
    """The signed-in user of a session cookie, or None for an unknown, idle or expired one
    (which is ended). A locked user has no session."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    browser = await repository.browser_session(_digest(token))
    if browser is None:
        return None
    expired = now - browser.last_seen_at > SESSION_IDLE or now - browser.created_at > (
        SESSION_LONGEST
    )
    user = None if expired else await repository.user(browser.username)
    if user is None or user.locked_at is not None:
        await repository.end_session(browser.token_hash)
        return None
    if now - browser.last_seen_at > timedelta(minutes=1):  # one write a minute, not a request
        browser.last_seen_at = now
    return SignedIn(user, browser.csrf_token)


async def end_session(repository: ConsoleRepository, token: str) -> None:
    await repository.end_session(_digest(token))


# -- the command line's entry point: its own unit of work ----------------------------------------


async def create_user_async(
    database_url: str,
    username: str,
    display_name: str,
    role: ConsoleRole | str,
    password: str,
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> ConsoleUser:
    """Create a console user (`edunode users create`); ValueError says what to fix."""
    spec = validate_user(username, display_name, role, password, institution_id, agency_id)
    database = Database(database_url)
    try:
        async with database.session() as session:
            actor = command_line_actor()
            act_as(session, actor)
            user = await create_user(ConsoleRepository(session), spec, password, actor.client_id)
    finally:
        await database.dispose()
    return user


def create_user_blocking(
    database_url: str,
    username: str,
    display_name: str,
    role: ConsoleRole | str,
    password: str,
    institution_id: uuid.UUID | str | None = None,
    agency_id: uuid.UUID | str | None = None,
) -> ConsoleUser:
    """Blocking form of `create_user_async` (also inside a running loop, on a thread)."""
    work = create_user_async(
        database_url, username, display_name, role, password, institution_id, agency_id
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        return executor.submit(asyncio.run, work).result()
