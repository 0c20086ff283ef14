"""ISCED-F 2013 field codes, one rule for the directory's programmes and mobility's agreements
(UNESCO UIS, ISCED-F 2013: broad fields of 2 digits, narrow of 3, detailed of 4; a code of a
listed field followed by zeros is "not further defined")."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from contracts.mobility import CooperationCondition
from rules.isced_f import ISCED_F_FIELDS, is_isced_f
from services.institutions.vocabularies.codes import is_isced_f as directory_is_isced_f


@pytest.mark.parametrize(
    ("code", "listed"),
    [
        ("06", True),  # ICTs, broad
        ("061", True),
        ("0613", True),  # software and applications development
        ("0610", True),  # 061 not further defined
        ("0600", True),  # 06 not further defined
        ("060", True),
        ("0614", False),  # 061 has 0611, 0612, 0613, 0619 only
        ("12", False),  # no broad field 12
        ("6", False),
        ("06130", False),
        ("O613", False),
        ("", False),
    ],
)
def test_a_field_code_is_a_listed_field_or_one_not_further_defined(code: str, listed: bool) -> None:
    assert is_isced_f(code) is listed
    assert directory_is_isced_f(code) is listed  # the directory asks the same rule


def test_the_list_has_the_fields_of_isced_f_2013() -> None:
    assert ISCED_F_FIELDS["0613"] == "Software and applications development and analysis"
    assert {code for code in ISCED_F_FIELDS if len(code) == 2} == {
        f"{n:02d}" for n in range(11)
    } | {"99"}


def test_an_agreement_names_only_listed_fields() -> None:
    condition = {
        "mobility_type": "student_studies",
        "sending_institution_id": "01900000-0000-7000-8000-000000000001",
        "receiving_institution_id": "01900000-0000-7000-8000-000000000002",
        "places_per_year": 2,
        "months_per_place": 5,
    }
    assert CooperationCondition.model_validate(condition | {"isced_f": ["0613", "041"]})
    with pytest.raises(ValidationError, match="'0614' is not an ISCED-F 2013 field code"):
        CooperationCondition.model_validate(condition | {"isced_f": ["0614"]})
