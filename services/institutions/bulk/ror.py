"""ROR's own formats: the directory exported as ROR v2 records, and the latest ROR data dump
fetched from Zenodo (where ROR publishes every release).

The export writes what ROR's schema v2 (https://github.com/ror-community/ror-schema) requires
of a record: a ROR id, names with their ROR types, status, types and a location with its
GeoNames id. An institution without a ROR id, or without the GeoNames id of its city (kept
when it was imported from ROR), has no valid ROR record and is counted as skipped.

The fetch follows ROR's instructions ("Retrieve ROR data from Zenodo"): the Zenodo record of
ROR's concept DOI (10.5281/zenodo.6347574) answers with its latest version and that version's
files; the zip is downloaded, checked against its MD5 checksum, and kept under its own name
(a second fetch of the same release downloads nothing). The record URL is configurable
(`EDUNODE_ROR_DUMP_URL`), for mirrors and tests; a Zenodo search answer (`hits.hits`, newest
first, as the ROR community's record list gives it) is read too.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import Select, select

from services.institutions.registry.models import Institution
from services.institutions.registry.records import state_of
from services.institutions.registry.repository import InstitutionFilters
from shared.db import Database

ROR_DUMP_URL = "https://zenodo.org/api/records/6347574"
ROR_DUMP_URL_VARIABLE = "EDUNODE_ROR_DUMP_URL"
# Zenodo refuses the default user agents of HTTP libraries (ROR's instructions).
USER_AGENT = "edunode-ror-fetch/1.0 (+https://ror.readme.io/docs/zenodo)"
SCHEMA_VERSION = "2.0"
BATCH_SIZE = 500

# edunode's relationship types in ROR's words (the others have no ROR equivalent).
ROR_RELATIONSHIP_TYPES = {
    "part_of": "parent",
    "has_part": "child",
    "succeeded": "predecessor",
    "succeeded_by": "successor",
    "related_to": "related",
}
EDUCATION_TYPES = frozenset({"university", "university_of_applied_sciences", "college"})


# -- export -------------------------------------------------------------------------------------


@dataclass
class RorExport:
    """How many institutions were written as ROR records, and why the others were not."""

    written: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def ror_record(
    state: Mapping[str, Any], related: Mapping[str, tuple[str, str]]
) -> dict[str, Any] | str:
    """An institution's state as a ROR v2 record, or why it cannot be one. `related` gives
    the (ROR id, display name) of the institutions its relationships point at."""
    ror_id = _identifier(state, "ror")
    if ror_id is None:
        return "no ROR id"
    if not state.get("geonames_id") or not state.get("city"):
        return "no GeoNames id of its city"
    names: list[dict[str, Any]] = []
    for entry in state.get("names") or []:
        types = {"acronym": ["acronym"], "alias": ["alias"]}.get(entry.get("kind"), ["label"])
        if entry["value"] == state["name"]:
            types = ["ror_display", *[t for t in types if t == "label"]]
        lang = entry.get("lang")
        name: dict[str, Any] = {"value": entry["value"], "types": types, "lang": _ror_lang(lang)}
        if name not in names:
            names.append(name)
    location = {
        "geonames_id": int(state["geonames_id"]),
        "geonames_details": {
            "name": state["city"],
            "lat": state.get("latitude"),
            "lng": state.get("longitude"),
            "country_code": state["country"],
        },
    }
    external_ids = []
    for resource, ror_type in (("isni", "isni"), ("wikidata", "wikidata")):
        values = [_ror_value(resource, v) for v in _identifiers(state, resource)]
        if values:
            external_ids.append({"type": ror_type, "all": values, "preferred": values[0]})
    relationships = []
    for relationship in state.get("relationships") or []:
        relation = ROR_RELATIONSHIP_TYPES.get(relationship["type"])
        target = related.get(str(relationship["institution_id"]))
        if relation and target:
            relationships.append(
                {"type": relation, "id": f"https://ror.org/{target[0]}", "label": target[1]}
            )
    founded = state.get("founded_on")
    return {
        "id": f"https://ror.org/{ror_id}",
        "names": names,
        "status": "active" if state.get("status") == "active" else "inactive",
        "types": ["education"] if state.get("type") in EDUCATION_TYPES else ["other"],
        "locations": [location],
        "established": int(str(founded)[:4]) if founded else None,
        "external_ids": external_ids,
        "links": [{"type": "website", "value": state["website"]}] if state.get("website") else [],
        "domains": [],
        "relationships": relationships,
        "admin": {
            "created": {"date": _day(state["created_at"]), "schema_version": SCHEMA_VERSION},
            "last_modified": {
                "date": _day(state["updated_at"]),
                "schema_version": SCHEMA_VERSION,
            },
        },
    }


def _identifiers(state: Mapping[str, Any], resource: str) -> list[str]:
    return [
        str(i["value"]) for i in state.get("identifiers") or [] if i.get("resource") == resource
    ]


def _identifier(state: Mapping[str, Any], resource: str) -> str | None:
    found = _identifiers(state, resource)
    return found[0] if found else None


def _ror_value(resource: str, value: str) -> str:
    # ROR writes ISNIs in four groups of four ("0000 0004 1778 8412"); edunode keeps 16 digits.
    if resource == "isni" and len(value) == 16:
        return " ".join(value[i : i + 4] for i in range(0, 16, 4))
    return value


def _ror_lang(lang: str | None) -> str | None:
    # ROR names carry ISO 639-1 codes only; a script or region subtag is left out.
    if not lang:
        return None
    primary = lang.split("-")[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def _day(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp).date().isoformat()


async def export_ror(
    database: Database, filters: InstitutionFilters, *, batch_size: int = BATCH_SIZE
) -> AsyncIterator[dict[str, Any] | str]:
    """The institutions matching `filters` as ROR v2 records (or, for each one that cannot be
    one, the reason), read in batches by id."""
    last: uuid.UUID | None = None
    while True:
        async with database.session() as session:
            statement: Select[Institution] = filters.apply(select(Institution))
            statement = statement.order_by(Institution.id)
            if last is not None:
                statement = statement.where(Institution.id > last)
            rows = list((await session.scalars(statement.limit(batch_size))).all())
            targets = {
                uuid.UUID(str(r["institution_id"])) for row in rows for r in row.relationships
            }
            related = await _ror_ids_and_names(session, targets)
        if not rows:
            return
        for row in rows:
            yield ror_record(state_of(row), related)
        last = rows[-1].id


async def _ror_ids_and_names(session: Any, ids: Iterable[uuid.UUID]) -> dict[str, tuple[str, str]]:
    wanted = list(ids)
    if not wanted:
        return {}
    found = await session.scalars(select(Institution).where(Institution.id.in_(wanted)))
    pairs: dict[str, tuple[str, str]] = {}
    for institution in found:
        ror_id = _identifier({"identifiers": institution.identifiers}, "ror")
        if ror_id is not None:
            pairs[str(institution.id)] = (ror_id, institution.name)
    return pairs


async def ror_dump_chunks(
    records: AsyncIterator[dict[str, Any] | str], export: RorExport
) -> AsyncIterator[bytes]:
    """A ROR data dump (one JSON array of v2 records), chunk by chunk; `export` counts what
    was written and skipped."""
    yield b"["
    async for record in records:
        if isinstance(record, str):
            export.skip(record)
            continue
        yield (b",\n" if export.written else b"\n") + orjson.dumps(record)
        export.written += 1
    yield b"\n]\n"


async def write_ror_json(records: AsyncIterator[dict[str, Any] | str], sink: Any) -> RorExport:
    """A ROR data dump written to a binary sink."""
    export = RorExport()
    async for chunk in ror_dump_chunks(records, export):
        sink.write(chunk)
    return export


# -- fetch --------------------------------------------------------------------------------------


class RorFetchError(RuntimeError):
    """The latest dump could not be found or downloaded, and why."""


@dataclass(frozen=True)
class RorRelease:
    version: str
    file_name: str
    url: str
    checksum: str | None  # "md5:<hex>", as Zenodo gives it


def dump_url() -> str:
    """Where the latest release is looked up: `EDUNODE_ROR_DUMP_URL`, else ROR's concept
    record on Zenodo."""
    return os.environ.get(ROR_DUMP_URL_VARIABLE) or ROR_DUMP_URL


def latest_release(record: Mapping[str, Any]) -> RorRelease:
    """The zip of a Zenodo record (or of the first hit of a Zenodo search)."""
    hits = record.get("hits")
    if isinstance(hits, dict):
        found = hits.get("hits") or []
        if not found:
            raise RorFetchError("the Zenodo search found no ROR release")
        record = found[0]
    files = record.get("files") or []
    if isinstance(files, dict):  # InvenioRDM's `files.entries`
        files = list((files.get("entries") or {}).values())
    zips = [f for f in files if str(f.get("key", "")).lower().endswith(".zip")]
    if len(zips) != 1:
        raise RorFetchError(f"expected one zip in the Zenodo record, found {len(zips)}")
    entry = zips[0]
    links = entry.get("links") or {}
    url = links.get("self") or links.get("content") or links.get("download")
    if not url:
        raise RorFetchError(f"the Zenodo record gives no link to {entry['key']}")
    metadata = record.get("metadata") or {}
    return RorRelease(
        version=str(metadata.get("version") or entry["key"].split("-")[0]),
        file_name=Path(str(entry["key"])).name,
        url=str(url),
        checksum=entry.get("checksum"),
    )


def fetch_latest_dump(
    directory: Path,
    *,
    url: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
) -> tuple[RorRelease, Path, bool]:
    """Download the latest ROR dump into `directory`; returns the release, the zip's path and
    whether it was downloaded (False: that release was already there, checksum and all)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with httpx.Client(headers=headers, follow_redirects=True, timeout=timeout) as client:
        try:
            response = client.get(url or dump_url())
            response.raise_for_status()
            release = latest_release(response.json())
        except (httpx.HTTPError, ValueError) as error:
            raise RorFetchError(f"could not look up the latest ROR release: {error}") from None
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / release.file_name
        if target.exists() and _checksum_ok(target, release.checksum):
            return release, target, False
        partial = target.with_name(target.name + ".part")
        try:
            with client.stream("GET", release.url) as download:
                download.raise_for_status()
                with partial.open("wb") as sink:
                    for chunk in download.iter_bytes(1 << 20):
                        sink.write(chunk)
        except httpx.HTTPError as error:
            partial.unlink(missing_ok=True)
            raise RorFetchError(f"could not download {release.url}: {error}") from None
    if not _checksum_ok(partial, release.checksum):
        partial.unlink(missing_ok=True)
        raise RorFetchError(f"{release.file_name} does not match its checksum {release.checksum}")
    partial.replace(target)
    return release, target, True


def _checksum_ok(path: Path, checksum: str | None) -> bool:
    if not checksum:
        return path.stat().st_size > 0
    algorithm, _, expected = checksum.partition(":")
    if algorithm not in ("md5", "sha256"):
        return True  # a checksum this code cannot compute: trust the transfer
    digest = hashlib.new(algorithm)
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == expected.lower()
