"""`POST /v1/quality/evaluations:import`: a CSV file over HTTP (the console's upload) gives
what `edunode import evaluations` gives for the same file — every row's result in order, one
bad row never failing the others — and refuses what is not UTF-8 CSV, or too many rows."""

from __future__ import annotations

from pathlib import Path

from services.quality import caps
from tests.quality.conftest import QualityNode
from tests.quality.test_bulk_import import reports_to_import


async def test_a_csv_file_over_http_reports_each_row_as_the_import_does(
    quality: QualityNode, tmp_path: Path
) -> None:
    path = await reports_to_import(quality, tmp_path)
    headers = quality.admin | {"content-type": "text/csv"}
    response = await quality.client.post(
        "/v1/quality/evaluations:import", content=path.read_bytes(), headers=headers
    )
    assert response.status_code == 200, response.text
    report = response.json()
    # The same rows as test_bulk_import's: C-2 has a programme in an institutional report,
    # C-3 an unreadable date, C-4 an institution nobody knows; C-5 is saved with a flag.
    assert [r["result"] for r in report["results"]] == [
        "created", "rejected", "rejected", "rejected", "created",
    ]  # fmt: skip
    assert report["results"][2]["local_identifier"] == "C-3"
    assert report["results"][3]["errors"][0]["path"] == "institutions.0"
    assert report["summary"]["flagged"] == 1
    again = await quality.client.post(
        "/v1/quality/evaluations:import", content=path.read_bytes(), headers=headers
    )
    assert (again.json()["summary"]["unchanged"], again.json()["summary"]["rejected"]) == (2, 3)


async def test_only_utf8_csv_and_at_most_a_batch_of_rows(quality: QualityNode) -> None:
    url = "/v1/quality/evaluations:import"
    as_json = await quality.client.post(url, json=[], headers=quality.admin)
    assert as_json.status_code == 400
    assert "text/csv" in as_json.json()["detail"]
    csv_headers = quality.admin | {"content-type": "text/csv; charset=utf-8"}
    latin1 = await quality.client.post(
        url, content="agency,local_identifier\nHEEC,Überprüfung\n".encode("latin-1"),
        headers=csv_headers,
    )  # fmt: skip
    assert latin1.status_code == 400
    assert "UTF-8" in latin1.json()["detail"]
    lines = ["agency,local_identifier", *(f"HEEC,R-{n}" for n in range(caps.BATCH_MAX + 1))]
    too_many = await quality.client.post(url, content="\n".join(lines), headers=csv_headers)
    assert too_many.status_code == 422
    assert str(caps.BATCH_MAX) in too_many.json()["detail"]
    anonymous = await quality.client.post(
        url, content="agency\n", headers={"content-type": "text/csv"}
    )
    assert anonymous.status_code == 401
