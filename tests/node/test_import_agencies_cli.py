"""`edunode import agencies`: the node's operator enters its own QA agencies from a file, as
`POST /v1/agencies` takes them, through the quality service's rules (a country the node has
no authority over is refused) into its database and outbox; an agency already there by
acronym is left as it is, so a second run changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunode.cli import app
from shared.events import CloudEvent

MQA = {
    "name": "Malaysian Qualifications Agency",
    "acronym": "MQA",
    "country": "MY",
    "focus_countries": [{"country": "MY", "kind": "official"}],
    "registrations": [{"register": "national", "valid_from": "2007-11-01"}],
    "activities": [{"type": "programme", "name": "Programme accreditation"}],
}


@pytest.fixture
def db_backend() -> str:
    """The command writes the node's SQLite files: no PostgreSQL run here."""
    return "sqlite"


def outbox_types(db_file: Path) -> list[str]:
    connection = sqlite3.connect(db_file)
    try:
        rows = connection.execute("SELECT payload FROM outbox_event ORDER BY created_at").fetchall()
    finally:
        connection.close()
    return [CloudEvent.from_bytes(row[0]).type for row in rows]


def test_own_agencies_are_entered_once_and_foreign_ones_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "my"
    file = tmp_path / "agencies.json"
    file.write_text(json.dumps([MQA]), encoding="utf-8")
    command = ["import", "agencies", str(file), "--node", "my", "--data-dir", str(data_dir)]

    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    [created] = json.loads(first.stdout)
    assert (created["acronym"], created["country"], created["origin_node"]) == ("MQA", "MY", "my")
    assert outbox_types(data_dir / "db" / "quality.db") == [
        "quality.agency.created.v1"
    ]  # docs/events.md

    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == []
    assert len(outbox_types(data_dir / "db" / "quality.db")) == 1

    # BRIEF: a node writes records of its own countries only; Germany's agency is not MY's.
    file.write_text(json.dumps(MQA | {"acronym": "ACQUIN", "country": "DE"}), encoding="utf-8")
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 1
    assert json.loads(refused.stdout) == []
    assert "record 0" in refused.stderr


def test_an_agency_with_a_control_character_is_refused_and_the_others_entered(
    tmp_path: Path,
) -> None:
    # The API refuses NUL and other control characters in every text; so does the command.
    data_dir = tmp_path / "my"
    file = tmp_path / "agencies.json"
    agencies = [
        MQA | {"name": "Malaysian\x00 Qualifications Agency"},
        MQA | {"acronym": "MQA2", "activities": [{"type": "programme", "name": "Audit\x1b"}]},
        MQA | {"acronym": "MQA3", "name": "Malaysian Qualifications Agency (Sabah)"},
    ]
    file.write_text(json.dumps(agencies), encoding="utf-8")
    command = ["import", "agencies", str(file), "--node", "my", "--data-dir", str(data_dir)]

    result = CliRunner().invoke(app, command, terminal_width=400)
    assert result.exit_code == 0, result.output
    assert [agency["acronym"] for agency in json.loads(result.stdout)] == ["MQA3"]
    assert "record 0: body.name: control characters" in result.stderr
    assert "record 1: body.activities.0.name: control characters" in result.stderr
    assert outbox_types(data_dir / "db" / "quality.db") == ["quality.agency.created.v1"]
