"""The level comparison rule: where a qualification's framework level lands in another framework
(pure; read and tested alone). Recognition's assessment and `/compare`, and the credentials
verification report, all call it, so a node never gives two answers to "what level is this
Chinese bachelor's degree in Germany?".

- National frameworks meet only through the reference frameworks (QF-EHEA, EQF, AQRF), never
  directly: a path's intermediate levels are all reference-framework levels.
- The walk is breadth-first from the origin level; at each level the verified referencing facts
  come first, then by code, so the same data always gives the same (shortest) path.
- A level is "at least" a level sought when the level it lands on, in the sought level's
  framework, ranks at least as high (ranks order the levels inside one framework only).

The reference data it walks — the frameworks with their levels and the referencing between them,
each fact with its source — are the YAML files in `rules/reference/`, the one copy both
services read (`shipped()` gives their levels, framework countries, aliases and referencing).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

DATA_DIR = Path(__file__).parent / "reference"
REFERENCE_FRAMEWORKS = ("QF-EHEA", "EQF", "AQRF", "ACQF", "SADCQF")


class Edge(Protocol):
    """One referencing fact: `from_` corresponds to `to`."""

    @property
    def from_(self) -> str: ...

    @property
    def to(self) -> str: ...


E = TypeVar("E", bound=Edge)


def framework_of(code: str) -> str:
    return code.split(":", 1)[0]


def index_edges(entries: Iterable[E], verified: Callable[[E], bool]) -> dict[str, list[E]]:
    """Each level's referencing facts (either end), verified first then by code."""
    edges: dict[str, list[E]] = {}
    for entry in entries:
        edges.setdefault(entry.from_, []).append(entry)
        edges.setdefault(entry.to, []).append(entry)
    for found in edges.values():
        found.sort(key=lambda e: (not verified(e), e.from_, e.to))
    return edges


def reference_path(
    start: str,
    is_goal: Callable[[str], bool],
    edges: Mapping[str, Sequence[E]],
    known: Container[str],
) -> list[E] | None:
    """The shortest path of referencing facts from `start` to a level satisfying `is_goal`,
    through reference-framework levels only; [] if `start` is one; None if there is none."""
    if is_goal(start):
        return []
    queue: deque[tuple[str, list[E]]] = deque([(start, [])])
    seen = {start}
    while queue:
        code, path = queue.popleft()
        for edge in edges.get(code, ()):
            other = edge.to if edge.from_ == code else edge.from_
            if other in seen or other not in known:
                continue
            seen.add(other)
            new_path = [*path, edge]
            if is_goal(other):
                return new_path
            if framework_of(other) in REFERENCE_FRAMEWORKS:
                queue.append((other, new_path))
    return None


def end_of(start: str, path: Sequence[Edge]) -> str:
    """The level a path from `start` lands on."""
    current = start
    for edge in path:
        current = edge.to if edge.from_ == current else edge.from_
    return current


def in_framework(framework: str) -> Callable[[str], bool]:
    return lambda code: framework_of(code) == framework


def at_least(rank: int, sought_rank: int) -> bool:
    """Whether a level of `rank` is at least the level sought (both in one framework)."""
    return rank >= sought_rank


# -- the shipped reference data ----------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    code: str
    framework: str
    rank: int
    name: str


@dataclass(frozen=True)
class Step:
    from_: str
    to: str
    basis: str
    verified: bool


@dataclass(frozen=True)
class Landing:
    """Where a level lands in a framework: the level (None if nothing links them), the path
    and whether every step of it is verified against its source."""

    origin: Level
    framework: str
    level: Level | None
    path: tuple[Step, ...]

    @property
    def verified(self) -> bool:
        return bool(self.path) and all(step.verified for step in self.path)

    @property
    def route(self) -> str:
        codes, current = [self.origin.code], self.origin.code
        for step in self.path:
            current = step.to if step.from_ == current else step.from_
            codes.append(current)
        return " → ".join(codes)


@dataclass
class ReferenceLevels:
    """The shipped frameworks' levels and referencing, indexed for comparisons."""

    levels: dict[str, Level]
    countries: dict[str, str]  # national framework → its country
    aliases: dict[str, str]  # alias → framework code
    steps: list[Step]
    _edges: dict[str, list[Step]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._edges = index_edges(self.steps, lambda s: s.verified)

    def normalise(self, code: str) -> str:
        framework, _, level = code.strip().partition(":")
        framework = framework.strip().upper()
        framework = self.aliases.get(framework, framework)
        return f"{framework}:{level.strip().lower()}"

    def level(self, code: str) -> Level | None:
        return self.levels.get(self.normalise(code)) if ":" in code else None

    def frameworks_of(self, country: str) -> list[str]:
        """The national frameworks of a country."""
        return sorted(code for code, c in self.countries.items() if c == country.upper())

    def land(self, origin: Level, framework: str) -> Landing:
        path = reference_path(origin.code, in_framework(framework), self._edges, self.levels)
        if path is None:
            return Landing(origin=origin, framework=framework, level=None, path=())
        return Landing(
            origin=origin,
            framework=framework,
            level=self.levels[end_of(origin.code, path)],
            path=tuple(path),
        )


def read(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def shipped() -> ReferenceLevels:
    """The shipped frameworks and referencing (read once per process)."""
    levels: dict[str, Level] = {}
    countries: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for raw in read("frameworks.yaml")["frameworks"]:
        code = str(raw["code"])
        if raw.get("country"):
            countries[code] = str(raw["country"]).upper()
        for alias in raw.get("aliases", []):
            aliases[str(alias).upper()] = code
        for item in raw["levels"]:
            level_code = f"{code}:{item['level']}"
            levels[level_code] = Level(
                code=level_code, framework=code, rank=int(item["rank"]), name=str(item["name"])
            )
    steps = [
        Step(
            from_=str(item["from"]),
            to=str(item["to"]),
            basis=str(item["basis"]),
            verified=bool((item.get("source") or {}).get("verified", False)),
        )
        for item in read("referencing.yaml")["referencing"]
    ]
    return ReferenceLevels(levels=levels, countries=countries, aliases=aliases, steps=steps)
