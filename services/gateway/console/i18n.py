"""The console's languages: gettext catalogues (`translations/<locale>/LC_MESSAGES/messages.po`),
compiled with Babel when first used; the language is the one the person picked (a cookie), else
the best of the browser's `Accept-Language`, else English. Dates and numbers follow the locale.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

TRANSLATIONS = Path(__file__).parent / "translations"
DEFAULT = "en"
# The console's languages, by the tag a browser sends, with each one's own name.
LANGUAGES: dict[str, str] = {"en": "English", "zh-Hans": "简体中文", "ms": "Bahasa Melayu"}
_CATALOGUE = {"en": None, "zh-Hans": "zh_Hans", "ms": "ms"}
LANGUAGE_COOKIE = "edunode_console_lang"
_Day = date  # `Texts.date` hides the name in the class


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (English: the messages themselves)."""
    folder = _CATALOGUE.get(language)
    if folder is None:
        return gettext.NullTranslations()
    with (TRANSLATIONS / folder / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=folder)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _tag_matches(wanted: str) -> str | None:
    wanted = wanted.strip().lower()
    if not wanted:
        return None
    for tag in LANGUAGES:
        if wanted == tag.lower():
            return tag
    primary = wanted.split("-")[0]
    if primary == "zh":  # Simplified is what zh-CN, zh-SG and plain zh read
        return "zh-Hans" if wanted in ("zh", "zh-cn", "zh-sg", "zh-hans-cn") else None
    return next((tag for tag in LANGUAGES if tag.lower() == primary), None)


def negotiate(accept_language: str | None, chosen: str | None = None) -> str:
    """The language to answer in: `chosen` if it is one of ours, else the browser's most
    preferred one we have (RFC 9110 §12.5.4 quality values), else English."""
    if chosen in LANGUAGES:
        return chosen
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:1000].split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if quality > 0:
            weighted.append((-quality, position, tag))
    for _quality, _position, tag in sorted(weighted):
        found = _tag_matches(tag)
        if found is not None:
            return found
    return DEFAULT


class Texts:
    """What a page needs to speak one language: `_` for messages, dates and numbers."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = Locale.parse(language.replace("-", "_"))
        self._translations = translations(language)

    def gettext(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message)
        return text % values if values else text

    def date(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
            except ValueError:
                return str(value)
        if isinstance(value, datetime):
            return format_datetime(value, "medium", locale=self.locale)
        return format_date(value, "medium", locale=self.locale)

    def number(self, value: float | int | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def month(self, value: _Day) -> str:
        """A month and its year, as the locale writes them (`Mar 2026`, `2026年3月`)."""
        return format_skeleton("yMMM", value, locale=self.locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.locale)

    def time(self, value: datetime) -> str:
        return format_datetime(value, "short", locale=self.locale)
