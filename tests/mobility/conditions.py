"""Agreement bodies the mobility tests send: conditions between two institutions, as an
international office would write them (EWP's cooperation conditions)."""

from __future__ import annotations

import uuid
from typing import Any


def conditions(a: uuid.UUID, b: uuid.UUID, *, places: int = 2) -> dict[str, Any]:
    """Students both ways (business, bachelor and master, English B2), and staff teaching from
    `a` to `b`, for two academic years."""
    return {
        "cooperation_conditions": [
            {
                "mobility_type": "student_studies",
                "sending_institution_id": str(a),
                "receiving_institution_id": str(b),
                "isced_f": ["041", "0413"],
                "eqf_levels": [6, 7],
                "places_per_year": places,
                "months_per_place": 5,
                "languages": [{"language": "en", "cefr_level": "B2"}],
            },
            {
                "mobility_type": "student_studies",
                "sending_institution_id": str(b),
                "receiving_institution_id": str(a),
                "isced_f": ["041"],
                "eqf_levels": [6],
                "places_per_year": 2,
                "months_per_place": 5,
                "languages": [{"language": "zh", "cefr_level": "B1"}],
            },
            {
                "mobility_type": "staff_teaching",
                "sending_institution_id": str(a),
                "receiving_institution_id": str(b),
                "places_per_year": 1,
                "months_per_place": 0.25,
            },
        ],
        "academic_years": ["2026/2027", "2027/2028"],
    }
