"""Settings come from the environment, and a bad one stops the start with its variable's name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from services.institutions.settings import InstitutionsSettings
from services.quality.settings import QualitySettings
from shared.settings import describe_validation_error, load_settings

PREFIX = "EDUNODE_INSTITUTIONS_"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("EDUNODE_"):
            monkeypatch.delenv(name)


def _exit_message(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        load_settings(InstitutionsSettings)
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_settings_are_read_from_the_service_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{PREFIX}NODE_ID", "be-fl")
    monkeypatch.setenv(f"{PREFIX}DATABASE_URL", "sqlite+aiosqlite:///x.db")
    monkeypatch.setenv(f"{PREFIX}COUNTRIES", "be, nl")
    monkeypatch.setenv("EDUNODE_QUALITY_NODE_ID", "fr")  # another service's: not ours

    settings = load_settings(InstitutionsSettings)

    assert settings.node_id == "be-fl"
    assert settings.countries == ["BE", "NL"]
    assert settings.database_url == "sqlite+aiosqlite:///x.db"


def test_countries_default_to_the_node_country(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{PREFIX}NODE_ID", "be-fl")
    monkeypatch.setenv(f"{PREFIX}DATABASE_URL", "sqlite+aiosqlite:///x.db")

    assert load_settings(InstitutionsSettings).countries == ["BE"]


def test_missing_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(f"{PREFIX}NODE_ID", "cn")
    # Set for another service only: it must not satisfy this one.
    monkeypatch.setenv("EDUNODE_QUALITY_DATABASE_URL", "sqlite+aiosqlite:///q.db")

    message = _exit_message(capsys)

    assert "invalid configuration for InstitutionsSettings" in message
    assert f"{PREFIX}DATABASE_URL: is required but not set" in message


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DATABASE_URL", "mysql://localhost/x", "must be an async SQLAlchemy URL"),
        ("DATABASE_URL", "postgresql://localhost/x", "must be an async SQLAlchemy URL"),
        ("NODE_ID", "CN", "should match pattern"),
        ("COUNTRIES", "cn,chn", "'CHN' is not an ISO 3166-1 alpha-2 code"),
        ("PORT", "70000", "less than or equal to 65535"),
        ("LOG_LEVEL", "loud", "Input should be"),
    ],
)
def test_invalid_variable_is_named_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(f"{PREFIX}NODE_ID", "cn")
    monkeypatch.setenv(f"{PREFIX}DATABASE_URL", "sqlite+aiosqlite:///x.db")
    monkeypatch.setenv(f"{PREFIX}{variable}", value)

    message = _exit_message(capsys)

    line = next(line for line in message.splitlines() if f"{PREFIX}{variable}:" in line)
    assert says in line


def test_production_requires_the_token_key_and_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv(f"{PREFIX}NODE_ID", "cn")
    monkeypatch.setenv(f"{PREFIX}DATABASE_URL", "sqlite+aiosqlite:///x.db")
    monkeypatch.setenv(f"{PREFIX}ENVIRONMENT", "production")

    message = _exit_message(capsys)

    assert f"{PREFIX}TOKEN_PUBLIC_KEY_FILE" in message
    assert "?" not in message

    key = tmp_path / "token.pub"
    key.write_text("key")
    monkeypatch.setenv(f"{PREFIX}TOKEN_PUBLIC_KEY_FILE", str(key))
    assert load_settings(InstitutionsSettings).token_public_key_file == key


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as error:
        QualitySettings(node_id="nowhere", database_url="oracle://x")

    message = describe_validation_error(QualitySettings, error.value)

    assert "EDUNODE_QUALITY_NODE_ID:" in message
    assert "EDUNODE_QUALITY_DATABASE_URL:" in message
