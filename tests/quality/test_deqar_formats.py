"""DEQAR's own files import as DEQAR publishes them, and the node's evaluations export back in
DEQAR's CSV and JSON submission formats. The files are DEQAR's (tests/quality/deqar/README.md);
the expected values come from DEQAR's documentation (docs.deqar.eu, Report Data Elements)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from edunode.cli import app as cli
from edunode.node import NodeConfig
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.bulk import (
    export_deqar,
    import_rows,
    parse_csv_row,
    read_csv,
    read_json,
    write_deqar_csv,
    write_deqar_json,
)
from services.quality.evaluations.deqar.objects import language_code
from services.quality.evaluations.repository import EvaluationFilter
from services.quality.evaluations.schemas import BatchReport, UnreadableRow
from services.quality.evaluations.validation import resolve_activity
from shared.errors import FieldError
from shared.migrations import ensure_database, upgrade
from tests.quality.conftest import QualityNode
from tests.quality.test_bulk_import import _prepare_node, cli_admin, csv_rows, write_csv

SAMPLES = Path(__file__).parent / "deqar"


def rows(name: str) -> list[Any]:
    path = SAMPLES / name
    return list(read_csv(path)) if path.suffix == ".csv" else read_json(path)


@pytest.mark.parametrize(
    "name", ["fulltest_prog.csv", "test_valid.csv", "sample-inst.csv", "institutional.json"]
)
def test_every_row_of_deqars_files_is_readable(name: str) -> None:
    parsed = rows(name)
    assert parsed and not [row for row in parsed if isinstance(row, UnreadableRow)]


def test_activities_columns_name_the_agencys_activity_by_id() -> None:
    # `activities[1].id` is a DEQAR activity id (7, 1), not an activity type
    assert [row["activity"] for row in rows("fulltest_prog.csv")] == ["7", "7", "1", "1"]
    # `activity` in test_valid.csv is the agency's activity by name
    assert {row["activity"] for row in rows("test_valid.csv")} == {
        "Quality enhancement reviews of institutions"
    }
    assert not any("activity_type" in row for row in rows("test_valid.csv"))


def test_status_and_decision_by_deqar_id_or_name() -> None:
    # DEQAR: status 1 obligatory, 2 voluntary; decision 1 positive ... 4 not applicable
    fulltest = rows("fulltest_prog.csv")
    assert [(r["status"], r["decision"]) for r in fulltest] == [
        ("voluntary", "not applicable"),
        ("voluntary", "positive"),
        ("voluntary", "not applicable"),
        ("voluntary", "not applicable"),
    ]
    assert {(r["status"], r["decision"]) for r in rows("test_valid.csv")} == {
        ("part of obligatory EQA system", "positive")
    }


def test_three_letter_languages_become_iso_639_1() -> None:
    assert [f["languages"] for f in rows("test_valid.csv")[0]["files"]] == [["fr"]]
    moscow = rows("sample-inst.csv")[0]
    assert [f["languages"] for f in moscow["files"]] == [["en"], ["en"], ["ru"], ["ru"], ["en"]]
    # one cell listing several, as edunode's own CSV allows
    listed = parse_csv_row({"local_identifier": "L", "file[1].languages": "en, ZHO"})
    assert isinstance(listed, dict) and listed["files"][0]["languages"] == ["en", "zh"]
    # ISO 639-2/B and /T, ISO 639-1, any case
    assert [language_code(c) for c in ("ger", "deu", "EN", "spa", "chi", "may", "xx", "zzz")] == [
        "de", "de", "en", "es", "zh", "ms", None, None,
    ]  # fmt: skip


def test_institutions_by_deqars_precedence_of_identifiers() -> None:
    # both rows name an ETER or DEQARINST id and the agency's local identifier (14, 16):
    # DEQAR uses the DEQARINST id first, then the ETER id; no dict of indexed identifiers
    assert [r["institutions"] for r in rows("test_valid.csv")] == [
        [{"identifier": "BE0035", "resource": "ETER"}],
        [{"identifier": "DEQARINST0245", "resource": "DEQAR"}],
    ]
    assert rows("sample-inst.csv")[1]["institutions"] == [
        {"identifier": "https://ror.org/02w65pw28", "resource": "ROR"}
    ]


def test_programmes_and_dates() -> None:
    first = rows("fulltest_prog.csv")[0]
    assert first["valid_from"] == "2015-03-14" and "valid_to" not in first
    assert first["programmes"][0] == {
        "name": "Arts in Music study programme group",
        "qualification": "Master",
        "level": "QF-EHEA:second",
        "degree_outcome": "full degree",
    }
    # degree outcome "1", "full degree"; QF-EHEA level 2 by id
    assert rows("fulltest_prog.csv")[2]["programmes"][0]["level"] == "QF-EHEA:second"
    joint = read_json(SAMPLES / "joint_programme.json")[0]
    assert isinstance(joint, dict)
    assert (joint["valid_from"], joint["valid_to"]) == ("2020-01-15", "2025-01-15")
    # "level 6" is a national level in free text: no framework to place it in
    assert joint["programmes"][0]["level"] == "QF-EHEA:second"


def test_semicolon_or_tab_separated_files_read_alike(tmp_path: Path) -> None:
    # DEQAR's upload sniffs `,`, `;` or tab, as spreadsheets export them
    published = list(csv.reader(io.StringIO((SAMPLES / "test_valid.csv").read_text())))
    for delimiter in (";", "\t"):
        path = tmp_path / "semicolons.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(published)
        assert list(read_csv(path)) == rows("test_valid.csv")


def test_dates_in_deqars_date_format_notation() -> None:
    from services.quality.evaluations.deqar.objects import object_to_submission

    parsed = object_to_submission(
        {
            "agency": "AAQ",
            "local_identifier": "230830/4711/01",
            "activity": "386",
            "status": "1",
            "decision": "yes, positive",
            "valid_from": "2/5/22",
            "valid_to": "3/3/33",
            "date_format": "%-d/%-m/%y",
        }
    )
    assert isinstance(parsed, dict)
    assert (parsed["valid_from"], parsed["valid_to"]) == ("2022-05-02", "2033-03-03")
    assert (parsed["status"], parsed["decision"]) == ("part of obligatory EQA system", "positive")
    # a date not written in the row's date_format is refused with the reason
    wrong = object_to_submission({"valid_from": "2022-05-02", "date_format": "%d.%m.%Y"})
    assert isinstance(wrong, UnreadableRow) and wrong.errors[0].type == "date_format"


def test_a_file_given_only_as_content_or_an_unknown_language_is_unreadable() -> None:
    from services.quality.evaluations.deqar.objects import object_to_submission

    parsed = object_to_submission(
        {
            "agency": "X",
            "local_identifier": "L",
            "report_files": [{"content": "JVBERi0=", "report_language": ["klingon"]}],
        }
    )
    assert isinstance(parsed, UnreadableRow)
    assert [e.type for e in parsed.errors] == ["unsupported", "language"]


def agency(**fields: Any) -> AgencyRead:
    return AgencyRead.model_validate(
        {
            "id": "0193aaaa-0000-7000-8000-000000000001",
            "origin_node": "cn",
            "name": "Agency",
            "acronym": "MusiQuE",
            "country": "BE",
            "framework": "ESG 2015",
            "updated_at": "2026-01-01T00:00:00Z",
        }
        | fields
    )


def test_an_activity_is_found_by_identifier_name_or_type() -> None:
    musique = agency(
        activities=[
            {"type": "programme", "name": "Programme review", "identifier": "181"},
            {"type": "institutional", "name": "Quality enhancement reviews of institutions"},
        ]
    )
    assert resolve_activity("181", musique) == ("programme", None)
    assert resolve_activity("quality ENHANCEMENT reviews of institutions", musique) == (
        "institutional", None,
    )  # fmt: skip
    assert resolve_activity("institutional", musique) == ("institutional", None)
    # an activity other than the first of its type is kept by its identifier (or name)
    second = agency(
        activities=[
            {"type": "programme", "name": "Programme review", "identifier": "181"},
            {"type": "programme", "name": "Joint review", "identifier": "182"},
        ]
    )
    assert resolve_activity("JOINT review", second) == ("programme", "182")
    unknown = resolve_activity("182", musique)
    assert isinstance(unknown, FieldError) and unknown.type == "unknown-activity"


# -- against a running quality service ----------------------------------------------------------

MUSIQUE_ACTIVITIES = [
    {"type": "institutional", "name": "Quality enhancement reviews of institutions"},
    {"type": "institutional", "name": "Institutional review", "identifier": "183"},
    {"type": "institutional", "name": "Enhancement review", "identifier": "97"},
    {"type": "programme", "name": "Programme review", "identifier": "181"},
]


async def seed_musique(quality: QualityNode) -> None:
    await quality.create_agency(
        acronym="MusiQuE",
        name="Music Quality Enhancement",
        registrations=[{"register": "EQAR", "valid_from": "2016-01-01"}],
        activities=MUSIQUE_ACTIVITIES,
    )
    await quality.create_agency(
        acronym="IAAR",
        name="Independent Agency for Accreditation and Rating",
        registrations=[{"register": "EQAR", "valid_from": "2017-01-01"}],
    )
    for resource, value, country in [
        ("ETER", "BE0035", "BE"),
        ("DEQAR", "DEQARINST0245", "CZ"),
        ("DEQAR", "DEQARINST5761", "RU"),
        ("ror", "02w65pw28", "ES"),  # as the directory's events carry a ROR id
        ("DEQAR", "DEQARINST0390", "AT"),
        ("ETER", "AT0006", "AT"),
    ]:
        await quality.add_institution(country, identifiers=[(resource, value)])


async def run_import(quality: QualityNode, parsed: list[Any]) -> BatchReport:
    runtime = quality.service.runtime
    return await import_rows(
        runtime.database, runtime.publisher, runtime.settings, cli_admin(quality.node), parsed
    )


def outcomes(report: BatchReport) -> list[str]:
    return [r.result for r in report.results]


async def test_deqars_csv_and_json_import_and_resolve_the_agencys_activities(
    quality: QualityNode,
) -> None:
    await seed_musique(quality)
    report = await run_import(quality, rows("test_valid.csv"))
    assert outcomes(report) == ["created", "created"], report.results
    assert (await run_import(quality, rows("test_valid.csv"))).summary.unchanged == 2
    # the same report (CRDB-October14) in DEQAR's JSON example names another activity of the
    # agency, by its id (183): an update of that one field
    report = await run_import(quality, rows("institutional.json"))
    assert outcomes(report) == ["updated", "created"], report.results
    assert (await run_import(quality, rows("institutional.json"))).summary.unchanged == 2
    report = await run_import(quality, rows("sample-inst.csv"))
    assert outcomes(report) == ["created", "created"], report.results

    listed = await quality.client.get("/v1/quality/evaluations", params={"limit": 20})
    by_id = {e["local_identifier"]: e for e in listed.json()["items"]}
    moscow = by_id["MOSCOW-Dec18"]
    assert moscow["activity_type"] == "institutional"  # activity 183
    assert len(moscow["contributing_agency_ids"]) == 1  # IAAR, by acronym
    assert by_id["ENH-4711"]["valid_to"] == "2027-01-15"  # DEQAR: six years when left open
    assert len(by_id["ENH-4711"]["institution_ids"]) == 2


async def test_an_activity_the_agency_does_not_declare_is_refused(quality: QualityNode) -> None:
    await seed_musique(quality)
    joint = read_json(SAMPLES / "joint_programme.json")
    report = await run_import(quality, joint)
    assert report.results[0].result == "rejected"
    # activity 182 (a joint programme review) is not among MusiQuE's activities here, and
    # every other reason is listed with it (none of the four institutions is known)
    assert [(e["path"], e["type"]) for e in report.results[0].errors] == [
        ("activity", "unknown-activity"),
        *[(f"institutions.{i}", "unknown-institution") for i in range(4)],
    ]


async def test_fulltest_prog_imports_with_agencies_named_by_acronym_or_deqar_id(
    quality: QualityNode,
) -> None:
    # DEQAR: `agency` is "an agency acronym or a DEQAR agency ID"; the activities are DEQAR ids
    for acronym, deqar_id, activity in (
        ("EKKA", None, "7"), ("AGENCY-51", "51", "7"), ("AGENCY-21", "21", "1"),
        ("ACQUIN", None, "1"),
    ):  # fmt: skip
        await quality.create_agency(
            acronym=acronym,
            deqar_id=deqar_id,
            registrations=[{"register": "EQAR", "valid_from": "2010-01-01"}],
            activities=[{"type": "programme", "name": "Review", "identifier": activity}],
        )
    for resource, value, country in (
        ("DEQAR", "DEQARINST0001", "BE"), ("DEQAR", "DEQARINST0002", "PT"),
        ("ETER", "DE0392", "EE"), ("ETER", "DE0394", "CH"),
    ):  # fmt: skip
        await quality.add_institution(country, identifiers=[(resource, value)])
    report = await run_import(quality, rows("fulltest_prog.csv"))
    assert outcomes(report) == ["created"] * 4, report.results
    assert (await run_import(quality, rows("fulltest_prog.csv"))).summary.unchanged == 4
    listed = await quality.client.get("/v1/quality/evaluations", params={"limit": 20})
    esml = next(e for e in listed.json()["items"] if e["local_identifier"] == "ESML-Dec17")
    assert [p["level"] for p in esml["programmes"]] == [
        "QF-EHEA:second", "QF-EHEA:first", "QF-EHEA:first",
    ]  # fmt: skip


async def test_an_agency_unknown_by_acronym_or_deqar_id_is_refused(quality: QualityNode) -> None:
    report = await run_import(quality, rows("fulltest_prog.csv"))
    assert {e["type"] for r in report.results for e in r.errors} == {"unknown-agency"}


async def test_the_export_is_deqars_format_and_imports_back_unchanged(
    quality: QualityNode, tmp_path: Path
) -> None:
    await seed_musique(quality)
    await run_import(quality, rows("test_valid.csv"))
    await run_import(quality, rows("sample-inst.csv"))
    await run_import(quality, rows("institutional.json"))
    database = quality.service.runtime.database
    where = EvaluationFilter(origin_node=quality.node, include_hidden=True)

    text = io.StringIO()
    assert await write_deqar_csv(export_deqar(database, where), text) == 5
    exported = list(csv.DictReader(io.StringIO(text.getvalue())))
    header = list(exported[0])
    assert header[:2] == ["agency", "local_identifier"]
    assert {"activity", "status", "decision", "valid_from", "date_format"} <= set(header)
    assert "file[1].original_location" in header and "file[1].report_language[1]" in header
    rcsmm = next(r for r in exported if r["local_identifier"] == "RCSMM-March18")
    # as DEQAR's own sample names it (the reference table keeps ROR ids as URLs)
    assert (rcsmm["institution[1].identifier"], rcsmm["institution[1].resource"]) == (
        "https://ror.org/02w65pw28", "ROR",
    )  # fmt: skip
    crdb = next(r for r in exported if r["local_identifier"] == "CRDB-October14")
    assert crdb["institution[1].eter_id"] == "BE0035"
    assert crdb["file[1].report_language[1]"] == "fr"
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(text.getvalue(), encoding="utf-8")
    assert (await run_import(quality, list(read_csv(csv_path)))).summary.unchanged == 5

    binary = io.BytesIO()
    assert await write_deqar_json(export_deqar(database, where), binary) == 5
    documents = json.loads(binary.getvalue())
    moscow = next(d for d in documents if d["local_identifier"] == "MOSCOW-Dec18")
    # the activity as the file named it (DEQAR's activity id 183), and the contributor
    assert moscow["contributing_agencies"] == ["IAAR"] and moscow["activity"] == "183"
    assert moscow["institutions"] == [{"deqar_id": "DEQARINST5761"}]
    json_path = tmp_path / "export.json"
    json_path.write_bytes(binary.getvalue())
    assert (await run_import(quality, read_json(json_path))).summary.unchanged == 5


def test_the_export_command_writes_what_the_import_command_reads(tmp_path: Path) -> None:
    config = NodeConfig(node_id="cn", data_dir=tmp_path / "cn")
    url = config.database_url_for("quality")
    ensure_database(url)
    upgrade("services.quality", url)
    asyncio.run(_prepare_node(url))  # agency HEEC, an institution with a ROR id
    source = write_csv(tmp_path / "reports.csv", csv_rows("HEEC"))
    runner = CliRunner()
    node = ["--node", "cn", "--data-dir", str(tmp_path / "cn")]
    result = runner.invoke(cli, ["import", "evaluations", str(source), *node])
    assert json.loads(result.stdout.strip().splitlines()[-1])["created"] == 2, result.output

    for file_format in ("csv", "json"):
        exported = tmp_path / f"export.{file_format}"
        arguments = ["export", "evaluations", "--format", file_format, "-o", str(exported)]
        result = runner.invoke(cli, [*arguments, "--agency", "HEEC", *node])
        assert result.exit_code == 0, result.output
        again = runner.invoke(
            cli, ["import", "evaluations", str(exported), "--format", file_format, *node]
        )
        summary = json.loads(again.stdout.strip().splitlines()[-1])
        assert (summary["total"], summary["unchanged"]) == (2, 2), again.output
    header = (tmp_path / "export.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("agency,local_identifier,activity,status,decision")
    assert "institution[1].identifier,institution[1].resource" in header

    result = runner.invoke(cli, ["export", "evaluations", "--agency", "NOPE", *node])
    assert result.exit_code == 2 and "NOPE" in result.output
