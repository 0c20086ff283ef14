"""The console's languages: every message of its templates and code has a translation in each
catalogue, placeholders intact, and the language is the person's choice, else the browser's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from services.gateway.console.i18n import LANGUAGES, TRANSLATIONS, Texts, negotiate

CONSOLE = Path(TRANSLATIONS).parent
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def console_messages() -> set[str]:
    """Every message the console's templates (`_()`) and code (`gettext()`) ask for."""
    methods = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    found = extract_from_dir(CONSOLE, methods, keywords={"_": None, "gettext": None})
    return {str(message) for _file, _line, message, _comments, _context in found}


@pytest.mark.parametrize("folder", ["zh_Hans", "ms"])
def test_every_message_is_translated_with_its_placeholders(folder: str) -> None:
    messages = console_messages()
    assert len(messages) > 50  # the extraction found the templates
    with (TRANSLATIONS / folder / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(messages - translated.keys())
    assert not missing, f"{folder} lacks: {missing}"
    for message in messages:
        found = set(_PLACEHOLDER.findall(str(translated[message])))
        assert found == set(_PLACEHOLDER.findall(message)), message


@pytest.mark.parametrize(
    ("accept_language", "chosen", "expected"),
    [
        (None, None, "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", None, "zh-Hans"),
        ("zh-TW", None, "en"),  # Traditional Chinese readers are not given Simplified
        ("ms-MY, en;q=0.5", None, "ms"),
        ("fr-FR, ms;q=0.3, zh;q=0.6", None, "zh-Hans"),  # by quality, not by order
        ("de, en;q=0", None, "en"),  # q=0: not acceptable; nothing of ours is: English
        ("zh-CN", "ms", "ms"),  # the person's choice beats the browser's
        ("ms", "klingon", "ms"),  # a choice we do not have is ignored
        ("ms;q=abc, zh", None, "zh-Hans"),  # a malformed quality skips that entry
    ],
)
def test_the_language_is_the_choice_else_the_browsers_best(
    accept_language: str | None, chosen: str | None, expected: str
) -> None:
    assert negotiate(accept_language, chosen) == expected


def test_dates_and_numbers_follow_the_language() -> None:
    assert Texts("zh-Hans").date("2026-12-07") == "2026年12月7日"
    assert Texts("ms").date("2026-12-07") == "7 Dis 2026"
    assert Texts("en").number(36000) == "36,000"
    assert set(LANGUAGES) == {"en", "zh-Hans", "ms"}
