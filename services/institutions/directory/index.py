"""The in-memory directory index: multilingual fuzzy search, and the look-ups the matcher
(`matcher.py`) reads an affiliation with.

One `DirectoryIndex` holds every institution's names in three forms:

* an inverted index from terms to names, for ranked search: a term is a canonical word
  (see `text.canonical`), its ASCII transliteration for Cyrillic, Greek, Arabic and other spaced
  scripts, or a character bigram (and unigram) of a Chinese, Japanese, Korean or Thai word;
* a dictionary from each name's canonical phrase ("university malaya") and from the same words
  sorted ("malaya university") to the names, for the matcher's phrase look-ups;
* a dictionary of acronyms.

Search scores a name by the share of the query's weight (inverse document frequency) it covers,
times how much of the name the query covers, times small preferences for primary names and active
records. A record's score is its best name's. Typos are met through a vocabulary of terms searched
with an edit distance (rapidfuzz), the last word also as a prefix.

The index is not thread-safe for writes; reads may run concurrently with each other.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import heapq
import json
import math
import re
import uuid
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from services.institutions.directory.countries import COUNTRY_PHRASES
from services.institutions.directory.records import IndexedName, IndexRecord
from services.institutions.directory.text import (
    canonical,
    char_ngrams,
    fold,
    is_unspaced_word,
    needs_transliteration,
    phrase_key,
    same_place,
    transliterate,
    words,
)

# How much a match on each kind of name counts, relative to the primary name.
KIND_WEIGHT = {
    "official": 1.0,
    "english": 1.0,
    "transliterated": 0.98,
    "alias": 0.95,
    "acronym": 0.95,
}
HISTORICAL_WEIGHT = 0.95
INACTIVE_WEIGHT = 0.9  # inactive, merged and closed records rank below active ones
MIN_QUERY_COVERAGE = 0.66  # share of the query's weight a name must cover to be a hit
PREFIX_WEIGHT = 0.85
MAX_PREFIX_EXPANSIONS = 64
# A city word is a place word when the records in such cities hold at least this share of the
# names that use it ("berlin"; not "north" or "university", though some cities' names hold them).
PLACE_SHARE = 0.25
TYPO_CACHE_SIZE = 4096  # words whose typo alternatives are remembered (then forgotten at once)
VOCAB_MERGE_MAX = 1000  # new terms merged one by one into the sorted vocabulary; more: re-sort


@dataclass(frozen=True, slots=True)
class Hit:
    id: uuid.UUID
    score: float
    matched_name: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    next_cursor: str | None
    total: int
    facets: dict[str, dict[str, int]]


class InvalidCursor(ValueError):
    """The pagination cursor was not produced by this index."""


@dataclass(slots=True)
class IndexedNameRef:
    """A name as the index holds it (one row per name of each record)."""

    slot: int  # the record's slot, -1 once the record is removed or replaced
    name: IndexedName
    terms: tuple[str, ...]  # distinct search terms
    key: str  # canonical phrase: content words joined by spaces (unspaced words glued)
    weight: float  # KIND_WEIGHT x HISTORICAL_WEIGHT
    search_weight: float  # weight x INACTIVE_WEIGHT for records that are not active


@dataclass(slots=True)
class _Entry:
    record: IndexRecord
    name_ids: tuple[int, ...]
    city_words: tuple[str, ...]
    sort_id: bytes  # record.id.bytes: orders like the UUID, compared in C
    facets: tuple[str, str, str]  # country, type, status


def name_terms(value: str) -> tuple[list[str], list[str]]:
    """(search terms, canonical content words) of a name or a query."""
    terms: list[str] = []
    content: list[str] = []
    for word in words(fold(value)):
        if is_unspaced_word(word):
            content.append(word)
            terms.extend(char_ngrams(word, 2))
            if len(word) > 1:
                terms.extend(word)  # unigrams, so one-character queries still find names
            continue
        canon = canonical(word)
        if not canon:
            continue
        content.append(canon)
        terms.append(canon)
        if needs_transliteration(word):
            terms.extend(canonical(w) or w for w in transliterate(word).split())
    return terms, content


_NAME_DASH = re.compile(r"\s[-\u2013\u2014]\s")
_TRAILING_BRACKET = re.compile(r"^(?P<head>.+?)\s*\((?P<inner>[^()]+)\)\s*$")


def _without_country(value: str) -> str | None:
    """A name without the country ROR appends to companies' names ("Canon (Japan)" →
    "Canon"), or None when it has no such suffix."""
    match = _TRAILING_BRACKET.match(value)
    if match is None:
        return None
    return match["head"] if tuple(words(fold(match["inner"]))) in COUNTRY_PHRASES else None


def encode_cursor(score: float, id_: uuid.UUID) -> str:
    raw = json.dumps([score, id_.hex], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, hex_id = json.loads(raw)
        return float(score), uuid.UUID(hex=str(hex_id))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidCursor(cursor) from exc


class DirectoryIndex:
    """In-memory search over institution records, and the look-ups of the affiliation matcher
    (see the module docstring)."""

    def __init__(self, records: Iterable[IndexRecord] = ()) -> None:
        self._reset(records)

    def _reset(self, records: Iterable[IndexRecord]) -> None:
        """Empty the index, then add `records` (also how `_compact` drops dead names)."""
        self._entries: list[_Entry | None] = []
        self._slot_of: dict[uuid.UUID, int] = {}
        self._free_slots: list[int] = []
        # the slots of each country's records: a search without a query but with countries
        # (the console's and the API's "institutions of DE") visits only those
        self._country_slots: dict[str, set[int]] = {}
        self.names: list[IndexedNameRef] = []
        # parallel to `names`, for the hot loop of search: slot (-1 when dead), 1/term count,
        # and search weight
        self._name_slot: list[int] = []
        self._name_inv_terms: list[float] = []
        self._name_weight: list[float] = []
        self._dead_names = 0
        self._postings: dict[str, list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        self._sorted_keys: dict[str, list[int]] = {}
        self._keys_sans_city: dict[str, list[int]] = {}
        self._keys_head: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[int]] = {}
        self._vocab_dirty = True
        # The typo vocabulary (ASCII terms of 3 characters or more), sorted, and by length:
        # kept up to date as terms arrive (`_new_terms`, merged in `_refresh_vocab`), so that
        # a write costs a search microseconds, not a rebuild of the whole vocabulary.
        self._sorted_vocab: list[str] = []
        self._vocab_by_len: dict[int, list[str]] = {}
        self._new_terms: list[str] = []
        self._vocab_alphabet: set[str] = set()  # every character of a vocabulary term
        self._typo_cache: dict[str, dict[str, float]] = {}
        # How many live records have each (canonical) word in their city's name.
        self._in_city: Counter[str] = Counter()
        self._phrase_countries: dict[str, int] = {}
        for record in records:
            self.upsert(record)

    # ------------------------------------------------------------------ writes

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, id_: object) -> bool:
        return id_ in self._slot_of

    def get(self, id_: uuid.UUID) -> IndexRecord | None:
        slot = self._slot_of.get(id_)
        if slot is None:
            return None
        entry = self._entries[slot]
        return entry.record if entry is not None else None

    def upsert(self, record: IndexRecord) -> None:
        """Add a record, or replace the record with the same id."""
        if record.id in self._slot_of:
            self.remove(record.id)
        slot = self._free_slots.pop() if self._free_slots else len(self._entries)
        if slot == len(self._entries):
            self._entries.append(None)
        name_ids: list[int] = []
        status_weight = 1.0 if record.status == "active" else INACTIVE_WEIGHT
        city_words = tuple(words(fold(record.city))) if record.city else ()
        city_canon = {canonical(w) or w for w in city_words}
        self._in_city.update(city_canon)
        for name in record.names:
            name_ids.append(self._add_name(slot, name, status_weight, city_canon))
        self._entries[slot] = _Entry(
            record,
            tuple(name_ids),
            city_words,
            record.id.bytes,
            (record.country, record.type or "none", record.status),
        )
        self._slot_of[record.id] = slot
        self._country_slots.setdefault(record.country, set()).add(slot)
        self._vocab_dirty = True

    def remove(self, id_: uuid.UUID) -> None:
        """Forget a record; unknown ids are ignored."""
        slot = self._slot_of.pop(id_, None)
        if slot is None:
            return
        entry = self._entries[slot]
        assert entry is not None
        for nid in entry.name_ids:
            self.names[nid].slot = -1
            self._name_slot[nid] = -1
        self._dead_names += len(entry.name_ids)
        self._in_city.subtract({canonical(w) or w for w in entry.city_words})
        self._country_slots[entry.record.country].discard(slot)
        self._entries[slot] = None
        self._free_slots.append(slot)
        if self._dead_names > 1000 and self._dead_names * 4 > len(self.names):
            self._compact()

    def _add_name(
        self, slot: int, name: IndexedName, status_weight: float, city: Collection[str] = ()
    ) -> int:
        nid = len(self.names)
        terms, content = name_terms(name.value)
        distinct = tuple(dict.fromkeys(terms))
        key = phrase_key(content)
        weight = KIND_WEIGHT.get(name.kind, 0.95) * (HISTORICAL_WEIGHT if name.historical else 1)
        self.names.append(IndexedNameRef(slot, name, distinct, key, weight, weight * status_weight))
        self._name_slot.append(slot)
        self._name_inv_terms.append(1.0 / max(1, len(distinct)))
        self._name_weight.append(weight * status_weight)
        postings = self._postings
        for term in distinct:
            posting = postings.get(term)
            if posting is None:
                posting = postings[term] = []
                if len(term) >= 3 and term.isascii():
                    self._new_terms.append(term)
                    self._vocab_alphabet.update(term)
            posting.append(nid)
        if key and name.kind != "acronym":
            self._keys.setdefault(key, []).append(nid)
            bare = _without_country(name.value)
            if bare is not None:  # "Canon (Japan)" is also "Canon"
                self._keys.setdefault(phrase_key(name_terms(bare)[1]), []).append(nid)
            sorted_key = " ".join(sorted(key.split()))
            if sorted_key != key:
                self._sorted_keys.setdefault(sorted_key, []).append(nid)
            sans_city = " ".join(w for w in key.split() if not any(same_place(w, c) for c in city))
            if sans_city and sans_city != key:
                self._keys_sans_city.setdefault(sans_city, []).append(nid)
            head = _NAME_DASH.split(name.value, maxsplit=1)[0]
            head_words = name_terms(head)[1] if head != name.value else []
            if len(head_words) >= 2:
                self._keys_head.setdefault(phrase_key(head_words), []).append(nid)
        if name.kind == "acronym":
            acronym = "".join(words(fold(name.value)))
            if acronym:
                self._acronyms.setdefault(acronym, []).append(nid)
        return nid

    def _live(self, slot: int) -> _Entry:
        """The entry in `slot`, which a live name points to (never a removed record)."""
        entry = self._entries[slot]
        if entry is None:
            raise LookupError(f"slot {slot} holds no record")
        return entry

    def _compact(self) -> None:
        records = [e.record for e in self._entries if e is not None]
        self._reset(records)

    # ------------------------------------------------------------------ lookups used by matching

    def record_at(self, slot: int) -> IndexRecord:
        entry = self._entries[slot]
        assert entry is not None
        return entry.record

    def city_words(self, slot: int) -> tuple[str, ...]:
        entry = self._entries[slot]
        return entry.city_words if entry is not None else ()

    def main_name(self, slot: int) -> int:
        """The name id of the record's first official (or else English, or else any) name."""
        name_ids = self._live(slot).name_ids
        for kind in ("official", "english"):
            for nid in name_ids:
                if self.names[nid].name.kind == kind:
                    return nid
        return name_ids[0]

    def names_with_key(self, key: str) -> list[int]:
        return [nid for nid in self._keys.get(key, ()) if self.names[nid].slot >= 0]

    def names_with_sorted_key(self, key: str) -> list[int]:
        nids = self._sorted_keys.get(key, ())
        return [nid for nid in nids if self.names[nid].slot >= 0]

    def names_with_key_sans_city(self, key: str) -> list[int]:
        """Names whose key is `key` once their record's city words are left out
        ("washington university" for "Washington University in St. Louis")."""
        nids = self._keys_sans_city.get(key, ())
        return [nid for nid in nids if self.names[nid].slot >= 0]

    def names_with_key_head(self, key: str) -> list[int]:
        """Names whose part before a dash has the key `key` ("leibniz institute aging" for
        "Leibniz Institute on Aging - Fritz Lipmann Institute")."""
        nids = self._keys_head.get(key, ())
        return [nid for nid in nids if self.names[nid].slot >= 0]

    def names_with_acronym(self, acronym: str) -> list[int]:
        return [nid for nid in self._acronyms.get(acronym, ()) if self.names[nid].slot >= 0]

    def has_term(self, term: str) -> bool:
        return term in self._postings

    def term_frequency(self, term: str) -> int:
        """How many names hold `term` (removed names included until compaction)."""
        return len(self._postings.get(term, ()))

    def phrase_countries(self, key: str) -> int:
        """In how many countries some record has a name holding every word of the canonical
        phrase `key`, in any order ("institute physic" is said in dozens of countries,
        "massachusett institute technology" in one)."""
        self._refresh_vocab()
        found = self._phrase_countries.get(key)
        if found is None:
            phrase_words = set(key.split())
            rarest = min(phrase_words, key=self.term_frequency, default="")
            countries = set()
            for nid in self._postings.get(rarest, ()):
                ref = self.names[nid]
                if ref.slot >= 0 and phrase_words.issubset(ref.terms):
                    countries.add(self._live(ref.slot).record.country)
            found = self._phrase_countries[key] = len(countries)
        return found

    def is_place_word(self, word: str) -> bool:
        """True for a word of city names (a proper noun, however common; see PLACE_SHARE)."""
        in_city = self._in_city.get(word, 0)
        return in_city > 0 and in_city >= PLACE_SHARE * self.term_frequency(word)

    # ------------------------------------------------------------------ search

    def search(
        self,
        q: str | None,
        *,
        countries: Collection[str] | None = None,
        types: Collection[str] | None = None,
        statuses: Collection[str] | None = None,
        qa_statuses: Collection[str] | None = None,
        identifier_resource: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> SearchResult:
        """Ranked records for `q` (every record when `q` is empty), filtered, with facets.

        Hits are ordered by score (descending) then id; `next_cursor` continues after the last
        hit of this page. Facets count the whole filtered result, not the page.
        """
        wanted = _Filter.of(countries, types, statuses, qa_statuses, identifier_resource)
        entries = self._entries
        best: dict[int, tuple[float, int]] = {}
        if q is None or not q.strip():
            slots: Iterable[int] = (
                (
                    slot
                    for country in wanted.countries
                    for slot in self._country_slots.get(country, ())
                )
                if wanted.countries
                else range(len(entries))
            )
            for slot in slots:
                entry = entries[slot]
                if entry is not None:
                    best[slot] = (0.0, entry.name_ids[0] if entry.name_ids else -1)
        else:
            name_slot = self._name_slot
            for nid, score in self.score_names(q).items():
                slot = name_slot[nid]
                current = best.get(slot)
                if current is None or score > current[0]:
                    best[slot] = (score, nid)

        # One pass over the hits builds the sort keys and the facet rows; only the page is
        # then ordered (a heap of `limit`), as a one-word query hits thousands of records.
        accept_all = wanted.is_empty()
        ranked: list[tuple[float, bytes, int]] = []
        facet_rows: list[tuple[str, str, str]] = []
        for slot, (score, nid) in best.items():
            entry = entries[slot]
            if entry is None:
                raise LookupError(f"slot {slot} holds no record")
            if accept_all or wanted.accepts(entry.record):
                ranked.append((-score, entry.sort_id, nid))
                facet_rows.append(entry.facets)
        after = ranked
        if cursor:
            score, last_id = decode_cursor(cursor)
            last = (-score, last_id.bytes, 1 << 62)
            after = [row for row in ranked if row > last]
        page = heapq.nsmallest(max(0, limit), after)
        hits = [
            Hit(uuid.UUID(bytes=sort_id), -neg, self.names[nid].name.value if nid >= 0 else "")
            for neg, sort_id, nid in page
        ]
        more = len(page) < len(after)
        next_cursor = encode_cursor(hits[-1].score, hits[-1].id) if hits and more else None
        combos = Counter(facet_rows)  # few distinct (country, type, status) triples
        facets: dict[str, Counter[str]] = {
            "country": Counter(),
            "type": Counter(),
            "status": Counter(),
        }
        for (country, type_, status), count in combos.items():
            facets["country"][country] += count
            facets["type"][type_] += count
            facets["status"][status] += count
        return SearchResult(
            hits=hits,
            next_cursor=next_cursor,
            total=len(ranked),
            facets={k: dict(sorted(v.items())) for k, v in facets.items()},
        )

    def score_names(self, q: str, min_coverage: float = MIN_QUERY_COVERAGE) -> dict[int, float]:
        """Score every live name against `q`; names covering too little of it are left out.

        A name's coverage is the sum, over the query's groups in their order, of the weight x
        factor of the group's best term it holds. Only names holding a term of the query's
        rarer words can reach the threshold, so when those are few only they are summed (a
        query's common word, "university", is held by thousands of names)."""
        groups = self._query_groups(q)
        if not groups:
            return {}
        total = sum(weight for weight, _ in groups)
        threshold = min_coverage * total - 1e-9
        postings = self._postings
        bests: list[dict[int, float]] = []
        for weight, alternatives in groups:
            group_best: dict[int, float] = {}
            # ascending factors, so that the best alternative of a name is written last
            for term, factor in sorted(alternatives.items(), key=lambda item: item[1]):
                group_best.update(dict.fromkeys(postings.get(term, ()), factor * weight))
            bests.append(group_best)
        candidates = _candidates(groups, bests, threshold)
        covered: dict[int, float] = {}
        matched: dict[int, int] = {}
        if candidates is not None:
            for nid in candidates:
                value = 0.0
                count = 0
                for group_best in bests:
                    found = group_best.get(nid)
                    if found is not None:
                        value += found
                        count += 1
                covered[nid] = value
                matched[nid] = count
        else:
            for group_best in bests:
                if not covered:
                    covered = group_best
                    matched = dict.fromkeys(group_best, 1)
                    continue
                for nid, value in group_best.items():
                    if nid in covered:
                        covered[nid] += value
                        matched[nid] += 1
                    else:
                        covered[nid] = value
                        matched[nid] = 1
        name_slot = self._name_slot
        inv_terms = self._name_inv_terms
        name_weight = self._name_weight
        scores: dict[int, float] = {}
        for nid, value in covered.items():
            if value < threshold or name_slot[nid] < 0:
                continue
            name_coverage = matched[nid] * inv_terms[nid]
            if name_coverage > 1.0:
                name_coverage = 1.0
            scores[nid] = (value / total) * (0.7 + 0.3 * name_coverage) * name_weight[nid]
        return scores

    def _idf(self, term: str) -> float:
        df = len(self._postings.get(term, ()))
        return math.log(1.0 + (len(self.names) + 1) / (df + 1))

    def _query_groups(self, q: str) -> list[tuple[float, dict[str, float]]]:
        """The query as groups of alternative terms; a name scores each group once."""
        self._refresh_vocab()
        groups: list[tuple[float, dict[str, float]]] = []
        raw_words = words(fold(q))
        for position, word in enumerate(raw_words):
            last = position == len(raw_words) - 1
            if is_unspaced_word(word):
                for gram in char_ngrams(word, 2):
                    groups.append((self._idf(gram), {gram: 1.0}))
                continue
            canon = canonical(word)
            if not canon:
                continue
            alternatives: dict[str, float] = {}
            if canon in self._postings:
                alternatives[canon] = 1.0
            if needs_transliteration(word):
                for t in transliterate(word).split():
                    alternatives.setdefault(canonical(t) or t, 1.0)
            if len(canon) >= 4 and canon.isascii() and len(self._postings.get(canon, ())) < 3:
                for term, factor in self._typo_alternatives(canon).items():
                    alternatives.setdefault(term, factor)
            if last and len(word) >= 3 and word.isascii() and canon not in self._postings:
                for term in self._prefix_alternatives(word):
                    alternatives.setdefault(term, PREFIX_WEIGHT)
            # an unknown word still counts against coverage
            weight = max((self._idf(t) for t in alternatives), default=self._idf(canon))
            groups.append((weight, alternatives))
        return groups

    def _typo_alternatives(self, word: str) -> dict[str, float]:
        """Vocabulary terms within `max_edits` (OSA) of `word`: of each length, the 8 nearest
        (ties in alphabetical order), each with its factor. Remembered until the vocabulary
        changes: affiliations repeat the same abbreviations ("univ", "dept")."""
        cache = self._typo_cache
        found = cache.get(word)
        if found is not None:
            return found
        max_edits = 1 if len(word) <= 5 else 2
        if max_edits == 1:
            nearest = self._one_edit_terms(word)
        else:
            nearest = []
            for length in range(len(word) - max_edits, len(word) + max_edits + 1):
                bucket = self._vocab_by_len.get(length)
                if bucket:
                    nearest.extend(
                        (term, distance)
                        for term, distance, _ in process.extract(
                            word, bucket, scorer=OSA.distance, score_cutoff=max_edits, limit=8
                        )
                    )
        out: dict[str, float] = {}
        for term, distance in nearest:
            factor = 1.0 - 0.12 * distance
            if out.get(term, 0.0) < factor:
                out[term] = factor
        if len(cache) >= TYPO_CACHE_SIZE:
            cache.clear()
        cache[word] = out
        return out

    def _one_edit_terms(self, word: str) -> list[tuple[str, int]]:
        """What `process.extract` over each length's bucket finds within one edit, in its
        order (by length, then distance, then position in the alphabetical bucket), found by
        spelling out every string one deletion, transposition, substitution or insertion away
        (a few hundred) instead of comparing the word with tens of thousands of terms."""
        alphabet = sorted(self._vocab_alphabet)
        variants = {word}
        for i in range(len(word) + 1):
            head, tail = word[:i], word[i:]
            if tail:
                variants.add(head + tail[1:])
                if len(tail) > 1:
                    variants.add(head + tail[1] + tail[0] + tail[2:])
                for c in alphabet:
                    variants.add(head + c + tail[1:])
            for c in alphabet:
                variants.add(head + c + tail)
        postings = self._postings
        found = sorted(
            (len(term), OSA.distance(word, term), term)
            for term in variants
            if len(term) >= 3 and term in postings
        )
        out: list[tuple[str, int]] = []
        taken: Counter[int] = Counter()
        for length, distance, term in found:
            if taken[length] < 8:
                taken[length] += 1
                out.append((term, distance))
        return out

    def _prefix_alternatives(self, word: str) -> list[str]:
        vocab = self._sorted_vocab
        start = bisect.bisect_left(vocab, word)
        out: list[str] = []
        for term in vocab[start : start + MAX_PREFIX_EXPANSIONS]:
            if not term.startswith(word):
                break
            out.append(term)
        return out

    def _refresh_vocab(self) -> None:
        if not self._vocab_dirty:
            return
        new_terms = self._new_terms
        if new_terms:
            if len(new_terms) > VOCAB_MERGE_MAX:  # a bulk load: sort everything once
                vocab = sorted(t for t in self._postings if t.isascii() and len(t) >= 3)
                by_len: dict[int, list[str]] = {}
                for term in vocab:
                    by_len.setdefault(len(term), []).append(term)
                self._sorted_vocab = vocab
                self._vocab_by_len = by_len
                self._typo_cache = {}
            else:  # a few writes: put each new term in its place
                for term in new_terms:
                    bisect.insort(self._sorted_vocab, term)
                    bisect.insort(self._vocab_by_len.setdefault(len(term), []), term)
                # a word's alternatives are terms at most 2 letters longer or shorter
                lengths = {len(term) for term in new_terms}
                self._typo_cache = {
                    word: found
                    for word, found in self._typo_cache.items()
                    if all(abs(len(word) - length) > 2 for length in lengths)
                }
            self._new_terms = []
        self._phrase_countries = {}
        self._vocab_dirty = False

    def warm_up(self) -> None:
        """Build the lazily built structures now (call after bulk loading)."""
        self._refresh_vocab()


def _candidates(
    groups: list[tuple[float, dict[str, float]]],
    bests: list[dict[int, float]],
    threshold: float,
) -> list[int] | None:
    """The only names that can cover `threshold` of the query, in the order the full merge of
    `score_names` meets them (by the first group holding them, then by name id); None when
    summing them would cost more than merging every group's names.

    A name's coverage is at most the weight of the groups it holds (factors are at most 1),
    so a name holding none of the heaviest groups whose weight leaves too little for the
    others cannot reach the threshold."""
    order = sorted(range(len(groups)), key=lambda i: -groups[i][0])
    rest = sum(weight for weight, _ in groups)
    heavy = []
    for i in order:
        if rest < threshold - 1e-6:  # a margin for the order of the float additions
            break
        heavy.append(i)
        rest -= groups[i][0]
    pool: set[int] = set()
    for i in heavy:
        pool.update(bests[i])
    if len(pool) * len(bests) >= sum(len(best) for best in bests):
        return None
    first: dict[int, int] = {}
    for position, best in enumerate(bests):
        for nid in pool:
            if nid not in first and nid in best:
                first[nid] = position
    return sorted(first, key=lambda nid: (first[nid], nid))


@dataclass(frozen=True, slots=True)
class _Filter:
    countries: Collection[str] | None
    types: Collection[str] | None
    statuses: Collection[str] | None
    qa_statuses: Collection[str] | None
    identifier_resource: str | None

    @classmethod
    def of(
        cls,
        countries: Collection[str] | None,
        types: Collection[str] | None,
        statuses: Collection[str] | None,
        qa_statuses: Collection[str] | None,
        identifier_resource: str | None,
    ) -> _Filter:
        def as_set(values: Collection[str] | None) -> frozenset[str] | None:
            return frozenset(values) if values else None

        return cls(
            as_set(countries),
            as_set(types),
            as_set(statuses),
            as_set(qa_statuses),
            identifier_resource or None,
        )

    def is_empty(self) -> bool:
        return not (
            self.countries
            or self.types
            or self.statuses
            or self.qa_statuses
            or self.identifier_resource
        )

    def accepts(self, record: IndexRecord) -> bool:
        if self.countries and record.country not in self.countries:
            return False
        if self.types and (record.type or "") not in self.types:
            return False
        if self.statuses and record.status not in self.statuses:
            return False
        if self.qa_statuses and (record.qa_status or "none") not in self.qa_statuses:
            return False
        if self.identifier_resource:
            wanted = self.identifier_resource.casefold()
            if not any(resource.casefold() == wanted for resource, _ in record.identifiers):
                return False
        return True
