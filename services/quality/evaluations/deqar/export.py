"""A stored evaluation → DEQAR's submission object (the JSON Submission API's shape; written
as a CSV row by `csv_rows.py`), for an export DEQAR (or edunode) can read back. Pure: no
database, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from services.quality.evaluations.deqar.objects import ISO_DATE_FORMAT
from services.quality.evaluations.schemas import EvaluationRead
from services.quality.vocabulary import DegreeOutcome

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
    `identifiers` are the (resource, value) pairs quality's copy knows of each
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
    # Not in quality's copy any more: edunode's own id still finds it on re-import.
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
