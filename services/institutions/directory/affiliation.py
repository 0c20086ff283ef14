"""Reading an affiliation string: its words, in segments, and the countries it names.

The string is cut into segments at commas, semicolons, brackets and the like, lead-ins
("Present address:", "Currently at") are dropped, words glued together are split where the
directory does not know the glued word ("CONICETUniversidad"), and each word is folded and
canonicalised as for search ("Univ." → "university", stop words dropped). The matcher
(`matcher.py`) then looks for names among these words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from services.institutions.directory.countries import (
    COUNTRY_PHRASES,
    MAX_COUNTRY_PHRASE,
    UPPER_ONLY,
)
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.text import (
    canonical,
    fold,
    is_unspaced_word,
    same_place,
    split_camel,
    words,
)

SHORT_NUMBER = 2  # digits of a number that may belong to a name ("Paris 13"), not a postcode

SEGMENT_SPLIT = re.compile(r"[,;:()\[\]{}|/\n\t]+|\s[-\u2013\u2014]\s")
# "Present address:", "Currently at": what follows is the affiliation, these words are not
_LEAD_IN = re.compile(
    r"\b(?:(?:current(?:ly)?|present|permanent|previous(?:ly)?|former(?:ly)?)\s+"
    r"(?:address(?:es)?|affiliation|at|with)|(?:now|also)\s+(?:at|with))\b\s*:?",
    re.IGNORECASE,
)
_CAMEL_WORD = re.compile(r"[^\W\d_]*(?:[a-z][A-Z]|[A-Z]{2}[a-z]{2})[^\W\d_]*")


@dataclass(slots=True)
class Word:
    """One word of the string, as read."""

    raw: str  # folded
    canon: str  # "" for a stop word and for noise
    upper: bool  # written in capitals in the original
    segment: int
    noise: bool = False  # holds a digit: a postcode, a footnote


@dataclass(frozen=True, slots=True)
class CountryMention:
    """Words `start`..`end` (exclusive) name a country: one of `codes`."""

    codes: frozenset[str]
    start: int
    end: int


@dataclass(slots=True)
class Analysis:
    """The string read: its words, which of them say something, and the countries named."""

    words: list[Word]
    content_positions: list[int]  # positions of the words with a canonical form
    segment_count: int
    countries: list[CountryMention] = field(default_factory=list)

    def country_positions(self) -> set[int]:
        """Positions of the words that name a country."""
        return {i for country in self.countries for i in range(country.start, country.end)}

    def segment_content(self, segment: int) -> list[int]:
        """Positions of the content words of `segment`, noise left out."""
        return [
            i
            for i in self.content_positions
            if self.words[i].segment == segment and not self.words[i].noise
        ]

    def says(self, word: str) -> bool:
        return any(w.raw == word for w in self.words)

    def countries_outside(self, start: int, end: int) -> set[str]:
        """The countries named outside words `start`..`end`."""
        codes: set[str] = set()
        for country in self.countries:
            if country.end <= start or country.start >= end:
                codes |= country.codes
        return codes

    def mentions(self, phrase: tuple[str, ...], start: int, end: int) -> bool:
        """Does the string hold `phrase` (a city's words) outside words `start`..`end`?"""
        if not phrase:
            return False
        said = self.words
        length = len(phrase)
        wanted = [canonical(w) or w for w in phrase]  # "Saint Louis" is "St. Louis"
        for i in range(len(said) - length + 1):
            if start <= i < end:
                continue
            if all(
                said[i + k].raw == phrase[k] or same_place(said[i + k].canon, wanted[k])
                for k in range(length)
            ):
                return True
        return False

    def is_short_number(self, position: int) -> bool:
        """Is the word at `position` a number short enough to be part of a name ("Paris
        13"), after a word of its segment?"""
        said = self.words
        return (
            0 < position < len(said)
            and said[position].raw.isdigit()
            and len(said[position].raw) <= SHORT_NUMBER
            and said[position].segment == said[position - 1].segment
        )

    def spells(self, start: int, end: int, name: str) -> bool:
        """Do words `start`..`end` spell the name as written, leaving out stop words ("The
        Open University" spells both "Open University" and "The Open University")?"""
        return [w.raw for w in self.words[start:end] if w.canon or w.noise] == [
            w for w in words(fold(name)) if canonical(w)
        ]

    def member_of_context(self) -> set[int]:
        """The positions of the words naming what an institution named before is a member
        of: after "member of", to the end of the list ("corporate member of Freie
        Universität Berlin, Humboldt-Universität zu Berlin, and Berlin Institute of Health"),
        which ends with the segment holding its last "and", or its third segment."""
        said = self.words
        for m in range(1, len(said) - 1):
            if said[m].raw != "member" or said[m + 1].raw != "of":
                continue
            if not any(w.canon and w.raw != "corporate" for w in said[:m]):
                return set()  # "Member of the German Center for Lung Research": it is the one
            segment = said[m].segment
            has_and = any(w.raw == "and" and w.segment == segment for w in said[m:])
            last = segment
            for k in range(m, len(said)):
                seg = said[k].segment
                if seg > segment + 2:
                    break
                first_of_segment = said[k - 1].segment != seg
                if seg > last and first_of_segment:
                    if has_and and said[k].raw not in ("and", "&"):
                        break
                    last = seg
                    has_and = has_and or said[k].raw in ("and", "&")
            return {k for k in range(m + 2, len(said)) if said[k].segment <= last}
        return set()


def _glue_fixed(index: DirectoryIndex, text: str) -> str:
    """Split camel-case words that the index does not know ("UniversityShenzhen")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if index.has_term(canonical(word.lower())):
            return word
        return split_camel(word)

    return _CAMEL_WORD.sub(fix, text)


def analyse(index: DirectoryIndex, affiliation: str) -> Analysis:
    """Read `affiliation` into words and segments, and find the countries it names."""
    text = unicodedata.normalize("NFKC", affiliation)
    text = _LEAD_IN.sub(" ", _glue_fixed(index, text))
    out: list[Word] = []
    segments = [s for s in SEGMENT_SPLIT.split(text) if s and s.strip()]
    for seg_no, segment in enumerate(segments):
        for piece in segment.split():
            letters = [c for c in piece if c.isalpha()]
            upper = len(letters) >= 2 and all(c.isupper() for c in letters)
            for word in words(fold(piece)):
                canon = canonical(word) if not is_unspaced_word(word) else word
                noise = any(c.isdigit() for c in word)  # a postcode, a footnote
                out.append(Word(word, "" if noise else canon, upper, seg_no, noise))
    analysis = Analysis(out, [i for i, w in enumerate(out) if w.canon], segment_count=len(segments))
    analysis.countries = _countries_named(out)
    return analysis


def _countries_named(said: list[Word]) -> list[CountryMention]:
    """The countries the words name, longest phrase first, left to right."""
    found: list[CountryMention] = []
    i = 0
    while i < len(said):
        length_read = 0
        for length in range(min(MAX_COUNTRY_PHRASE, len(said) - i), 0, -1):
            span = said[i : i + length]
            if any(w.segment != span[0].segment for w in span):
                continue
            phrase = tuple(w.raw for w in span)
            codes = COUNTRY_PHRASES.get(phrase)
            if codes is None:
                continue
            if phrase in UPPER_ONLY and not all(w.upper for w in span):
                continue
            if codes:
                found.append(CountryMention(codes, i, i + length))
            length_read = length
            break
        i += length_read or 1
    return found
