"""The console's people, on SQLite and PostgreSQL: who may be a user, argon2id passwords, the
lock-out after five wrong ones (BRIEF: accounts of people who decide on others' records),
sessions that end when idle, too old or locked, and `edunode users create`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from typer.testing import CliRunner

from edunode.cli import app as edunode
from services.gateway.console.models import ConsoleSession
from services.gateway.console.repository import ConsoleRepository
from services.gateway.console.roles import ConsoleRole, principal_of
from services.gateway.console.service import (
    AccountLocked,
    LoginRefused,
    authenticate,
    create_user_async,
    open_session,
    resume_session,
    unlock,
    validate_user,
)
from services.gateway.db import GatewayBase, audit_entries
from shared.auth import ROLE_SCOPES, Role
from shared.db import Database
from shared.timestamps import utcnow

PASSWORD = "correct horse battery staple"
INSTITUTION = uuid.UUID("0193a1b2-0000-7000-8000-000000000001")
AGENCY = uuid.UUID("0193a1b2-0000-7000-8000-000000000002")


@pytest.fixture
def gateway_url(new_migrated_database_url: Callable[[str, str], str]) -> str:
    return new_migrated_database_url("services.gateway", "gw")


@pytest.mark.parametrize(
    ("role", "institution", "agency", "reason"),
    [
        ("university", None, None, "institution_id"),
        ("qa_agency", None, None, "agency_id"),
        ("recognition_officer", INSTITUTION, None, "institution_id binds only"),
        ("read_only", None, AGENCY, "bound to no institution or agency"),
        ("superuser", None, None, "unknown role"),
    ],
)
def test_a_user_is_bound_as_its_role_requires(
    role: str, institution: uuid.UUID | None, agency: uuid.UUID | None, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        validate_user("someone", "Some One", role, PASSWORD, institution, agency)


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("a", PASSWORD, "username"),
        ("-dash-first", PASSWORD, "username"),
        ("has space", PASSWORD, "username"),
        ("x" * 65, PASSWORD, "username"),
        ("fine.name", "short pass", "12 to 256"),
        ("fine.name", "x" * 257, "12 to 256"),
    ],
)
def test_usernames_and_passwords_have_their_rules(
    username: str, password: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        validate_user(username, "Name", "read_only", password)


def test_each_role_acts_in_its_api_role_with_the_persons_name() -> None:
    officer = principal_of(
        "lim", ConsoleRole.RECOGNITION_OFFICER, "cn", institution_id=None, agency_id=None
    )
    assert officer is not None
    assert officer.client_id == "user:lim"
    assert officer.role is Role.RECOGNITION_OFFICER
    assert officer.scopes == ROLE_SCOPES[Role.RECOGNITION_OFFICER]
    university = principal_of(
        "um", ConsoleRole.UNIVERSITY, "my", institution_id=INSTITUTION, agency_id=None
    )
    assert university is not None and university.institution_id == INSTITUTION
    assert (
        principal_of("ro", ConsoleRole.READ_ONLY, "cn", institution_id=None, agency_id=None) is None
    )


async def test_five_wrong_passwords_lock_until_unlocked(gateway_url: str) -> None:
    user = await create_user_async(
        gateway_url, "Officer.Lim", "Lim Wei", "recognition_officer", PASSWORD
    )
    assert user.username == "officer.lim"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    database = Database(gateway_url)
    try:
        async with database.session() as session:
            repository = ConsoleRepository(session)
            assert (
                await authenticate(repository, "OFFICER.LIM", PASSWORD)
            ).username == "officer.lim"
            with pytest.raises(LoginRefused):
                await authenticate(repository, "nobody", PASSWORD)
            for _ in range(4):
                with pytest.raises(LoginRefused):
                    await authenticate(repository, "officer.lim", "wrong password!")
            # A right password in between starts the count again.
            await authenticate(repository, "officer.lim", PASSWORD)
            for _ in range(4):
                with pytest.raises(LoginRefused):
                    await authenticate(repository, "officer.lim", "wrong password!")
            token, _csrf = await open_session(
                repository, await authenticate(repository, "officer.lim", PASSWORD)
            )
        async with database.session() as session:
            repository = ConsoleRepository(session)
            for _ in range(4):
                with pytest.raises(LoginRefused):
                    await authenticate(repository, "officer.lim", "wrong password!")
            with pytest.raises(AccountLocked):
                await authenticate(repository, "officer.lim", "wrong password!")
        async with database.session() as session:  # the lock was committed
            repository = ConsoleRepository(session)
            with pytest.raises(AccountLocked):
                await authenticate(repository, "officer.lim", PASSWORD)
            assert await resume_session(repository, token) is None  # locked: signed out
            locked = await repository.user("officer.lim")
            assert locked is not None and locked.locked_at is not None
            unlock(locked)
        async with database.session() as session:
            repository = ConsoleRepository(session)
            assert (await authenticate(repository, "officer.lim", PASSWORD)).failed_logins == 0
    finally:
        await database.dispose()


async def test_sessions_end_when_idle_too_old_or_closed(gateway_url: str) -> None:
    await create_user_async(gateway_url, "reader", "Reader", "read_only", PASSWORD)
    database = Database(gateway_url)
    try:
        async with database.session() as session:
            repository = ConsoleRepository(session)
            user = await repository.user("reader")
            assert user is not None
            token, csrf = await open_session(repository, user)
            stored = (await session.scalars(select(ConsoleSession))).all()
            assert [row.token_hash for row in stored] != [token]  # only a digest is kept
            resumed = await resume_session(repository, token)
            assert resumed is not None and resumed.csrf_token == csrf
            now = utcnow()
            assert await resume_session(repository, token, now + timedelta(minutes=29)) is not None
            assert await resume_session(repository, "x" * 43) is None
        async with database.session() as session:
            repository = ConsoleRepository(session)
            later = utcnow() + timedelta(minutes=29) + timedelta(minutes=31)
            assert await resume_session(repository, token, later) is None  # idle: ended
            assert await resume_session(repository, token) is None
            user = await repository.user("reader")
            assert user is not None
            old, _ = await open_session(repository, user)
            browser = await repository.browser_session(
                next(iter((await session.scalars(select(ConsoleSession.token_hash))).all()))
            )
            assert browser is not None
            browser.created_at = utcnow() - timedelta(hours=13)  # active, but too old
            assert await resume_session(repository, old) is None
    finally:
        await database.dispose()


async def test_creating_a_user_is_audited_and_the_schema_is_the_models(gateway_url: str) -> None:
    await create_user_async(
        gateway_url, "um.office", "UM Office", "university", PASSWORD, institution_id=INSTITUTION
    )
    database = Database(gateway_url)
    try:
        async with database.engine.connect() as connection:
            entries = (await connection.execute(select(audit_entries))).mappings().all()
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync), GatewayBase.metadata
                )
            )
    finally:
        await database.dispose()
    created = [e for e in entries if e["record_type"] == "console_user"]
    assert [(e["record_id"], e["action"]) for e in created] == [
        ("um.office", "console_user.created")
    ]
    assert created[0]["actor_client_id"].startswith("cli:")
    assert differences == []  # the migration creates exactly what the models declare


def test_the_command_creates_a_user_reading_the_password_from_stdin(tmp_path: Path) -> None:
    runner = CliRunner()
    arguments = [
        "users",
        "create",
        "--node",
        "my",
        "--data-dir",
        str(tmp_path),
        "--username",
        "Aminah",
        "--name",
        "Siti Aminah",
        "--role",
        "qa_agency",
        "--agency",
        str(AGENCY),
        "--password-stdin",
    ]
    created = runner.invoke(edunode, arguments, input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    assert '"username": "aminah"' in created.output
    again = runner.invoke(edunode, arguments, input=PASSWORD + "\n")
    assert again.exit_code == 2
    assert "taken" in again.output
    unbound = runner.invoke(
        edunode,
        [*arguments[:10], "--role", "qa_agency", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert unbound.exit_code == 2 and "agency_id" in unbound.output
