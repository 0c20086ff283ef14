"""Names spelt in other scripts and with other letters meet their ASCII spelling.

The expected spellings are the scripts' usual romanisations, as people type them: Azerbaijani
Latin "ə" is written "e" without it ("Dövlət" → "Dovlet"), Kazakh Latin (2021) spells "қ" "q"
and "ұ" "u", Ukrainian's soft sign is left out of the national romanisation ("Львів" → "Lviv"),
modern Greek is read as it is spoken (ELOT 743: "η" → "i"), polytonic Greek is the same word as
monotonic, German's "ü" meets "u", and Icelandic "þ", "ð" are "th", "d".
"""

from __future__ import annotations

import uuid

from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.records import IndexedName, IndexRecord
from services.institutions.directory.text import canonical, fold, transliterate, words


def content_words(text: str) -> list[str]:
    """The canonical words of `text`, stop words left out: what the index compares."""
    return [canon for canon in map(canonical, words(fold(text))) if canon]


BAKU_STATE_UNIVERSITY = "Bak\u0131 Dövlət Universiteti"  # U+0131: the dotless i


def found_by(name: str, lang: str, query: str) -> bool:
    record = IndexRecord(
        id=uuid.UUID(int=7),
        country="XX",
        status="active",
        type="education",
        city=None,
        names=(IndexedName(name, lang, "label"),),
    )
    index = DirectoryIndex([record])
    return [hit.id for hit in index.search(query).hits] == [record.id]


def test_latin_letters_that_do_not_decompose_are_spelt_in_ascii() -> None:
    assert fold(BAKU_STATE_UNIVERSITY) == "baki dovlet universiteti"
    assert fold("Łódź Ørsted Æbeltoft Straße") == "lodz orsted aebeltoft strasse"
    assert fold("Þjóðminjasafn") == "thjodminjasafn"


def test_an_azerbaijani_name_is_found_in_ascii() -> None:
    assert found_by(BAKU_STATE_UNIVERSITY, "az", "Baki Dovlet Universiteti")


def test_german_umlauts_meet_the_plain_vowel() -> None:
    assert content_words("Universität Zürich") == content_words("Universitat Zurich")
    assert found_by("Universität Zürich", "de", "Universitaet Zurich")


def test_polytonic_greek_is_the_same_word_as_monotonic() -> None:
    assert fold("Ἀθῆναι") == fold("Αθήναι") == "αθηναι"


def test_greek_names_are_found_in_their_modern_romanisation() -> None:
    assert transliterate(fold("Θεσσαλονίκη")) == "thessaloniki"
    assert found_by(
        "Αριστοτέλειο Πανεπιστήμιο Θεσσαλονίκης",
        "el",
        "Aristoteleio Panepistimio Thessalonikis",
    )


def test_a_soft_sign_is_a_letter_not_a_break_between_words() -> None:
    assert transliterate(fold("Львівська")) == "lvivska"
    assert found_by(
        "Національний університет «Львівська політехніка»",
        "uk",
        "Lvivska Politekhnika",
    )


def test_a_kazakh_name_is_found_in_kazakh_latin_letters() -> None:
    assert found_by(
        "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "kk",
        "Qazaq Ulttyq Universiteti",
    )


def test_chinese_is_matched_by_characters_not_by_a_romanisation() -> None:
    # Hanzi are indexed as character n-grams: no pinyin spelling (nor its spacing) is involved.
    words = fold("清华大学 Tsinghua").split()
    assert words == ["清华大学", "tsinghua"]
    assert found_by("清华大学", "zh", "清华")
