"""Where an affiliation string names institutions: the evidence the matcher weighs.

Among the words of the string (`affiliation.py`), in this order:

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

A piece of evidence is a name of the index read in some words of the string, and how it was
read; `matcher.py` scores it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from services.institutions.directory.affiliation import SEGMENT_SPLIT, Analysis
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.text import canonical, is_unspaced_word, phrase_key

MAX_PHRASE = 14
GENERIC_SPREAD = 3  # a phrase in names of this many countries is generic
SPECIFIC_DF = 25  # a word in fewer names than this is specific enough to identify one
COMMON_SINGLE_WORD = 50
SCHOOL_SCORE = 0.9  # "Harvard Medical School" → Harvard University
SCHOOL_WORDS = frozenset({"school", "college", "faculty"})
# after these, the school is an institution of its own ("Vienna Medical University")
NOT_SCHOOL_WORDS = frozenset({"university", "business"})
UNIQUE_ACRONYM_LENGTH = 4  # "CSIRO" alone is CSIRO; "UM" alone is anything
# The segment a fuzzy look-up reads: at most this many content words.
FUZZY_SEGMENT_WORDS = 12
# The names a fuzzy look-up weighs, best first.
FUZZY_CANDIDATES = 10
# A segment at least this similar to a name (rapidfuzz ratio, in percent) is that name
# misspelled.
FUZZY_RATIO = 88
# Characters of an unspaced word a name may be read in (a Chinese name within a longer run).
MAX_UNSPACED_NAME = 30


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


def find_evidence(index: DirectoryIndex, analysis: Analysis) -> list[Evidence]:
    """Every name the string holds, read in the steps of the module docstring, in that
    order (the order breaks ties between equal evidence)."""
    found, shortened = _phrases(index, analysis)
    found += _numbered_phrases(index, analysis)
    found += _segment_acronyms(index, analysis)
    found += _schools(index, analysis, covered=_positions_read(found))
    found += _fuzzy_names(index, analysis, covered=_positions_read_specifically(index, found))
    found += shortened  # last: they leave their words to the school and fuzzy rules
    return found


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
    "park" does not make them specific here, as it does in `is_generic`)."""
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
        if ev.kind == "ACRONYM" or not is_generic(index, index.names[ev.name_id].key)
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
        if not any(is_specific(index, w) for w in head if w != "university"):
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
        if len(segment_key) < 8 or not any(is_specific(index, w) for w in segment_set):
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


def is_generic(index: DirectoryIndex, key: str) -> bool:
    """Is a name said of many places ("Institute of Physics", "Institute of Science and
    Technology")? Its words are all common, and names of several countries hold them all.
    Common words alone do not make a name generic: "Chinese Academy of Sciences" is said in
    China only."""
    return not any(is_specific(index, w) for w in key.split()) and (
        index.phrase_countries(key) >= GENERIC_SPREAD
    )


def is_specific(index: DirectoryIndex, word: str) -> bool:
    """Does the word go some way to say which institution: rare among names, a place's name,
    a run of an unspaced script, or a number?"""
    return (
        index.term_frequency(word) < SPECIFIC_DF
        or index.is_place_word(word)
        or is_unspaced_word(word)
        or any(c.isdigit() for c in word)
    )
