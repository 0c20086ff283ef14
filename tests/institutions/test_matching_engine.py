"""Affiliation matching on labelled strings and hand-written hard cases.

The labelled sample (`data/search/matching-sample.csv`, from ROR's affiliation-matching data,
MIT licence) is counted the way `shared/data/README.md` counts the full files: precision = chosen
ids that are gold, recall = gold ids chosen, and NP rows must choose nothing. The index is the
committed ROR sample, which holds every gold record and every rival the full-size matcher saw.
"""

from __future__ import annotations

import csv
import gzip
import json
import uuid
from pathlib import Path

import pytest

from services.institutions.bulk.formats import id_from_ror
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.matcher import match_affiliation
from services.institutions.directory.records import IndexRecord
from tests.institutions.ror_index import ror_index_records

DATA = Path(__file__).parent / "data" / "search"
MALAYA = id_from_ror("https://ror.org/00rzspn62")
NUS = id_from_ror("https://ror.org/01tgyzw49")
PEKING = id_from_ror("https://ror.org/02v51f717")
CHULALONGKORN = id_from_ror("https://ror.org/028wp3y58")
STANFORD = id_from_ror("https://ror.org/00f54p054")
LBNL = id_from_ror("https://ror.org/02jbv0t02")
MATCHING_TYPES = {"EXACT", "PHRASE", "COMMON TERMS", "FUZZY", "HEURISTICS", "ACRONYM"}


def load_records() -> list[IndexRecord]:
    with gzip.open(DATA / "ror-sample.json.gz", "rt", encoding="utf-8") as fh:
        return list(ror_index_records(json.load(fh)))


@pytest.fixture(scope="module")
def index() -> DirectoryIndex:
    index = DirectoryIndex(load_records())
    index.warm_up()
    return index


def chosen(index: DirectoryIndex, text: str) -> uuid.UUID | None:
    picks = [c.id for c in match_affiliation(index, text) if c.chosen]
    assert len(picks) <= 1
    return picks[0] if picks else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dept. of Physics, Univ. Malaya, 50603 Kuala Lumpur, Malaysia", MALAYA),
        ("Faculty of Medicine, Universiti Malaya, Kuala Lumpur", MALAYA),
        ("Malaya University", MALAYA),
        ("UM, Kuala Lumpur, Malaysia", MALAYA),  # acronym, with the country and city named
        ("University of Malaya, Singapore", NUS),  # the country picks NUS's old name
        ("北京大学物理学院", PEKING),  # Chinese, no spaces
        ("Peking UniversityShenzhen Graduate School", PEKING),  # a missing space
        ("จุฬาลงกรณ์มหาวิทยาลัย คณะวิศวกรรมศาสตร์", CHULALONGKORN),  # Thai
        ("Department of Physics, Stanford University, Stanford, CA 94305, USA", STANFORD),
        ("Joint Genome Institute, Lawrence Berkeley National Laboratory", LBNL),
        ("Lawrence Berkeley Natl. Lab., Berkeley, CA", LBNL),
    ],
)
def test_hard_cases_choose_the_institution(
    index: DirectoryIndex, text: str, expected: uuid.UUID
) -> None:
    assert chosen(index, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "UM",  # an acronym without a country says nothing
        "Chulalongkorn University, Bangkok, China",  # the named country disagrees
        "Optomechatronics Group",
        "Department of Physics",
        "",
        "   ,,, ;",
    ],
)
def test_nothing_is_chosen_without_confidence(index: DirectoryIndex, text: str) -> None:
    assert chosen(index, text) is None


def test_candidates_are_ranked_and_well_formed(index: DirectoryIndex) -> None:
    candidates = match_affiliation(
        index, "Dept. of Physics, Univ. Malaya, Kuala Lumpur, Malaysia", limit=5
    )
    assert candidates and candidates[0].id == MALAYA and candidates[0].chosen
    assert len(candidates) <= 5
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    for candidate in candidates:
        assert 0.0 <= candidate.score <= 1.0
        assert candidate.matching_type in MATCHING_TYPES


def test_country_in_the_name_is_not_a_conflict(index: DirectoryIndex) -> None:
    # "Singapore" belongs to the name itself; no other country is named
    assert chosen(index, "National University of Singapore") == NUS


def test_matching_is_deterministic(index: DirectoryIndex) -> None:
    again = DirectoryIndex(reversed(load_records()))
    with (DATA / "matching-sample.csv").open(encoding="utf-8", newline="") as fh:
        texts = [row["affiliation"] for row in csv.DictReader(fh)]
    for text in texts:
        assert match_affiliation(index, text) == match_affiliation(again, text)


def test_labelled_sample_precision_recall_and_np(index: DirectoryIndex) -> None:
    chosen_total = right = gold_total = np_rows = np_clean = 0
    with (DATA / "matching-sample.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 100
    for row in rows:
        value = row["ror_id"].strip()
        gold = set() if value == "NP" else {id_from_ror(v) for v in value.split(";") if v.strip()}
        picks = {c.id for c in match_affiliation(index, row["affiliation"]) if c.chosen}
        chosen_total += len(picks)
        right += len(picks & gold)
        gold_total += len(gold)
        if not gold:
            np_rows += 1
            np_clean += not picks
    # Floors a little under what this sample gives; the full-size figures come from
    # bench/matching.py (see its docstring).
    assert right / chosen_total >= 0.8
    assert right / gold_total >= 0.75
    assert np_clean / np_rows >= 0.9
