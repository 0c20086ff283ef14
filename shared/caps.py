"""Caps on what one request may carry, named once for every service (docs/limits.md).

A payload or query over a cap is refused with 422 problem+json whose `errors[].path` names the
field; nothing is truncated silently. The gateway's body limit (413) bounds a request's bytes;
these bound its shape, so that no single field, list or search can make a request expensive.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

# -- strings ---------------------------------------------------------------------------------
NAME_MAX = 500  # a name of an institution, programme or agency; a title
SHORT_TEXT_MAX = 300  # a qualification, a city, an activity's or a level's name
CODE_MAX = 200  # an identifier's value, a local identifier, a criterion
PLACE_MAX = 200  # a city
REFERENCE_MAX = 1000  # the reference of a legal basis (an agreement id, a law)
NOTE_MAX = 2000  # a reason, a condition, a note, a described difference
REASONING_MAX = 10_000  # a justification, the grounds of an appeal
TEXT_MAX = 20_000  # a summary of a QA report

Note = Annotated[str, Field(max_length=NOTE_MAX)]  # an item of a list of conditions

# -- lists -----------------------------------------------------------------------------------
NAMES_MAX = 200  # names of one record (all languages, historical ones included)
IDENTIFIERS_MAX = 100  # identifiers of one institution
RELATIONSHIPS_MAX = 10_000  # an alliance or a system can have many members
LANGUAGES_MAX = 20
PROGRAMME_NAMES_MAX = 50
LEVELS_MAX = 10  # framework levels of a programme
PARTNERS_MAX = 50  # joint-programme partners, contributing agencies
CONDITIONS_MAX = 20
FOCUS_COUNTRIES_MAX = 250  # every country there is
REGISTRATIONS_MAX = 100
ACTIVITIES_MAX = 50
EVALUATION_INSTITUTIONS_MAX = 100
EVALUATION_PROGRAMMES_MAX = 200
FILES_MAX = 20
BATCH_MAX = 1000  # evaluations in one `evaluations:batch`

# -- searches --------------------------------------------------------------------------------
SEARCH_TEXT_MAX = 300  # `q`
SEARCH_TERMS_MAX = 20  # words in `q`: each one is matched fuzzily against every name
AFFILIATION_MAX = 1000  # a free-text affiliation to match
# words in an affiliation: a consortium's list of members runs past a hundred, and matching
# costs at most `MAX_PHRASE` look-ups a word
AFFILIATION_TERMS_MAX = 250


def at_most_words(limit: int) -> AfterValidator:
    """A validator for a search text (or nothing) of at most `limit` words."""

    def check(value: str | None) -> str | None:
        if value is not None and len(value.split()) > limit:
            raise ValueError(f"at most {limit} words")
        return value

    return AfterValidator(check)
