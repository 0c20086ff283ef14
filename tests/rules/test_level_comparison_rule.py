"""The level comparison rule alone: national frameworks meet only through reference frameworks,
verified facts first, ranks compared inside one framework. The shipped data's answers are
those its referencing sources state (DQR↔EQF one to one: the 2012 German referencing report;
the Chinese degrees' EQF levels: the node's comparability statement, not verified)."""

from __future__ import annotations

from rules.level_comparison import (
    Level,
    ReferenceLevels,
    Step,
    at_least,
    end_of,
    in_framework,
    index_edges,
    reference_path,
    shipped,
)


def _levels(*codes: str) -> dict[str, Level]:
    return {
        code: Level(code=code, framework=code.split(":")[0], rank=int(code[-1]), name=code)
        for code in codes
    }


def test_national_frameworks_meet_only_through_reference_frameworks() -> None:
    levels = _levels("AA:1", "XX:1", "BB:1", "EQF:2", "BB:2")
    # AA:1 → XX:1 → BB:1 passes through another national framework: not a path.
    steps = [
        Step("AA:1", "XX:1", "comparability_study", True),
        Step("XX:1", "BB:1", "comparability_study", True),
    ]
    edges = index_edges(steps, lambda s: s.verified)
    assert reference_path("AA:1", in_framework("BB"), edges, levels) is None
    # Through EQF it is.
    steps += [
        Step("AA:1", "EQF:2", "official_referencing", True),
        Step("BB:2", "EQF:2", "official_referencing", True),
    ]
    edges = index_edges(steps, lambda s: s.verified)
    path = reference_path("AA:1", in_framework("BB"), edges, levels)
    assert path is not None and end_of("AA:1", path) == "BB:2"


def test_verified_facts_are_walked_first() -> None:
    levels = _levels("AA:1", "EQF:1", "EQF:2", "BB:1", "BB:2")
    steps = [
        Step("AA:1", "EQF:1", "comparability_study", False),
        Step("AA:1", "EQF:2", "official_referencing", True),
        Step("BB:1", "EQF:1", "official_referencing", True),
        Step("BB:2", "EQF:2", "official_referencing", True),
    ]
    edges = index_edges(steps, lambda s: s.verified)
    path = reference_path("AA:1", in_framework("BB"), edges, levels)
    assert path is not None and end_of("AA:1", path) == "BB:2"


def test_at_least_compares_ranks() -> None:
    assert at_least(6, 6) and at_least(7, 6) and not at_least(5, 6)


def test_the_shipped_data() -> None:
    data: ReferenceLevels = shipped()
    assert data.frameworks_of("DE") == ["DQR"]
    assert data.normalise("cn:Xueshi") == "CNDL:xueshi"
    xueshi = data.level("CN:xueshi")
    assert xueshi is not None
    landing = data.land(xueshi, "DQR")
    assert landing.level is not None and landing.level.code == "DQR:6"
    assert landing.route == "CNDL:xueshi → EQF:6 → DQR:6"
    assert landing.verified is False  # the Chinese step is the node's own statement
    eqf7 = data.level("EQF:7")
    assert eqf7 is not None
    german = data.land(eqf7, "DQR")
    assert german.level is not None and german.level.code == "DQR:7" and german.verified
