"""DEQAR's CSV (one report a row, repeating parts in indexed columns such as
`institution[1].deqar_id` or `file[1].report_language[1]`) ↔ DEQAR's submission objects: a row
read into an object (`objects.py` reads that), an object written as a row. Pure: no database,
no HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from services.quality.evaluations.schemas import UnreadableRow
from shared.errors import FieldError

# -- CSV row → submission object ---------------------------------------------------------------

# Top-level columns (DEQAR's, and edunode's own `agency_id` and `activity_type`).
_SCALARS = frozenset(
    {
        "agency",
        "agency_id",
        "report_id",
        "local_identifier",
        "activity",
        "activity_local_identifier",
        "activity_type",
        "status",
        "decision",
        "summary",
        "valid_from",
        "valid_to",
        "date_format",
        "other_comment",
        "micro_credentials_covered",
    }
)
# Indexed top-level columns `name[n]` → (list key, field of the item, or None for scalars).
_INDEXED_SCALARS: dict[str, tuple[str, str | None]] = {
    "contributing_agencies": ("contributing_agencies", None),
    "contributing_agency": ("contributing_agencies", None),
    "activity": ("activities", "id"),
    "activity_local_identifier": ("activities", "local_identifier"),
    "link": ("report_links", "link"),
    "link_display_name": ("report_links", "link_display_name"),
}
# Column groups `group[n].field[m]` → (list key, {column field: (item key, sub-list or None)}).
_GROUPS: dict[str, tuple[str, dict[str, tuple[str, str | None]]]] = {
    "activities": (
        "activities",
        {
            "id": ("id", None),
            "activity": ("id", None),
            "local_identifier": ("local_identifier", None),
            "group": ("group", None),
        },
    ),
    "activity": (
        "activities",
        {"id": ("id", None), "local_identifier": ("local_identifier", None)},
    ),
    "file": (
        "report_files",
        {
            "original_location": ("original_location", None),
            "url": ("original_location", None),
            "display_name": ("display_name", None),
            "content": ("content", None),
            "report_language": ("report_language", "list"),
            "languages": ("report_language", "list"),
        },
    ),
    "institution": (
        "institutions",
        {
            "id": ("id", None),
            "deqar_id": ("deqar_id", None),
            "eter_id": ("eter_id", None),
            "ror": ("ror", None),
            "identifier": ("identifier", "identifiers"),
            "resource": ("resource", "identifiers"),
            "name_official": ("name_official", None),
            "name_official_transliterated": ("name_official_transliterated", None),
            "name_english": ("name_english", None),
            "acronym": ("acronym", None),
            "website_link": ("website_link", None),
            "name_alternative": ("name_alternative", "alternative_names"),
            "name_alternative_transliterated": (
                "name_alternative_transliterated",
                "alternative_names",
            ),
            "country": ("country", "locations"),
            "city": ("city", "locations"),
            "latitude": ("latitude", "locations"),
            "longitude": ("longitude", "locations"),
            "qf_ehea_level": ("qf_ehea_levels", "list"),
        },
    ),
    "programme": (
        "programmes",
        {
            "id": ("programme_id", None),
            "programme_id": ("programme_id", None),
            "name_primary": ("name_primary", None),
            "name": ("name_primary", None),
            "qualification_primary": ("qualification_primary", None),
            "qualification": ("qualification_primary", None),
            "nqf_level": ("nqf_level", None),
            "level": ("nqf_level", None),
            "qf_ehea_level": ("qf_ehea_level", None),
            "degree_outcome": ("degree_outcome", None),
            "workload_ects": ("workload_ects", None),
            "ects": ("workload_ects", None),
            "field_study": ("field_study", None),
            "field": ("field_study", None),
            "learning_outcome_description": ("learning_outcome_description", None),
            "assessment_certification": ("assessment_certification", None),
            "identifier": ("identifier", "identifiers"),
            "resource": ("resource", "identifiers"),
            "name_alternative": ("name_alternative", "alternative_names"),
            "qualification_alternative": ("qualification_alternative", "alternative_names"),
            "country": ("countries", "list"),
            "learning_outcome": ("learning_outcomes", "list"),
        },
    ),
    "criterion": ("criterion_scores", {"name": ("criterion", None), "score": ("score", None)}),
}
# DEQAR's platforms (providers of programmes on a platform) are read and left out.
_IGNORED_GROUPS = frozenset({"platform"})
_COLUMN = re.compile(
    r"^(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?"
    r"(?:\.(?P<field>[a-z_]+)(?:\[(?P<sub>\d+)\])?)?$"
)


def csv_row_to_object(row: Mapping[str | None, str | None]) -> dict[str, Any] | UnreadableRow:
    """One CSV row (DEQAR's columns or edunode's) → a submission object shaped as DEQAR's JSON
    Submission API takes it (or the columns that cannot be read)."""
    document, errors = read_csv_row(row)
    if errors:
        return UnreadableRow(errors, document.get("local_identifier"))
    return document


def read_csv_row(row: Mapping[str | None, str | None]) -> tuple[dict[str, Any], list[FieldError]]:
    """The submission object of the columns of a row that can be read, and the others."""
    document: dict[str, Any] = {}
    errors: list[FieldError] = []
    lists: dict[str, dict[int, Any]] = {}
    for column, raw in row.items():
        if column is None or raw is None:
            continue
        value = raw.strip()
        name = column.strip().lower()
        if not value or value == "-":
            continue
        match = _COLUMN.match(name)
        if match is None:
            errors.append(FieldError(path=column, message="unknown column", type="unknown-column"))
            continue
        head, index, field, sub = match["name"], match["index"], match["field"], match["sub"]
        if index is None and field is None and head in _SCALARS:
            document[head] = value
        elif index is not None and field is None and head in _INDEXED_SCALARS:
            key, item_key = _INDEXED_SCALARS[head]
            items = lists.setdefault(key, {})
            if item_key is None:
                items[int(index)] = value
            else:
                items.setdefault(int(index), {})[item_key] = value
        elif index is not None and field is not None and head in _GROUPS:
            key, fields = _GROUPS[head]
            if field not in fields:
                errors.append(
                    FieldError(path=column, message="unknown column", type="unknown-column")
                )
                continue
            item = lists.setdefault(key, {}).setdefault(int(index), {})
            target, nested = fields[field]
            if nested is None:
                item[target] = value
            elif nested == "list":
                item.setdefault(target, {})[int(sub or 1)] = value
            elif sub is None:
                # `institution[1].identifier` (DEQAR's v2 templates): the first of the list.
                item.setdefault(nested, {}).setdefault(0, {})[target] = value
            else:
                item.setdefault(nested, {}).setdefault(int(sub), {})[target] = value
        elif index is not None and head in _IGNORED_GROUPS:
            continue
        else:
            errors.append(FieldError(path=column, message="unknown column", type="unknown-column"))
    for key, items in lists.items():
        document[key] = [_ordered(items[i]) for i in sorted(items)]
    return document, errors


def _ordered(item: Any) -> Any:
    """Indexed parts (dicts keyed by their column index) as lists, in index order."""
    if isinstance(item, dict):
        if item and all(isinstance(k, int) for k in item):
            return [_ordered(item[k]) for k in sorted(item)]
        return {k: _ordered(v) for k, v in item.items()}
    return item


# -- submission object → CSV row ---------------------------------------------------------------

# The sections of a DEQAR CSV row, in the order of DEQAR's template: (object key, column group,
# {item key: column field}).
_CSV_SECTIONS: list[tuple[str, str, dict[str, str]]] = [
    ("report_files", "file", {"original_location": "original_location"}),
    ("institutions", "institution", {}),
    ("programmes", "programme", {}),
    ("criterion_scores", "criterion", {"criterion": "name", "score": "score"}),
]
_CSV_TOP = (
    "agency",
    "local_identifier",
    "activity",
    "status",
    "decision",
    "summary",
    "valid_from",
    "valid_to",
    "date_format",
)


def object_to_csv_row(document: Mapping[str, Any]) -> dict[str, str]:
    """A DEQAR submission object as one row of DEQAR's CSV (columns in template order)."""
    row: dict[str, str] = {}
    for key in _CSV_TOP[:2]:
        if key in document:
            row[key] = str(document[key])
    for index, acronym in enumerate(document.get("contributing_agencies") or [], start=1):
        row[f"contributing_agencies[{index}]"] = str(acronym)
    for key in _CSV_TOP[2:]:
        if document.get(key) not in (None, ""):
            row[key] = str(document[key])
    for key, group, renamed in _CSV_SECTIONS:
        for index, item in enumerate(document.get(key) or [], start=1):
            for field, value in item.items():
                column = f"{group}[{index}].{renamed.get(field, field)}"
                if isinstance(value, list):
                    for position, part in enumerate(value, start=1):
                        row[f"{column}[{position}]"] = str(part)
                elif value is not None:
                    row[column] = str(value)
    return row


def csv_columns(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """The header of a CSV holding `rows`: every column, in the order first seen, indexed
    columns of a group kept together in index order."""
    seen: dict[str, int] = {}
    for row in rows:
        for column in row:
            seen.setdefault(column, len(seen))

    def key(column: str) -> tuple[int, int, int, int]:
        match = _COLUMN.match(column)
        first = seen[column]
        if match is None or match["index"] is None:
            return (first, 0, 0, 0)
        group_first = min(
            seen[c] for c in seen if c.startswith(f"{match['name']}[")
        )  # the group's place
        return (group_first, int(match["index"]), first, int(match["sub"] or 0))

    return sorted(seen, key=key)
