"""The bulk formats: ROR v2 records, edunode's CSV and NDJSON, as rows for the importer and
from rows for the export.

The CSV (UTF-8, a header row, one institution per row, any column order):

- `name` (the display name) and `country` (ISO 3166-1 alpha-2) are required;
- `id` is optional: the institution's id, kept, so that an export re-imports onto the same
  records (without it a row is matched by a ROR/ETER/DEQAR/WHED identifier, then by country
  and name);
- `names`, `identifiers`, `relationships`: JSON arrays shaped as in the API (empty = none),
  e.g. `[{"resource": "ror", "value": "00rzspn62"}]`;
- `city`, `latitude`, `longitude`, `website`, `type`, `legal_status`, `status`,
  `founded_on`, `closed_on`: as in the API (empty = none or the default);
- `origin_node`, `is_reference`, `reference_source`, `superseded_by`, `version`,
  `created_at`, `updated_at` are written by the export (NDJSON) and ignored by the import
  (except `origin_node` and `reference_source`, kept on reference copies).
"""

from __future__ import annotations

import csv
import gzip
import io
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from services.institutions.vocabularies.codes import normalize_ror_id

ROR_NAMESPACE = uuid.NAMESPACE_URL

CSV_COLUMNS = [
    "id",
    "origin_node",
    "is_reference",
    "reference_source",
    "country",
    "name",
    "names",
    "identifiers",
    "relationships",
    "city",
    "latitude",
    "longitude",
    "geonames_id",
    "website",
    "type",
    "legal_status",
    "status",
    "founded_on",
    "closed_on",
    "version",
    "created_at",
    "updated_at",
]
_JSON_COLUMNS = ("names", "identifiers", "relationships")
_FLOAT_COLUMNS = ("latitude", "longitude")


def id_from_ror(ror_id: str) -> uuid.UUID:
    """The deterministic id of an institution first known from ROR: uuid5 of its ROR URL, so
    that every node importing the same ROR record gives it the same id."""
    return uuid.uuid5(ROR_NAMESPACE, "https://ror.org/" + normalize_ror_id(ror_id))


@dataclass
class SourceRow:
    """One record read from a file, before validation."""

    line: int
    content: dict[str, Any]
    id: uuid.UUID | None = None
    origin_node: str | None = None
    reference_source: str | None = None  # kept on reference copies, as `origin_node`
    ror_id: str | None = None
    # ROR rows name related records by ROR id: (relationship type, ROR id).
    ror_relationships: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    skip_reason: str | None = None


def open_text(path: Path) -> io.TextIOBase:
    """A text stream of a plain or gzip-compressed file."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig")


def read_bytes(path: Path) -> bytes:
    """The content of a plain or gzip-compressed file."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        with gzip.open(path, "rb") as stream:
            return stream.read()
    return path.read_bytes()


# -- ROR v2 -------------------------------------------------------------------------------------

_ROR_RELATIONSHIPS = {
    "parent": "part_of",
    "child": "has_part",
    "predecessor": "succeeded",
    "successor": "succeeded_by",
    "related": "related_to",
}
_ROR_STATUS = {"active": "active", "inactive": "inactive"}
_UAS_WORDS = ("applied sciences", "fachhochschule", "hogeschool", "ammattikorkeakoulu")
_UNIVERSITY_WORDS = ("univers", "大学", "大學", "universi", "hochschule", "école polytechnique")


def _ror_type(types: list[str], names: list[str]) -> str:
    if "education" not in types:
        return "other_provider"
    lowered = " ".join(names).lower()
    if any(word in lowered for word in _UAS_WORDS):
        return "university_of_applied_sciences"
    if any(word in lowered for word in _UNIVERSITY_WORDS):
        return "university"
    return "college"


def ror_row(line: int, record: dict[str, Any]) -> SourceRow:
    """A ROR v2 record as a source row. Names: `ror_display` is the display name; labels are
    official names (English ones `english` when the institution has a label in another
    language too); aliases and acronyms keep their kind. ISNI and Wikidata ids are kept
    beside the ROR id; the founding year becomes 1 January of that year. ROR's education type
    becomes university / university of applied sciences / college by the words of its names;
    other types are `other_provider`. Withdrawn records are skipped."""
    ror_id = normalize_ror_id(str(record.get("id", "")))
    row = SourceRow(line=line, content={}, ror_id=ror_id)
    status = str(record.get("status", "active"))
    if status == "withdrawn":
        row.skip_reason = "withdrawn from ROR"
        return row
    names_in = record.get("names") or []
    display = next((n["value"] for n in names_in if "ror_display" in (n.get("types") or [])), None)
    labels = [n for n in names_in if "label" in (n.get("types") or [])]
    has_foreign_label = any(n.get("lang") not in (None, "en") for n in labels)
    names: list[dict[str, Any]] = []
    for name in names_in:
        types = name.get("types") or []
        if "acronym" in types:
            kind = "acronym"
        elif "alias" in types:
            kind = "alias"
        elif name.get("lang") == "en" and has_foreign_label:
            kind = "english"
        else:
            kind = "official"
        names.append({"value": name["value"], "lang": name.get("lang"), "kind": kind})
    locations = record.get("locations") or []
    geo: dict[str, Any] = (locations[0].get("geonames_details") or {}) if locations else {}
    identifiers: list[dict[str, Any]] = [{"resource": "ror", "value": ror_id}]
    for external in record.get("external_ids") or []:
        resource = {"isni": "isni", "wikidata": "wikidata"}.get(str(external.get("type")))
        if resource is None:
            continue
        for value in external.get("all") or []:
            identifiers.append({"resource": resource, "value": value})
    website = next(
        (link["value"] for link in record.get("links") or [] if link.get("type") == "website"),
        None,
    )
    established = record.get("established")
    row.content = {
        "name": display or (names[0]["value"] if names else ""),
        "country": geo.get("country_code") or "",
        "names": names,
        "identifiers": identifiers,
        "city": geo.get("name"),
        "latitude": geo.get("lat"),
        "longitude": geo.get("lng"),
        "geonames_id": locations[0].get("geonames_id") if locations else None,
        "website": website,
        "type": _ror_type(list(record.get("types") or []), [n["value"] for n in names]),
        "status": _ROR_STATUS.get(status, "inactive"),
        "founded_on": f"{int(established):04d}-01-01" if established else None,
    }
    if row.content["status"] == "inactive" and any(
        r.get("type") == "successor" for r in record.get("relationships") or []
    ):
        row.content["status"] = "merged"
    row.ror_relationships = [
        (_ROR_RELATIONSHIPS[r["type"]], normalize_ror_id(str(r["id"])))
        for r in record.get("relationships") or []
        if r.get("type") in _ROR_RELATIONSHIPS and r.get("id")
    ]
    return row


ZIP_MAGIC = b"PK\x03\x04"


class RorDumpError(ValueError):
    """A file that is not a ROR v2 data dump edunode can read, and why."""


def ror_json_member(names: list[str]) -> str:
    """The file of a ROR data dump zip holding the records in schema v2. ROR's releases 1.45
    to 1.74 hold both schemas, v2 named `…-ror-data_schema_v2.json` and v1 `…-ror-data.json`;
    releases after 1.74 hold v2 alone, named `…-ror-data.json` (CSV files beside them are a
    flattened subset: JSON is the format of record)."""
    jsons = [n for n in names if n.lower().endswith(".json") and not n.startswith("__MACOSX")]
    v2 = [n for n in jsons if n.lower().endswith("_schema_v2.json")]
    chosen = v2 or jsons
    if len(chosen) != 1:
        raise RorDumpError(
            f"expected one ROR JSON file in the zip, found {len(chosen)}: {sorted(names)}"
        )
    return chosen[0]


def read_ror_bytes(path: Path) -> bytes:
    """The JSON of a ROR dump: a plain or gzip JSON file, or ROR's zip as published."""
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic != ZIP_MAGIC:
        return read_bytes(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.read(ror_json_member(archive.namelist()))
    except zipfile.BadZipFile as error:
        raise RorDumpError(f"{path.name} is not a readable zip: {error}") from None


def read_ror(path: Path) -> Iterator[SourceRow]:
    """Rows of a ROR v2 dump: a JSON array of records, plain, gzip or ROR's zip."""
    records = orjson.loads(read_ror_bytes(path))
    if isinstance(records, list) and records and _is_ror_v1(records[0]):
        raise RorDumpError(
            "these records are in ROR schema v1: use the dump's `_schema_v2.json` file "
            "(ROR releases from 1.45 hold both)"
        )
    if isinstance(records, dict):  # a single record
        records = [records]
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield SourceRow(line=number, content={}, error="not a JSON object")
            continue
        try:
            yield ror_row(number, record)
        except (KeyError, TypeError, ValueError) as error:
            yield SourceRow(line=number, content={}, error=f"not a ROR v2 record: {error!r}")


def _is_ror_v1(record: Any) -> bool:
    # Schema v1 names a record by `name` (a string) and places it by `addresses`/`country`.
    return isinstance(record, dict) and isinstance(record.get("name"), str)


# -- edunode NDJSON and CSV ---------------------------------------------------------------------


def _state_row(line: int, values: dict[str, Any]) -> SourceRow:
    row = SourceRow(line=line, content={})
    raw_id = values.pop("id", None)
    if raw_id:
        try:
            row.id = uuid.UUID(str(raw_id))
        except ValueError:
            row.error = f"id {raw_id!r} is not a UUID"
            return row
    row.origin_node = values.pop("origin_node", None) or None
    row.reference_source = values.pop("reference_source", None) or None
    for ignored in (
        "is_reference",
        "superseded_by",
        "version",
        "created_at",
        "updated_at",
        "qa_status",
    ):
        values.pop(ignored, None)
    row.content = values
    return row


def read_ndjson(path: Path) -> Iterator[SourceRow]:
    """Rows of an NDJSON file: one institution state (as exported) per line."""
    with open_text(path) as stream:
        for number, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            try:
                values = orjson.loads(text)
            except orjson.JSONDecodeError as error:
                yield SourceRow(line=number, content={}, error=f"not JSON: {error}")
                continue
            if not isinstance(values, dict):
                yield SourceRow(line=number, content={}, error="not a JSON object")
                continue
            yield _state_row(number, values)


def read_csv(path: Path) -> Iterator[SourceRow]:
    """Rows of an edunode CSV (see the module docstring for the columns)."""
    with open_text(path) as stream:
        reader = csv.DictReader(stream)
        missing = {"name", "country"} - set(reader.fieldnames or [])
        if missing:
            yield SourceRow(
                line=1, content={}, error=f"the header lacks the columns {sorted(missing)}"
            )
            return
        for cells in reader:
            line = reader.line_num
            values: dict[str, Any] = {}
            try:
                for key, cell in cells.items():
                    if key is None or cell is None:
                        continue
                    cell = cell.strip()
                    if key in _JSON_COLUMNS:
                        values[key] = orjson.loads(cell) if cell else []
                    elif key in _FLOAT_COLUMNS:
                        values[key] = float(cell) if cell else None
                    elif cell:
                        values[key] = cell
            except (orjson.JSONDecodeError, ValueError) as error:
                yield SourceRow(line=line, content={}, error=f"column value: {error}")
                continue
            yield _state_row(line, values)


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_COLUMNS)
    return buffer.getvalue()


def csv_line(state: dict[str, Any]) -> str:
    """One exported institution (its state plus `is_reference`) as a CSV line."""
    cells = []
    for column in CSV_COLUMNS:
        value = state.get(column)
        if column in _JSON_COLUMNS:
            cells.append(orjson.dumps(value or []).decode())
        elif value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        else:
            cells.append(str(value))
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()
