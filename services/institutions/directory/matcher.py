"""Affiliation matching: which institution does a free-text affiliation string name?

The string is read into words and segments (`affiliation.py`), the names of the index it
holds are found (`evidence.py`), then each is scored and weighed against the others, and at
most one is chosen.

A name said of many places ("Institute of Physics": common words that names of several
countries hold) is weak when read inside a longer segment, and a unit's name ("Department of
...", with a parent) is weak unless the string names its country or city. What a named
institution is a "member of" is context, not the affiliation (Charité, "corporate member of
Freie Universität Berlin and Humboldt-Universität zu Berlin").

Country gating: a country named in the string, outside the words of the name itself ("China
Medical University" is in Taiwan), must be the candidate's. Among candidates, a parent named in the
string (outside the child's own name) beats its own child; a record whose country or city the
string names beats its namesakes; active records beat inactive ones, and a university system
("... System") needs the string to say "system". `chosen` marks the best candidate only when
its score clears `CHOOSE_THRESHOLD`, nothing else of equal evidence competes with it, and the
string is no list of `MANY_NAMED` institutions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.institutions.directory.affiliation import Analysis, analyse
from services.institutions.directory.evidence import (
    Evidence,
    find_evidence,
    is_generic,
    is_specific,
)
from services.institutions.directory.index import DirectoryIndex, IndexedNameRef
from services.institutions.directory.records import IndexRecord
from services.institutions.directory.text import (
    fold,
    phrase_key,
    words,
)

# the directory's types of higher-education institutions (the rest are "other_provider")
HIGHER_EDUCATION = frozenset(
    {"university", "university_of_applied_sciences", "college", "vocational_institute"}
)
CHOOSE_THRESHOLD = 0.88
TIE_MARGIN = 1e-9
NEAR_MARGIN = 0.2
# a string naming this many institutions is a list ("LLNL; ANL; BNL; ORNL"): none is chosen
MANY_NAMED = 4
INACTIVE_FACTOR = 0.92
# legal forms after a company's name ("Canon Inc"), in their canonical forms
LEGAL_FORMS = frozenset(
    {"inc", "ltd", "llc", "corporation", "gmbh", "ag", "plc", "bv", "nv", "srl", "spa", "kk"}
)
SYSTEM_FACTOR = 0.85  # "University of California" is seldom the system, mostly a campus
CHILD_FACTOR = 0.9
CONTAINED_FACTOR = 0.7
GENERIC_FACTOR = 0.85
# "Charité, corporate member of Freie Universität Berlin and Humboldt-Universität": the
# institutions a named one is a member of are context, not the affiliation
CONTEXT_FACTOR = 0.7
# the first words of a unit's name ("Department of Earth Sciences"): said in every university
UNIT_WORDS = frozenset(
    {"department", "faculty", "division", "school", "laboratory", "unit", "section", "group"}
)
HEURISTICS_SCORE = 0.95
# chosen alone (x the acronym's weight, 0.95, it clears CHOOSE_THRESHOLD), below any name
UNIQUE_ACRONYM_SCORE = 0.927
ACRONYM_CITY_BONUS = 0.05  # "UM, Kuala Lumpur, Malaysia"
BASE_SCORE = {"EXACT": 1.0, "PHRASE": 0.93, "ACRONYM": 0.9}
# A short name found inside a longer segment is weaker evidence than a long one.
PHRASE_LENGTH_FACTOR = {1: 0.8, 2: 0.95}


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """An institution an affiliation names, with its score (0..1) and how it matched."""

    id: uuid.UUID
    score: float
    chosen: bool
    matching_type: str  # EXACT | PHRASE | COMMON TERMS | FUZZY | HEURISTICS | ACRONYM
    matched_name: str


def match_affiliation(
    index: DirectoryIndex, affiliation: str, *, limit: int = 10
) -> list[MatchCandidate]:
    """Ranked institutions named in a free-text affiliation; at most one is `chosen`."""
    _analysis, best = collect_evidence(index, affiliation)
    if not best:
        return []
    ranked = sorted(
        best.items(),
        key=lambda item: (
            -item[1].score,
            -item[1].support,
            not item[1].surface,
            index.record_at(item[0]).status != "active",
            -item[1].start,
            index.record_at(item[0]).id,
        ),
    )
    chosen_slot = _choose(index, ranked)
    return [
        MatchCandidate(
            id=index.record_at(slot).id,
            score=round(min(1.0, ev.score), 4),
            chosen=slot == chosen_slot,
            matching_type=ev.kind,
            matched_name=index.names[ev.name_id].name.value,
        )
        for slot, ev in ranked[:limit]
    ]


def collect_evidence(
    index: DirectoryIndex, affiliation: str
) -> tuple[Analysis, dict[int, Evidence]]:
    """The best evidence for each record named in `affiliation`, scored (record slot →
    evidence), then weighed against the others."""
    analysis = analyse(index, affiliation)
    best = _best_per_record(index, analysis, find_evidence(index, analysis))
    _weaken_names_inside_longer_names(index, best)
    _weaken_children_beside_their_parents(index, best)
    return analysis, best


# -- scoring it ----------------------------------------------------------------------------------


def _best_per_record(
    index: DirectoryIndex, analysis: Analysis, found: list[Evidence]
) -> dict[int, Evidence]:
    """Each piece of evidence scored (`_score`); for each record (by slot), its best."""
    says_system = analysis.says("system")
    member_of = analysis.member_of_context()
    best: dict[int, Evidence] = {}
    for ev in found:
        if not _score(index, analysis, ev, says_system=says_system, member_of=member_of):
            continue
        slot = index.names[ev.name_id].slot
        current = best.get(slot)
        if current is None or ev.rank_key() > current.rank_key():
            best[slot] = ev
    return best


def _score(
    index: DirectoryIndex,
    analysis: Analysis,
    ev: Evidence,
    *,
    says_system: bool,
    member_of: set[int],
) -> bool:
    """Score `ev` in place; False when it does not stand: a country named elsewhere in the
    string is not its record's (country gating), or an acronym has other words beside it."""
    ref = index.names[ev.name_id]
    record = index.record_at(ref.slot)
    countries_named = analysis.countries_outside(ev.start, ev.end)
    if countries_named and record.country and record.country not in countries_named:
        return False
    city = index.city_words(ref.slot)
    city_named = analysis.mentions(city, ev.start, ev.end)
    ev.support = (1 if countries_named else 0) + (1 if city_named else 0)
    if ev.kind in ("PHRASE", "HEURISTICS", "ACRONYM") and ev.score == 0.0:
        others = _other_words(analysis, ev, record, city if city_named else ())
        if ev.kind == "ACRONYM" and others:
            return False
        ev.score = _score_by_segment(index, analysis, ev, others, city_named=city_named)
    ev.surface = analysis.spells(ev.start, ev.end, ref.name.value)
    ev.generic = is_generic(index, _phrase_read(analysis, ev, ref))
    if ev.generic and ev.kind != "EXACT":
        # read inside a longer segment, a name said of many places is weak, and weaker
        # still unless the string names the country or city
        ev.score *= GENERIC_FACTOR if ev.support else GENERIC_FACTOR**2
    if _unit(ref.key, record) and not ev.support:
        ev.score *= GENERIC_FACTOR  # beside its parent, the parent is the better answer
    ev.score *= ref.weight
    if record.status != "active":
        ev.score *= INACTIVE_FACTOR
    if not says_system and _is_system(record):
        ev.score *= SYSTEM_FACTOR
    if ev.start in member_of:
        ev.score *= CONTEXT_FACTOR
    return True


def _other_words(
    analysis: Analysis, ev: Evidence, record: IndexRecord, city_named: tuple[str, ...]
) -> list[int]:
    """What else the segments of `ev` say, beside the name: not the country or the city it
    names (`city_named`), the record's own acronym ("Federal University of Juiz de Fora
    UFJF") or a legal form ("Canon Inc")."""
    said = analysis.words
    segments = {said[i].segment for i in range(ev.start, ev.end)}
    country_positions = analysis.country_positions()
    own_acronyms = _acronyms(record)
    return [
        i
        for i in analysis.content_positions
        if said[i].segment in segments
        and not (ev.start <= i < ev.end)
        and i not in country_positions
        and not said[i].noise
        and said[i].raw not in city_named
        and not (said[i].upper and said[i].raw in own_acronyms)
        and said[i].canon not in LEGAL_FORMS
    ]


def _score_by_segment(
    index: DirectoryIndex,
    analysis: Analysis,
    ev: Evidence,
    others: list[int],
    *,
    city_named: bool,
) -> float:
    """The score of a name read (PHRASE, HEURISTICS, ACRONYM) by what else its segment says:
    a PHRASE that fills it is EXACT (the kind is changed in place)."""
    if ev.kind == "PHRASE" and not others:
        ev.kind = "EXACT"
    if ev.kind == "HEURISTICS":
        score = HEURISTICS_SCORE if not others else HEURISTICS_SCORE - 0.06
        if any(is_specific(index, analysis.words[i].canon) for i in others):
            # the words reordered inside a longer, specific name: "Károli Gáspár
            # University of the Reformed Church" is no "Reformed Church University"
            score *= GENERIC_FACTOR
    else:
        score = UNIQUE_ACRONYM_SCORE if ev.unique else BASE_SCORE[ev.kind]
    if ev.kind == "ACRONYM" and city_named:
        score += ACRONYM_CITY_BONUS
    if others and ev.kind != "ACRONYM":
        score *= PHRASE_LENGTH_FACTOR.get(ev.name_len, 1.0)
    return score


def _phrase_read(analysis: Analysis, ev: Evidence, ref: IndexedNameRef) -> str:
    """The phrase `ev` is judged by: the words read for a phrase (a company's name without
    its country), else the name's."""
    if ev.kind not in ("PHRASE", "EXACT"):
        return ref.key
    said = analysis.words
    return phrase_key([said[i].canon for i in range(ev.start, ev.end) if said[i].canon])


def _weaken_names_inside_longer_names(index: DirectoryIndex, best: dict[int, Evidence]) -> None:
    """A name wholly inside a longer matched name is not evidence of its own, unless it is the
    longer name's parent ("Indiana University" in "Indiana University School of Medicine")."""
    spans = [(ev.start, ev.end, slot) for slot, ev in best.items() if ev.kind != "FUZZY"]
    for slot, ev in list(best.items()):
        record_id = index.record_at(slot).id
        for start, end, other in spans:
            inside = start <= ev.start and ev.end <= end and (end - start) > (ev.end - ev.start)
            # (an acronym inside a name is part of it: "SUNY" in "University at Albany, SUNY")
            its_parent = ev.kind != "ACRONYM" and record_id in index.record_at(other).parent_ids
            if inside and not (ev.surface and its_parent):
                ev.score *= CONTAINED_FACTOR
                break


def _weaken_children_beside_their_parents(index: DirectoryIndex, best: dict[int, Evidence]) -> None:
    """A child loses to its parent when both are named, the parent outside the child's name
    ("SUNY" in "University at Albany, SUNY" does not name SUNY of its own)."""
    slot_of = {index.record_at(slot).id: slot for slot in best}
    for slot, ev in best.items():
        for parent in index.record_at(slot).parent_ids:
            parent_slot = slot_of.get(parent)
            if parent_slot is None:
                continue
            named = best[parent_slot]
            inside = ev.start <= named.start and named.end <= ev.end
            if named.surface and not (inside and named.end - named.start < ev.end - ev.start):
                ev.score *= CHILD_FACTOR
                break


# -- what the index says of names and words ------------------------------------------------------


def _acronyms(record: IndexRecord) -> set[str]:
    return {"".join(words(fold(n.value))) for n in record.names if n.kind == "acronym"}


def _is_system(record: IndexRecord) -> bool:
    """A university system ("University of California System"): its campuses, not the system,
    are what an affiliation names, unless it says "system"."""
    return any(
        "system" in words(fold(name.value))
        for name in record.names
        if name.kind in ("official", "english")
    )


def _unit(key: str, record: IndexRecord) -> bool:
    """Is it the name of a unit of another institution ("Department of Biological Sciences",
    with a parent), which says little on its own?"""
    key_words = key.split()
    return bool(record.parent_ids) and bool(key_words) and key_words[0] in UNIT_WORDS


# -- choosing ------------------------------------------------------------------------------------


def _choose(index: DirectoryIndex, ranked: list[tuple[int, Evidence]]) -> int | None:
    """The candidate to mark chosen, if any.

    Several institutions named in one string ("Institut Curie, PSL Research University") are
    usually a unit and its university: among the candidates close to the best, a university (a
    higher-education type, unless its name is said of many places and the string names neither
    its city nor its country) is preferred, then the higher score, then the one named later. A
    candidate whose own words also name an equally good namesake (same span, same evidence) is
    ambiguous, and then nothing is chosen, unless the words name the pick's parent as well, which
    is then chosen; a string that names `MANY_NAMED` institutions or more (other than the pick's
    parent or children) gets no pick either.
    """
    top_score = ranked[0][1].score
    if top_score < CHOOSE_THRESHOLD:
        return None
    near = [
        (slot, ev)
        for slot, ev in ranked
        if ev.score >= max(CHOOSE_THRESHOLD, top_score - NEAR_MARGIN)
    ]
    pick_slot, pick = max(
        near,
        key=lambda item: (
            index.record_at(item[0]).type in HIGHER_EDUCATION
            and (not item[1].generic or item[1].support > 0),
            item[1].score,
            item[1].start,
        ),
    )
    pick_slot, pick = _named_parent(index, near, pick_slot, pick)
    pick_record = index.record_at(pick_slot)
    for slot, ev in ranked:
        if slot == pick_slot or ev.end <= pick.start or ev.start >= pick.end:
            continue
        if ev.score < pick.score - TIE_MARGIN:
            continue
        if ev.support < pick.support or (pick.surface and not ev.surface):
            continue
        other = index.record_at(slot)
        if other.status != "active" and pick_record.status == "active":
            continue
        if pick_record.id in other.parent_ids or other.id in pick_record.parent_ids:
            continue
        return None  # an equal namesake: not confident
    if _others_named(index, ranked, pick_slot, pick) >= MANY_NAMED - 1:
        return None  # a list of institutions, not one affiliation
    return pick_slot


def _named_parent(
    index: DirectoryIndex, near: list[tuple[int, Evidence]], slot: int, ev: Evidence
) -> tuple[int, Evidence]:
    """The pick's parent (or its parent's parent…) when the same words name it as well
    ("Google" for Google (United States) and its child Google (Australia)); else the pick."""
    alike = {
        index.record_at(s).id: (s, e)
        for s, e in near
        if (e.start, e.end) == (ev.start, ev.end) and e.score >= ev.score - TIE_MARGIN
    }
    seen = {slot}
    while True:
        up = [
            alike[p]
            for p in index.record_at(slot).parent_ids
            if p in alike and alike[p][0] not in seen
        ]
        if not up:
            return slot, ev
        slot, ev = up[0]
        seen.add(slot)


def _others_named(
    index: DirectoryIndex, ranked: list[tuple[int, Evidence]], pick_slot: int, pick: Evidence
) -> int:
    """How many other places of the string name, with choosing confidence, an institution
    that is neither the pick's parent nor its child."""
    pick_record = index.record_at(pick_slot)
    spans: set[tuple[int, int]] = set()
    for slot, ev in ranked:
        if slot == pick_slot or ev.score < CHOOSE_THRESHOLD:
            continue
        if pick.start < ev.end and ev.start < pick.end:
            continue
        other = index.record_at(slot)
        if other.id in pick_record.parent_ids or pick_record.id in other.parent_ids:
            continue
        spans.add((ev.start, ev.end))
    return len(spans)
