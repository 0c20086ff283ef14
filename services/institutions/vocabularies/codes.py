"""The code lists the directory validates against, shipped as data files beside this module
(each names its source; ISCED-F is the shared rule of `rules.isced_f`), and the check-digit
rules of the identifiers it stores."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from rules.isced_f import ISCED_F_FIELDS
from rules.isced_f import is_isced_f as is_isced_f  # where the directory's callers find it


@cache
def _codes(name: str) -> dict[str, str]:
    text = (resources.files(__package__) / name).read_text(encoding="utf-8")
    codes: dict[str, str] = json.loads(text)["codes"]
    return codes


def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → English name (plus XK, as ROR uses it)."""
    return _codes("countries.json")


def language_codes() -> dict[str, str]:
    """ISO 639-1 code → English name."""
    return _codes("languages.json")


def isced_f_fields() -> dict[str, str]:
    """ISCED-F 2013 field code (2, 3 or 4 digits) → name (the one list: `rules.isced_f`)."""
    return ISCED_F_FIELDS


def is_country(code: str) -> bool:
    return code in country_codes()


def is_language(code: str) -> bool:
    return code in language_codes()


_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
ROR_ID = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")


def normalize_ror_id(value: str) -> str:
    """The bare 9-character ROR id from an id or its URL (`https://ror.org/02e7b5302`)."""
    value = value.strip().lower()
    for prefix in ("https://ror.org/", "http://ror.org/", "ror.org/"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def ror_checksum_ok(ror_id: str) -> bool:
    """ROR ids end in an ISO 7064 mod 97-10 checksum of their base-32 part."""
    if not ROR_ID.match(ror_id):
        return False
    number = 0
    for char in ror_id[:7]:
        number = number * 32 + _CROCKFORD.index(char)
    return 98 - (number * 100) % 97 == int(ror_id[7:])


def isni_checksum_ok(isni: str) -> bool:
    """ISNI (ISO 27729): 15 digits and an ISO 7064 mod 11-2 check character."""
    if not re.fullmatch(r"\d{15}[\dX]", isni):
        return False
    total = 0
    for char in isni[:15]:
        total = (total + int(char)) * 2
    remainder = (12 - total % 11) % 11
    return ("X" if remainder == 10 else str(remainder)) == isni[15]
