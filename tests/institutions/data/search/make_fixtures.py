"""Rebuild the search/matching test fixtures from the shared data (run from the repo root).

    .venv/bin/python tests/institutions/data/search/make_fixtures.py [../shared/data]

Writes `ror-sample.json.gz` (ROR v2 records: those the tests name, the gold records of the
sampled rows, and every record the full-size matcher lists as a candidate for them, so that
the small index meets the same rivals) and `matching-sample.csv` (a fixed random sample of
labelled affiliation rows, counted rows only, with NP rows).
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(REPO))

from services.institutions.bulk.formats import id_from_ror  # noqa: E402
from services.institutions.directory.index import DirectoryIndex  # noqa: E402
from services.institutions.directory.matcher import match_affiliation  # noqa: E402
from services.institutions.vocabularies.codes import normalize_ror_id  # noqa: E402
from tests.institutions.ror_index import ror_index_records  # noqa: E402

# Records the search tests use by name.
NAMED = [
    "00rzspn62",  # University of Malaya (MY; Malay, Tamil, Thai, Chinese labels)
    "01tgyzw49",  # National University of Singapore (alias "University of Malaya")
    "02v51f717",  # Peking University (北京大学)
    "028wp3y58",  # Chulalongkorn University (จุฬาลงกรณ์มหาวิทยาลัย)
    "000025p04",  # Thailand Science Research and Innovation (successor)
    "02crff812",  # University of Zurich
    "03xjwb503",  # Université Paris-Saclay
    "05591te55",  # Ludwig-Maximilians-Universität München
    "00f54p054",  # Stanford University
    "03vek6s52",  # Harvard University
    "042nb2s44",  # MIT
    "02jbv0t02",  # Lawrence Berkeley National Laboratory
]


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    with gzip.open(data / "ror" / "ror-v2-records.json.gz", "rt", encoding="utf-8") as fh:
        ror = json.load(fh)
    by_id = {normalize_ror_id(r["id"]): r for r in ror}
    rng = random.Random(20240611)
    rows: list[tuple[str, str, str]] = []
    for name, take_matched, take_np in (("crossref-train.csv", 70, 0), ("logs-train.csv", 20, 20)):
        with (data / "matching" / name).open(encoding="utf-8-sig", newline="") as fh:
            all_rows = [(r["affiliation"], r["ror_id"].strip()) for r in csv.DictReader(fh)]
        matched = [
            r
            for r in all_rows
            if r[1] != "NP"
            and all(normalize_ror_id(g) in by_id for g in r[1].split(";") if g.strip())
        ]
        nps = [r for r in all_rows if r[1] == "NP"]
        rows += [(name, a, g) for a, g in rng.sample(matched, take_matched)]
        rows += [(name, a, g) for a, g in rng.sample(nps, take_np)]

    index = DirectoryIndex(ror_index_records(ror))
    ror_of = {id_from_ror(r["id"]): normalize_ror_id(r["id"]) for r in ror}
    wanted = {normalize_ror_id(x) for x in NAMED} & set(by_id)
    for _, text, gold in rows:
        if gold != "NP":
            wanted |= {normalize_ror_id(g) for g in gold.split(";") if g.strip()}
        wanted |= {ror_of[c.id] for c in match_affiliation(index, text, limit=10)}
    # parents of everything, so that the parent/child rules meet the same family
    for rid in list(wanted):
        for rel in by_id[rid].get("relationships") or []:
            if rel.get("type") == "parent" and normalize_ror_id(rel["id"]) in by_id:
                wanted.add(normalize_ror_id(rel["id"]))
    sample = [by_id[r] for r in sorted(wanted)]
    with gzip.open(HERE / "ror-sample.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(sample, fh, ensure_ascii=False, separators=(",", ":"))
    with (HERE / "matching-sample.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "affiliation", "ror_id"])
        writer.writerows(rows)
    print(f"{len(sample)} records, {len(rows)} rows")


if __name__ == "__main__":
    main()
