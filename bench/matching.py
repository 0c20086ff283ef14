"""Affiliation matching benchmark: precision, recall, accuracy and latency per labelled file.

    .venv/bin/python bench/matching.py [--data-dir ../shared/data] [--url http://host:port]

By default the matcher runs in process over the index a node builds once it has imported the
ROR file (`<data-dir>/ror/ror-v2-records.json.gz`, through the import's own mapping:
`tests.institutions.ror_index.ror_index_records`); with `--url` every string goes to a
running node's `GET /v1/institutions/match?affiliation=…` and the chosen institution's ROR
identifier is read from its `identifiers`. Both give the same figures.

Counting follows `shared/data/README.md`: a row counts when every gold id is in the records file,
or when its gold is `NP` (the string should match nothing). Precision = chosen ids that are
gold / chosen ids; recall = gold ids chosen / gold ids; accuracy = rows whose chosen set equals
the gold set (for NP rows: nothing chosen). "NP rate" = NP rows where nothing was chosen.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.conditions import machine_load, require_2xx  # noqa: E402
from services.institutions.bulk.formats import id_from_ror  # noqa: E402
from services.institutions.directory.index import DirectoryIndex  # noqa: E402
from services.institutions.directory.matcher import match_affiliation  # noqa: E402
from services.institutions.vocabularies.codes import normalize_ror_id  # noqa: E402
from tests.institutions.ror_index import ror_index_records  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"


@dataclass
class Tally:
    rows: int = 0
    np_rows: int = 0
    np_clean: int = 0
    chosen: int = 0
    chosen_right: int = 0
    gold: int = 0
    gold_found: int = 0
    exact_rows: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[tuple[str, set[str], set[str]]] = field(default_factory=list)

    def add(self, text: str, gold: set[str], chosen: set[str]) -> None:
        self.rows += 1
        if not gold:
            self.np_rows += 1
            self.np_clean += not chosen
        self.chosen += len(chosen)
        self.chosen_right += len(chosen & gold)
        self.gold += len(gold)
        self.gold_found += len(chosen & gold)
        self.exact_rows += chosen == gold
        if chosen != gold:
            self.errors.append((text, gold, chosen))

    def report(self, name: str) -> str:
        precision = self.chosen_right / self.chosen if self.chosen else 1.0
        recall = self.gold_found / self.gold if self.gold else 1.0
        accuracy = self.exact_rows / self.rows if self.rows else 1.0
        np_rate = self.np_clean / self.np_rows if self.np_rows else float("nan")
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000 if lat else 0.0
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
        return (
            f"{name:<20} rows={self.rows:<5} precision={precision:.3f} recall={recall:.3f} "
            f"accuracy={accuracy:.3f} np_rows={self.np_rows} np_rate={np_rate:.3f} "
            f"match_p50={p50:.1f}ms match_p99={p99:.1f}ms"
        )


def load_ror(data_dir: Path) -> list[dict[str, Any]]:
    with gzip.open(data_dir / "ror" / "ror-v2-records.json.gz", "rt", encoding="utf-8") as fh:
        records: list[dict[str, Any]] = json.load(fh)
    return records


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(row["affiliation"], row["ror_id"]) for row in csv.DictReader(fh)]


def parse_gold(value: str) -> set[str] | None:
    """The gold ROR ids; empty for NP."""
    value = value.strip()
    if value == "NP":
        return set()
    return {normalize_ror_id(v) for v in value.split(";") if v.strip()}


def in_process_matcher(ror: list[dict[str, Any]]) -> Callable[[str], set[str]]:
    started = time.perf_counter()
    index = DirectoryIndex(ror_index_records(ror))  # as a node indexes its ROR import
    index.warm_up()
    gc.collect()
    gc.freeze()  # what a service does after loading: keeps the index out of GC passes
    print(f"index: {len(index)} records built in {time.perf_counter() - started:.1f}s")
    ror_of = {id_from_ror(r["id"]): normalize_ror_id(r["id"]) for r in ror}

    def run(text: str) -> set[str]:
        return {ror_of[c.id] for c in match_affiliation(index, text) if c.chosen}

    return run


def http_matcher(url: str) -> Callable[[str], set[str]]:
    import httpx

    client = httpx.Client(base_url=url.rstrip("/"), timeout=30)

    def run(text: str) -> set[str]:
        response = client.get("/v1/institutions/match", params={"affiliation": text})
        require_2xx(f"match {text!r}", response.status_code, response.text)
        chosen: set[str] = set()
        for item in response.json()["items"]:
            if not item.get("chosen"):
                continue
            for ident in item["institution"].get("identifiers", []):
                if str(ident.get("resource", "")).upper() == "ROR":
                    chosen.add(normalize_ror_id(str(ident["value"])))
        return chosen

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--url", help="a running node; default: the engine in process")
    parser.add_argument("--errors", type=Path, help="write the mismatched rows here (TSV)")
    parser.add_argument("--files", nargs="*", default=["crossref-train.csv", "logs-train.csv"])
    args = parser.parse_args()

    ror = load_ror(args.data_dir)
    known = {normalize_ror_id(r["id"]) for r in ror}
    matcher = http_matcher(args.url) if args.url else in_process_matcher(ror)
    error_lines: list[str] = []
    for name in args.files:
        tally = Tally()
        for text, gold_value in read_rows(args.data_dir / "matching" / name):
            gold = parse_gold(gold_value)
            if gold is None or (gold and not gold <= known):
                continue
            started = time.perf_counter()
            chosen = matcher(text)
            tally.latencies.append(time.perf_counter() - started)
            tally.add(text, gold, chosen)
        print(tally.report(name))
        for text, gold, chosen in tally.errors:
            kind = "FP" if chosen and not chosen & gold else ("FN" if gold else "NP")
            gold_ids = ";".join(sorted(gold)) or "NP"
            chosen_ids = ";".join(sorted(chosen))
            flat = " ".join(text.split())
            error_lines.append(f"{name}\t{kind}\t{gold_ids}\t{chosen_ids}\t{flat}")
    if args.errors:
        args.errors.write_text("\n".join(error_lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    with machine_load():
        main()
