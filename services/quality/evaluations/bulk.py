"""Bulk submission from files, imported in chunks through the same service (and rules) as the
API, each row on its own.

Files are read in DEQAR's formats (its CSV template and its JSON Submission API objects, see
`deqar/`) and in edunode's own: the same CSV with edunode's column names
(`activity_type`, `institution[1].identifier`, `programme[1].level`, `criterion[1].name`, ...)
and JSON arrays of `EvaluationSubmission` objects. Empty cells are ignored.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson
import structlog

from services.quality.agencies.repository import AgencyRepository
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.deqar.csv_rows import (
    csv_columns,
    object_to_csv_row,
    read_csv_row,
)
from services.quality.evaluations.deqar.export import evaluation_to_object
from services.quality.evaluations.deqar.objects import (
    is_deqar_object,
    object_to_submission,
    read_submission,
)
from services.quality.evaluations.repository import EvaluationFilter, EvaluationRepository
from services.quality.evaluations.schemas import (
    BatchReport,
    BatchSummary,
    EvaluationRead,
    SubmissionResult,
    UnreadableRow,
)
from services.quality.evaluations.service import EvaluationService
from services.quality.evaluations.validation import activity_label
from services.quality.institutions.repository import InstitutionCopyRepository
from shared.auth import Principal
from shared.db import Database
from shared.errors import FieldError
from shared.fields import CONTROL_CHARACTERS_MESSAGE, control_character_paths
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.settings import ServiceSettings

log = structlog.get_logger("edunode.quality.bulk")

CHUNK_SIZE = 500
# After writing this many rows, PostgreSQL's planner statistics are refreshed at once instead
# of when autovacuum comes round: planned on an empty table's statistics, a filtered search
# walks an index for rows that are not there (searches by country took 60-95 ms, not 10).
ANALYZE_AFTER_ROWS = 5000

# A row is the payload of one submission, or the reasons it could not even be read.
Row = dict[str, Any] | UnreadableRow


def refuse_control_characters(row: Row) -> Row:
    """The row, or its refusal when a text in it (a key too) holds a control character: the
    API's rule (`shared.fields.CONTROL_CHARACTERS`), so a file cannot store what a request
    may not, and a NUL, which PostgreSQL refuses, never reaches a transaction."""
    if isinstance(row, UnreadableRow):
        return row
    found = [path.removeprefix("row.") for path in control_character_paths(row, "row")]
    if not found:
        return row
    local_identifier = row.get("local_identifier")
    return UnreadableRow(
        [FieldError(path=path, message=CONTROL_CHARACTERS_MESSAGE) for path in found],
        local_identifier
        if isinstance(local_identifier, str) and "local_identifier" not in found
        else None,
    )


def parse_csv_row(row: dict[str | None, str | None]) -> Row:
    """One CSV row (DEQAR's columns or edunode's) → a submission payload, or the reasons it
    cannot be read."""
    document, errors = read_csv_row(row)
    payload = object_to_submission(document)
    if isinstance(payload, UnreadableRow):
        errors = payload.errors + errors
    if errors:
        return UnreadableRow(errors, document.get("local_identifier"))
    return payload


def read_csv(path: Path) -> Iterator[Row]:
    """The rows of a CSV file, parsed. Comma, semicolon or tab separated, as DEQAR reads them."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from read_csv_text(handle)


def read_csv_text(handle: TextIO) -> Iterator[Row]:
    """The rows of CSV text (a file, or a request's body), parsed as `read_csv` does."""
    sample = handle.read(64 * 1024)
    handle.seek(0)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.DictReader(handle, dialect=dialect):
        yield parse_csv_row(row)


def read_json(path: Path) -> list[Row]:
    """A JSON array of submissions, edunode's or DEQAR's (or an object with an `evaluations`
    array, or one DEQAR submission object)."""
    document = orjson.loads(path.read_bytes())
    if isinstance(document, dict):
        document = [document] if is_deqar_object(document) else document.get("evaluations", [])
    if not isinstance(document, list):
        raise ValueError("expected a JSON array of evaluations")
    # A row that is not an object is refused by the schema, as in a batch request.
    return [read_submission(item) for item in document]


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
    publisher: Publisher,
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
                service = EvaluationService(session, publisher, settings)
                results = await service.submit_batch(principal, chunk, first_index=index)
        except Exception as error:
            log.warning("import_chunk_failed", first_row=index, error=repr(error))
            results = []
            for offset, row in enumerate(chunk):
                try:
                    async with database.session() as session:
                        service = EvaluationService(session, publisher, settings)
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
        chunk.append(refuse_control_characters(row))
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
    async with database.session() as session:
        tables = await EvaluationRepository(session).refresh_statistics()
    if tables:
        log.info("statistics_refreshed", tables=tables)


EXPORT_PAGE = 500


async def export_deqar(
    database: Database, where: EvaluationFilter
) -> AsyncIterator[dict[str, Any]]:
    """The evaluations matching `where` as DEQAR submission objects, page by page: the agency
    by acronym, the activity by the agency's identifier of it (else its name, else the type),
    institutions by DEQARINST id, ETER id or another identifier its copy knows."""
    cursor: str | None = None
    while True:
        async with database.session() as session:
            evaluations, cursor = await EvaluationRepository(session).list_page(
                PageParams(limit=EXPORT_PAGE, cursor=cursor), where
            )
            agency_ids = {e.agency_id for e in evaluations}
            agency_ids |= {uuid.UUID(c) for e in evaluations for c in e.contributing_agency_ids}
            agencies = {
                agency_id: AgencyRead.model_validate(agency)
                for agency_id, agency in (
                    await AgencyRepository(session).get_many(agency_ids)
                ).items()
            }
            institution_ids = {uuid.UUID(i) for e in evaluations for i in e.institution_ids}
            identifiers = {
                ref_id: [(i.resource, i.value) for i in ref.identifiers]
                for ref_id, ref in (
                    await InstitutionCopyRepository(session).get_many(institution_ids)
                ).items()
            }
            documents = [
                _deqar_object(EvaluationRead.model_validate(e), agencies, identifiers)
                for e in evaluations
            ]
        for document in documents:
            yield document
        if cursor is None:
            return


def _deqar_object(
    evaluation: EvaluationRead,
    agencies: dict[uuid.UUID, AgencyRead],
    identifiers: dict[uuid.UUID, list[tuple[str, str]]],
) -> dict[str, Any]:
    agency = agencies.get(evaluation.agency_id)
    return evaluation_to_object(
        evaluation,
        agency_acronym=agency.acronym if agency else str(evaluation.agency_id),
        activity=evaluation.activity or activity_label(agency, evaluation.activity_type),
        contributing_acronyms=[
            agencies[c].acronym if c in agencies else str(c)
            for c in evaluation.contributing_agency_ids
        ],
        identifiers=identifiers,
    )


async def write_deqar_csv(documents: AsyncIterator[dict[str, Any]], sink: TextIO) -> int:
    """DEQAR's CSV of the submission objects: one report a row. The header needs every row's
    columns, so the rows are gathered first (an export is one agency's or one node's reports).
    Returns how many rows were written."""
    rows = [object_to_csv_row(document) async for document in documents]
    writer = csv.DictWriter(sink, fieldnames=csv_columns(rows), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


async def write_deqar_json(documents: AsyncIterator[dict[str, Any]], sink: BinaryIO) -> int:
    """A JSON array of DEQAR submission objects, streamed. Returns how many were written."""
    count = 0
    sink.write(b"[")
    async for document in documents:
        sink.write((b",\n" if count else b"\n") + orjson.dumps(document))
        count += 1
    sink.write(b"\n]\n")
    return count
