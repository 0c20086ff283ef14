"""`edunode reference institution|agency|evaluation`: the node's admin enters reference records
of a country without a node from files, with their source, through the services' own rules
(so a country with a node is refused), into the node's databases and outboxes."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from contracts.institutions import Identifier, InstitutionState
from edunode.cli import app
from services.quality.institutions.service import InstitutionCopyService
from shared.db import Database, utcnow
from shared.events import CloudEvent
from shared.trust import TrustedNode, TrustList

SOURCE = "Ministry of Education ID register, 2026-10-01"


@pytest.fixture
def db_backend() -> str:
    """The commands write the node's SQLite files: no PostgreSQL run here."""
    return "sqlite"


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def outbox_events(db_file: Path) -> list[CloudEvent]:
    connection = sqlite3.connect(db_file)
    try:
        rows = connection.execute("SELECT payload FROM outbox_event ORDER BY created_at").fetchall()
    finally:
        connection.close()
    return [CloudEvent.from_bytes(row[0]) for row in rows]


def test_reference_records_are_entered_from_files_with_their_source(tmp_path: Path) -> None:
    data_dir = tmp_path / "cn"
    trust = tmp_path / "trust.yaml"
    TrustList(
        nodes=[TrustedNode(id="cn", countries=["CN"]), TrustedNode(id="my", countries=["MY"])]
    ).dump(trust)
    common = ["--node", "cn", "--data-dir", str(data_dir), "--trust", str(trust)]
    institutions = write_json(
        tmp_path / "institutions.json",
        [
            {
                "name": "Universitas Indonesia",
                "country": "ID",
                "identifiers": [{"resource": "ror", "value": "0116zj450"}],
            },
            {"name": "Universiti Malaya", "country": "MY"},  # MY has a node: refused
        ],
    )

    code, out, err = run("reference", "institution", str(institutions), "--source", SOURCE, *common)
    assert code == 0, err
    entered = json.loads(out)
    assert [(i["name"], i["is_reference"], i["reference_source"]) for i in entered] == [
        ("Universitas Indonesia", True, SOURCE)
    ]
    assert "MY has a node" in " ".join(err.split())
    events = outbox_events(data_dir / "db" / "institutions.db")
    assert [(e.subject, e.data["reference_source"]) for e in events] == [(entered[0]["id"], SOURCE)]

    agency = write_json(
        tmp_path / "agency.json",
        {
            "name": "Badan Akreditasi Nasional Perguruan Tinggi",
            "acronym": "BAN-PT",
            "country": "ID",
            "registrations": [{"register": "national", "valid_from": "1994-01-01"}],
            "activities": [{"type": "institutional"}],
        },
    )
    code, out, err = run(
        "reference", "agency", str(agency), "--source", "BAN-PT directory, 2026-10-01", *common
    )
    assert code == 0, err
    ban_pt = json.loads(out)[0]
    assert ban_pt["reference_source"] == "BAN-PT directory, 2026-10-01"

    # The running node's quality service learns the institution from its event; here, as its
    # consumer would.
    quality_url = f"sqlite+aiosqlite:///{data_dir / 'db' / 'quality.db'}"

    async def institution_reaches_quality() -> None:
        database = Database(quality_url)
        try:
            async with database.session() as session:
                await InstitutionCopyService(session).apply_institution_state(
                    InstitutionState(
                        id=entered[0]["id"],
                        origin_node="cn",
                        country="ID",
                        name="Universitas Indonesia",
                        status="active",
                        identifiers=[Identifier(resource="ror", value="0116zj450")],
                        updated_at=utcnow(),
                    ),
                    1,
                )
        finally:
            await database.dispose()

    asyncio.run(institution_reaches_quality())
    evaluation = write_json(
        tmp_path / "evaluation.json",
        {
            "agency_id": ban_pt["id"],
            "local_identifier": "BAN-PT-2019-001",
            "activity_type": "institutional",
            "decision": "positive",
            "valid_from": "2019-03-01",
            "valid_to": "2024-02-29",
            "institutions": [entered[0]["id"]],
            "files": [{"url": "https://banpt.or.id/direktori", "languages": ["id"]}],
        },
    )
    code, out, err = run(
        "reference", "evaluation", str(evaluation), "--source", "BAN-PT directory", *common[:4]
    )
    assert code == 0, err
    assert json.loads(out)[0]["result"] == "created"
    quality_events = outbox_events(data_dir / "db" / "quality.db")
    assert [
        (e.aggregate, e.data["reference_source"])
        for e in quality_events
        if e.aggregate in ("agency", "evaluation")
    ] == [
        ("agency", "BAN-PT directory, 2026-10-01"),
        ("evaluation", "BAN-PT directory"),
    ]

    # without --source the command does not run
    code, _, _ = run("reference", "institution", str(institutions), *common)
    assert code != 0


def test_a_reference_record_with_a_control_character_is_refused_alone(tmp_path: Path) -> None:
    # The API refuses control characters in every text; the reference commands too, record by
    # record, the source given on the command line included.
    data_dir = tmp_path / "cn"
    common = ["--node", "cn", "--data-dir", str(data_dir)]
    institutions = write_json(
        tmp_path / "institutions.json",
        [
            {"name": "Universitas\u0000 Indonesia", "country": "ID"},
            {"name": "Institut Teknologi Bandung", "country": "ID", "city": "Band\u0007ung"},
            {"name": "Universitas Gadjah Mada", "country": "ID"},
        ],
    )
    code, out, err = run("reference", "institution", str(institutions), "--source", SOURCE, *common)
    assert code == 0, err
    assert [i["name"] for i in json.loads(out)] == ["Universitas Gadjah Mada"]
    assert "record 0: body.name: control characters" in err
    assert "record 1: body.city: control characters" in err
    assert len(outbox_events(data_dir / "db" / "institutions.db")) == 1

    code, out, err = run(
        "reference", "institution", str(institutions), "--source", "register\u001b[2J", *common
    )
    assert code == 1 and json.loads(out) == []
    assert err.count("body.reference_source: control characters") == 3
