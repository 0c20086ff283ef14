"""DEQAR-style CSV and JSON import: indexed columns, date formats, per-row results, the
`edunode import evaluations` command, and the idempotent demo seeding."""

from __future__ import annotations

import asyncio
import csv
import json
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from contracts.institutions import Identifier, InstitutionState
from edunode.cli import app as cli
from edunode.demo import DEMO_AGENCIES, DEMO_INSTITUTIONS, seed_demo_quality
from edunode.node import NodeConfig
from services.quality.db import publisher
from services.quality.evaluations.bulk import import_rows, parse_csv_row, read_csv
from services.quality.evaluations.schemas import UnreadableRow
from services.quality.institutions.service import InstitutionCopyService
from services.quality.settings import QualitySettings
from shared.auth import ROLE_SCOPES, Principal, Role
from shared.cli import CommandNode
from shared.db import Database, new_id, utcnow
from shared.fields import CONTROL_CHARACTERS_MESSAGE
from shared.migrations import ensure_database, upgrade
from tests.quality.conftest import QualityNode

ROR = "https://ror.org/013q1eq08"


def test_indexed_columns_and_date_format_make_one_submission() -> None:
    row: dict[str | None, str | None] = {
        "agency": "HEEC",
        "local_identifier": "R-1",
        "activity": "joint programme",
        "status": "voluntary",
        "decision": "positive",
        "date_format": "%d/%m/%Y",
        "valid_from": "01/03/2021",
        "valid_to": "",
        "institution[1].identifier": ROR,
        "institution[1].resource": "ROR",
        "institution[2].deqar_id": "DEQARINST0042",
        "programme[1].name_primary": "Joint MSc",
        "programme[1].nqf_level": "EQF:7",
        "programme[1].workload_ects": "120",
        "file[1].original_location": "https://example.org/r.pdf",
        "file[1].report_language[1]": "en",
        "file[1].report_language[2]": "zh",
        "contributing_agencies[1]": "0193aaaa-0000-7000-8000-000000000001",
        "criterion[1].name": "ELO",
        "criterion[1].score": "5",
    }
    assert parse_csv_row(row) == {
        "agency": "HEEC",
        "local_identifier": "R-1",
        # DEQAR's `activity` names the agency's activity; the service resolves it (a type's
        # name is one way to name it)
        "activity": "joint programme",
        "status": "voluntary",
        "decision": "positive",
        "valid_from": "2021-03-01",
        "institutions": [
            {"identifier": ROR, "resource": "ROR"},
            {"identifier": "DEQARINST0042", "resource": "DEQAR"},
        ],
        "programmes": [{"name": "Joint MSc", "level": "EQF:7", "ects": "120"}],
        "files": [{"url": "https://example.org/r.pdf", "languages": ["en", "zh"]}],
        "contributing_agency_ids": ["0193aaaa-0000-7000-8000-000000000001"],
        "criterion_scores": [{"criterion": "ELO", "score": "5"}],
    }


def test_unreadable_dates_and_columns_are_reported_per_row() -> None:
    parsed = parse_csv_row(
        {"local_identifier": "R-2", "valid_from": "2021-03-01", "date_format": "%d.%m.%Y", "x": "1"}
    )
    assert isinstance(parsed, UnreadableRow) and parsed.local_identifier == "R-2"
    assert [(e.path, e.type) for e in parsed.errors] == [
        ("valid_from", "date_format"),
        ("x", "unknown-column"),
    ]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = sorted({column for row in rows for column in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def csv_rows(acronym: str) -> list[dict[str, str]]:
    base = {
        "agency": acronym,
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "valid_to": "2025-12-31",
        "institution[1].identifier": ROR,
        "file[1].original_location": "https://example.org/r.pdf",
    }
    return [
        base | {"local_identifier": "C-1"},
        base | {"local_identifier": "C-2", "programme[1].name_primary": "BSc"},  # rejected
        base | {"local_identifier": "C-3", "valid_from": "1/1/2020"},  # unreadable date
        base
        | {"local_identifier": "C-4", "institution[1].identifier": "https://ror.org/0zzzzzz00"},
        base | {"local_identifier": "C-5", "file[1].original_location": ""},  # flagged low
    ]


async def reports_to_import(quality: QualityNode, tmp_path: Path) -> Path:
    """An agency, an institution with its ROR id, and a CSV of `csv_rows` about them."""
    agency = await quality.create_agency()
    await quality.add_institution(identifiers=[("ROR", ROR)])
    return write_csv(tmp_path / "reports.csv", csv_rows(agency["acronym"]))


def cli_admin(node: str) -> Principal:
    """The node admin as `edunode import` acts for it."""
    return Principal(
        client_id="cli", role=Role.NODE_ADMIN, scopes=ROLE_SCOPES[Role.NODE_ADMIN], node=node
    )


async def test_csv_import_reports_each_row_and_is_idempotent(
    quality: QualityNode, tmp_path: Path
) -> None:
    path = await reports_to_import(quality, tmp_path)
    runtime = quality.service.runtime
    admin = cli_admin(quality.node)
    chunks: list[int] = []

    async def run() -> Any:
        return await import_rows(
            runtime.database, runtime.publisher, runtime.settings, admin, read_csv(path),
            chunk_size=2, on_chunk=chunks.append,
        )  # fmt: skip

    report = await run()
    assert [r.result for r in report.results] == [
        "created", "rejected", "rejected", "rejected", "created",
    ]  # fmt: skip
    assert [r.index for r in report.results] == [0, 1, 2, 3, 4]
    assert report.results[2].local_identifier == "C-3"
    assert report.results[3].errors[0]["path"] == "institutions.0"
    assert report.summary.flagged == 1 and chunks == [2, 2, 1]
    again = await run()
    assert (again.summary.unchanged, again.summary.rejected) == (2, 3)


async def test_rows_with_control_characters_are_refused_by_row_and_nothing_of_them_stored(
    quality: QualityNode, tmp_path: Path
) -> None:
    # The API refuses NUL and other control characters in every text (PostgreSQL cannot
    # store NUL at all); a file imported at the command line is held to the same rule.
    agency = await quality.create_agency()
    await quality.add_institution(identifiers=[("ROR", ROR)])
    good = csv_rows(agency["acronym"])[0]
    rows = [
        good | {"local_identifier": "K-1", "summary": "Reviewed\tin two visits"},  # tab is text
        good | {"local_identifier": "K-2", "summary": "Reviewed\x00twice"},
        good | {"local_identifier": "K-3", "activity": "Audit \x1b[31m"},
        good | {"local_identifier": "K-4\x07"},
        good | {"local_identifier": "K-5"},
    ]
    path = write_csv(tmp_path / "controls.csv", rows)
    runtime = quality.service.runtime
    report = await import_rows(
        runtime.database, runtime.publisher, runtime.settings, cli_admin(quality.node),
        read_csv(path), chunk_size=10,
    )  # fmt: skip
    assert [r.result for r in report.results] == [
        "created", "rejected", "rejected", "rejected", "created",
    ]  # fmt: skip
    for result in report.results[1:4]:
        assert [e["message"] for e in result.errors] == [CONTROL_CHARACTERS_MESSAGE]
    assert report.results[1].errors[0]["path"] == "summary"
    assert report.results[1].local_identifier == "K-2"
    assert report.results[3].errors[0]["path"] == "local_identifier"
    async with runtime.database.session() as session:
        stored = (await session.execute(text("SELECT local_identifier FROM evaluation"))).all()
    assert sorted(row[0] for row in stored) == ["K-1", "K-5"]


async def test_a_large_import_refreshes_the_planners_statistics(
    quality: QualityNode, tmp_path: Path, db_backend: str
) -> None:
    path = await reports_to_import(quality, tmp_path)
    runtime = quality.service.runtime
    admin = cli_admin(quality.node)

    async def estimated_rows() -> float:
        async with runtime.database.session() as session:
            found = await session.scalar(
                text("SELECT reltuples FROM pg_class WHERE relname = 'evaluation'")
            )
        return float(found)

    async def run(analyse_after: int) -> Any:
        return await import_rows(
            runtime.database, runtime.publisher, runtime.settings, admin, read_csv(path),
            analyse_after=analyse_after,
        )  # fmt: skip

    # two rows written, under the threshold of three: the statistics are left to autovacuum
    assert (await run(analyse_after=3)).summary.created == 2
    if db_backend == "postgresql":
        assert await estimated_rows() < 2
    # at the threshold (here: nothing written), the planner learns the table's two rows
    assert (await run(analyse_after=0)).summary.unchanged == 2
    if db_backend == "postgresql":
        assert await estimated_rows() == 2


def test_the_import_command_prints_a_summary(tmp_path: Path) -> None:
    config = NodeConfig(node_id="cn", data_dir=tmp_path / "cn")
    url = config.database_url_for("quality")
    ensure_database(url)
    upgrade("services.quality", url)
    asyncio.run(_prepare_node(url))
    path = write_csv(tmp_path / "reports.csv", csv_rows("HEEC"))
    runner = CliRunner()
    arguments = ["import", "evaluations", str(path), "--format", "csv", "--node", "cn"]
    arguments += ["--data-dir", str(tmp_path / "cn"), "--report", str(tmp_path / "report.json")]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary == {
        "total": 5, "created": 2, "updated": 0, "unchanged": 0, "rejected": 3, "flagged": 1,
    }  # fmt: skip
    assert len(json.loads((tmp_path / "report.json").read_text())["results"]) == 5

    json_path = tmp_path / "reports.json"
    json_path.write_text(json.dumps([{"agency": "HEEC", "local_identifier": "J-1"}, 7]))
    result = runner.invoke(
        cli, [*arguments[:2], str(json_path), "--format", "json", *arguments[5:]]
    )
    assert json.loads(result.stdout.strip().splitlines()[-1])["rejected"] == 2


async def _prepare_node(
    url: str, institutions: list[tuple[str, str]] | None = None
) -> list[uuid.UUID]:
    """Institutions (ROR id, name) in the reference table, as the events would leave them;
    without them given, Fudan University and an HEEC agency."""
    from services.quality.agencies.schemas import AgencyCreate
    from services.quality.agencies.service import AgencyService

    database = Database(url)
    settings = QualitySettings(node_id="cn", database_url=url)
    ids = []
    async with database.session() as session:
        for ror, name in institutions or [(ROR, "Fudan University")]:
            state = InstitutionState(
                id=new_id(), origin_node="cn", country="CN", name=name, status="active",
                identifiers=[Identifier(resource="ROR", value=ror)], updated_at=utcnow(),
            )  # fmt: skip
            await InstitutionCopyService(session).apply_institution_state(state, 1)
            ids.append(state.id)
        if institutions is None:
            template = DEMO_AGENCIES["cn"] | {
                "activities": [{"type": "institutional"}],
                "registrations": [{"register": "national", "valid_from": "2004-01-01"}],
            }
            service = AgencyService(session, publisher(settings.node_id), settings)
            await service.create(
                CommandNode.from_options("cn", Path(".")).operator(),
                AgencyCreate.model_validate(template),
            )
    await database.dispose()
    return ids


def test_demo_seeding_is_idempotent(tmp_path: Path) -> None:
    config = CommandNode.from_options("cn", tmp_path / "cn")
    url = config.migrated_database_url("quality")
    institutions = asyncio.run(_prepare_node(url, DEMO_INSTITUTIONS["cn"]))
    assert asyncio.run(seed_demo_quality(config, wait_seconds=1)) == 5  # agency + 4 evaluations
    assert asyncio.run(seed_demo_quality(config, wait_seconds=1)) == 0

    async def statuses() -> list[str]:
        from services.quality.status.service import StatusService

        database = Database(url)
        settings = QualitySettings(node_id="cn", database_url=url)
        async with database.session() as session:
            service = StatusService(session, publisher(settings.node_id), settings)
            found = [
                (
                    await service.qa_status_at(i, None, __import__("datetime").date(2024, 6, 1))
                ).status.value
                for i in institutions
            ]
        await database.dispose()
        return found

    assert asyncio.run(statuses()) == [
        "accredited", "accredited with conditions", "not accredited", "expired",
    ]  # fmt: skip
