"""Search behaviour of the in-memory directory index, on real ROR records (CC0 fixtures)."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from services.institutions.bulk.formats import id_from_ror
from services.institutions.directory.index import DirectoryIndex, InvalidCursor
from services.institutions.directory.records import IndexedName, IndexRecord
from tests.institutions.ror_index import ror_index_records

DATA = Path(__file__).parent / "data" / "search"
MALAYA = id_from_ror("https://ror.org/00rzspn62")
NUS = id_from_ror("https://ror.org/01tgyzw49")
PEKING = id_from_ror("https://ror.org/02v51f717")
CHULALONGKORN = id_from_ror("https://ror.org/028wp3y58")
ZURICH = id_from_ror("https://ror.org/02crff812")
PARIS_SACLAY = id_from_ror("https://ror.org/03xjwb503")
LMU = id_from_ror("https://ror.org/05591te55")
MIT = id_from_ror("https://ror.org/042nb2s44")
TSRI = id_from_ror("https://ror.org/000025p04")


def load_records() -> list[IndexRecord]:
    with gzip.open(DATA / "ror-sample.json.gz", "rt", encoding="utf-8") as fh:
        return list(ror_index_records(json.load(fh)))


@pytest.fixture(scope="module")
def index() -> DirectoryIndex:
    index = DirectoryIndex(load_records())
    index.warm_up()
    return index


def top_ids(index: DirectoryIndex, q: str, n: int = 3, **filters: Any) -> list[uuid.UUID]:
    return [hit.id for hit in index.search(q, limit=n, **filters).hits]


def test_a_ror_record_is_indexed_as_a_node_imports_it() -> None:
    record = next(r for r in load_records() if r.id == MALAYA)
    assert record.country == "MY"
    assert record.city == "Kuala Lumpur"
    assert record.type == "university"  # the directory's type, not ROR's "education"
    assert record.status == "active"
    kinds = {(n.value, n.kind) for n in record.names}
    assert ("University of Malaya", "english") in kinds
    assert ("UM", "acronym") in kinds
    assert ("Universiti Malaya", "official") in kinds
    assert ("ror", "00rzspn62") in record.identifiers
    assert record.id == uuid.uuid5(uuid.NAMESPACE_URL, "https://ror.org/00rzspn62")
    # withdrawn records are not imported, so not indexed
    with gzip.open(DATA / "ror-sample.json.gz", "rt", encoding="utf-8") as fh:
        raw = json.load(fh)
    withdrawn = {id_from_ror(r["id"]) for r in raw if r["status"] == "withdrawn"}
    assert not withdrawn & {r.id for r in load_records()}


def test_exact_name_ranks_first(index: DirectoryIndex) -> None:
    assert top_ids(index, "University of Malaya", 1) == [MALAYA]


def test_accents_and_case_do_not_matter(index: DirectoryIndex) -> None:
    assert top_ids(index, "universitat zurich", 1) == [ZURICH]
    assert top_ids(index, "UNIVERSITÉ PARIS-SACLAY", 1) == [PARIS_SACLAY]
    assert top_ids(index, "universite paris saclay", 1) == [PARIS_SACLAY]


def test_word_order_and_abbreviations(index: DirectoryIndex) -> None:
    assert top_ids(index, "Malaya University", 1) == [MALAYA]
    assert top_ids(index, "Univ. Malaya", 1) == [MALAYA]
    assert top_ids(index, "Massachusetts Inst. of Tech.", 1) == [MIT]


def test_typos_are_tolerated(index: DirectoryIndex) -> None:
    assert top_ids(index, "Univeristy of Malya", 1) == [MALAYA]
    assert top_ids(index, "Chulalongkron University", 1) == [CHULALONGKORN]


def test_chinese_and_thai_names_are_found_by_characters(index: DirectoryIndex) -> None:
    assert top_ids(index, "北京大学", 1) == [PEKING]
    assert top_ids(index, "北京", 1) == [PEKING]
    assert top_ids(index, "จุฬาลงกรณ์", 1) == [CHULALONGKORN]
    assert MALAYA in top_ids(index, "马来亚大学", 1)


def test_acronyms_are_names(index: DirectoryIndex) -> None:
    assert PEKING in top_ids(index, "PKU", 3)
    assert MIT in top_ids(index, "mit", 5)


def test_prefix_of_the_last_word(index: DirectoryIndex) -> None:
    assert top_ids(index, "Chulalong", 1) == [CHULALONGKORN]


def test_other_languages_and_aliases(index: DirectoryIndex) -> None:
    # Malay label and the Tamil label reach the same record
    assert top_ids(index, "Universiti Malaya", 1) == [MALAYA]
    assert top_ids(index, "மலாயா பல்கலைக்கழகம்", 1) == [MALAYA]
    # "Ludwig Maximilian University of Munich" in German, without accents
    assert top_ids(index, "Ludwig-Maximilians-Universitat Munchen", 1) == [LMU]


def test_historical_names_stay_searchable_but_rank_below_current() -> None:
    current = IndexRecord(
        id=uuid.UUID(int=1),
        country="MY",
        status="active",
        type="education",
        city="Kuala Lumpur",
        names=(IndexedName("Universiti Teknologi Malaysia", "ms", "official"),),
    )
    renamed = IndexRecord(
        id=uuid.UUID(int=2),
        country="MY",
        status="active",
        type="education",
        city="Skudai",
        names=(
            IndexedName("Universiti Teknologi Johor", "ms", "official"),
            IndexedName("Institut Teknologi Kebangsaan", "ms", "official", historical=True),
        ),
    )
    index = DirectoryIndex([current, renamed])
    result = index.search("Institut Teknologi Kebangsaan")
    assert [h.id for h in result.hits][:1] == [renamed.id]
    assert result.hits[0].matched_name == "Institut Teknologi Kebangsaan"
    assert result.hits[0].score < 1.0


def test_cyrillic_names_are_found_in_latin_letters() -> None:
    record = IndexRecord(
        id=uuid.UUID(int=3),
        country="RU",
        status="active",
        type="education",
        city="Moscow",
        names=(IndexedName("Московский государственный университет", "ru", "label"),),
    )
    index = DirectoryIndex([record])
    assert [h.id for h in index.search("Moskovskii gosudarstvennyi").hits] == [record.id]
    assert [h.id for h in index.search("московский").hits] == [record.id]


def test_filters_and_facets(index: DirectoryIndex) -> None:
    everything = index.search("university", limit=500)
    assert everything.total == len(everything.hits) > 10
    assert sum(everything.facets["country"].values()) == everything.total
    assert sum(everything.facets["status"].values()) == everything.total
    malaysian = index.search("university", countries=["MY"], limit=500)
    assert malaysian.total == everything.facets["country"]["MY"]
    assert {getattr(index.get(h.id), "country", None) for h in malaysian.hits} == {"MY"}
    assert set(malaysian.facets["country"]) == {"MY"}
    universities = index.search("university", types=["university"], statuses=["active"])
    assert universities.facets["type"] == {"university": universities.total}
    by_resource = index.search(None, identifier_resource="wikidata", limit=1000)
    assert by_resource.total == sum(
        1 for r in load_records() if any(k == "wikidata" for k, _ in r.identifiers)
    )
    assert index.search("university", qa_statuses=["accredited"]).total == 0
    assert index.search("university", qa_statuses=["none"]).total == everything.total


def test_empty_query_lists_everything_by_id(index: DirectoryIndex) -> None:
    result = index.search(None, limit=1000)
    assert result.total == len(index)
    ids = [h.id for h in result.hits]
    assert ids == sorted(ids)


def test_cursor_pagination_is_stable_and_complete(index: DirectoryIndex) -> None:
    whole = index.search("university", limit=1000)
    seen: list[uuid.UUID] = []
    cursor = None
    while True:
        page = index.search("university", limit=7, cursor=cursor)
        assert page.total == whole.total
        seen += [h.id for h in page.hits]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [h.id for h in whole.hits]
    ranked = [(-h.score, h.id) for h in whole.hits]
    assert ranked == sorted(ranked)  # score descending, ties by id


def test_cursor_survives_an_insert_before_it(index: DirectoryIndex) -> None:
    first = index.search("university", limit=5)
    assert first.next_cursor
    rest_before = [h.id for h in index.search("university", cursor=first.next_cursor).hits]
    extra = IndexRecord(
        id=uuid.UUID(int=0),
        country="MY",
        status="active",
        type="education",
        city=None,
        names=(IndexedName("University", "en", "official"),),
    )
    copy = DirectoryIndex(load_records())
    copy.upsert(extra)
    rest_after = [h.id for h in copy.search("university", cursor=first.next_cursor).hits]
    assert extra.id not in rest_after  # it ranks above the cursor: not repeated, not skipped
    assert rest_after == rest_before


def test_bad_cursor_is_rejected(index: DirectoryIndex) -> None:
    with pytest.raises(InvalidCursor):
        index.search("university", cursor="not-a-cursor")


def test_upsert_replaces_and_remove_forgets() -> None:
    records = load_records()
    index = DirectoryIndex(records)
    malaya = index.get(MALAYA)
    assert malaya is not None
    renamed = IndexRecord(
        id=MALAYA,
        country="MY",
        status="inactive",
        type="education",
        city="Kuala Lumpur",
        names=(IndexedName("Universiti Malaya Baharu", "ms", "official"),),
    )
    index.upsert(renamed)
    assert len(index) == len(records)
    assert top_ids(index, "Universiti Malaya Baharu", 1) == [MALAYA]
    assert index.search("Baharu", statuses=["inactive"]).total == 1
    index.remove(MALAYA)
    assert MALAYA not in top_ids(index, "Universiti Malaya Baharu", 5)
    assert len(index) == len(records) - 1
    index.remove(MALAYA)  # unknown ids are ignored


def test_many_replacements_compact_without_changing_results() -> None:
    records = load_records()
    index = DirectoryIndex(records)
    before = index.search("university", limit=1000)
    for _ in range(12):
        for record in records:
            index.upsert(record)
    after = index.search("university", limit=1000)
    assert [(h.id, h.score) for h in after.hits] == [(h.id, h.score) for h in before.hits]
    assert len(index.names) < 3 * sum(len(r.names) for r in records)


def test_search_is_deterministic(index: DirectoryIndex) -> None:
    again = DirectoryIndex(reversed(load_records()))
    for q in ["university", "Univ. Malaya", "北京", "institute of technology", "Chulalong"]:
        a = index.search(q, limit=50)
        b = again.search(q, limit=50)
        assert [(h.id, h.score) for h in a.hits] == [(h.id, h.score) for h in b.hits]
        assert a.facets == b.facets


def test_inactive_records_rank_below_active_namesakes() -> None:
    active = IndexRecord(
        uuid.UUID(int=10),
        "MY",
        "active",
        "education",
        None,
        (IndexedName("Kolej Sains", "ms", "official"),),
    )
    closed = IndexRecord(
        uuid.UUID(int=9),
        "MY",
        "closed",
        "education",
        None,
        (IndexedName("Kolej Sains", "ms", "official"),),
    )
    index = DirectoryIndex([closed, active])
    assert [h.id for h in index.search("kolej sains").hits] == [active.id, closed.id]


def test_successor_keeps_its_acronym(index: DirectoryIndex) -> None:
    assert TSRI in top_ids(index, "TSRI", 3)
    assert top_ids(index, "Thailand Science Research and Innovation", 1) == [TSRI]
    assert TSRI in top_ids(index, "สำนักงานคณะกรรมการส่งเสริมวิทยาศาสตร์", 1)


def test_nus_alias_finds_both_malayas(index: DirectoryIndex) -> None:
    # NUS was once called University of Malaya: both are hits, the current holder first
    ids = top_ids(index, "University of Malaya", 5)
    assert ids[0] == MALAYA
    assert NUS in ids


def test_names_written_after_loading_are_found_with_typos() -> None:
    """The typo vocabulary follows writes made after the index was loaded (and searched): a new
    record's rare words are found a letter off, short and long ones alike, and a word looked
    up before the record existed is looked up again."""
    index = DirectoryIndex(load_records())
    index.warm_up()
    new_id = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/qwertz")
    for q in ("Qwretz Academy", "Zanzibraian Academy"):  # nothing of it yet
        assert new_id not in top_ids(index, q, 5)
    new = IndexRecord(
        id=new_id,
        country="TZ",
        status="active",
        type="education",
        city="Zanzibar",
        names=(IndexedName("Qwertz Zanzibarian Academy", "en", "official"),),
    )
    index.upsert(new)
    # one transposition in a five-letter word, one in a long word, then both
    assert top_ids(index, "Qwretz Academy", 1) == [new.id]
    assert top_ids(index, "Zanzibraian Academy", 1) == [new.id]
    assert top_ids(index, "Qwretz Zanzibraian", 1) == [new.id]
    index.remove(new.id)
    assert new.id not in top_ids(index, "Qwretz Zanzibraian", 5)


def test_a_country_without_a_query_lists_exactly_that_countrys_records() -> None:
    """The directory of one country (no query: every record, filtered) is each record whose
    country is that country, however records were added, replaced with another country, or
    removed since the index was built."""
    records = load_records()
    index = DirectoryIndex(records)
    moved = next(r for r in records if r.country == "MY")
    index.upsert(
        IndexRecord(
            id=moved.id,
            country="SG",
            status=moved.status,
            type=moved.type,
            city=moved.city,
            names=moved.names,
        )
    )
    gone = next(r for r in records if r.country == "SG" and r.id != moved.id)
    index.remove(gone.id)
    for countries in (["MY"], ["SG"], ["MY", "SG", "ZZ"]):
        expected = {
            record.id
            for record in (index.get(r.id) for r in records)
            if record is not None and record.country in countries
        }
        result = index.search(None, countries=countries, limit=len(records))
        assert {hit.id for hit in result.hits} == expected
        assert result.total == len(expected)
        assert sum(result.facets["country"].values()) == len(expected)
