"""Search benchmark: index build time, memory, and search latency at the full ROR file's scale.

    .venv/bin/python bench/search.py [--data-dir ../shared/data] [--queries 2000]

Builds the in-process `DirectoryIndex` from `<data-dir>/ror/ror-v2-records.json.gz`, then runs
a deterministic mix of queries made from real names (whole names, a few words, lower case without
accents, one typo, acronyms, Chinese/Japanese/Thai names, a country filter, an empty query with
filters) sequentially and from 16 concurrent threads, and prints p50/p99 latency for each.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.conditions import machine_load  # noqa: E402
from services.institutions.directory.index import DirectoryIndex  # noqa: E402
from services.institutions.directory.records import IndexRecord  # noqa: E402
from tests.institutions.ror_index import ror_index_records  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
Query = Callable[[DirectoryIndex], object]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def make_queries(records: list[IndexRecord], n: int, seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    queries: list[Query] = []
    while len(queries) < n:
        record = rng.choice(records)
        if not record.names:
            continue
        name = rng.choice(record.names).value
        words = name.split()
        kind = rng.randrange(8)
        if kind == 0:
            q = name
        elif kind == 1:
            q = " ".join(words[-2:])
        elif kind == 2:
            q = name.lower().encode("ascii", "ignore").decode()
        elif kind == 3:
            q = " ".join(typo(w, rng) for w in words)
        elif kind == 4:
            q = " ".join(reversed(words))
        elif kind == 5:
            q = words[0]
        elif kind == 6:
            country = record.country

            def by_country(index: DirectoryIndex, q: str = name, c: str = country) -> object:
                return index.search(q, countries=[c], limit=20)

            queries.append(by_country)
            continue
        else:
            country = record.country

            def browse(index: DirectoryIndex, c: str = country) -> object:
                return index.search(None, countries=[c], statuses=["active"], limit=50)

            queries.append(browse)
            continue

        def run(index: DirectoryIndex, q: str = q) -> object:
            return index.search(q, limit=20)

        queries.append(run)
    return queries


def percentiles(latencies: list[float]) -> str:
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    return f"p50={p50:.1f}ms p99={p99:.1f}ms (n={len(lat)})"


def timed(index: DirectoryIndex, query: Query) -> float:
    started = time.perf_counter()
    query(index)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()

    with gzip.open(args.data_dir / "ror" / "ror-v2-records.json.gz", "rt", encoding="utf-8") as fh:
        raw: list[dict[str, Any]] = json.load(fh)
    records = list(ror_index_records(raw))
    del raw
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = DirectoryIndex(records)
    index.warm_up()
    build = time.perf_counter() - started
    gc.collect()
    gc.freeze()  # what a service does after loading: keeps the index out of GC passes
    after = rss_mb()
    print(
        f"index: {len(index)} records built in {build:.1f}s; RSS {before:.0f} → {after:.0f} MB "
        f"(index +{after - before:.0f} MB)"
    )

    queries = make_queries(records, args.queries)
    for query in queries[:50]:
        query(index)  # warm caches
    sequential = [timed(index, q) for q in queries]
    print(f"search sequential: {percentiles(sequential)}")
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        started = time.perf_counter()
        concurrent = list(pool.map(lambda q: timed(index, q), queries))
        wall = time.perf_counter() - started
    print(
        f"search {args.workers} workers: {percentiles(concurrent)}; "
        f"throughput {len(queries) / wall:.0f} queries/s"
    )


if __name__ == "__main__":
    with machine_load():
        main()
