"""Text normalisation shared by indexing, search and affiliation matching.

Every name and every query goes through the same steps, so that both sides meet:

1. `fold`: Unicode NFKC, then for Latin, Greek and Cyrillic letters NFD with the combining marks
   dropped (so "Universität" and "Universitat" meet, and polytonic "Ἀθῆναι" is monotonic
   "Αθήναι") and Latin letters that do not decompose ("ø", "ł", "đ", "æ", "ə") spelled in ASCII;
   then `casefold`. Other scripts keep their marks: Thai vowel signs and Hangul syllables carry
   meaning that decomposition would scatter.
2. `words`: split the folded text into words; runs of scripts written without spaces (Chinese,
   Japanese, Korean, Thai, Lao, Khmer, Myanmar) stay one word each, and are cut into character
   n-grams by the index.
3. `canonical`: the word as the index and the matcher compare it: common abbreviations and the
   same word in other European languages become one form ("univ", "universität", "universidad"
   → "university"), a light plural is dropped, and stop words ("of", "de", "und") vanish.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility jamo, Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)


@lru_cache(maxsize=65536)
def is_unspaced(ch: str) -> bool:
    """True for a character of a script written without spaces between words."""
    code = ord(ch)
    if code < 0x0E00:
        return False
    return any(lo <= code <= hi for lo, hi in _UNSPACED_RANGES)


def _is_alphabetic_european(code: int) -> bool:
    # Latin, IPA, Greek, Cyrillic and the Latin/Greek extended blocks.
    return code < 0x0530 or 0x1E00 <= code <= 0x1FFF


def _is_greek_or_cyrillic(code: int) -> bool:
    # Greek and Coptic, Cyrillic, Cyrillic Supplement, and Greek Extended (polytonic letters).
    return 0x0370 <= code < 0x0530 or 0x1F00 <= code <= 0x1FFF


_APOSTROPHE_S = re.compile(r"(?<=\w)['\u2019`\u02bc]s\b", re.UNICODE)
_SEPARATORS = re.compile(
    r"[\s\-\u2010\u2011\u2012\u2013\u2014_/\\|.,;:!?()\[\]{}<>\"'\u2019`\u02bc\u201c\u201d\u201e\u00ab\u00bb*#+=~^\u00b0%$@\u2022\u00b7]+"
)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x80:
        return ch.lower()
    if not _is_alphabetic_european(code):
        return ch.casefold()
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.casefold()
    if _is_greek_or_cyrillic(code):
        return base  # Greek and Cyrillic stay in their script; transliteration is separate
    if base.isascii():
        return base
    return anyascii(base).lower()


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Accent- and case-insensitive form of `text`, with punctuation turned into spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if "'" in text or not text.isascii():
        text = _APOSTROPHE_S.sub("s", text)
    text = text.replace("&", " and ")
    folded = text.lower() if text.isascii() else text.translate(_FOLD_TABLE)
    return " ".join(_SEPARATORS.split(folded)).strip()


def words(folded: str) -> list[str]:
    """Split folded text into words; a run of an unspaced script is one word."""
    out: list[str] = []
    for chunk in folded.split():
        if chunk.isascii():
            out.append(chunk)
            continue
        current = ""
        current_unspaced = False
        for ch in chunk:
            unspaced = is_unspaced(ch)
            if current and unspaced != current_unspaced:
                out.append(current)
                current = ""
            current += ch
            current_unspaced = unspaced
        if current:
            out.append(current)
    return out


def is_unspaced_word(word: str) -> bool:
    return bool(word) and not word[0].isascii() and is_unspaced(word[0])


# In a transliteration an apostrophe or a backquote spells a letter (a soft or hard sign, an
# ayin, a hamza), not a break between words: "львівська" is "lvivska", not "l vivs ka".
_TRANSLITERATED_SIGNS = str.maketrans("", "", "'`")


def transliterate(word: str) -> str:
    """ASCII spelling of a word of a spaced non-Latin script (Cyrillic, Greek, Arabic, ...)."""
    spelled = anyascii(word).translate(_TRANSLITERATED_SIGNS).lower()
    return " ".join(_SEPARATORS.split(spelled)).strip()


def needs_transliteration(word: str) -> bool:
    return not word.isascii() and not is_unspaced_word(word) and any(ch.isalpha() for ch in word)


STOPWORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "at",
        "on",
        "to",
        "an",
        "a",
        "i",
        "y",
        "e",
        "o",
        "s",
        "l",
        "d",
        "et",
        "und",
        "en",
        "de",
        "del",
        "della",
        "delle",
        "dei",
        "degli",
        "dell",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "des",
        "du",
        "la",
        "le",
        "les",
        "el",
        "los",
        "las",
        "lo",
        "fur",
        "der",
        "die",
        "den",
        "dem",
        "van",
        "von",
        "voor",
        "zu",
        "im",
        "am",
        "aux",
        "au",
    ]
)

# Abbreviations and the same word in other languages, mapped to one form. Applied after
# folding, to whole words, on both the indexed names and the query.
_CANONICAL_GROUPS = {
    "university": """univ uni unversity universiy universty universitat universitaet universita
        universite universidad universidade universitas universiti universitet universiteit
        uniwersytet universitatea univerzita univerzitet univerza universitaria universitario""",
    "institute": "inst instit institut instituto istituto instytut institutet institutt",
    "technology": "tech technol techn technologies",
    "national": "natl nat nacional nazionale nationale nationaal narodowy",
    "department": "dept dep depts departement departamento dipartimento",
    "laboratory": "lab labs laboratories laboratoire laboratorio laboratorium labor",
    "center": "ctr cntr centre centres centers centro zentrum centrum centrale",
    "science": "sci sciences",
    "hospital": "hosp hopital ospedale hospitals",
    "medical": "med",
    "college": "coll colegio collegium",
    "academy": "acad academia akademie academie akademia akademiya",
    "research": "res recherche recherches ricerca ricerche investigacion investigaciones "
    "investigacao pesquisa pesquisas",
    "association": "assoc assn",
    "society": "soc",
    "international": "int intl internacional internazionale",
    "engineering": "eng engn engg",
    "agricultural": "agric agr",
    "faculty": "fac",
    "school": "sch",
    "government": "govt",
    "saint": "st ste san sankt",
    "mount": "mt",
    "fort": "ft",
    "corporation": "corp",
    "polytechnic": "polytech polytechnique politecnico politecnica politechnika polytechnical",
    "foundation": "fdn fundacion fondazione fundacao stiftung",
    "mathematics": "math maths",
    "technical": "technische technischen tecnica tecnico technicka technicky tekniska",
    "catholic": "katholische katholieke catholique cattolica catolica katolicki katolicka",
}
CANONICAL: dict[str, str] = {
    variant: canon for canon, variants in _CANONICAL_GROUPS.items() for variant in variants.split()
}
_PLURAL_KEEP = ("ss", "us", "is", "os", "as", "ys")


@lru_cache(maxsize=262144)
def canonical(word: str) -> str:
    """The form under which `word` is indexed; "" for a stop word."""
    if word in STOPWORDS:
        return ""
    mapped = CANONICAL.get(word)
    if mapped is not None:
        return mapped
    if len(word) >= 4 and word.isascii() and word.endswith("s") and not word.endswith(_PLURAL_KEEP):
        stem = word[:-1]
        return CANONICAL.get(stem, stem)
    return word


PLACE_SPELLING_LENGTH = 5  # shorter place names differ by a letter from other words


def same_place(word: str, place_word: str) -> bool:
    """Is `word` the place word `place_word`, or the same name spelt a letter apart
    ("hannover", "hanover")? Short words must be equal: "bonn" is not "born"."""
    if word == place_word:
        return True
    return (
        min(len(word), len(place_word)) >= PLACE_SPELLING_LENGTH
        and abs(len(word) - len(place_word)) <= 1
        and word[0] == place_word[0]
        and Levenshtein.distance(word, place_word, score_cutoff=1) <= 1
    )


def char_ngrams(word: str, n: int = 2) -> list[str]:
    """Character n-grams of an unspaced-script word (the word itself when shorter than n)."""
    if len(word) <= n:
        return [word]
    return [word[i : i + n] for i in range(len(word) - n + 1)]


_CAMEL_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")


def split_camel(text: str) -> str:
    """Separate words glued by a missing space ("UniversityShenzhen" → "University Shenzhen",
    "CONICETUniversidad" → "CONICET Universidad")."""
    return _CAMEL_SPLIT.sub(" ", text)


def phrase_key(content: Iterable[str]) -> str:
    """The phrase key of canonical words: spaced words joined by spaces, unspaced runs glued."""
    out = ""
    previous_unspaced = False
    for word in content:
        unspaced = is_unspaced_word(word)
        if out and not (unspaced and previous_unspaced):
            out += " "
        out += word
        previous_unspaced = unspaced
    return out
