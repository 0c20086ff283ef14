"""Mobility benchmark: transcripts of records imported from ELMO and recognised at home, and
the credit/grade conversion of one component.

    .venv/bin/python -m bench.mobility [--transcripts 1000] [--components 6] [--conversions 10000]

1. `--transcripts` ELMO documents (each of `--components` courses, valid against the vendored
   ELMO schema: written by `export_elmo` from synthetic transcripts, grades and credits
   varied, one course in ten failed) are each imported as the service does it (the hardened
   parse, the schema validation, the reading: `import_elmo`) and recognised against a
   learning agreement of the same courses plus one missing, with both institutions' grade
   distribution tables (`recognition.recognise`). In process, one after the other: the
   figure is the work of the service's code, without the HTTP round trip, the database write
   and the direct channel. Target (issue 19): 1,000 transcripts ≤ 10 s.
2. One component's conversion (credits through ECTS, grade by two tables:
   `rules.credit_transfer.recognise_component`), `--conversions` times: p50 and p99.
   Target: p99 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.conditions import machine_load  # noqa: E402
from contracts.mobility import IiaPartner, Transcript  # noqa: E402
from rules.credit_transfer import Studied, grade_table, recognise_component  # noqa: E402
from rules.grading_scales import GRADING_SCALES  # noqa: E402
from services.mobility.elmo import elmo_schema, export_elmo, import_elmo  # noqa: E402
from services.mobility.transcripts.recognition import recognise  # noqa: E402
from services.mobility.transcripts.schemas import (  # noqa: E402
    GradeCount,
    GradeTableState,
    PlannedComponent,
    TranscriptMessage,
)

TRANSCRIPTS_TARGET_S = 10.0
CONVERSION_P99_TARGET_MS = 5.0
HOST_GRADES = [("1.0", 8), ("1.3", 12), ("1.7", 18), ("2.0", 20), ("2.3", 15), ("2.7", 10),
               ("3.0", 9), ("3.3", 4), ("3.7", 3), ("4.0", 1)]  # fmt: skip
HOME_GRADES = [("95", 5), ("90", 10), ("85", 20), ("80", 25), ("75", 20), ("70", 10),
               ("60", 10)]  # fmt: skip
FIELDS = ["0613", "0612", "0541", "0713", "0413"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def synthetic_transcript(rng: random.Random, n: int, components: int) -> Transcript:
    return Transcript.model_validate(
        {
            "learner": {"given_names": f"Student {n}", "family_name": "Bench",
                        "birth_date": "2004-05-06", "citizenship": "CN"},
            "issuer": {"name": "Technische Universität Bench", "country": "DE",
                       "identifiers": [{"type": "schac", "value": "bench.example.de"}],
                       "url": "https://bench.example.de/"},
            "issued_at": "2027-02-15T10:00:00+01:00",
            "components": [
                {
                    "code": f"C{i}",
                    "title": f"Course {i}",
                    "isced_f": FIELDS[i % len(FIELDS)],
                    "status": "failed" if rng.random() < 0.1 else "passed",
                    "grade": rng.choice(HOST_GRADES)[0],
                    "credits": [{"scheme": "ects", "value": rng.choice([3, 5, 6, 7.5, 10])}],
                    "term": "Winter semester 2026/2027",
                    "start": "2026-10-01",
                    "end": "2027-02-15",
                    "language": "de",
                }
                for i in range(components)
            ],
        }
    )  # fmt: skip


def tables(
    institution: uuid.UUID, grades: list[tuple[str, int]], scale: str
) -> list[GradeTableState]:
    return [
        GradeTableState(
            institution_id=institution,
            isced_f=field[:2],
            label=f"{scale} {field[:2]}",
            academic_years="2024/2025-2025/2026",
            scale=scale,
            grades=[GradeCount(grade=g, count=c) for g, c in grades],
        )
        for field in sorted({f[:2] for f in FIELDS})
    ]


def bench_transcripts(count: int, components: int) -> None:
    rng = random.Random(19)
    sending = IiaPartner(institution_id=uuid.uuid4(), node="cn")
    receiving = IiaPartner(institution_id=uuid.uuid4(), node="de")
    host_tables = tables(receiving.institution_id, HOST_GRADES, "DE")
    home_tables = tables(sending.institution_id, HOME_GRADES, "CN")
    planned = [
        PlannedComponent(code=f"C{i}", title=f"Course {i}", credits=6) for i in range(components)
    ] + [PlannedComponent(title="Not taken", credits=5)]
    generated = datetime(2027, 2, 16, tzinfo=UTC)
    documents = [
        export_elmo(synthetic_transcript(rng, n, components), generated_at=generated)
        for n in range(count)
    ]
    size = statistics.mean(len(d) for d in documents)
    elmo_schema()  # built once per process, as the service does at its first import
    started = time.perf_counter()
    recognised = 0
    for document in documents:
        transcript = import_elmo(document)
        message = TranscriptMessage(
            id=uuid.uuid4(), mobility_id=uuid.uuid4(), sending=sending, receiving=receiving,
            transcript=transcript, host_tables=host_tables, planned=planned, version=1,
        )  # fmt: skip
        computed = recognise(message, home_tables)
        recognised += sum(c.outcome == "recognised" for c in computed.components)
    elapsed = time.perf_counter() - started
    verdict = "met" if elapsed <= TRANSCRIPTS_TARGET_S else "NOT met"
    print(
        f"{count} ELMO transcripts ({components} courses, {size / 1024:.1f} kB each) imported "
        f"and recognised: {elapsed:.2f} s, {count / elapsed:.0f}/s, {recognised} components "
        f"recognised (target ≤ {TRANSCRIPTS_TARGET_S:g} s: {verdict})",
        flush=True,
    )


def bench_conversion(count: int) -> None:
    rng = random.Random(5)
    host = grade_table("host", HOST_GRADES)
    home = grade_table("home", HOME_GRADES)
    de, cn = GRADING_SCALES["DE"], GRADING_SCALES["CN"]
    latencies = []
    for _ in range(count):
        studied = Studied(
            credits=rng.choice([3, 5, 6, 7.5]),
            system="ECTS",
            grade=rng.choice(HOST_GRADES)[0],
            passed=True,
        )
        started = time.perf_counter()
        recognise_component(
            "Course", studied, home_system="CN", source_scale=de, target_scale=cn,
            source_table=host, target_table=home,
        )  # fmt: skip
        latencies.append(time.perf_counter() - started)
    p50, p99 = statistics.median(latencies) * 1e3, percentile(latencies, 0.99) * 1e3
    verdict = "met" if p99 <= CONVERSION_P99_TARGET_MS else "NOT met"
    print(
        f"one component's credit and grade conversion, {count} times: p50 {p50:.3f} ms, "
        f"p99 {p99:.3f} ms (target p99 ≤ {CONVERSION_P99_TARGET_MS:g} ms: {verdict})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--components", type=int, default=6)
    parser.add_argument("--conversions", type=int, default=10_000)
    args = parser.parse_args()
    with machine_load():
        bench_transcripts(args.transcripts, args.components)
        bench_conversion(args.conversions)


if __name__ == "__main__":
    main()
