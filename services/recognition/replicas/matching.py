"""The local free-text matcher over the institution replica's names: normalisation (case,
diacritics, punctuation, common abbreviations) and a rapidfuzz score. Deterministic: same
names, same text → same ranking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_ABBREVIATIONS = {
    "univ": "university",
    "uni": "university",
    "universiti": "university",
    "universitas": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universidad": "university",
    "universita": "university",
    "inst": "institute",
    "institut": "institute",
    "tech": "technology",
    "technol": "technology",
    "teknologi": "technology",
    "technische": "technical",
    "natl": "national",
    "nat": "national",
    "sci": "science",
    "coll": "college",
    "dept": "department",
    "st": "saint",
    "&": "and",
}
_STOPWORDS = {"the", "of", "and", "de", "der", "des", "di", "du", "la", "le", "für", "fur"}
_NON_WORD = re.compile(r"[^\w&]+")


def normalise_name(text: str) -> str:
    """Lower case, no diacritics, no punctuation, abbreviations expanded, stopwords dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = [_ABBREVIATIONS.get(word, word) for word in _NON_WORD.sub(" ", stripped).split()]
    return " ".join(word for word in words if word not in _STOPWORDS)


@dataclass(frozen=True)
class NameCandidate:
    institution_id: str
    value: str
    key: str


@dataclass(frozen=True)
class Match:
    institution_id: str
    name: str
    score: float


def rank_candidates(
    text: str, candidates: Sequence[NameCandidate], *, limit: int = 5
) -> list[Match]:
    """The best institutions for `text`, one entry per institution, best first (ties broken
    by institution id so that the ranking is reproducible)."""
    query = normalise_name(text)
    if not query or not candidates:
        return []
    keys = [candidate.key for candidate in candidates]
    scored = process.extract(
        query,
        keys,
        scorer=fuzz.token_set_ratio,
        processor=None,  # the keys and the query are normalised already
        limit=min(len(keys), limit * 8),
    )
    best: dict[str, Match] = {}
    for _key, score, index in scored:
        candidate = candidates[index]
        # token_set_ratio rewards subsets; temper it with the plain ratio so that
        # "University" alone does not match every university.
        combined = round(0.7 * score + 0.3 * fuzz.ratio(query, candidate.key), 2)
        current = best.get(candidate.institution_id)
        if current is None or combined > current.score:
            best[candidate.institution_id] = Match(
                candidate.institution_id, candidate.value, combined
            )
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.institution_id))
    return ranked[:limit]


def name_keys(names: Iterable[str]) -> list[tuple[str, str]]:
    """(value, normalised key) for each distinct name."""
    seen: set[str] = set()
    out = []
    for value in names:
        key = normalise_name(value)
        if key and key not in seen:
            seen.add(key)
            out.append((value, key))
    return out


class NameIndex:
    """The names of one country's institutions, with an inverted index of their words, so
    that a query is scored only against names sharing a distinctive word with it (all names
    when none does). Built once per replica version and reused across assessments."""

    def __init__(self, candidates: Sequence[NameCandidate]) -> None:
        self.candidates = list(candidates)
        self._postings: dict[str, list[int]] = {}
        for index, candidate in enumerate(self.candidates):
            for word in set(candidate.key.split()):
                self._postings.setdefault(word, []).append(index)
        # A word in more than this many names says little about which institution is meant.
        self._common = max(50, len(self.candidates) // 20)

    def rank(self, text: str, *, limit: int = 5) -> list[Match]:
        query = normalise_name(text)
        words = [w for w in query.split() if len(self._postings.get(w, ())) <= self._common]
        chosen: set[int] = set()
        for word in words:
            chosen.update(self._postings.get(word, ()))
        if not chosen:
            return rank_candidates(text, self.candidates, limit=limit)
        subset = [self.candidates[i] for i in sorted(chosen)]
        return rank_candidates(text, subset, limit=limit)
