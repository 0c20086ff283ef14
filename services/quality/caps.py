"""Caps on what one request to the quality service may carry (docs/limits.md); the sizes of
strings every service shares are the kernel's (`shared/caps.py`).

A payload over a cap is refused with 422 problem+json whose `errors[].path` names the field;
nothing is truncated silently.
"""

from __future__ import annotations

# -- an agency ---------------------------------------------------------------------------------
FOCUS_COUNTRIES_MAX = 250  # every country there is
REGISTRATIONS_MAX = 100
ACTIVITIES_MAX = 50

# -- an evaluation -----------------------------------------------------------------------------
EVALUATION_INSTITUTIONS_MAX = 100
EVALUATION_PROGRAMMES_MAX = 200
CONTRIBUTING_AGENCIES_MAX = 50
FILES_MAX = 20
TEXT_MAX = 20_000  # a summary of a QA report
BATCH_MAX = 1000  # evaluations in one `evaluations:batch`
