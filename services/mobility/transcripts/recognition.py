"""What a transcript counts for at the sending institution: each component of the learning
agreement matched with its result abroad and recognised by `rules.credit_transfer` (credits
through ECTS; grades by both institutions' grade distribution tables for the component's field,
else by the plain-scale fallback, named). No I/O: the service hands in what it holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contracts.mobility import ResultStatus, TranscriptComponent
from rules.credit_systems import credit_system, home_credit_system
from rules.credit_transfer import (
    CreditTransferError,
    GradeTable,
    Recognition,
    Studied,
    convert_credits,
    grade_table,
    recognise_component,
    summary_line,
)
from rules.grading_scales import grading_scale
from services.mobility.transcripts.schemas import (
    ComponentRecognition,
    CreditsRead,
    GradeRead,
    GradeTableState,
    PlannedComponent,
    TranscriptMessage,
)

NOT_PLANNED = "not in the learning agreement"


def country_of(node: str) -> str:
    """A node's country: its id is the lowercase ISO code, possibly with a region (`be-fl`)."""
    return node[:2].upper()


def table_for(tables: Sequence[GradeTableState], field: str | None) -> GradeTableState | None:
    """The table of the field, else of its narrow then broad field (0613, 061, 06)."""
    if field is None:
        return None
    by_field = {t.isced_f: t for t in tables}
    for length in range(len(field), 1, -1):
        found = by_field.get(field[:length])
        if found is not None:
            return found
    return None


def _rule_table(state: GradeTableState) -> GradeTable:
    return grade_table(
        f"table {state.label} ({state.isced_f}, {state.academic_years})",
        [(g.grade, g.count) for g in state.grades],
    )


def _studied(component: TranscriptComponent) -> Studied | None:
    """The component's credits in a system the reference data knows (ECTS first)."""
    known = [c for c in component.credits if credit_system(c.scheme) is not None]
    known.sort(key=lambda c: c.scheme.upper() != "ECTS")
    if not known:
        return None
    return Studied(
        credits=known[0].value,
        system=known[0].scheme.upper(),
        grade=component.grade,
        passed=component.status is ResultStatus.PASSED,
    )


def _read(recognition: Recognition, title: str, code: str | None) -> ComponentRecognition:
    credits = recognition.credits
    grade = recognition.grade
    return ComponentRecognition(
        title=title,
        code=code,
        outcome=recognition.outcome.value,
        credits=None
        if credits is None
        else CreditsRead(
            credits=credits.credits,
            system=credits.system,
            from_credits=credits.from_credits,
            from_system=credits.from_system,
            ects=credits.ects,
            rule=credits.rule,
            sources=[s.title for s in credits.sources],
        ),
        grade=None
        if grade is None
        else GradeRead(
            grade=grade.grade,
            from_grade=grade.from_grade,
            method=grade.method,
            explanation=grade.explanation,
        ),
        explanation=recognition.explanation,
    )


@dataclass(frozen=True)
class Computed:
    home_system: str
    components: list[ComponentRecognition]
    planned_ects: float
    summary: str


def recognise(message: TranscriptMessage, home_tables: Sequence[GradeTableState]) -> Computed:
    home = home_credit_system(country_of(message.sending.node)).code
    rule_tables: dict[int, GradeTable] = {}  # each table read once per transcript

    def rule_table(state: GradeTableState | None) -> GradeTable | None:
        if state is None:
            return None
        if id(state) not in rule_tables:
            rule_tables[id(state)] = _rule_table(state)
        return rule_tables[id(state)]

    host_country, home_country = (
        country_of(message.receiving.node),
        country_of(message.sending.node),
    )

    def one(title: str, code: str | None, component: TranscriptComponent | None,
            field: str | None) -> ComponentRecognition:  # fmt: skip
        if component is not None and component.status is ResultStatus.IN_PROGRESS:
            return ComponentRecognition(
                title=title, code=code, outcome="missing",
                explanation=f"{title}: still in progress abroad, no result yet",
            )  # fmt: skip
        studied = _studied(component) if component is not None else None
        if component is not None and studied is None:
            schemes = ", ".join(c.scheme for c in component.credits) or "none"
            return ComponentRecognition(
                title=title, code=code, outcome="unconvertible",
                explanation=f"{title}: no credits of a known system (given: {schemes})",
            )  # fmt: skip
        host = table_for(message.host_tables, field)
        mine = table_for(home_tables, field)
        try:
            result = recognise_component(
                title,
                studied,
                home_system=home,
                source_scale=grading_scale(host.scale if host and host.scale else host_country),
                target_scale=grading_scale(mine.scale if mine and mine.scale else home_country),
                source_table=rule_table(host),
                target_table=rule_table(mine),
            )
        except CreditTransferError as error:
            return ComponentRecognition(
                title=title, code=code, outcome="unconvertible", explanation=f"{title}: {error}"
            )
        return _read(result, title, code)

    components = list(message.transcript.components)
    results: list[ComponentRecognition] = []
    planned_ects = 0.0
    if message.planned is not None:
        for planned in message.planned:
            match = _match(planned, components)
            if match is not None:
                components.remove(match)
            planned_ects += _ects(planned)
            field = planned.isced_f or (match.isced_f if match else None)
            found = one(planned.title, planned.code, match, field)
            if planned.replaces:
                replaced = ", ".join(planned.replaces)
                found = found.model_copy(
                    update={"explanation": f"{found.explanation} (for {replaced} at home)"}
                )
            results.append(found)
        for extra in components:
            found = one(extra.title, extra.code, extra, extra.isced_f)
            results.append(
                found.model_copy(update={"explanation": f"{found.explanation} ({NOT_PLANNED})"})
            )
    else:
        for component in components:
            found = one(component.title, component.code, component, component.isced_f)
            planned_ects += found.credits.ects if found.credits else 0.0
            results.append(found)
    ects = sum(r.credits.ects for r in results if r.credits is not None)
    credits = sum(r.credits.credits for r in results if r.credits is not None)
    return Computed(home, results, planned_ects, summary_line(ects, planned_ects, credits, home))


def _ects(planned: PlannedComponent) -> float:
    try:
        return convert_credits(planned.credits, planned.system, "ECTS").ects
    except CreditTransferError:
        return 0.0


def _match(
    planned: PlannedComponent, components: Sequence[TranscriptComponent]
) -> TranscriptComponent | None:
    if planned.code:
        by_code = next((c for c in components if c.code == planned.code), None)
        if by_code is not None:
            return by_code
    title = planned.title.casefold()
    return next((c for c in components if c.title.casefold() == title), None)
