"""The quality-assurance bodies shipped as reference data (`reference_bodies.yaml`): national
agencies of countries without a node, ready to be entered as reference records (their
`reference_source` is their source), and the regional networks, systems and initiatives with
their member agencies. Every fact names its source, or the file is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from services.quality.agencies.schemas import AgencyCreate

DATA_FILE = Path(__file__).with_name("reference_bodies.yaml")


class ReferenceBodiesError(ValueError):
    """The shipped file states a body without a source, or an agency the API would refuse."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    verified: bool


@dataclass(frozen=True)
class ReferenceAgency:
    agency: AgencyCreate  # with its `reference_source`
    source: Source


@dataclass(frozen=True)
class RegionalBody:
    acronym: str
    name: str
    kind: str  # network, system or initiative
    region: str
    seat: str | None  # the country it is registered or hosted in, where one is sourced
    established_on: date | None
    members: tuple[tuple[str, str], ...]  # (country, acronym) of agency records
    source: Source


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict) or not raw.get("title"):
        raise ReferenceBodiesError(f"{where} has no source")
    return Source(title=raw["title"], url=raw.get("url"), verified=bool(raw.get("verified")))


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[ReferenceAgency, ...], tuple[RegionalBody, ...]]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    agencies = []
    for item in raw["agencies"]:
        where = f"agency {item.get('agency', {}).get('acronym')!r}"
        source = _source(item.get("source"), where)
        payload = item["agency"] | {"reference_source": source.title[:500]}
        try:
            agency = AgencyCreate.model_validate(payload)
        except ValueError as error:
            raise ReferenceBodiesError(f"{where} is not a valid agency: {error}") from error
        agencies.append(ReferenceAgency(agency=agency, source=source))
    bodies = tuple(
        RegionalBody(
            acronym=item["acronym"],
            name=item["name"],
            kind=item["kind"],
            region=item["region"],
            seat=item.get("seat"),
            established_on=item.get("established_on"),
            members=tuple((m["country"], m["acronym"]) for m in item.get("members", [])),
            source=_source(item.get("source"), f"regional body {item['acronym']!r}"),
        )
        for item in raw["regional_bodies"]
    )
    return tuple(agencies), bodies


def reference_agencies() -> tuple[ReferenceAgency, ...]:
    return _load()[0]


def regional_bodies() -> tuple[RegionalBody, ...]:
    return _load()[1]


def reference_agency_payloads(*countries: str) -> list[dict[str, Any]]:
    """The agencies (of `countries`, or all), as `edunode reference agency` and `POST
    /v1/quality/agencies` take them, each with its `reference_source`."""
    wanted = {country.upper() for country in countries}
    return [
        entry.agency.model_dump(mode="json", by_alias=True, exclude_none=True)
        for entry in reference_agencies()
        if not wanted or entry.agency.country in wanted
    ]
