"""Registering API clients: what `edunode clients create` relies on."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.gateway.clients import create_client, create_client_async
from services.gateway.clients.service import validate_client_spec
from shared.auth import Role, Scope
from tests.conftest import migrated


async def test_a_created_client_is_stored_with_only_a_digest_of_its_secret(
    database_url: str,
) -> None:
    migrated("services.gateway", database_url)
    client_id, secret = await create_client_async(
        database_url, "QA agency MQA", Role.QA_AGENCY, [Scope.QUALITY_WRITE], agency_id=uuid.uuid4()
    )
    assert client_id.startswith("cli_")
    assert len(secret) >= 43  # 32 random bytes, base64url
    engine = create_async_engine(database_url)
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text("select role, scopes, secret_hash from api_client where client_id = :id"),
                {"id": client_id},
            )
        ).one()
    await engine.dispose()
    assert row.role == "qa_agency"
    assert row.scopes == "quality:write"
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in row.secret_hash


def test_the_blocking_form_works_for_the_command_line(gateway_database_url: str) -> None:
    client_id, _secret = create_client(gateway_database_url, "admin", "node_admin", "clients:admin")
    assert client_id.startswith("cli_")


@pytest.mark.parametrize(
    ("role", "scopes", "bindings", "message"),
    [
        ("registrar", "quality:write", {}, "role registrar cannot hold quality:write"),
        ("registrar", "institutions:write nonsense", {}, "unknown scope(s) nonsense"),
        ("dean", "", {}, "unknown role 'dean'"),
        ("university", "programmes:write", {}, "must be bound to its institution_id"),
        ("qa_agency", "quality:write", {}, "must be bound to its agency_id"),
        (
            "registrar",
            "",
            {"agency_id": str(uuid.uuid4())},
            "agency_id binds only a qa_agency client",
        ),
        ("university", "", {"institution_id": "not-a-uuid"}, "is not a UUID"),
    ],
)
def test_invalid_clients_are_refused_with_a_message_naming_the_problem(
    role: str, scopes: str, bindings: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        validate_client_spec("some client", role, scopes, **bindings)
    assert message in str(caught.value)


def test_scopes_may_be_a_list_or_a_space_or_comma_separated_string() -> None:
    expected = frozenset({Scope.INSTITUTIONS_WRITE, Scope.PROGRAMMES_WRITE})
    for scopes in (
        "institutions:write programmes:write",
        "institutions:write,programmes:write",
        ["institutions:write", Scope.PROGRAMMES_WRITE],
    ):
        assert validate_client_spec("r", "registrar", scopes).scopes == expected


def test_a_university_client_is_bound_to_its_institution() -> None:
    institution = uuid.uuid4()
    spec = validate_client_spec("UM", "university", "programmes:write", str(institution))
    assert spec.institution_id == institution
    assert spec.agency_id is None
