"""Bulk import (ROR v2, CSV, NDJSON) and streaming export: idempotency, per-row errors,
authority, reference copies, and the export → import round trip."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import text
from typer.testing import CliRunner

from edunode.cli import app as cli
from services.institutions.bulk.importer import ImportSummary
from services.institutions.cli import ImportFormat, import_file
from services.institutions.directory.follower import DirectoryFollower
from shared.cli import CommandNode
from shared.db import Database, utcnow
from tests.conftest import (
    RunningService,
    ServiceLauncher,
    eventually,
    migrated,
    stream_message_count,
)
from tests.institutions.ror_index import ror_index_records

SAMPLE = Path(__file__).parent / "data" / "ror-sample.json.gz"


async def import_into(
    service: RunningService, path: Path, format_: str, *, reference: bool = False
) -> ImportSummary:
    """Import as `edunode import` does (straight into the database), then let the running
    service's directory catch up at once rather than at its follower's next poll."""
    settings = service.settings
    summary = await import_file(
        settings.database_url,
        settings.node_id,
        list(settings.countries),
        path,
        ImportFormat(format_),
        reference=reference,
    )
    directory = service.app.state.directory
    await asyncio.wait_for(directory.loaded.wait(), 60)  # a hang fails, with its cause logged
    follower = DirectoryFollower(directory, service.runtime.database)
    await follower.catch_up(utcnow() - timedelta(hours=1))
    return summary


def sample_records() -> list[dict[str, Any]]:
    with gzip.open(SAMPLE) as stream:
        records: list[dict[str, Any]] = json.loads(stream.read())
    return records


async def all_institutions(service: RunningService) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = (await service.client.get("/v1/institutions", params=params)).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return sorted(items, key=lambda item: item["id"])


async def test_ror_import_is_idempotent_and_respects_authority(
    directory: RunningService, nats_client: NatsClient, node_id: str
) -> None:
    await directory.wait_connected()
    records = sample_records()
    cn = [r for r in records if r["locations"][0]["geonames_details"]["country_code"] == "CN"]
    withdrawn = [r for r in cn if r["status"] == "withdrawn"]
    first = await import_into(directory, SAMPLE, "ror")
    assert (first.created, first.updated, first.rejected) == (len(cn) - len(withdrawn), 0, 0)
    assert first.skip_reasons["withdrawn from ROR"] == len(withdrawn)
    assert first.skip_reasons["country MY is not this node's"] == 6
    second = await import_into(directory, SAMPLE, "ror")
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)

    async def published() -> int:
        return await stream_message_count(nats_client, node_id)

    await eventually(lambda: _at_least(published, first.created), what="events published")
    assert await published() == first.created  # the second import published nothing

    items = await all_institutions(directory)
    assert len(items) == first.created and all(i["origin_node"] == node_id for i in items)
    with_parent = [i for i in items if any(r["type"] == "part_of" for r in i["relationships"])]
    assert with_parent, "ROR parent/child relationships inside the file are kept"
    parent_id = with_parent[0]["relationships"][0]["institution_id"]
    parent = (await directory.client.get(f"/v1/institutions/{parent_id}")).json()
    assert {"type": "has_part", "institution_id": with_parent[0]["id"]} in parent["relationships"]
    zh = [n for i in items for n in i["names"] if n["lang"] == "zh"]
    assert zh, "Chinese names are imported"


async def _at_least(probe: Any, n: int) -> bool:
    return bool(await probe() >= n)


async def test_reference_import_keeps_other_countries_read_only(
    directory: RunningService, registrar: dict[str, str]
) -> None:
    summary = await import_into(directory, SAMPLE, "ror", reference=True)
    assert summary.skipped == 1  # only the withdrawn record
    malaysian = (await directory.client.get("/v1/institutions", params={"country": "MY"})).json()
    assert len(malaysian["items"]) == 6
    assert all(i["is_reference"] and i["origin_node"] == "ror" for i in malaysian["items"])
    refused = await directory.client.patch(
        f"/v1/institutions/{malaysian['items'][0]['id']}",
        json={"city": "X"},
        headers=registrar | {"If-Match": '"1"'},
    )
    assert refused.status_code == 403 and refused.json()["owner_node"] == "ror"


async def test_bad_rows_are_reported_one_by_one(directory: RunningService, tmp_path: Path) -> None:
    records: list[Any] = sample_records()[:5]
    records[1]["locations"][0]["geonames_details"]["country_code"] = "ZZ"
    records[2]["external_ids"] = [{"type": "isni", "all": ["0000 0001 0000 0000"]}]
    records[3] = ["not", "a", "record"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records))
    summary = await import_into(directory, path, "ror", reference=True)
    assert summary.rejected == 3 and summary.created == 2
    messages = {error.line: error.message for error in summary.errors}
    assert "country" in messages[2] and "ISNI" in messages[3] and "not a JSON object" in messages[4]

    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(
        "name,country,website,founded_on,closed_on,names\n"
        "Good College,CN,https://good.example.cn,,,\n"
        "Bad Dates,CN,,2001-01-01,2000-01-01,\n"
        "Bad Names,CN,,,,not json\n"
        ",CN,,,,\n"
    )
    csv_summary = await import_into(directory, csv_path, "csv")
    assert (csv_summary.created, csv_summary.rejected) == (1, 3)
    again = await import_into(directory, csv_path, "csv")
    assert (again.created, again.unchanged, again.rejected) == (0, 1, 3)


def test_rows_with_control_characters_are_refused_with_their_line_and_never_stored(
    new_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    # The API refuses NUL and other control characters in every text, PostgreSQL cannot store
    # a NUL at all: `edunode import institutions` holds a file to the same rule, row by row.
    csv_path = tmp_path / "controls.csv"
    csv_path.write_text(
        "name,country,city,names\n"
        "Good College,CN,Shanghai,\n"
        "Bad\x00 College,CN,,\n"
        "Bell College,CN,Bei\x07jing,\n"
        'Escaped College,CN,,"[{""value"": ""Esc\\u001b[0m"", ""lang"": ""en""}]"\n'
        "Other College,CN,Xi'an,\n",
        encoding="utf-8",
    )
    ndjson_path = tmp_path / "controls.ndjson"
    ndjson_path.write_text(
        json.dumps({"name": "Third College", "country": "CN"})
        + "\n"
        + json.dumps({"name": "Fourth College", "country": "CN", "city": "Wu\x7fhan"})
        + "\n",
        encoding="utf-8",
    )
    base_url = new_database_url("controls")
    outputs = []
    for path, format_ in ((csv_path, "csv"), (ndjson_path, "ndjson")):
        arguments = ["import", "institutions", str(path), "--format", format_, "--node", "cn"]
        arguments += ["--database-url", base_url, "--data-dir", str(tmp_path / "cn")]
        result = CliRunner().invoke(cli, arguments, terminal_width=400)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)

    csv_output, ndjson_output = outputs
    assert "line 3: name: control characters" in csv_output
    assert "line 4: city: control characters" in csv_output
    assert "line 5: names.0.value: control characters" in csv_output
    assert "line 2: city: control characters" in ndjson_output
    for output in outputs:
        assert "Traceback" not in output and "0x00" not in output

    async def stored_names() -> list[str]:
        node = CommandNode.from_options("cn", tmp_path / "cn", base_url)
        database = Database(node.database_url_for("institutions"))
        try:
            async with database.session() as session:
                names = (await session.execute(text("SELECT name FROM institution"))).scalars()
                return sorted(names)
        finally:
            await database.dispose()

    assert asyncio.run(stored_names()) == ["Good College", "Other College", "Third College"]


async def test_export_round_trip_reproduces_the_records(
    directory: RunningService, services: ServiceLauncher, new_database_url: Any, tmp_path: Path
) -> None:
    await import_into(directory, SAMPLE, "ror", reference=True)
    originals = await all_institutions(directory)
    for format_ in ("ndjson", "csv"):
        exported = await directory.client.get("/v1/institutions/export", params={"format": format_})
        assert exported.status_code == 200
        path = tmp_path / f"export.{format_}"
        path.write_bytes(exported.content)
        target = await services.institutions(
            directory.settings.node_id,
            database_url=migrated("services.institutions", new_database_url(f"rt{format_}")),
        )
        summary = await import_into(target, path, format_, reference=True)
        assert summary.created == len(originals) and summary.rejected == 0, summary.errors
        copies = await all_institutions(target)
        ignore = ("version", "created_at", "updated_at")
        assert [{k: v for k, v in c.items() if k not in ignore} for c in copies] == [
            {k: v for k, v in o.items() if k not in ignore} for o in originals
        ]
        assert (await import_into(target, path, format_, reference=True)).unchanged == len(
            originals
        )
    filtered = await directory.client.get(
        "/v1/institutions/export", params={"format": "ndjson", "country": "MY"}
    )
    assert len(filtered.content.splitlines()) == 6


async def test_the_index_built_from_a_ror_file_is_the_one_a_node_builds_on_importing_it(
    directory: RunningService,
) -> None:
    """Benchmarks and engine tests index ROR files with `ror_index_records`: it must give what
    a node indexes from its database after `edunode import --format ror`."""
    await import_into(directory, SAMPLE, "ror", reference=True)
    index = directory.app.state.directory.index
    expected = list(ror_index_records(sample_records()))
    assert len(expected) == len(index) > 20
    for record in expected:
        stored = index.get(record.id)
        assert stored is not None, record.names[0]
        assert (stored.country, stored.status, stored.type, stored.city) == (
            record.country,
            record.status,
            record.type,
            record.city,
        )
        assert set(stored.names) == set(record.names)
        assert set(stored.identifiers) == set(record.identifiers)
        assert set(stored.parent_ids) == set(record.parent_ids)
