"""Bulk submission from files: DEQAR-style CSV and JSON, imported in chunks through the same
service (and rules) as the API, each row on its own.

The CSV has one evaluation per row. Repeating parts use indexed columns, as DEQAR's CSV does:
`institution[1].identifier`, `institution[1].resource`, `programme[2].name_primary`,
`file[1].original_location`, `file[1].report_language[1]`, `contributing_agencies[1]`,
`criterion[1].name` / `criterion[1].score`. Dates are read with the row's `date_format`
(strptime syntax, default `%Y-%m-%d`). Empty cells are ignored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import structlog
from sqlalchemy import text

from services.quality.db import table_of
from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
)
from services.quality.evaluations.schemas import (
    BatchReport,
    BatchSummary,
    SubmissionResult,
    UnreadableRow,
)
from services.quality.evaluations.service import EvaluationService
from services.quality.status.models import PublishedStatus
from shared.auth import Principal
from shared.db import Database
from shared.errors import FieldError
from shared.outbox import Outbox
from shared.settings import ServiceSettings

log = structlog.get_logger("edunode.quality.bulk")

DEFAULT_DATE_FORMAT = "%Y-%m-%d"
CHUNK_SIZE = 500
# After writing this many rows, PostgreSQL's planner statistics are refreshed at once instead
# of when autovacuum comes round: planned on an empty table's statistics, a filtered search
# walks an index for rows that are not there (searches by country took 60-95 ms, not 10).
ANALYZE_AFTER_ROWS = 5000

# A row is the payload of one submission, or the reasons it could not even be read.
Row = dict[str, Any] | UnreadableRow

_INDEXED = re.compile(
    r"^(?P<group>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<field>[a-z_]+)(?:\[(?P<sub>\d+)\])?)?$"
)
_TOP_LEVEL = {
    "agency": "agency",
    "agency_id": "agency_id",
    "local_identifier": "local_identifier",
    "activity_type": "activity_type",
    "activity": "activity_type",
    "status": "status",
    "decision": "decision",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "summary": "summary",
}
_INSTITUTION_FIELDS = {"id": "id", "identifier": "identifier", "resource": "resource"}
# Identifier columns named after their resource, as DEQAR's `deqar_id` / `eter_id`.
_INSTITUTION_RESOURCES = {"deqar_id": "DEQAR", "eter_id": "ETER", "ror": "ROR"}
_PROGRAMME_FIELDS = {
    "id": "programme_id",
    "programme_id": "programme_id",
    "name_primary": "name",
    "name": "name",
    "qualification_primary": "qualification",
    "qualification": "qualification",
    "level": "level",
    "nqf_level": "level",
    "workload_ects": "ects",
    "ects": "ects",
    "field": "field",
    "degree_outcome": "degree_outcome",
}


def parse_csv_row(row: dict[str, str | None]) -> Row:
    """One CSV row → a submission payload (or the reasons it cannot be read)."""
    errors: list[FieldError] = []
    payload: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    contributors: dict[int, str] = {}
    date_format = (row.get("date_format") or "").strip() or DEFAULT_DATE_FORMAT
    for column, raw in row.items():
        if column is None or raw is None:
            continue
        value = raw.strip()
        name = column.strip().lower()
        if not value or name == "date_format":
            continue
        if name in _TOP_LEVEL:
            target = _TOP_LEVEL[name]
            if target in ("valid_from", "valid_to"):
                try:
                    value = datetime.strptime(value, date_format).date().isoformat()
                except ValueError:
                    errors.append(
                        FieldError(
                            path=target,
                            message=f"{value!r} does not match the date_format {date_format!r}",
                            type="date_format",
                        )
                    )
                    continue
            payload[target] = value
            continue
        match = _INDEXED.match(name)
        if match is None:
            errors.append(FieldError(path=column, message="unknown column", type="unknown-column"))
            continue
        group, index = match["group"], int(match["index"])
        if group in ("contributing_agencies", "contributing_agency"):
            contributors[index] = value
            continue
        item = groups.setdefault(group, {}).setdefault(index, {})
        sub = match["field"] or ""
        if match["sub"] is not None:
            item.setdefault(sub, {})[int(match["sub"])] = value
        else:
            item[sub] = value
    for group, items in groups.items():
        converted = [_convert(group, items[i], errors) for i in sorted(items)]
        if group == "institution":
            payload["institutions"] = converted
        elif group == "programme":
            payload["programmes"] = converted
        elif group == "file":
            payload["files"] = converted
        elif group == "criterion":
            payload["criterion_scores"] = converted
        else:
            errors.append(
                FieldError(path=f"{group}[]", message="unknown column group", type="unknown-column")
            )
    if contributors:
        payload["contributing_agency_ids"] = [contributors[i] for i in sorted(contributors)]
    if errors:
        return UnreadableRow(errors, payload.get("local_identifier"))
    return payload


def _convert(group: str, item: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    if group == "institution":
        converted = {_INSTITUTION_FIELDS[k]: v for k, v in item.items() if k in _INSTITUTION_FIELDS}
        for column, resource in _INSTITUTION_RESOURCES.items():
            if column in item and "identifier" not in converted and "id" not in converted:
                converted["identifier"], converted["resource"] = item[column], resource
        return converted
    if group == "programme":
        return {_PROGRAMME_FIELDS.get(k, k): v for k, v in item.items()}
    if group == "file":
        languages = item.get("report_language") or item.get("languages") or {}
        if isinstance(languages, str):
            languages = dict(enumerate(part.strip() for part in languages.split(",")))
        return {
            "url": item.get("original_location") or item.get("url"),
            "languages": [languages[i] for i in sorted(languages)],
        }
    return {"criterion": item.get("name") or item.get("criterion"), "score": item.get("score")}


def read_csv(path: Path) -> Iterator[Row]:
    """The rows of a DEQAR-style CSV file, parsed."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            yield parse_csv_row(row)


def read_json(path: Path) -> list[Row]:
    """A JSON array of submissions (or an object with an `evaluations` array)."""
    document = orjson.loads(path.read_bytes())
    if isinstance(document, dict):
        document = document.get("evaluations", [])
    if not isinstance(document, list):
        raise ValueError("expected a JSON array of evaluations")
    # A row that is not an object is refused by the schema, as in a batch request.
    return list(document)


@dataclass
class ImportProgress:
    report: BatchReport = field(
        default_factory=lambda: BatchReport(summary=BatchSummary(), results=[])
    )

    def add(self, results: list[SubmissionResult]) -> None:
        for result in results:
            self.report.summary.count(result)
        self.report.results.extend(results)


async def import_rows(
    database: Database,
    outbox: Outbox,
    settings: ServiceSettings,
    principal: Principal,
    rows: Iterable[Row],
    *,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
    analyse_after: int = ANALYZE_AFTER_ROWS,
) -> BatchReport:
    """Submit `rows` in chunks, one transaction per chunk; if a chunk's transaction fails as a
    whole, its rows are retried one by one so that one bad row never fails the others. After
    `analyse_after` written rows, PostgreSQL's statistics of the tables are refreshed."""
    progress = ImportProgress()
    chunk: list[Row] = []
    index = 0

    async def flush() -> None:
        nonlocal index
        if not chunk:
            return
        try:
            async with database.session() as session:
                service = EvaluationService(session, outbox, settings)
                results = await service.submit_batch(principal, chunk, first_index=index)
        except Exception as error:
            log.warning("import_chunk_failed", first_row=index, error=repr(error))
            results = []
            for offset, row in enumerate(chunk):
                try:
                    async with database.session() as session:
                        service = EvaluationService(session, outbox, settings)
                        results += await service.submit_batch(
                            principal, [row], first_index=index + offset
                        )
                except Exception as row_error:
                    results.append(
                        SubmissionResult(
                            index=index + offset,
                            result="rejected",
                            errors=[{"path": "body", "message": repr(row_error), "type": "error"}],
                        )
                    )
        progress.add(results)
        if on_chunk is not None:
            on_chunk(len(chunk))
        index += len(chunk)
        chunk.clear()

    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_size:
            await flush()
    await flush()
    summary = progress.report.summary
    if summary.created + summary.updated >= analyse_after:
        await analyse(database)
    return progress.report


async def analyse(database: Database) -> None:
    """Refresh PostgreSQL's planner statistics of the evaluations and what derives from them
    (SQLite plans without them)."""
    if database.engine.dialect.name != "postgresql":
        return
    tables = [
        table_of(model).name
        for model in (Evaluation, EvaluationInstitution, EvaluationProgramme, PublishedStatus)
    ]
    async with database.engine.connect() as connection:
        await connection.execute(text(f"ANALYZE {', '.join(tables)}"))
        await connection.commit()
    log.info("statistics_refreshed", tables=tables)
