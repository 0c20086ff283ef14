"""Affiliation matching: which institution does a free-text affiliation string name?

The string is cut into segments at commas, semicolons, brackets and the like, lead-ins
("Present address:", "Currently at") are dropped, words glued together are split where the
directory does not know the glued word ("CONICETUniversidad"), and each word is folded and
canonicalised as for search ("Univ." → "university", stop words dropped). Then:

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

import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from services.institutions.directory.countries import (
    COUNTRY_PHRASES,
    MAX_COUNTRY_PHRASE,
    UPPER_ONLY,
)
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.records import IndexRecord
from services.institutions.directory.text import (
    canonical,
    fold,
    is_unspaced_word,
    phrase_key,
    same_place,
    split_camel,
    words,
)

MAX_PHRASE = 14
SHORT_NUMBER = 2  # digits of a number that may belong to a name ("Paris 13"), not a postcode
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

_SEGMENT_SPLIT = re.compile(r"[,;:()\[\]{}|/\n\t]+|\s[-\u2013\u2014]\s")
# "Present address:", "Currently at": what follows is the affiliation, these words are not
_LEAD_IN = re.compile(
    r"\b(?:(?:current(?:ly)?|present|permanent|previous(?:ly)?|former(?:ly)?)\s+"
    r"(?:address(?:es)?|affiliation|at|with)|(?:now|also)\s+(?:at|with))\b\s*:?",
    re.IGNORECASE,
)
_CAMEL_WORD = re.compile(r"[^\W\d_]*(?:[a-z][A-Z]|[A-Z]{2}[a-z]{2})[^\W\d_]*")


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """An institution an affiliation names, with its score (0..1) and how it matched."""

    id: uuid.UUID
    score: float
    chosen: bool
    matching_type: str  # EXACT | PHRASE | COMMON TERMS | FUZZY | HEURISTICS | ACRONYM
    matched_name: str


@dataclass(slots=True)
class _Word:
    raw: str  # folded
    canon: str  # "" for a stop word
    upper: bool  # written in capitals in the original
    segment: int
    noise: bool = False  # a postcode or a country


@dataclass(slots=True)
class _Evidence:
    nid: int
    kind: str
    score: float
    start: int  # index into the word list (inclusive)
    end: int  # exclusive
    support: int = 0  # country or city named in the string
    name_len: int = 0
    surface: bool = False  # the string spells the name exactly (before canonical forms)
    generic: bool = False  # every word of the name is common ("Institute of Physics")
    unique: bool = False  # an acronym one institution only holds

    def rank_key(self) -> tuple[float, int, bool, int]:
        return (self.score, self.support, self.surface, self.end - self.start)


@dataclass(slots=True)
class _Analysis:
    words: list[_Word]
    content: list[int]  # indexes of words with a canonical form
    countries: list[tuple[frozenset[str], int, int]] = field(default_factory=list)
    segments: int = 0


def _glue_fixed(index: DirectoryIndex, text: str) -> str:
    """Split camel-case words that the index does not know ("UniversityShenzhen")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if index.has_term(canonical(word.lower())):
            return word
        return split_camel(word)

    return _CAMEL_WORD.sub(fix, text)


def analyse(index: DirectoryIndex, affiliation: str) -> _Analysis:
    text = unicodedata.normalize("NFKC", affiliation)
    text = _LEAD_IN.sub(" ", _glue_fixed(index, text))
    out: list[_Word] = []
    segments = [s for s in _SEGMENT_SPLIT.split(text) if s and s.strip()]
    for seg_no, segment in enumerate(segments):
        for piece in segment.split():
            letters = [c for c in piece if c.isalpha()]
            upper = len(letters) >= 2 and all(c.isupper() for c in letters)
            for word in words(fold(piece)):
                canon = canonical(word) if not is_unspaced_word(word) else word
                noise = any(c.isdigit() for c in word)  # a postcode, a footnote
                out.append(_Word(word, "" if noise else canon, upper, seg_no, noise))
    analysis = _Analysis(out, [i for i, w in enumerate(out) if w.canon], segments=len(segments))
    _detect_countries(analysis)
    return analysis


def _detect_countries(analysis: _Analysis) -> None:
    ws = analysis.words
    i = 0
    while i < len(ws):
        found = 0
        for length in range(min(MAX_COUNTRY_PHRASE, len(ws) - i), 0, -1):
            span = ws[i : i + length]
            if any(w.segment != span[0].segment for w in span):
                continue
            phrase = tuple(w.raw for w in span)
            codes = COUNTRY_PHRASES.get(phrase)
            if codes is None:
                continue
            if phrase in UPPER_ONLY and not all(w.upper for w in span):
                continue
            if codes:
                analysis.countries.append((codes, i, i + length))
            found = length
            break
        i += found or 1


def _countries_outside(analysis: _Analysis, start: int, end: int) -> set[str]:
    codes: set[str] = set()
    for country_codes, c_start, c_end in analysis.countries:
        if c_end <= start or c_start >= end:
            codes |= country_codes
    return codes


def _mentions(analysis: _Analysis, phrase: tuple[str, ...], start: int, end: int) -> bool:
    if not phrase:
        return False
    ws = analysis.words
    n = len(phrase)
    wanted = [canonical(w) or w for w in phrase]  # "Saint Louis" is "St. Louis"
    for i in range(len(ws) - n + 1):
        if start <= i < end:
            continue
        if all(
            ws[i + k].raw == phrase[k] or same_place(ws[i + k].canon, wanted[k]) for k in range(n)
        ):
            return True
    return False


def collect_evidence(
    index: DirectoryIndex, affiliation: str
) -> tuple[_Analysis, dict[int, _Evidence]]:
    """The best evidence for each record named in `affiliation`, scored (record slot → evidence)."""
    analysis = analyse(index, affiliation)
    evidence: list[_Evidence] = []
    content = analysis.content
    ws = analysis.words
    country_words = {i for _, s, e in analysis.countries for i in range(s, e)}
    context = _member_of_context(analysis)

    late: list[_Evidence] = []  # evidence that leaves its words to the school and fuzzy rules
    # 1. phrases
    for a in range(len(content)):
        for b in range(a + 1, min(len(content), a + MAX_PHRASE) + 1):
            span_words = [ws[content[k]].canon for k in range(a, b)]
            key = phrase_key(span_words)
            start, end = content[a], content[b - 1] + 1
            one_segment = ws[start].segment == ws[end - 1].segment
            if b - a == 1 and index.term_frequency(key) > COMMON_SINGLE_WORD:
                continue  # "Centre", "School": a name too common to say anything
            # a whole Chinese/Thai run is as specific as several words
            name_len = 3 if b - a == 1 and is_unspaced_word(key) else b - a
            for nid in index.names_with_key(key):
                if one_segment or _crosses_fairly(index, analysis, nid, start, end):
                    evidence.append(_Evidence(nid, "PHRASE", 0.0, start, end, name_len=name_len))
            if b - a > 1 and one_segment:
                for nid in index.names_with_sorted_key(" ".join(sorted(span_words))):
                    evidence.append(_Evidence(nid, "HEURISTICS", 0.0, start, end, name_len=b - a))
                # a name shortened: without its city ("Friedrich Schiller University", of
                # Jena) or what follows a dash ("Leibniz Institute on Aging - Fritz Lipmann
                # Institute"); but not in words said everywhere: "Science Park" is no more
                # Hsinchu's than any other's (a city word like "park" does not make them
                # specific here, as it does in `_generic`)
                shortened = index.names_with_key_sans_city(key) + index.names_with_key_head(key)
                if shortened and (
                    any(index.term_frequency(w) < SPECIFIC_DF for w in span_words)
                    or index.phrase_countries(key) < GENERIC_SPREAD
                ):
                    late.extend(
                        _Evidence(nid, "HEURISTICS", 0.0, start, end, name_len=b - a)
                        for nid in shortened
                        if index.names[nid].name.kind != "acronym"
                    )
        word = ws[content[a]].canon
        if is_unspaced_word(word) and len(word) > 2:
            for x in range(len(word)):
                for y in range(x + 2, min(len(word), x + 30) + 1):
                    if x == 0 and y == len(word):
                        continue
                    for nid in index.names_with_key(word[x:y]):
                        evidence.append(
                            _Evidence(nid, "PHRASE", 0.0, content[a], content[a] + 1, name_len=3)
                        )

    # 1b. phrases holding a short number ("Université Paris 1 Panthéon-Sorbonne", "Lyon 1"),
    #     which the words read above leave out as noise
    numbered = [i for i in range(len(ws)) if _short_number(ws, i)]
    if numbered:
        run = sorted([*content, *numbered])
        for a in range(len(run)):
            for b in range(a + 2, min(len(run), a + MAX_PHRASE) + 1):
                span = run[a:b]
                if ws[span[0]].segment != ws[span[-1]].segment:
                    break
                if not set(span).intersection(numbered):
                    continue
                key = phrase_key([ws[k].canon or ws[k].raw for k in span])
                for nid in index.names_with_key(key):
                    evidence.append(
                        _Evidence(nid, "PHRASE", 0.0, span[0], span[-1] + 1, name_len=b - a)
                    )

    # 2. acronyms filling a segment: with a country named, or (long ones) held by one
    #    institution only
    for seg in range(analysis.segments):
        seg_words = [
            i
            for i in content
            if ws[i].segment == seg and i not in country_words and not ws[i].noise
        ]
        if len(seg_words) > 1:
            evidence.extend(_acronym_in_city(index, analysis, seg_words))
            continue
        if not seg_words or not ws[seg_words[0]].upper:
            continue
        i = seg_words[0]
        nids = index.names_with_acronym(ws[i].raw)
        unique = (
            len(ws[i].raw) >= UNIQUE_ACRONYM_LENGTH
            and len({index.names[nid].slot for nid in nids}) == 1
        )
        if analysis.countries or unique:
            for nid in nids:
                evidence.append(_Evidence(nid, "ACRONYM", 0.0, i, i + 1, name_len=1, unique=unique))

    covered = {i for ev in evidence for i in range(ev.start, ev.end)}

    # 3. a school named after its university, for segments no name covered
    for seg in range(analysis.segments):
        seg_words = [i for i in content if ws[i].segment == seg and not ws[i].noise]
        if len(seg_words) < 2 or any(i in covered for i in seg_words):
            continue
        # the school may begin the segment or follow an "and" ("Wellman Center for
        # Photomedicine and Harvard Medical School")
        starts = [0] + [
            k for k in range(1, len(seg_words) - 1) if ws[seg_words[k] - 1].raw == "and"
        ]
        for k in starts:
            found = _school_of(index, analysis, seg_words[k:])
            if found:
                evidence.extend(found)
                break
    # a name said of many places ("Cancer Research Center") leaves its words to the fuzzy rule
    covered = {
        i
        for ev in evidence
        if ev.kind == "ACRONYM" or not _generic(index, index.names[ev.nid].key)
        for i in range(ev.start, ev.end)
    }

    # 4. fuzzy, for segments no name covered
    for seg in range(analysis.segments):
        seg_words = [i for i in content if ws[i].segment == seg and not ws[i].noise]
        if not 1 <= len(seg_words) <= 12 or any(i in covered for i in seg_words):
            continue
        seg_canon = [ws[i].canon for i in seg_words]
        if len(seg_canon) == 1 and index.term_frequency(seg_canon[0]) > COMMON_SINGLE_WORD:
            continue
        seg_key = phrase_key(seg_canon)
        seg_set = set(seg_canon)
        start, end = seg_words[0], seg_words[-1] + 1
        scores = index.score_names(seg_key, min_coverage=0.75)
        top = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:10]
        for nid, _ in top:
            ref = index.names[nid]
            if ref.name.kind == "acronym":
                continue
            name_words = ref.key.split()
            if len(seg_key) < 8 or not any(_specific(index, w) for w in seg_set):
                continue  # a few edits from a name of common words is no evidence
            ratio = max(fuzz.ratio(seg_key, ref.key), fuzz.token_sort_ratio(seg_key, ref.key) - 3)
            if ratio >= 88 and not _other_place(index, seg_set, name_words):
                evidence.append(
                    _Evidence(
                        nid, "FUZZY", ratio / 100 * 0.97, start, end, name_len=len(name_words)
                    )
                )
            elif len(name_words) >= 2 and set(name_words) <= seg_set:
                share = len(name_words) / len(seg_set)
                evidence.append(
                    _Evidence(
                        nid, "COMMON TERMS", 0.8 * share, start, end, name_len=len(name_words)
                    )
                )

    evidence.extend(late)
    # score the evidence
    best: dict[int, _Evidence] = {}
    says_system = any(w.raw == "system" for w in ws)
    for ev in evidence:
        ref = index.names[ev.nid]
        record = index.record_at(ref.slot)
        outside = _countries_outside(analysis, ev.start, ev.end)
        if outside and record.country and record.country not in outside:
            continue  # country gating
        city = index.city_words(ref.slot)
        city_named = _mentions(analysis, city, ev.start, ev.end)
        ev.support = (1 if outside else 0) + (1 if city_named else 0)
        if ev.kind in ("PHRASE", "HEURISTICS", "ACRONYM") and ev.score == 0.0:
            segs = {ws[i].segment for i in range(ev.start, ev.end)}
            own = _acronyms(record)
            # what else the segment says, beside the name: not its country or city, its own
            # acronym ("Federal University of Juiz de Fora UFJF") or a legal form ("Canon Inc")
            rest = [
                i
                for i in content
                if ws[i].segment in segs
                and not (ev.start <= i < ev.end)
                and i not in country_words
                and not ws[i].noise
                and not (city_named and ws[i].raw in city)
                and not (ws[i].upper and ws[i].raw in own)
                and ws[i].canon not in LEGAL_FORMS
            ]
            if ev.kind == "ACRONYM" and rest:
                continue
            if ev.kind == "PHRASE" and not rest:
                ev.kind = "EXACT"
            if ev.kind == "HEURISTICS":
                score = HEURISTICS_SCORE if not rest else HEURISTICS_SCORE - 0.06
                if any(_specific(index, ws[i].canon) for i in rest):
                    # the words reordered inside a longer, specific name: "Károli Gáspár
                    # University of the Reformed Church" is no "Reformed Church University"
                    score *= GENERIC_FACTOR
            else:
                score = UNIQUE_ACRONYM_SCORE if ev.unique else BASE_SCORE[ev.kind]
            if ev.kind == "ACRONYM" and city_named:
                score += ACRONYM_CITY_BONUS
            if rest and ev.kind != "ACRONYM":
                score *= PHRASE_LENGTH_FACTOR.get(ev.name_len, 1.0)
            ev.score = score
        ev.surface = _spelled(ws[ev.start : ev.end], ref.name.value)
        # a phrase is judged by the words read (a company's name without its country)
        read = ref.key
        if ev.kind in ("PHRASE", "EXACT"):
            read = phrase_key([ws[i].canon for i in range(ev.start, ev.end) if ws[i].canon])
        ev.generic = _generic(index, read)
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
        if ev.start in context:
            ev.score *= CONTEXT_FACTOR
        current = best.get(ref.slot)
        if current is None or ev.rank_key() > current.rank_key():
            best[ref.slot] = ev

    # a name wholly inside a longer matched name is not evidence of its own, unless it is the
    # longer name's parent ("Indiana University" in "Indiana University School of Medicine")
    spans = [(ev.start, ev.end, slot) for slot, ev in best.items() if ev.kind != "FUZZY"]
    for slot, ev in list(best.items()):
        record_id = index.record_at(slot).id
        for s, e, other in spans:
            inside = s <= ev.start and ev.end <= e and (e - s) > (ev.end - ev.start)
            # (an acronym inside a name is part of it: "SUNY" in "University at Albany, SUNY")
            its_parent = ev.kind != "ACRONYM" and record_id in index.record_at(other).parent_ids
            if inside and not (ev.surface and its_parent):
                ev.score *= CONTAINED_FACTOR
                break

    # a child loses to its parent when both are named, the parent outside the child's name
    # ("SUNY" in "University at Albany, SUNY" does not name SUNY of its own)
    ids_present = {index.record_at(slot).id: slot for slot in best}
    for slot, ev in best.items():
        record = index.record_at(slot)
        for parent in record.parent_ids:
            parent_slot = ids_present.get(parent)
            if parent_slot is None:
                continue
            named = best[parent_slot]
            inside = ev.start <= named.start and named.end <= ev.end
            if named.surface and not (inside and named.end - named.start < ev.end - ev.start):
                ev.score *= CHILD_FACTOR
                break
    return analysis, best


def _school_of(index: DirectoryIndex, analysis: _Analysis, seg_words: list[int]) -> list[_Evidence]:
    """The university a school's name begins with: "Harvard Medical School", "Yale School of
    Medicine", "Washington University School of Medicine" (Washington University in St.
    Louis). The first words must hold a specific one, and be followed by "school", "college" or
    "faculty" (not by "university" or "business": "Cologne Business School" is no school of
    the University of Cologne); one institution only (or one with its own campuses) may be
    named "<words> University", "University of <words>", "<words>" with its city left out, or
    hold "<words>" as its acronym ("NYU School of Medicine")."""
    ws = analysis.words
    canon = [ws[i].canon for i in seg_words]
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
        nids = [nid for key in keys for nid in index.names_with_key(key)]
        nids += index.names_with_key_sans_city(phrase_key(head))
        if length == 1 and ws[seg_words[0]].upper:  # "NYU School of Medicine": read as NYU's name
            holders = {
                index.names[nid].slot for nid in index.names_with_acronym(ws[seg_words[0]].raw)
            }
            nids += [index.main_name(slot) for slot in holders]
        slots = {index.names[nid].slot for nid in nids}
        if len(slots) > 1:
            # a university and its own campuses ("NYU", NYU Abu Dhabi): the university
            slots = {
                top
                for top in slots
                if all(
                    index.record_at(top).id in index.record_at(other).parent_ids
                    for other in slots - {top}
                )
            }
        if len(slots) != 1:
            continue
        nids = [nid for nid in nids if index.names[nid].slot in slots]
        start, end = seg_words[0], seg_words[length - 1] + 1
        return [
            _Evidence(nid, "HEURISTICS", SCHOOL_SCORE, start, end, name_len=length) for nid in nids
        ]
    return []


def _short_number(ws: list[_Word], i: int) -> bool:
    """Is word `i` a number short enough to be part of a name ("Paris 13"), after a word of
    its segment?"""
    return (
        0 < i < len(ws)
        and ws[i].raw.isdigit()
        and len(ws[i].raw) <= SHORT_NUMBER
        and ws[i].segment == ws[i - 1].segment
    )


def _spelled(read: list[_Word], name: str) -> bool:
    """Do the words read spell the name as written, leaving out stop words ("The Open
    University" spells both "Open University" and "The Open University")?"""
    return [w.raw for w in read if w.canon or w.noise] == [
        w for w in words(fold(name)) if canonical(w)
    ]


def _member_of_context(analysis: _Analysis) -> set[int]:
    """The words naming what an institution named before is a member of: after "member of",
    to the end of the list ("corporate member of Freie Universität Berlin, Humboldt-Universität
    zu Berlin, and Berlin Institute of Health"), which ends with the segment holding its last
    "and", or its third segment."""
    ws = analysis.words
    for m in range(1, len(ws) - 1):
        if ws[m].raw != "member" or ws[m + 1].raw != "of":
            continue
        if not any(w.canon and w.raw != "corporate" for w in ws[:m]):
            return set()  # "Member of the German Center for Lung Research": it is the one
        segment = ws[m].segment
        has_and = any(w.raw == "and" and w.segment == segment for w in ws[m:])
        last = segment
        for k in range(m, len(ws)):
            seg = ws[k].segment
            if seg > segment + 2:
                break
            first_of_segment = ws[k - 1].segment != seg
            if seg > last and first_of_segment:
                if has_and and ws[k].raw not in ("and", "&"):
                    break
                last = seg
                has_and = has_and or ws[k].raw in ("and", "&")
        return {k for k in range(m + 2, len(ws)) if ws[k].segment <= last}
    return set()


def _acronym_in_city(
    index: DirectoryIndex, analysis: _Analysis, seg_words: list[int]
) -> list[_Evidence]:
    """An acronym and its city filling a segment ("IIT Chennai", "FMI Basel"): the holders of
    the acronym in that city."""
    ws = analysis.words
    acronyms = [i for i in seg_words if ws[i].upper]
    if len(acronyms) != 1:
        return []
    i = acronyms[0]
    place = tuple(ws[k].canon for k in seg_words if k != i)
    return [
        _Evidence(nid, "ACRONYM", 0.0, i, i + 1, name_len=1)
        for nid in index.names_with_acronym(ws[i].raw)
        if tuple(canonical(w) or w for w in index.city_words(index.names[nid].slot)) == place
    ]


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
    index: DirectoryIndex, analysis: _Analysis, nid: int, start: int, end: int
) -> bool:
    """May a name be read across a segment break? Only if it has a break of its own
    ("University of California, Berkeley") or what follows the break is its city."""
    ref = index.names[nid]
    if _SEGMENT_SPLIT.search(ref.name.value):
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


def match_affiliation(
    index: DirectoryIndex, affiliation: str, *, limit: int = 10
) -> list[MatchCandidate]:
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
            matched_name=index.names[ev.nid].name.value,
        )
        for slot, ev in ranked[:limit]
    ]


def _choose(index: DirectoryIndex, ranked: list[tuple[int, _Evidence]]) -> int | None:
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
    index: DirectoryIndex, near: list[tuple[int, _Evidence]], slot: int, ev: _Evidence
) -> tuple[int, _Evidence]:
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
    index: DirectoryIndex, ranked: list[tuple[int, _Evidence]], pick_slot: int, pick: _Evidence
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
