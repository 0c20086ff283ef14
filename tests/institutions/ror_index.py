"""The index a node builds from a ROR file, without a node: what the engine tests, the search
fixtures (`data/search/make_fixtures.py`) and the benchmarks (`bench/search.py`,
`bench/matching.py`) search and match over."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from services.institutions.bulk.formats import id_from_ror, ror_row
from services.institutions.directory.memory import index_record
from services.institutions.directory.records import IndexRecord
from services.institutions.registry.models import Institution
from services.institutions.registry.records import apply_content
from services.institutions.registry.schemas import InstitutionContent


def ror_index_records(ror_records: Iterable[Mapping[str, Any]]) -> Iterator[IndexRecord]:
    """What a node's directory indexes once `edunode import institutions FILE --format ror`
    has loaded these ROR v2 records: the import's own mapping of names, types, statuses and
    relationships, so that tests and benchmarks built from the ROR file see what a node
    sees. Records the import skips or rejects are left out, and so are relationships to
    them."""
    rows = [ror_row(number, dict(record)) for number, record in enumerate(ror_records, start=1)]
    rows = [row for row in rows if not (row.skip_reason or row.error) and row.ror_id]
    imported = {row.ror_id for row in rows}
    for source in rows:
        assert source.ror_id is not None
        institution_id = id_from_ror(source.ror_id)
        raw = dict(source.content)
        raw["relationships"] = [
            {"type": kind, "institution_id": str(id_from_ror(target))}
            for kind, target in source.ror_relationships
            if target in imported and target != source.ror_id
        ]
        try:
            content = InstitutionContent.model_validate(raw)
        except ValidationError:
            continue
        row = Institution(id=institution_id)
        apply_content(row, content)
        yield index_record(row, None)
