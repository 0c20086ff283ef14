"""Affiliation matching: which institution does a free-text affiliation string name?

The string is read into words and segments (`affiliation.py`). Then:

1. Every run of up to `MAX_PHRASE` consecutive words (and every substring of a Chinese, Japanese,
   Korean or Thai run) is looked up among the names' canonical phrases: a name that fills its
   segment, once postcodes, countries and the institution's own city are set aside, is an EXACT
   match, one inside a longer segment a PHRASE; the same words in another order ("University of
   X" ↔ "X University") are HEURISTICS.
2. An acronym that fills a segment counts (ACRONYM) when the string names a country and the
   acronym belongs to an institution of that country, when it is long and one institution
   only holds it ("CSIRO", chosen alone but outranked by any name read in the string), or
   when the rest of the segment is its holder's city ("FMI Basel").
3. A segment no name covered that begins (or goes on after an "and") with a university's own
   words and goes on with "school", "college" or "faculty" names that university ("Harvard
   Medical School", "Washington University School of Medicine"), when one institution only
   answers (HEURISTICS).
4. Segments still uncovered are a name without its city when a name says so ("Friedrich
   Schiller University", of Jena) and its words are not said everywhere (HEURISTICS), and are
   searched fuzzily and kept when the whole segment is within a few edits of a name (FUZZY)
   or holds all of a name's words (COMMON TERMS).

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

from rapidfuzz import fuzz

from services.institutions.directory.affiliation import SEGMENT_SPLIT, Analysis, analyse
from services.institutions.directory.index import DirectoryIndex, IndexedNameRef
from services.institutions.directory.records import IndexRecord
from services.institutions.directory.text import (
    canonical,
    fold,
    is_unspaced_word,
    phrase_key,
    words,
)

MAX_PHRASE = 14
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
GENERIC_SPREAD = 3  # a phrase in names of this many countries is generic
SPECIFIC_DF = 25  # a word in fewer names than this is specific enough to identify one
COMMON_SINGLE_WORD = 50
HEURISTICS_SCORE = 0.95
SCHOOL_SCORE = 0.9  # "Harvard Medical School" → Harvard University
SCHOOL_WORDS = frozenset({"school", "college", "faculty"})
# after these, the school is an institution of its own ("Vienna Medical University")
NOT_SCHOOL_WORDS = frozenset({"university", "business"})
UNIQUE_ACRONYM_LENGTH = 4  # "CSIRO" alone is CSIRO; "UM" alone is anything
# chosen alone (x the acronym's weight, 0.95, it clears CHOOSE_THRESHOLD), below any name
UNIQUE_ACRONYM_SCORE = 0.927
ACRONYM_CITY_BONUS = 0.05  # "UM, Kuala Lumpur, Malaysia"
BASE_SCORE = {"EXACT": 1.0, "PHRASE": 0.93, "ACRONYM": 0.9}
# A short name found inside a longer segment is weaker evidence than a long one.
PHRASE_LENGTH_FACTOR = {1: 0.8, 2: 0.95}

# The segment a fuzzy look-up reads: at most this many content words.
FUZZY_SEGMENT_WORDS = 12
# The names a fuzzy look-up weighs, best first.
FUZZY_CANDIDATES = 10
# A segment this many edits (in percent) near a name, whole, is that name misspelled.
FUZZY_RATIO = 88
# Characters of an unspaced word a name may be read in (a Chinese name within a longer run).
MAX_UNSPACED_NAME = 30


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """An institution an affiliation names, with its score (0..1) and how it matched."""

    id: uuid.UUID
    score: float
    chosen: bool
    matching_type: str  # EXACT | PHRASE | COMMON TERMS | FUZZY | HEURISTICS | ACRONYM
    matched_name: str


@dataclass(slots=True)
class Evidence:
    """A name of the index read in words `start`..`end` (exclusive) of the string."""

    name_id: int
    kind: str
    score: float  # 0.0 until scored, for the kinds scored by what else their segment says
    start: int
    end: int
    support: int = 0  # country or city named in the string
    name_len: int = 0
    surface: bool = False  # the string spells the name exactly (before canonical forms)
    generic: bool = False  # every word of the name is common ("Institute of Physics")
    unique: bool = False  # an acronym one institution only holds

    def rank_key(self) -> tuple[float, int, bool, int]:
        return (self.score, self.support, self.surface, self.end - self.start)


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


# -- collecting the evidence ---------------------------------------------------------------------


def collect_evidence(
    index: DirectoryIndex, affiliation: str
) -> tuple[Analysis, dict[int, Evidence]]:
    """The best evidence for each record named in `affiliation`, scored (record slot →
    evidence): the names read in the steps of the module docstring, in that order, each scored,
    then weighed against the others."""
    analysis = analyse(index, affiliation)
    found, shortened = _phrases(index, analysis)
    found += _numbered_phrases(index, analysis)
    found += _segment_acronyms(index, analysis)
    found += _schools(index, analysis, covered=_positions_read(found))
    found += _fuzzy_names(index, analysis, covered=_positions_read_specifically(index, found))
    found += shortened  # last: they leave their words to the school and fuzzy rules
    best = _best_per_record(index, analysis, found)
    _weaken_names_inside_longer_names(index, best)
    _weaken_children_beside_their_parents(index, best)
    return analysis, best


def _phrases(index: DirectoryIndex, analysis: Analysis) -> tuple[list[Evidence], list[Evidence]]:
    """Step 1: every run of up to `MAX_PHRASE` content words, and every run of characters
    inside an unspaced word, looked up among the names' phrases; and, apart, the names read
    shortened (`_shortened_names`)."""
    found: list[Evidence] = []
    shortened: list[Evidence] = []
    positions = analysis.content_positions
    for first in range(len(positions)):
        for stop in range(first + 1, min(len(positions), first + MAX_PHRASE) + 1):
            run_found, run_shortened = _names_of_run(index, analysis, first, stop)
            found += run_found
            shortened += run_shortened
        found += _names_inside_unspaced_word(index, analysis, positions[first])
    return found, shortened


def _names_of_run(
    index: DirectoryIndex, analysis: Analysis, first: int, stop: int
) -> tuple[list[Evidence], list[Evidence]]:
    """The names content words `first`..`stop` (exclusive, counted among the content words)
    say: in this order (PHRASE) or in another (HEURISTICS); and, apart, shortened."""
    said = analysis.words
    positions = analysis.content_positions
    run_words = [said[positions[k]].canon for k in range(first, stop)]
    key = phrase_key(run_words)
    start, end = positions[first], positions[stop - 1] + 1
    one_segment = said[start].segment == said[end - 1].segment
    length = stop - first
    if length == 1 and index.term_frequency(key) > COMMON_SINGLE_WORD:
        return [], []  # "Centre", "School": a name too common to say anything
    # a whole Chinese/Thai run is as specific as several words
    name_len = 3 if length == 1 and is_unspaced_word(key) else length
    found = [
        Evidence(name_id, "PHRASE", 0.0, start, end, name_len=name_len)
        for name_id in index.names_with_key(key)
        if one_segment or _crosses_fairly(index, analysis, name_id, start, end)
    ]
    if length == 1 or not one_segment:
        return found, []
    found += [
        Evidence(name_id, "HEURISTICS", 0.0, start, end, name_len=length)
        for name_id in index.names_with_sorted_key(" ".join(sorted(run_words)))
    ]
    return found, _shortened_names(index, run_words, key, start, end)


def _shortened_names(
    index: DirectoryIndex, run_words: list[str], key: str, start: int, end: int
) -> list[Evidence]:
    """A name shortened: without its city ("Friedrich Schiller University", of Jena) or what
    follows a dash ("Leibniz Institute on Aging - Fritz Lipmann Institute"); but not in words
    said everywhere: "Science Park" is no more Hsinchu's than any other's (a city word like
    "park" does not make them specific here, as it does in `_generic`)."""
    name_ids = index.names_with_key_sans_city(key) + index.names_with_key_head(key)
    if not name_ids:
        return []
    if not (
        any(index.term_frequency(w) < SPECIFIC_DF for w in run_words)
        or index.phrase_countries(key) < GENERIC_SPREAD
    ):
        return []
    return [
        Evidence(name_id, "HEURISTICS", 0.0, start, end, name_len=len(run_words))
        for name_id in name_ids
        if index.names[name_id].name.kind != "acronym"
    ]


def _names_inside_unspaced_word(
    index: DirectoryIndex, analysis: Analysis, position: int
) -> list[Evidence]:
    """Names read inside one word of an unspaced script (a Chinese run), short of the whole."""
    word = analysis.words[position].canon
    if not is_unspaced_word(word) or len(word) <= 2:
        return []
    found = []
    for first in range(len(word)):
        for stop in range(first + 2, min(len(word), first + MAX_UNSPACED_NAME) + 1):
            if first == 0 and stop == len(word):
                continue
            found += [
                Evidence(name_id, "PHRASE", 0.0, position, position + 1, name_len=3)
                for name_id in index.names_with_key(word[first:stop])
            ]
    return found


def _numbered_phrases(index: DirectoryIndex, analysis: Analysis) -> list[Evidence]:
    """Step 1b: phrases holding a short number ("Université Paris 1 Panthéon-Sorbonne", "Lyon
    1"), which the content words leave out as noise."""
    said = analysis.words
    numbers = [i for i in range(len(said)) if analysis.is_short_number(i)]
    if not numbers:
        return []
    positions = sorted([*analysis.content_positions, *numbers])
    found = []
    for first in range(len(positions)):
        for stop in range(first + 2, min(len(positions), first + MAX_PHRASE) + 1):
            run = positions[first:stop]
            if said[run[0]].segment != said[run[-1]].segment:
                break
            if not set(run).intersection(numbers):
                continue
            key = phrase_key([said[k].canon or said[k].raw for k in run])
            found += [
                Evidence(name_id, "PHRASE", 0.0, run[0], run[-1] + 1, name_len=stop - first)
                for name_id in index.names_with_key(key)
            ]
    return found


def _segment_acronyms(index: DirectoryIndex, analysis: Analysis) -> list[Evidence]:
    """Step 2: acronyms filling a segment (countries aside): with a country named, or (long
    ones) held by one institution only; or beside their holder's city."""
    said = analysis.words
    country_positions = analysis.country_positions()
    found: list[Evidence] = []
    for segment in range(analysis.segment_count):
        segment_words = [i for i in analysis.segment_content(segment) if i not in country_positions]
        if len(segment_words) > 1:
            found += _acronym_in_city(index, analysis, segment_words)
            continue
        if not segment_words or not said[segment_words[0]].upper:
            continue
        position = segment_words[0]
        name_ids = index.names_with_acronym(said[position].raw)
        unique = (
            len(said[position].raw) >= UNIQUE_ACRONYM_LENGTH
            and len({index.names[name_id].slot for name_id in name_ids}) == 1
        )
        if analysis.countries or unique:
            found += [
                Evidence(name_id, "ACRONYM", 0.0, position, position + 1, name_len=1, unique=unique)
                for name_id in name_ids
            ]
    return found


def _acronym_in_city(
    index: DirectoryIndex, analysis: Analysis, segment_words: list[int]
) -> list[Evidence]:
    """An acronym and its city filling a segment ("IIT Chennai", "FMI Basel"): the holders of
    the acronym in that city."""
    said = analysis.words
    acronyms = [i for i in segment_words if said[i].upper]
    if len(acronyms) != 1:
        return []
    position = acronyms[0]
    place = tuple(said[k].canon for k in segment_words if k != position)
    return [
        Evidence(name_id, "ACRONYM", 0.0, position, position + 1, name_len=1)
        for name_id in index.names_with_acronym(said[position].raw)
        if tuple(canonical(w) or w for w in index.city_words(index.names[name_id].slot)) == place
    ]


def _positions_read(found: list[Evidence]) -> set[int]:
    """The positions of the words some evidence reads."""
    return {i for ev in found for i in range(ev.start, ev.end)}


def _positions_read_specifically(index: DirectoryIndex, found: list[Evidence]) -> set[int]:
    """The positions of the words some evidence reads, but for names said of many places
    ("Cancer Research Center"), which leave their words to the fuzzy rule."""
    return {
        i
        for ev in found
        if ev.kind == "ACRONYM" or not _generic(index, index.names[ev.name_id].key)
        for i in range(ev.start, ev.end)
    }


def _schools(index: DirectoryIndex, analysis: Analysis, covered: set[int]) -> list[Evidence]:
    """Step 3: a school named after its university, for segments no name covered. The school
    may begin the segment or follow an "and" ("Wellman Center for Photomedicine and Harvard
    Medical School")."""
    said = analysis.words
    found: list[Evidence] = []
    for segment in range(analysis.segment_count):
        segment_words = analysis.segment_content(segment)
        if len(segment_words) < 2 or any(i in covered for i in segment_words):
            continue
        starts = [0] + [
            k for k in range(1, len(segment_words) - 1) if said[segment_words[k] - 1].raw == "and"
        ]
        for k in starts:
            school = _school_of(index, analysis, segment_words[k:])
            if school:
                found += school
                break
    return found


def _school_of(
    index: DirectoryIndex, analysis: Analysis, segment_words: list[int]
) -> list[Evidence]:
    """The university a school's name begins with: "Harvard Medical School", "Yale School of
    Medicine", "Washington University School of Medicine" (Washington University in St.
    Louis). The first words must hold a specific one, and be followed by "school", "college" or
    "faculty" (not by "university" or "business": "Cologne Business School" is no school of
    the University of Cologne); one institution only (or one with its own campuses) may be
    named "<words> University", "University of <words>", "<words>" with its city left out, or
    hold "<words>" as its acronym ("NYU School of Medicine")."""
    said = analysis.words
    canon = [said[i].canon for i in segment_words]
    for length in range(min(3, len(canon) - 1), 0, -1):
        head, tail = canon[:length], canon[length:]
        if not SCHOOL_WORDS.intersection(tail) or NOT_SCHOOL_WORDS.intersection(tail):
            continue
        if SCHOOL_WORDS.intersection(head):
            continue
        if not any(_specific(index, w) for w in head if w != "university"):
            continue
        if length == 1 and index.is_place_word(head[0]):
            continue  # "Melbourne Medical School" may be any of Melbourne's
        keys = {phrase_key([*head, "university"]), phrase_key(["university", *head])}
        if "university" in head:
            keys.add(phrase_key(head))
        name_ids = [name_id for key in keys for name_id in index.names_with_key(key)]
        name_ids += index.names_with_key_sans_city(phrase_key(head))
        first = said[segment_words[0]]
        if length == 1 and first.upper:  # "NYU School of Medicine": read as NYU's name
            holders = {index.names[n].slot for n in index.names_with_acronym(first.raw)}
            name_ids += [index.main_name(slot) for slot in holders]
        slots = _one_university(index, {index.names[name_id].slot for name_id in name_ids})
        if len(slots) != 1:
            continue
        start, end = segment_words[0], segment_words[length - 1] + 1
        return [
            Evidence(name_id, "HEURISTICS", SCHOOL_SCORE, start, end, name_len=length)
            for name_id in name_ids
            if index.names[name_id].slot in slots
        ]
    return []


def _one_university(index: DirectoryIndex, slots: set[int]) -> set[int]:
    """Of several records, a university and its own campuses ("NYU", NYU Abu Dhabi): the
    university."""
    if len(slots) <= 1:
        return slots
    return {
        top
        for top in slots
        if all(
            index.record_at(top).id in index.record_at(other).parent_ids for other in slots - {top}
        )
    }


def _fuzzy_names(index: DirectoryIndex, analysis: Analysis, covered: set[int]) -> list[Evidence]:
    """Step 4: segments no name covered, searched fuzzily (`_fuzzy_segment`)."""
    found: list[Evidence] = []
    for segment in range(analysis.segment_count):
        segment_words = analysis.segment_content(segment)
        if not 1 <= len(segment_words) <= FUZZY_SEGMENT_WORDS:
            continue
        if any(i in covered for i in segment_words):
            continue
        found += _fuzzy_segment(index, analysis, segment_words)
    return found


def _fuzzy_segment(
    index: DirectoryIndex, analysis: Analysis, segment_words: list[int]
) -> list[Evidence]:
    """The names a whole segment is within a few edits of (FUZZY) or holds all the words of
    (COMMON TERMS)."""
    segment_canon = [analysis.words[i].canon for i in segment_words]
    if len(segment_canon) == 1 and index.term_frequency(segment_canon[0]) > COMMON_SINGLE_WORD:
        return []
    segment_key = phrase_key(segment_canon)
    segment_set = set(segment_canon)
    start, end = segment_words[0], segment_words[-1] + 1
    scores = index.score_names(segment_key, min_coverage=0.75)
    top = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:FUZZY_CANDIDATES]
    found = []
    for name_id, _ in top:
        ref = index.names[name_id]
        if ref.name.kind == "acronym":
            continue
        name_words = ref.key.split()
        if len(segment_key) < 8 or not any(_specific(index, w) for w in segment_set):
            continue  # a few edits from a name of common words is no evidence
        ratio = max(
            fuzz.ratio(segment_key, ref.key), fuzz.token_sort_ratio(segment_key, ref.key) - 3
        )
        if ratio >= FUZZY_RATIO and not _other_place(index, segment_set, name_words):
            found.append(
                Evidence(name_id, "FUZZY", ratio / 100 * 0.97, start, end, name_len=len(name_words))
            )
        elif len(name_words) >= 2 and set(name_words) <= segment_set:
            share = len(name_words) / len(segment_set)
            found.append(
                Evidence(name_id, "COMMON TERMS", 0.8 * share, start, end, name_len=len(name_words))
            )
    return found


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
    ev.generic = _generic(index, _phrase_read(analysis, ev, ref))
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
        if any(_specific(index, analysis.words[i].canon) for i in others):
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


def _other_place(index: DirectoryIndex, read: set[str], name_words: list[str]) -> bool:
    """Does the string hold a place's name where the name holds a word a letter or two apart
    ("Aalen University" is not a typo of "Galen University": Aalen is a town)?"""
    for word in read.difference(name_words):
        if index.is_place_word(word) and any(
            fuzz.ratio(word, other) >= 75 for other in set(name_words).difference(read)
        ):
            return True
    return False


def _crosses_fairly(
    index: DirectoryIndex, analysis: Analysis, name_id: int, start: int, end: int
) -> bool:
    """May a name be read across a segment break? Only if it has a break of its own
    ("University of California, Berkeley") or what follows the break is its city."""
    ref = index.names[name_id]
    if SEGMENT_SPLIT.search(ref.name.value):
        return True
    first_segment = analysis.words[start].segment
    tail = {w.raw for w in analysis.words[start:end] if w.segment != first_segment and w.canon}
    return bool(tail) and tail <= set(index.city_words(ref.slot))


def _generic(index: DirectoryIndex, key: str) -> bool:
    """Is a name said of many places ("Institute of Physics", "Institute of Science and
    Technology")? Its words are all common, and names of several countries hold them all.
    Common words alone do not make a name generic: "Chinese Academy of Sciences" is said in
    China only."""
    return not any(_specific(index, w) for w in key.split()) and (
        index.phrase_countries(key) >= GENERIC_SPREAD
    )


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


def _specific(index: DirectoryIndex, word: str) -> bool:
    return (
        index.term_frequency(word) < SPECIFIC_DF
        or index.is_place_word(word)
        or is_unspaced_word(word)
        or any(c.isdigit() for c in word)
    )


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
