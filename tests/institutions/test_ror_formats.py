"""ROR's formats: the data dump read as ROR publishes it (a zip), the latest dump fetched from
a Zenodo-like server, and the directory exported as ROR v2 records that ROR's own JSON schema
accepts. The records are real ones from ROR (CC0, tests/institutions/data)."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from edunode.cli import app as cli
from services.institutions.bulk.formats import RorDumpError, ror_json_member
from services.institutions.bulk.ror import (
    RorFetchError,
    export_ror,
    fetch_latest_dump,
    latest_release,
    write_ror_json,
)
from services.institutions.cli import ImportFormat, read_rows
from services.institutions.registry.repository import InstitutionFilters
from tests.conftest import RunningService
from tests.institutions.test_bulk import import_into, sample_records

SCHEMA = json.loads((Path(__file__).parent / "ror" / "ror_schema_v2_1.json").read_text())
RELEASE = "v2.1-2026-01-15"


def ror_zip(path: Path, members: dict[str, bytes] | dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def records_json() -> bytes:
    return json.dumps(sample_records()).encode()


def cn_records() -> list[dict[str, Any]]:
    return [
        r
        for r in sample_records()
        if r["locations"][0]["geonames_details"]["country_code"] == "CN"
        and r["status"] != "withdrawn"
    ]


# -- reading ROR's zip --------------------------------------------------------------------------


def test_the_v2_file_of_a_dump_is_chosen_as_ror_names_it() -> None:
    # releases 1.45-1.74: both schemas, v2 suffixed; after 1.74: v2 alone, unsuffixed
    both = ["v1.50-2024-07-29-ror-data.csv", "v1.50-2024-07-29-ror-data.json"]
    both += ["v1.50-2024-07-29-ror-data_schema_v2.csv", "v1.50-2024-07-29-ror-data_schema_v2.json"]
    assert ror_json_member(both) == "v1.50-2024-07-29-ror-data_schema_v2.json"
    latest = [f"{RELEASE}-ror-data.csv", f"{RELEASE}-ror-data.json"]
    assert ror_json_member(latest) == f"{RELEASE}-ror-data.json"
    with pytest.raises(RorDumpError, match="found 0"):
        ror_json_member([f"{RELEASE}-ror-data.csv"])


def test_a_zip_holding_only_schema_v1_records_is_refused(tmp_path: Path) -> None:
    v1 = [{"id": "https://ror.org/02e91jd64", "name": "Universiti Putra Malaysia"}]
    path = ror_zip(tmp_path / "v1.20.zip", {"v1.20-2023-02-28-ror-data.json": json.dumps(v1)})
    with pytest.raises(RorDumpError, match="schema v1"):
        read_rows(path, ImportFormat.ROR)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "import",
            "institutions",
            str(path),
            "--format",
            "ror",
            "--node",
            "cn",
            "--data-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2 and "schema v1" in result.output


async def test_rors_zip_imports_as_published_and_exports_as_valid_ror_v2(
    directory: RunningService, tmp_path: Path
) -> None:
    await directory.wait_connected()
    path = ror_zip(
        tmp_path / f"{RELEASE}-ror-data.zip",
        {
            f"{RELEASE}-ror-data.json": records_json(),
            f"{RELEASE}-ror-data.csv": b"id,names.types.ror_display\n",
        },
    )
    first = await import_into(directory, path, "ror")
    assert (first.created, first.rejected) == (len(cn_records()), 0)
    # the same records in a 1.45-1.74 release, beside (here empty) schema v1 files
    both = ror_zip(
        tmp_path / "v1.50.zip",
        {
            "v1.50-2024-07-29-ror-data.json": b"[]",
            "v1.50-2024-07-29-ror-data_schema_v2.json": records_json(),
        },
    )
    assert (await import_into(directory, both, "ror")).unchanged == len(cn_records())

    sink = io.BytesIO()
    database = directory.runtime.database
    export = await write_ror_json(export_ror(database, InstitutionFilters()), sink)
    exported = json.loads(sink.getvalue())
    assert export.written == len(exported) == len(cn_records()) and not export.skipped
    validator = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    for record in exported:
        assert not list(validator.iter_errors(record)), record["id"]

    source = {r["id"]: r for r in cn_records()}
    assert {r["id"] for r in exported} == set(source)
    related = 0
    for record in exported:
        original = source[record["id"]]

        def display(r: dict[str, Any]) -> str:
            return str(next(n["value"] for n in r["names"] if "ror_display" in n["types"]))

        assert display(record) == display(original)
        assert {n["value"] for n in record["names"]} == {n["value"] for n in original["names"]}
        place, original_place = record["locations"][0], original["locations"][0]
        assert place["geonames_id"] == original_place["geonames_id"]
        assert place["geonames_details"]["name"] == original_place["geonames_details"]["name"]
        assert record["established"] == original["established"]
        assert record["status"] == original["status"]
        wanted = {(r["type"], r["id"]) for r in original["relationships"]}
        got = {(r["type"], r["id"]) for r in record["relationships"]}
        assert got <= wanted  # relationships to records outside the file are not known here
        related += len(got)
    assert related > 0

    # the same dump from the API
    response = await directory.client.get("/v1/institutions/export", params={"format": "ror"})
    assert response.status_code == 200 and response.json() == exported

    # ROR's own records, exported by edunode, import back unchanged; but for an inactive one
    # whose successor is not in the directory: edunode read it as merged (ROR names a
    # successor), and without the successor the export says only "inactive"
    lost_successor = [
        r["id"]
        for r in cn_records()
        if any(rel["type"] == "successor" and rel["id"] not in source for rel in r["relationships"])
    ]
    assert len(lost_successor) == 1
    again = tmp_path / "export.json"
    again.write_bytes(sink.getvalue())
    reimported = await import_into(directory, again, "ror")
    assert (reimported.unchanged, reimported.updated) == (len(cn_records()) - 1, 1)


async def test_institutions_without_a_ror_id_are_skipped_by_the_ror_export(
    directory: RunningService, admin: dict[str, str]
) -> None:
    response = await directory.client.post(
        "/v1/institutions", json={"name": "Sekolah Tinggi Contoh", "country": "CN"}, headers=admin
    )
    assert response.status_code == 201, response.text
    export = await write_ror_json(
        export_ror(directory.runtime.database, InstitutionFilters()), io.BytesIO()
    )
    assert (export.written, export.skipped) == (0, {"no ROR id": 1})


# -- fetching the latest dump -------------------------------------------------------------------


class ZenodoLike(http.server.BaseHTTPRequestHandler):
    """Answers `/api/records/6347574` as Zenodo does for ROR's concept record (the latest
    version and its files) and serves the zip; `/api/communities/...` as a search."""

    routes: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        found = self.routes.get(self.path.split("?")[0])
        if found is None:
            self.send_error(404)
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def zenodo(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    dump = ror_zip(tmp_path / "source.zip", {f"{RELEASE}-ror-data.json": records_json()})
    body = dump.read_bytes()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ZenodoLike)
    server.hits = []  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    record = {
        "id": 17953395,
        "metadata": {"version": RELEASE.split("-")[0], "publication_date": "2026-01-15"},
        "files": [
            {
                "key": f"{RELEASE}-ror-data.zip",
                "size": len(body),
                "checksum": "md5:" + hashlib.md5(body).hexdigest(),
                "links": {
                    "self": f"{base}/api/records/17953395/files/{RELEASE}-ror-data.zip/content"
                },
            }
        ],
    }
    ZenodoLike.routes = {
        "/api/records/6347574": ("application/json", json.dumps(record).encode()),
        "/api/communities/ror-data/records": (
            "application/json",
            json.dumps({"hits": {"hits": [record], "total": 1}}).encode(),
        ),
        f"/api/records/17953395/files/{RELEASE}-ror-data.zip/content": ("application/zip", body),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, server
    finally:
        server.shutdown()
        server.server_close()


def test_the_latest_dump_is_fetched_once_and_checked(
    zenodo: tuple[str, Any], tmp_path: Path
) -> None:
    base, server = zenodo
    target = tmp_path / "ror"
    release, path, downloaded = fetch_latest_dump(target, url=f"{base}/api/records/6347574")
    assert (release.version, path.name, downloaded) == ("v2.1", f"{RELEASE}-ror-data.zip", True)
    assert len(read_rows(path, ImportFormat.ROR)) == len(sample_records())
    # a second fetch finds the same release, checksum and all: nothing is downloaded
    _, _, downloaded = fetch_latest_dump(target, url=f"{base}/api/records/6347574")
    assert not downloaded and sum("/content" in hit for hit in server.hits) == 1
    # the community's newest record, as a Zenodo search answers
    _, same, _ = fetch_latest_dump(target, url=f"{base}/api/communities/ror-data/records")
    assert same == path


def test_a_corrupt_download_or_an_unknown_record_is_an_error(
    zenodo: tuple[str, Any], tmp_path: Path
) -> None:
    base, _ = zenodo
    target = tmp_path / "ror"
    with pytest.raises(RorFetchError, match="look up"):
        fetch_latest_dump(target, url=f"{base}/api/records/1")
    record = json.loads(ZenodoLike.routes["/api/records/6347574"][1])
    record["files"][0]["checksum"] = "md5:" + "0" * 32
    ZenodoLike.routes["/api/records/6347574"] = ("application/json", json.dumps(record).encode())
    with pytest.raises(RorFetchError, match="checksum"):
        fetch_latest_dump(target, url=f"{base}/api/records/6347574")
    assert not list(target.glob("*"))  # neither the zip nor its partial download
    with pytest.raises(RorFetchError, match="no ROR release"):
        latest_release({"hits": {"hits": []}})


def test_ror_fetch_then_import_from_the_command_line(
    zenodo: tuple[str, Any], tmp_path: Path
) -> None:
    base, _ = zenodo
    runner = CliRunner()
    fetched = runner.invoke(
        cli,
        ["ror", "fetch", "--dir", str(tmp_path / "ror")],
        env={"EDUNODE_ROR_DUMP_URL": f"{base}/api/records/6347574"},
    )
    assert fetched.exit_code == 0, fetched.output
    path = Path(fetched.stdout.strip().splitlines()[-1])
    assert path.name == f"{RELEASE}-ror-data.zip"
    node = ["--node", "cn", "--data-dir", str(tmp_path / "cn"), "--countries", "CN"]
    imported = runner.invoke(cli, ["import", "institutions", str(path), "--format", "ror", *node])
    assert imported.exit_code == 0, imported.output
    exported = runner.invoke(cli, ["export", "institutions", "--format", "ror", *node[:4]])
    assert exported.exit_code == 0, exported.output
    records = json.loads(exported.stdout[exported.stdout.index("[") :])
    assert {r["id"] for r in records} == {r["id"] for r in cn_records()}
