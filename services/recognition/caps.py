"""Caps on what one request to the recognition service may carry (docs/limits.md); the sizes
of strings every service shares are the kernel's (`shared/caps.py`).

A payload over a cap is refused with 422 problem+json whose `errors[].path` names the field;
nothing is truncated silently.
"""

from __future__ import annotations

REFERENCE_MAX = 1000  # the reference of a legal basis (an agreement id, a law)
REASONING_MAX = 10_000  # a justification, the grounds of an appeal
CONDITIONS_MAX = 20  # conditions of one decision
