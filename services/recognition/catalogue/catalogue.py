"""The catalogue: frameworks, levels, referencing, credit systems, fields and
agreements, from the data files shipped beside this module plus the records nodes added
(this node's and, through events, its peers').

Pure and in memory: the assessment and the API read one `Catalogue`; comparisons walk the
referencing graph deterministically (same catalogue → same path).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
import yaml
from rapidfuzz import fuzz, process

from rules import level_comparison
from rules.credit_systems import CREDIT_SYSTEMS
from rules.credit_systems import CreditSystem as CreditSystemFact
from rules.level_comparison import (
    REFERENCE_FRAMEWORKS,
    at_least,
    end_of,
    index_edges,
    reference_path,
)
from services.recognition.catalogue.schemas import (
    Agreement,
    CompareStep,
    Comparison,
    CreditSystem,
    Framework,
    FrameworkKind,
    FrameworkLevel,
    FrameworkSummary,
    Referencing,
    ReferencingBasis,
    Source,
    StudyField,
)
from shared.errors import NotFound, Unprocessable

DATA_DIR = Path(__file__).parent
# The frameworks and their referencing are shared with the credentials service: they live beside
# the level comparison rule (rules/reference/); the rest of the reference data is here.
_SHARED_FILES = ("frameworks.yaml", "referencing.yaml")
_FILES = ("frameworks.yaml", "referencing.yaml", "fields.yaml")
_FIELD_LEVELS = {2: "broad", 3: "narrow", 4: "detailed"}


class ReferenceDataError(ValueError):
    """A shipped data file is malformed or states a fact without a source."""


@dataclass(frozen=True)
class FrameworkInfo:
    code: str
    name: str
    kind: FrameworkKind
    country: str | None
    region: str | None
    source: Source
    origin_node: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Catalogue:
    """Everything the reference data says, shipped and added, indexed for lookups."""

    frameworks: dict[str, FrameworkInfo]
    levels: dict[str, FrameworkLevel]
    referencing: list[Referencing]
    credit_systems: dict[str, CreditSystem]
    fields: dict[str, StudyField]
    agreements: dict[str, Agreement]
    digest: str = ""
    _edges: dict[str, list[Referencing]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._edges = index_edges(self.referencing, lambda e: e.source.verified)
        self.digest = hashlib.sha256(
            orjson.dumps(
                {
                    "levels": [lv.model_dump(mode="json") for lv in self.levels.values()],
                    "referencing": [r.model_dump(mode="json") for r in self.referencing],
                    "credit_systems": [
                        c.model_dump(mode="json") for c in self.credit_systems.values()
                    ],
                    "agreements": [a.model_dump(mode="json") for a in self.agreements.values()],
                },
                option=orjson.OPT_SORT_KEYS,
            )
        ).hexdigest()

    # -- building ---------------------------------------------------------------------------

    def with_additions(
        self, levels: Iterable[FrameworkLevel], agreements: Iterable[Agreement]
    ) -> Catalogue:
        """This catalogue plus the levels and agreements nodes added (shipped facts win)."""
        frameworks = dict(self.frameworks)
        all_levels = dict(self.levels)
        referencing = list(self.referencing)
        for level in sorted(levels, key=lambda lv: lv.code):
            if level.code in self.levels:
                continue
            all_levels[level.code] = level
            if level.framework not in frameworks:
                frameworks[level.framework] = FrameworkInfo(
                    code=level.framework,
                    name=level.framework_name or level.framework,
                    kind=level.framework_kind,
                    country=level.country,
                    region=None,
                    source=level.source,
                    origin_node=level.origin_node,
                )
            for reference in level.references:
                referencing.append(
                    Referencing(
                        from_=level.code,
                        to=reference.to,
                        basis=reference.basis,
                        source=level.source,
                        origin_node=level.origin_node,
                    )
                )
        all_agreements = dict(self.agreements)
        for agreement in sorted(agreements, key=lambda a: a.id):
            all_agreements.setdefault(agreement.id, agreement)
        return Catalogue(
            frameworks=frameworks,
            levels=all_levels,
            referencing=referencing,
            credit_systems=self.credit_systems,
            fields=self.fields,
            agreements=all_agreements,
        )

    # -- reading ----------------------------------------------------------------------------

    def framework(self, code: str) -> Framework:
        info = self.frameworks.get(code.upper())
        if info is None:
            raise NotFound(f"framework {code!r} is not known")
        return Framework(
            code=info.code,
            name=info.name,
            kind=info.kind,
            country=info.country,
            region=info.region,
            source=info.source,
            origin_node=info.origin_node,
            levels=self.levels_of(info.code),
        )

    def summaries(self) -> list[FrameworkSummary]:
        return [
            FrameworkSummary(
                code=info.code,
                name=info.name,
                kind=info.kind,
                country=info.country,
                region=info.region,
                source=info.source,
                origin_node=info.origin_node,
                aliases=list(info.aliases),
                level_count=len(self.levels_of(info.code)),
            )
            for info in self.frameworks.values()
        ]

    def levels_of(self, framework: str) -> list[FrameworkLevel]:
        return sorted(
            (lv for lv in self.levels.values() if lv.framework == framework),
            key=lambda lv: (lv.rank, lv.level),
        )

    def level(self, code: str) -> FrameworkLevel:
        found = self.levels.get(normalise_level_code(code))
        if found is None:
            raise NotFound(f"framework level {code!r} is not known")
        return found

    def find_level(self, code: str | None) -> FrameworkLevel | None:
        if not code:
            return None
        return self.levels.get(normalise_level_code(code))

    def credit_system(self, code: str) -> CreditSystem | None:
        return self.credit_systems.get(code.upper())

    def unknown_level(self, code: str) -> str | None:
        """Why `code` names no level of the reference data, with the values that would (the
        framework's levels, or the closest codes); None if it is known."""
        normalised = normalise_level_code(code)
        if normalised in self.levels:
            return None
        framework = normalised.partition(":")[0]
        if framework in self.frameworks:
            known = ", ".join(level.code for level in self.levels_of(framework))
            return f"{code!r} is not a level of {framework}; its levels are: {known}"
        near = closest(normalised, self.levels)
        hint = f"closest known levels: {', '.join(near)}; " if near else ""
        aliases = ", ".join(f"{a} for {c}" for a, c in sorted(framework_aliases().items()))
        return (
            f"{code!r} names no known framework ({hint}known frameworks: "
            f"{', '.join(sorted(self.frameworks))}; aliases: {aliases})"
        )

    def unknown_credit_system(self, code: str) -> str | None:
        """Why `code` names no credit system, with the known ones; None if it is known."""
        if self.credit_system(code) is not None:
            return None
        near = closest(code.upper(), self.credit_systems)
        hint = f"closest: {', '.join(near)}; " if near else ""
        return (
            f"credit system {code!r} is not in the reference data ({hint}known: "
            f"{', '.join(sorted(self.credit_systems))})"
        )

    # -- comparing --------------------------------------------------------------------------

    def reference_levels(self, code: str) -> dict[str, tuple[str, list[Referencing]]]:
        """The origin level's place in each reference framework, with the steps to it."""
        found: dict[str, tuple[str, list[Referencing]]] = {}
        for framework in REFERENCE_FRAMEWORKS:
            path = self._path(code, lambda c, fw=framework: c.startswith(fw + ":"))
            if path is not None:
                found[framework] = (end_of(code, path), path)
        return found

    def compare(self, origin: str, target: str) -> Comparison:
        """Compare a level with a framework (`to=CNDL`) or a level (`to=CNDL:xueshi`) through
        the reference frameworks."""
        origin_level = self.level(origin)
        target_is_level = ":" in target
        target_framework = target.split(":", 1)[0].strip().upper()
        target_framework = framework_aliases().get(target_framework, target_framework)
        if target_framework not in self.frameworks:
            raise NotFound(f"framework {target_framework!r} is not known")
        target_level = self.level(target) if target_is_level else None
        path = self._path(origin_level.code, lambda c: c.split(":", 1)[0] == target_framework)
        results: list[str] = []
        if path is not None:
            end = end_of(origin_level.code, path)
            results = [end]
        comparable: bool | None = None
        if target_level is not None and results:
            comparable = at_least(self.levels[results[0]].rank, target_level.rank)
        references = {
            framework: level
            for framework, (level, _) in self.reference_levels(origin_level.code).items()
        }
        steps = path or []
        return Comparison(
            from_=origin_level.code,
            to=target_level.code if target_level else target_framework,
            result_levels=results,
            comparable=comparable,
            path=[
                CompareStep(from_=s.from_, to=s.to, basis=s.basis, source=s.source) for s in steps
            ],
            reference_levels=references,
            verified=bool(steps) and all(s.source.verified for s in steps),
        )

    def _path(self, start: str, is_goal: Any) -> list[Referencing] | None:
        """The level comparison rule's path (rules.level_comparison) in this catalogue."""
        return reference_path(start, is_goal, self._edges, self.levels)


def normalise_level_code(code: str) -> str:
    """`qf-ehea:First` → `QF-EHEA:first`: framework codes upper case, level names lower case,
    and a documented alias replaced by its framework's code (`CN:xueshi` → `CNDL:xueshi`).
    Every level code the service accepts goes through here, so an alias is accepted
    everywhere or nowhere."""
    framework, _, level = code.strip().partition(":")
    framework = framework.strip().upper()
    framework = framework_aliases().get(framework, framework)
    return f"{framework}:{level.strip().lower()}"


@lru_cache(maxsize=1)
def framework_aliases() -> dict[str, str]:
    """The one table of framework-code aliases (`aliases` in frameworks.yaml): alias → code."""
    table: dict[str, str] = {}
    for raw in _read("frameworks.yaml")["frameworks"]:
        for alias in raw.get("aliases", []):
            alias = str(alias).upper()
            if alias in table:
                raise ReferenceDataError(f"framework alias {alias!r} names two frameworks")
            table[alias] = raw["code"]
    return table


def closest(value: str, choices: Iterable[str], limit: int = 5) -> list[str]:
    """The known values nearest to a mistyped one, best first."""
    found = process.extract(value, list(choices), scorer=fuzz.WRatio, limit=limit)
    return [choice for choice, score, _ in found if score >= 50]


# -- loading the shipped files ----------------------------------------------------------------


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict) or not raw.get("title"):
        raise ReferenceDataError(f"{where} has no source")
    return Source.model_validate(
        {k: raw.get(k) for k in ("title", "url", "verified")}
        | {"verified": bool(raw.get("verified", False))}
    )


def data_file(name: str) -> Path:
    return (level_comparison.DATA_DIR if name in _SHARED_FILES else DATA_DIR) / name


def _read(name: str) -> Any:
    return yaml.safe_load(data_file(name).read_text(encoding="utf-8"))


def load_shipped(directory: Path | None = None) -> Catalogue:
    """Read and check the shipped data files (every fact must name its source)."""
    if directory is not None and directory != DATA_DIR:
        raise ValueError("only the shipped directory is supported")
    frameworks: dict[str, FrameworkInfo] = {}
    levels: dict[str, FrameworkLevel] = {}
    for raw in _read("frameworks.yaml")["frameworks"]:
        code = raw["code"]
        source = _source(raw.get("source"), f"framework {code}")
        kind = FrameworkKind(raw["kind"])
        frameworks[code] = FrameworkInfo(
            code=code,
            name=raw["name"],
            kind=kind,
            country=raw.get("country"),
            region=raw.get("region"),
            source=source,
            aliases=tuple(str(a).upper() for a in raw.get("aliases", [])),
        )
        for item in raw["levels"]:
            level = str(item["level"])
            level_code = f"{code}:{level}"
            levels[level_code] = FrameworkLevel(
                code=level_code,
                framework=code,
                level=level,
                rank=item["rank"],
                name=item["name"],
                ects_min=item.get("ects_min"),
                ects_max=item.get("ects_max"),
                ects_typical=item.get("ects_typical"),
                credits_min=item.get("credits_min"),
                credit_system=item.get("credit_system"),
                source=_source(item.get("source", raw.get("source")), f"level {level_code}"),
                framework_name=raw["name"],
                framework_kind=kind,
                country=raw.get("country"),
            )
    referencing = []
    for item in _read("referencing.yaml")["referencing"]:
        entry = Referencing(
            from_=item["from"],
            to=item["to"],
            basis=ReferencingBasis(item["basis"]),
            source=_source(item.get("source"), f"referencing {item['from']}→{item['to']}"),
        )
        for code in (entry.from_, entry.to):
            if code not in levels:
                raise ReferenceDataError(f"referencing names an unknown level {code!r}")
        referencing.append(entry)
    credit_systems = {code: credit_system_of(fact) for code, fact in CREDIT_SYSTEMS.items()}
    fields_raw = _read("fields.yaml")
    _source(fields_raw.get("source"), "fields.yaml")
    fields = {
        str(code): StudyField(
            code=str(code), name=name, level=_FIELD_LEVELS.get(len(str(code)), "broad")
        )
        for code, name in fields_raw["fields"].items()
    }
    agreements = {}
    for item in _read("agreements.yaml")["agreements"]:
        agreement = Agreement.model_validate(
            item | {"source": _source(item.get("source"), f"agreement {item['id']}")}
        )
        for code in agreement.levels:
            if code not in levels:
                raise ReferenceDataError(f"agreement {agreement.id} names unknown level {code!r}")
        agreements[agreement.id] = agreement
    return Catalogue(
        frameworks=frameworks,
        levels=levels,
        referencing=referencing,
        credit_systems=credit_systems,
        fields=fields,
        agreements=agreements,
    )


def credit_system_of(fact: CreditSystemFact) -> CreditSystem:
    """A credit system of the shared reference data (`rules.credit_systems`) as served."""
    hours = fact.hours_per_credit
    return CreditSystem(
        code=fact.code,
        name=fact.name,
        countries=list(fact.countries),
        hours_per_credit=None
        if hours is None
        else {"min": hours.minimum, "max": hours.maximum}
        | ({"kind": hours.kind} if hours.kind else {}),
        ects_per_credit=fact.ects_per_credit,
        per_year_full_time=fact.per_year_full_time,
        assumption=fact.assumption,
        source=_source(
            {"title": fact.source.title, "url": fact.source.url, "verified": fact.source.verified},
            f"credit system {fact.code}",
        ),
    )


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The shipped reference data, read once per process."""
    return load_shipped()


def files_digest() -> str:
    """A digest of the shipped data files (what a re-run of an assessment depends on)."""
    digest = hashlib.sha256()
    for name in (*_FILES, "agreements.yaml"):
        digest.update(data_file(name).read_bytes())
    digest.update(repr(sorted(CREDIT_SYSTEMS.items())).encode())
    return digest.hexdigest()


def check_level_code(code: str) -> str:
    if ":" not in code:
        raise Unprocessable(f"{code!r} is not a level code such as `MQF:6`")
    return normalise_level_code(code)
