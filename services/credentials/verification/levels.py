"""The credential's qualification level compared with the verifying node's own framework(s):
the national frameworks of the countries this node has authority over (DE → DQR), through the
level comparison rule and the shipped reference data that recognition uses too
(`rules.level_comparison`). A comparison is information for the reader, not a check: a level
no reference framework links to the node's framework leaves the credential valid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rules.level_comparison import Landing, Level, ReferenceLevels, shipped
from services.credentials.verification.schemas import LevelComparison


def claim_of(credential: dict[str, Any]) -> dict[str, Any]:
    """A diploma's learning achievement (`credentialSubject.hasClaim`), or {}."""
    subject = credential.get("credentialSubject")
    claim = subject.get("hasClaim") if isinstance(subject, dict) else None
    return claim if isinstance(claim, dict) else {}


def credential_levels(credential: dict[str, Any]) -> list[str]:
    """The levels a diploma states (`framework:level`), its own country's first."""
    specified = claim_of(credential).get("specifiedBy")
    levels = specified.get("level") if isinstance(specified, dict) else None
    if not isinstance(levels, list):
        return []
    return [
        f"{item['framework']}:{item['level']}"
        for item in levels
        if isinstance(item, dict)
        and isinstance(item.get("framework"), str)
        and isinstance(item.get("level"), str | int)
    ]


def _comparison(landing: Landing, stated: str) -> LevelComparison:
    assert landing.level is not None
    same = landing.origin.code == landing.level.code
    return LevelComparison(
        framework=landing.framework,
        stated_level=stated,
        comparable_level=landing.level.code,
        comparable_level_name=landing.level.name,
        route=landing.route,
        bases=[step.basis for step in landing.path],
        verified=landing.verified or same,
        reason=(
            f"{landing.origin.code} is a level of {landing.framework}"
            if same
            else f"{landing.origin.code} ({landing.origin.name}) corresponds to "
            f"{landing.level.code} ({landing.level.name}) through {landing.route}"
            + ("" if landing.verified else "; a step is not verified against its source")
        ),
    )


def compare_levels(
    credential: dict[str, Any], countries: Sequence[str], data: ReferenceLevels | None = None
) -> list[LevelComparison]:
    """For each framework of this node's countries: the first level the credential states
    that lands in it, or why none does."""
    reference = data or shipped()
    stated = credential_levels(credential)
    known: list[tuple[str, Level]] = []
    for code in stated:
        level = reference.level(code)
        if level is not None:
            known.append((code, level))
    found = []
    for framework in sorted({f for c in countries for f in reference.frameworks_of(c)}):
        landing = next(
            (
                (landing, code)
                for code, level in known
                if (landing := reference.land(level, framework)).level is not None
            ),
            None,
        )
        if landing is not None:
            found.append(_comparison(*landing))
            continue
        unknown = [code for code in stated if reference.level(code) is None]
        found.append(
            LevelComparison(
                framework=framework,
                stated_level=stated[0] if stated else None,
                reason=(
                    "the credential states no framework level"
                    if not stated
                    else "no reference framework links the credential's levels "
                    f"({', '.join(stated)}) to {framework}"
                    + (f"; not in the reference data: {', '.join(unknown)}" if unknown else "")
                ),
            )
        )
    return found
