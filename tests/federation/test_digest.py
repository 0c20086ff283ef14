"""The per-record-type digest two nodes compare to know they converged."""

from __future__ import annotations

import uuid

from shared.federation import record_checksum


def test_checksum_ignores_order_and_sees_every_version() -> None:
    records = [(str(uuid.uuid4()), version) for version in range(1, 50)]
    forward = record_checksum(records)
    backward = record_checksum(reversed(records))
    assert forward == backward
    assert forward.count == 49
    changed = [*records[:-1], (records[-1][0], records[-1][1] + 1)]
    assert record_checksum(changed).checksum != forward.checksum
    assert record_checksum(records[:-1]).checksum != forward.checksum


def test_empty_digest_is_zero() -> None:
    assert record_checksum([]).checksum == "0" * 16
    assert record_checksum([]).count == 0
