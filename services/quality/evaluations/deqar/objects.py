"""DEQAR's JSON submission objects (its Submission API's, or read from a CSV row by
`csv_rows.py`) → edunode's submission payloads, and the codes DEQAR names things by (see this
package's docstring for what is read). Pure: no database, no HTTP."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from typing import Any

from services.quality.evaluations.schemas import UnreadableRow
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
