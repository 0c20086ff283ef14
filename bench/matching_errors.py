"""Name the institutions in `bench/matching.py --errors` output, to sort mistakes by kind.

    .venv/bin/python bench/matching.py --errors /tmp/errors.tsv
    .venv/bin/python bench/matching_errors.py /tmp/errors.tsv [--kind FP]

Each row prints the affiliation, the gold and the chosen institutions' display names, and how the
chosen record is related to the gold one in ROR (parent, child, related...), which is where most
false positives of multi-institution strings come from.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("errors", type=Path)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--kind", choices=["FP", "FN", "NP"])
    args = parser.parse_args()
    with gzip.open(args.data_dir / "ror" / "ror-v2-records.json.gz", "rt") as fh:
        records: dict[str, dict[str, Any]] = {r["id"]: r for r in json.load(fh)}

    def display(ror_id: str) -> str:
        record = records.get(ror_id)
        if record is None:
            return ror_id
        names = [n["value"] for n in record["names"] if "ror_display" in n["types"]]
        return f"{names[0] if names else ror_id} [{record['status']}]"

    for line in args.errors.read_text(encoding="utf-8").splitlines():
        source, kind, gold, chosen, text = line.split("\t", 4)
        if args.kind and kind != args.kind:
            continue
        gold_ids = [g for g in gold.split(";") if g != "NP"]
        chosen_ids = [c for c in chosen.split(";") if c]
        relations = sorted(
            rel["type"]
            for c in chosen_ids
            for rel in records.get(c, {}).get("relationships", [])
            if rel["id"] in gold_ids
        )
        print(f"{source}\t{kind}\t{text}")
        print(f"    gold:   {'; '.join(display(g) for g in gold_ids) or 'NP'}")
        print(f"    chosen: {'; '.join(display(c) for c in chosen_ids) or '-'}  {relations or ''}")


if __name__ == "__main__":
    main()
