"""DEQAR's submission formats, read into edunode's submissions and written back from stored
evaluations (pure: no database, no HTTP).

DEQAR (the Database of External Quality Assurance Results, run by EQAR) takes reports as CSV
(one report a row, repeating parts in indexed columns: `institution[1].deqar_id`,
`file[1].report_language[1]`, `activities[1].id`) or as JSON submission objects (its Submission
API: `report_files`, `institutions`, `programmes`, ...). Both are documented at
https://docs.deqar.eu (Report Data Elements; Report Submission). What is read here:

- `agency` is an acronym or a DEQAR agency id (digits; an agency records its `deqar_id`), or
  in edunode's own format an agency id; `contributing_agencies` likewise.
- `activity` / `activity[n]` / `activities[n].id` / `activities[n].local_identifier` /
  `activity_local_identifier` name the agency's *activity* (DEQAR: by name, DEQAR activity id or
  the agency's local identifier), not its type: the quality service resolves it against the
  activities the agency declares. edunode's `activity_type` column stays as it was.
- `status` and `decision` by name or by DEQAR's numeric id (status 1-2, decision 1-4).
- Report languages in ISO 639-1 (`en`) or ISO 639-2, terminological or bibliographic (`eng`,
  `fre`, `ger`), any case: stored as ISO 639-1.
- Dates in the row's `date_format` (strptime syntax; DEQAR's `%-d`/`%-m` read as `%d`/`%m`).
- Institutions by `deqar_id`, `eter_id`, or `identifier` (+ `resource`), flat as DEQAR's v2
  templates write them or indexed (`institution[1].identifier[1]`) as its older ones do; when
  several are given, DEQAR's order decides (DEQARINST id, then ETER id, then the others).
- Programmes: `qf_ehea_level` (name or 0-3) becomes the level `QF-EHEA:<cycle>`; an
  `nqf_level` written `FRAMEWORK:LEVEL` is kept as the level; `workload_ects`, `field_study`
  (ISCED-F code or ESCO URI) and `degree_outcome` (1/2, yes/no, full degree/no full degree).
- A cell holding only `-` is empty, as in DEQAR.

What DEQAR holds and edunode does not (`report_id`, `other_comment`, links, platforms, file
display names and contents, institution names and locations, programme alternative names,
countries and learning outcomes, an `nqf_level` in free text) is read and left out.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from importlib import resources
from typing import Any

from services.quality.evaluations.schemas import EvaluationRead, UnreadableRow
from services.quality.vocabulary import Decision, DegreeOutcome, EvaluationStatus
from shared.errors import FieldError

ISO_DATE_FORMAT = "%Y-%m-%d"

# DEQAR's identifiers of its report statuses and decisions (Report Data Elements, "Details").
STATUS_BY_ID = {"1": EvaluationStatus.OBLIGATORY, "2": EvaluationStatus.VOLUNTARY}
DECISION_BY_ID = {
    "1": Decision.POSITIVE,
    "2": Decision.CONDITIONAL,
    "3": Decision.NEGATIVE,
    "4": Decision.NOT_APPLICABLE,
}
# DEQAR's names, compared without regard to case; older DEQAR examples spell two decisions so.
STATUS_BY_NAME = {status.value.casefold(): status for status in EvaluationStatus}
DECISION_BY_NAME = {decision.value.casefold(): decision for decision in Decision} | {
    "yes, positive": Decision.POSITIVE,
    "no, negative": Decision.NEGATIVE,
}
DEGREE_OUTCOME_BY_VALUE = {
    "1": DegreeOutcome.FULL_DEGREE,
    "yes": DegreeOutcome.FULL_DEGREE,
    "true": DegreeOutcome.FULL_DEGREE,
    "full degree": DegreeOutcome.FULL_DEGREE,
    "2": DegreeOutcome.NO_FULL_DEGREE,
    "no": DegreeOutcome.NO_FULL_DEGREE,
    "false": DegreeOutcome.NO_FULL_DEGREE,
    "no full degree": DegreeOutcome.NO_FULL_DEGREE,
}
# QF-EHEA cycles by DEQAR's id and name; edunode writes levels `QF-EHEA:<cycle>`.
QF_EHEA_CYCLES = {"0": "short", "1": "first", "2": "second", "3": "third"}
ESCO_ISCED_PREFIX = "http://data.europa.eu/esco/isced-f/"
# The institution identifiers DEQAR names by their own column, in DEQAR's order of precedence.
INSTITUTION_ID_COLUMNS = {"deqar_id": "DEQAR", "eter_id": "ETER"}
LEVEL_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[A-Za-z0-9 -]+$")


def _load_languages() -> dict[str, str]:
    data = resources.files("services.quality.evaluations") / "iso639.json"
    codes: dict[str, str] = json.loads(data.read_text(encoding="utf-8"))["codes"]
    return codes


# ISO 639-2 (three letters, T and B) → ISO 639-1.
ISO_639_2_TO_1 = _load_languages()
ISO_639_1 = frozenset(ISO_639_2_TO_1.values())


def language_code(value: str) -> str | None:
    """ISO 639-1 code of an ISO 639-1 or 639-2 code (any case), or None if it is neither."""
    code = value.strip().lower()
    if len(code) == 3:
        return ISO_639_2_TO_1.get(code)
    return code if code in ISO_639_1 else None


# -- CSV → submission object ---------------------------------------------------------------------

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


# -- submission object → edunode submission ----------------------------------------------------

# Keys that only DEQAR's JSON objects have: an object with one of them is read as DEQAR's.
DEQAR_ONLY_KEYS = frozenset(
    {
        "activity",
        "activities",
        "activity_local_identifier",
        "contributing_agencies",
        "date_format",
        "report_files",
        "report_id",
        "report_links",
        "other_comment",
        "micro_credentials_covered",
        "platforms",
    }
)
# Keys translated below; the others (edunode's own, or unknown ones the schema refuses) pass.
_TRANSLATED = DEQAR_ONLY_KEYS | {
    "agency",
    "status",
    "decision",
    "valid_from",
    "valid_to",
    "institutions",
    "programmes",
    "files",
}


def is_deqar_object(document: Any) -> bool:
    """Whether a JSON submission is in DEQAR's shape (else it is edunode's own)."""
    if not isinstance(document, dict):
        return False
    if DEQAR_ONLY_KEYS & document.keys():
        return True
    institutions = document.get("institutions")
    return isinstance(institutions, list) and any(
        isinstance(i, dict) and ({"deqar_id", "eter_id", "identifiers"} & i.keys())
        for i in institutions
    )


def object_to_submission(document: dict[str, Any]) -> dict[str, Any] | UnreadableRow:
    """A DEQAR submission object (or a CSV row read as one) → the payload of edunode's
    `EvaluationSubmission`; values edunode's schema checks are passed on as they are, so that
    a wrong one is refused with the schema's reason."""
    errors: list[FieldError] = []
    payload: dict[str, Any] = {
        key: value for key, value in document.items() if key not in _TRANSLATED
    }
    agency = document.get("agency")
    if agency is not None:
        if _is_uuid(agency):
            payload["agency_id"] = str(agency)
        else:
            payload["agency"] = str(agency).strip()
    contributors = [str(c).strip() for c in document.get("contributing_agencies") or []]
    if contributors:
        payload.setdefault("contributing_agency_ids", [])
        payload["contributing_agency_ids"] += [c for c in contributors if _is_uuid(c)]
        acronyms = [c for c in contributors if not _is_uuid(c)]
        if acronyms:
            payload["contributing_agencies"] = acronyms
    activity = _activity(document)
    if activity is not None:
        payload["activity"] = activity
    if "status" in document:
        payload["status"] = _coded(document["status"], STATUS_BY_ID, STATUS_BY_NAME)
    if "decision" in document:
        payload["decision"] = _coded(document["decision"], DECISION_BY_ID, DECISION_BY_NAME)
    date_format = str(document.get("date_format") or ISO_DATE_FORMAT)
    for name in ("valid_from", "valid_to"):
        value = document.get(name)
        if value in (None, ""):
            continue
        parsed = parse_date(str(value), date_format)
        if parsed is None:
            errors.append(
                FieldError(
                    path=name,
                    message=f"{value!r} does not match the date_format {date_format!r}",
                    type="date_format",
                )
            )
        else:
            payload[name] = parsed.isoformat()
    if "institutions" in document:
        payload["institutions"] = [
            _institution(item) for item in document.get("institutions") or []
        ]
    if "programmes" in document:
        payload["programmes"] = [_programme(item) for item in document.get("programmes") or []]
    files = document.get("report_files", document.get("files"))
    if files is not None:
        payload["files"] = [
            _file(item, f"report_files.{index}", errors) for index, item in enumerate(files)
        ]
    if errors:
        return UnreadableRow(errors, payload.get("local_identifier"))
    return payload


def parse_date(value: str, date_format: str) -> date | None:
    """A date written in DEQAR's `date_format` (strptime syntax, with `%-d` and `%-m`)."""
    python_format = date_format.replace("%-", "%")
    try:
        return datetime.strptime(value.strip(), python_format).date()
    except ValueError:
        return None


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _activity(document: dict[str, Any]) -> str | None:
    """The activity the report results from: DEQAR's v2 `activities` list (its first entry),
    v1's `activity`, or `activity_local_identifier`."""
    for item in document.get("activities") or []:
        if isinstance(item, dict):
            for key in ("id", "local_identifier", "group"):
                if item.get(key) not in (None, ""):
                    return str(item[key]).strip()
        elif item not in (None, ""):
            return str(item).strip()
    for key in ("activity", "activity_local_identifier"):
        if document.get(key) not in (None, ""):
            return str(document[key]).strip()
    return None


def _coded(value: Any, by_id: Mapping[str, str], by_name: Mapping[str, str]) -> Any:
    """A DEQAR value given by id or by name; what is neither is passed on for the schema to
    refuse."""
    if not isinstance(value, str | int):
        return value
    text = str(value).strip()
    return by_id.get(text) or by_name.get(text.casefold()) or text


def _institution(item: Any) -> Any:
    """One institution as an edunode reference: by id, or by one identifier (DEQAR's
    precedence: DEQARINST id, ETER id, then any other)."""
    if not isinstance(item, dict):
        return item
    if item.get("id"):
        return {"id": item["id"]}
    for column, resource in INSTITUTION_ID_COLUMNS.items():
        if item.get(column):
            return {"identifier": str(item[column]).strip(), "resource": resource}
    if item.get("identifier"):
        return _identifier(item)
    for identifier in item.get("identifiers") or []:
        if isinstance(identifier, dict) and identifier.get("identifier"):
            return _identifier(identifier)
    if item.get("ror"):
        return {"identifier": str(item["ror"]).strip(), "resource": "ROR"}
    # Nothing to find it by: the schema says so.
    return {}


def _identifier(item: dict[str, Any]) -> dict[str, str]:
    reference = {"identifier": str(item["identifier"]).strip()}
    resource = str(item.get("resource") or "").strip()
    # DEQAR's "local identifier" is the agency's own: any resource may hold it here.
    if resource and resource.lower() != "local identifier":
        reference["resource"] = resource
    return reference


def _programme(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    programme: dict[str, Any] = {}
    if item.get("programme_id"):
        programme["programme_id"] = item["programme_id"]
    name = item.get("name_primary", item.get("name"))
    if name is not None:
        programme["name"] = name
    qualification = item.get("qualification_primary", item.get("qualification"))
    if qualification is not None:
        programme["qualification"] = qualification
    level = _level(item)
    if level is not None:
        programme["level"] = level
    ects = item.get("workload_ects", item.get("ects"))
    if ects not in (None, ""):
        programme["ects"] = ects
    field = item.get("field_study", item.get("field"))
    if isinstance(field, str) and field.strip():
        programme["field"] = field.strip().removeprefix(ESCO_ISCED_PREFIX)
    outcome = item.get("degree_outcome")
    if outcome not in (None, ""):
        programme["degree_outcome"] = DEGREE_OUTCOME_BY_VALUE.get(
            str(outcome).strip().lower(), outcome
        )
    return programme


def _level(item: dict[str, Any]) -> str | None:
    cycle = item.get("qf_ehea_level")
    if cycle not in (None, ""):
        text = str(cycle).strip().lower()
        name = QF_EHEA_CYCLES.get(text, text.removesuffix(" cycle"))
        return f"QF-EHEA:{name}"
    level = item.get("level", item.get("nqf_level"))
    if isinstance(level, str) and LEVEL_PATTERN.match(level.strip()):
        return level.strip()
    return None  # a national level in free text ("level 7"): no framework to place it in


def _file(item: Any, path: str, errors: list[FieldError]) -> Any:
    if not isinstance(item, dict):
        return item
    url = item.get("original_location", item.get("url"))
    if url is None and item.get("content"):
        errors.append(
            FieldError(
                path=f"{path}.content",
                message="edunode keeps report files by URL: give original_location",
                type="unsupported",
            )
        )
    languages: list[str] = []
    raw = item.get("report_language", item.get("languages")) or []
    # one cell may list several, comma-separated ("en, zh")
    given = [
        part.strip()
        for value in ([raw] if isinstance(raw, str) else raw)
        for part in str(value).split(",")
        if part.strip()
    ]
    for position, value in enumerate(given):
        code = language_code(str(value))
        if code is None:
            errors.append(
                FieldError(
                    path=f"{path}.report_language.{position}",
                    message=f"{value!r} is not an ISO 639-1 or ISO 639-2 language code",
                    type="language",
                )
            )
        else:
            languages.append(code)
    return {"url": url, "languages": languages}


def read_submission(document: Any) -> Any:
    """A JSON submission of either shape → edunode's payload (DEQAR's is translated; edunode's
    own, or anything not an object, is passed on for the schema to judge)."""
    if is_deqar_object(document):
        return object_to_submission(document)
    return document


# -- stored evaluation → DEQAR ------------------------------------------------------------------

# The identifiers an export names an institution by, in order of preference.
EXPORT_RESOURCES = ("DEQAR", "ETER", "ROR")


def evaluation_to_object(
    evaluation: EvaluationRead,
    *,
    agency_acronym: str,
    activity: str,
    contributing_acronyms: Iterable[str],
    identifiers: Mapping[uuid.UUID, list[tuple[str, str]]],
) -> dict[str, Any]:
    """A stored evaluation as DEQAR's JSON Submission API takes it. `activity` names the
    agency's activity (its identifier, else its name, else the activity type);
    `identifiers` are the (resource, value) pairs the reference table knows of each
    institution. AUN-QA criterion scores, which DEQAR does not hold, are kept as edunode's
    `criterion_scores` (DEQAR ignores keys it does not know)."""
    document: dict[str, Any] = {
        "agency": agency_acronym,
        "local_identifier": evaluation.local_identifier,
        "activity": activity,
        "status": evaluation.status.value,
        "decision": evaluation.decision.value,
        "valid_from": evaluation.valid_from.isoformat(),
        "valid_to": evaluation.valid_to.isoformat(),
        "date_format": ISO_DATE_FORMAT,
    }
    contributors = list(contributing_acronyms)
    if contributors:
        document["contributing_agencies"] = contributors
    if evaluation.summary:
        document["summary"] = evaluation.summary
    document["report_files"] = [
        {"original_location": str(f.url), "report_language": list(f.languages)}
        for f in evaluation.files
    ]
    document["institutions"] = [
        _institution_reference(identifiers.get(i, []), i) for i in evaluation.institution_ids
    ]
    programmes = [_deqar_programme(p.model_dump(mode="json")) for p in evaluation.programmes]
    if programmes:
        document["programmes"] = programmes
    if evaluation.criterion_scores:
        document["criterion_scores"] = [
            s.model_dump(mode="json") for s in evaluation.criterion_scores
        ]
    return document


def _institution_reference(
    known: list[tuple[str, str]], institution_id: uuid.UUID
) -> dict[str, str]:
    by_resource = {resource.upper(): value for resource, value in known}
    if "DEQAR" in by_resource:
        return {"deqar_id": by_resource["DEQAR"]}
    if "ETER" in by_resource:
        return {"eter_id": by_resource["ETER"]}
    for resource, value in sorted(known, key=lambda pair: pair[0].upper() != "ROR"):
        return {
            "identifier": value,
            "resource": resource.upper() if resource.upper() == "ROR" else resource,
        }
    # Not in the reference table any more: edunode's own id still finds it on re-import.
    return {"id": str(institution_id)}


def _deqar_programme(programme: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"name_primary": programme["name"]}
    if programme.get("qualification"):
        item["qualification_primary"] = programme["qualification"]
    level = programme.get("level")
    if level:
        framework, _, value = level.partition(":")
        if framework.upper() == "QF-EHEA":
            item["qf_ehea_level"] = f"{value} cycle"
        else:
            item["nqf_level"] = level
    if programme.get("ects") is not None:
        ects = programme["ects"]
        item["workload_ects"] = int(ects) if float(ects).is_integer() else ects
    if programme.get("field"):
        item["field_study"] = programme["field"]
    item["degree_outcome"] = (
        "yes" if programme.get("degree_outcome") == DegreeOutcome.FULL_DEGREE.value else "no"
    )
    return item


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
