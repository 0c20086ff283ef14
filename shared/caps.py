"""The sizes every service's payloads share (docs/limits.md): how long a name, a code, a note
may be, how many names and languages a record may have. Each service's own caps (its lists,
its searches, its batches) are in its `caps.py`.

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
NOTE_MAX = 2000  # a reason, a condition, a note, a described difference

Note = Annotated[str, Field(max_length=NOTE_MAX)]  # an item of a list of conditions

# -- lists -----------------------------------------------------------------------------------
NAMES_MAX = 200  # names of one record (all languages, historical ones included)
LANGUAGES_MAX = 20


def at_most_words(limit: int) -> AfterValidator:
    """A validator for a search text (or nothing) of at most `limit` words."""

    def check(value: str | None) -> str | None:
        if value is not None and len(value.split()) > limit:
            raise ValueError(f"at most {limit} words")
        return value

    return AfterValidator(check)
