"""Caps on what one request to the institutions service may carry (docs/limits.md); the
sizes of strings every service shares are the kernel's (`shared/caps.py`).

A payload or query over a cap is refused with 422 problem+json whose `errors[].path` names the
field; nothing is truncated silently.
"""

from __future__ import annotations

# -- an institution ----------------------------------------------------------------------------
PLACE_MAX = 200  # a city
IDENTIFIERS_MAX = 100  # identifiers of one institution
RELATIONSHIPS_MAX = 10_000  # an alliance or a system can have many members

# -- a programme -------------------------------------------------------------------------------
PROGRAMME_NAMES_MAX = 50
LEVELS_MAX = 10  # framework levels of a programme
PARTNERS_MAX = 50  # joint-programme partners

# -- searches ----------------------------------------------------------------------------------
SEARCH_TEXT_MAX = 300  # `q`
SEARCH_TERMS_MAX = 20  # words in `q`: each one is matched fuzzily against every name
AFFILIATION_MAX = 1000  # a free-text affiliation to match
# words in an affiliation: a consortium's list of members runs past a hundred, and matching
# costs at most `MAX_PHRASE` look-ups a word
AFFILIATION_TERMS_MAX = 250
