"""Credit transfer (ECTS Users' Guide 2015): credits through their ECTS-equivalent, grades by
grade distribution tables (the percentile method: the home grade whose band holds the middle of
the grade's band) or, with no table, by the plain-scale fallback (the modified Bavarian
formula). Every expected value below is worked by hand from those definitions and the factors
of the reference data, written out beside it."""

from __future__ import annotations

import math

import pytest

from rules.credit_systems import CREDIT_SYSTEMS, ECTS_GUIDE, home_credit_system
from rules.credit_transfer import (
    LINEAR_METHOD,
    TABLE_METHOD,
    CreditTransferError,
    Outcome,
    Studied,
    convert_credits,
    convert_grade_by_tables,
    convert_grade_linear,
    grade_table,
    is_pass,
    recognise_component,
    round_half_up,
    summary,
    summary_line,
)
from rules.grading_scales import GRADING_SCALES, GradingScale, grading_scale

DE, CN, MY = GRADING_SCALES["DE"], GRADING_SCALES["CN"], GRADING_SCALES["MY"]

# A German table: share of passing grades per grade, best first (percent).
# Bands: 1.0 0-10, 1.3 10-20, 1.7 20-40, 2.0 40-60, 2.3 60-75, 2.7 75-85, 3.0 85-95, 4.0 95-100.
DE_TABLE = grade_table(
    "TU Berlin 0613 2024-2026",
    [("1.0", 10), ("1.3", 10), ("1.7", 20), ("2.0", 20), ("2.3", 15), ("2.7", 10), ("3.0", 10),
     ("4.0", 5)],
)  # fmt: skip
# A Chinese table, as counts (200 students): bands 95 0-5, 90 5-15, 85 15-35, 80 35-60,
# 75 60-80, 70 80-90, 60 90-100.
CN_TABLE = grade_table(
    "Tsinghua 0613 2024-2026",
    [("95", 10), ("90", 20), ("85", 40), ("80", 50), ("75", 40), ("70", 20), ("60", 20)],
)


# -- credits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "target", "expected", "ects"),
    [
        (27, "ECTS", "CN", 18.0, 27.0),  # 27 x 1 / 1.5 (the example)
        (30, "ECTS", "CN", 20.0, 30.0),  # 30 / 1.5
        (6, "ECTS", "cn", 4.0, 6.0),  # codes in any case
        (3, "MY", "ECTS", 4.4, 4.36),  # 3 x 1.4545 = 4.3635: 4.4 (one decimal), 4.36 ECTS
        (3, "MY", "CN", 2.9, 4.36),  # 4.3635 / 1.5 = 2.909
        (20, "UK-CATS", "ECTS", 10.0, 10.0),  # 2 UK credits = 1 ECTS
        (4, "CN", "MY", 4.1, 6.0),  # 4 x 1.5 = 6 ECTS / 1.4545 = 4.125
        (3, "US-SCH", "ID-SKS", 3.6, 6.0),  # 3 x 2 = 6 ECTS / 1.65 = 3.636
        (30, "ECTS", "YEARS", 0.5, 30.0),  # one full-time year = 60 ECTS
        (60, "ECTS", "CN", 40.0, 60.0),  # one full-time year: the largest component
        (5, "CN", "CN", 5.0, 7.5),
    ],
)
def test_credits_convert_through_their_ects_equivalent(
    value: float, source: str, target: str, expected: float, ects: float
) -> None:
    converted = convert_credits(value, source, target)
    assert converted.credits == expected
    assert converted.ects == ects
    assert converted.system == target.upper() and converted.from_system == source.upper()
    assert converted.from_credits == value


def test_a_conversion_cites_its_rule_and_both_sources() -> None:
    converted = convert_credits(27, "ECTS", "CN")
    assert converted.rule == (
        "27 ECTS \N{MULTIPLICATION SIGN} 1 ECTS per credit = 27 ECTS ÷ 1.5 ECTS per CN credit "
        "= 18 CN"
    )
    assert converted.sources == (ECTS_GUIDE, CREDIT_SYSTEMS["CN"].source)
    # one source when both systems rest on the same one
    assert convert_credits(30, "ECTS", "YEARS").sources == (ECTS_GUIDE,)
    assert convert_credits(3, "MY", "ECTS").rule == (
        "3 MY \N{MULTIPLICATION SIGN} 1.4545 ECTS per credit = 4.36 ECTS ÷ 1 ECTS per ECTS "
        "credit = 4.4 ECTS"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.25, 2.3), (2.35, 2.4), (2.15, 2.2), (2.24, 2.2)],  # half up, not to even
)
def test_credits_round_half_up_to_one_decimal(value: float, expected: float) -> None:
    assert convert_credits(value, "ECTS", "ECTS").credits == expected


def test_round_half_up() -> None:
    assert round_half_up(84.5, 0) == 85.0
    assert round_half_up(2.125, 1) == 2.1
    assert round_half_up(2.675, 2) == 2.68  # the written value, not its binary neighbour


@pytest.mark.parametrize(
    ("value", "source", "target", "says"),
    [
        (0, "ECTS", "CN", "outside the scale"),
        (-3, "ECTS", "CN", "outside the scale"),
        (60.5, "ECTS", "CN", "at most one full-time year: 60"),
        (41, "CN", "ECTS", "at most one full-time year: 40"),
        (math.nan, "ECTS", "CN", "outside the scale"),
        (math.inf, "ECTS", "CN", "outside the scale"),
        (5, "XX", "CN", "credit system 'XX' is not in the reference data"),
        (5, "ECTS", "QQ", "credit system 'QQ' is not in the reference data"),
    ],
)
def test_credits_outside_a_scale_or_of_an_unknown_system_are_refused(
    value: float, source: str, target: str, says: str
) -> None:
    with pytest.raises(CreditTransferError, match=says):
        convert_credits(value, source, target)


# -- grades by tables ------------------------------------------------------------------------


def test_a_table_gives_each_grade_its_band_of_passing_grades() -> None:
    bands = [(b.grade, b.low, b.high) for b in CN_TABLE.bands]
    assert bands == [
        ("95", 0, 5), ("90", 5, 15), ("85", 15, 35), ("80", 35, 60), ("75", 60, 80),
        ("70", 80, 90), ("60", 90, 100),
    ]  # fmt: skip
    # counts or percentages: the same table
    assert (
        grade_table("t", [("A", 1), ("B", 3)]).bands
        == grade_table("t", [("A", 25), ("B", 75)]).bands
    )


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("1.7", "85"),  # band 20-40, middle 30: in 85 (15-35)
        ("1,7", "85"),  # a decimal comma is the same grade
        ("1.0", "95"),  # 0-10, middle 5: on the boundary of 95 (0-5) and 90: the better grade
        ("1.3", "90"),  # 10-20, middle 15: the 90/85 boundary, the better grade
        ("2.0", "80"),  # 40-60, middle 50: in 80 (35-60)
        ("2.3", "75"),  # 60-75, middle 67.5: in 75 (60-80)
        ("2.7", "75"),  # 75-85, middle 80: the upper end of 75's band (60-80)
        ("3.0", "70"),  # 85-95, middle 90: the upper end of 70's band (80-90)
        ("4.0", "60"),  # 95-100, middle 97.5: in 60 (90-100)
    ],
)
def test_a_grade_converts_to_the_home_grade_whose_band_holds_the_middle_of_its_band(
    grade: str, expected: str
) -> None:
    converted = convert_grade_by_tables(grade, DE_TABLE, CN_TABLE)
    assert converted.grade == expected
    assert converted.from_grade == grade and converted.method == TABLE_METHOD


def test_the_conversion_by_tables_explains_itself_and_works_both_ways() -> None:
    converted = convert_grade_by_tables("1.7", DE_TABLE, CN_TABLE)
    assert converted.explanation == (
        "1.7 is the top 20.0\N{EN DASH}40.0 % of passing grades in TU Berlin 0613 2024-2026; "
        "its middle, 30.0 %, falls in 85 (15.0\N{EN DASH}35.0 %) of Tsinghua 0613 2024-2026"
    )
    # back: 85 is 15-35, middle 25: in 1.7 (20-40)
    assert convert_grade_by_tables("85", CN_TABLE, DE_TABLE).grade == "1.7"
    # 60 is 90-100, middle 95: the upper end of 3.0's band (85-95)
    assert convert_grade_by_tables("60", CN_TABLE, DE_TABLE).grade == "3.0"


def test_letters_compare_in_any_case_and_a_grade_outside_the_table_is_refused() -> None:
    ects = grade_table("ECTS", [("A", 10), ("B", 25), ("C", 30), ("D", 25), ("E", 10)])
    assert convert_grade_by_tables("b", ects, CN_TABLE).grade == "85"  # 10-35, middle 22.5
    with pytest.raises(CreditTransferError, match="'F' is not a passing grade of table 'ECTS'"):
        convert_grade_by_tables("F", ects, CN_TABLE)


@pytest.mark.parametrize(
    ("counts", "says"),
    [
        ([], "lists no grade"),
        ([("1.0", 3), ("1,0", 4)], "lists a grade twice"),
        ([("A", 3), ("B", -1)], "negative or unreadable"),
        ([("A", math.nan)], "negative or unreadable"),
        ([("A", math.inf)], "negative or unreadable"),
        ([("A", 0), ("B", 0)], "counts no passing grade"),
    ],
)
def test_a_malformed_table_is_refused(counts: list[tuple[str, float]], says: str) -> None:
    with pytest.raises(CreditTransferError, match=says):
        grade_table("t", counts)


def test_a_grade_nobody_got_has_an_empty_band_and_still_converts() -> None:
    table = grade_table("t", [("A", 0), ("B", 50), ("C", 50)])
    assert [(b.low, b.high) for b in table.bands] == [(0, 0), (0, 50), (50, 100)]
    assert convert_grade_by_tables("A", table, CN_TABLE).grade == "95"  # middle 0


# -- the plain-scale fallback ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "source", "target", "expected"),
    [
        # modified Bavarian formula: 1 + 3 x (100 - 85) / (100 - 60) = 2.125
        ("85", CN, DE, "2.1"),
        ("100", CN, DE, "1.0"),
        ("60", CN, DE, "4.0"),
        # back: 100 + (60 - 100) x (1.7 - 1) / (4 - 1) = 90.67
        ("1.7", DE, CN, "91"),
        ("1,3", DE, CN, "96"),  # 100 - 40 x 0.1 = 96
        ("3.00", MY, CN, "80"),  # halfway between 4.00 and 2.00: halfway between 100 and 60
        ("90", CN, MY, "3.50"),  # 4 + (2 - 4) x 10 / 40 = 3.5
    ],
)
def test_with_no_table_a_grade_keeps_its_place_between_best_and_lowest_pass(
    grade: str, source: GradingScale, target: GradingScale, expected: str
) -> None:
    converted = convert_grade_linear(grade, source, target)
    assert converted.grade == expected and converted.method == LINEAR_METHOD


def test_the_fallback_says_so_and_explains_itself() -> None:
    converted = convert_grade_linear("85", CN, DE)
    assert "no grade distribution table" in converted.method
    assert converted.explanation == (
        "85 is 37.5 % of the way from CN's best grade (100) to its lowest pass (60); the same "
        "place on the DE scale (1 to 4) is 2.1"
    )


@pytest.mark.parametrize(
    ("grade", "scale", "passes"),
    [
        ("4.0", DE, True),
        ("4.3", DE, False),
        ("5.0", DE, False),
        ("1.0", DE, True),
        ("60", CN, True),
        ("59", CN, False),
        ("0", CN, False),
        ("2.00", MY, True),
        ("1.99", MY, False),
    ],
)
def test_a_grade_passes_from_the_lowest_pass_to_the_best(
    grade: str, scale: GradingScale, passes: bool
) -> None:
    assert is_pass(grade, scale) is passes


@pytest.mark.parametrize(
    ("grade", "scale", "says"),
    [
        ("0.7", DE, "outside the DE scale"),
        ("5.3", DE, "outside the DE scale"),
        ("101", CN, "outside the CN scale"),
        ("-1", CN, "outside the CN scale"),
        ("nan", CN, "outside the CN scale"),
        ("sehr gut", DE, "not a number of the DE scale"),
    ],
)
def test_a_grade_outside_its_scale_is_refused(grade: str, scale: GradingScale, says: str) -> None:
    with pytest.raises(CreditTransferError, match=says):
        is_pass(grade, scale)


def test_a_failed_grade_is_not_converted() -> None:
    with pytest.raises(CreditTransferError, match=r"'4\.3' is a fail on the DE scale"):
        convert_grade_linear("4.3", DE, CN)


def test_scales_are_found_in_any_case() -> None:
    assert grading_scale(" de ") is DE and grading_scale("XX") is None


# -- a component, and a learning agreement's summary -----------------------------------------


def test_a_component_missing_from_the_transcript_is_flagged() -> None:
    result = recognise_component("Compilers", None, home_system="CN")
    assert result.outcome is Outcome.MISSING and result.credits is None and result.grade is None
    assert result.explanation == "Compilers: not in the transcript"


def test_a_failed_component_counts_for_nothing() -> None:
    studied = Studied(credits=6, system="ECTS", grade="5.0", passed=False)
    result = recognise_component("Compilers", studied, home_system="CN", source_table=DE_TABLE)
    assert result.outcome is Outcome.FAILED and result.credits is None and result.grade is None
    assert result.explanation == "Compilers: failed, no credits count"


def test_a_passed_component_is_converted_by_tables_before_the_fallback() -> None:
    studied = Studied(credits=6, system="ECTS", grade="1.7", passed=True)
    by_tables = recognise_component(
        "Compilers",
        studied,
        home_system="CN",
        source_scale=DE,
        target_scale=CN,
        source_table=DE_TABLE,
        target_table=CN_TABLE,
    )
    assert by_tables.outcome is Outcome.RECOGNISED
    assert by_tables.credits is not None and by_tables.credits.credits == 4.0
    assert by_tables.grade is not None and by_tables.grade.grade == "85"
    assert by_tables.explanation == (f"Compilers: 6 ECTS as 4 CN; grade 1.7 → 85 by {TABLE_METHOD}")
    # one table only: the fallback, named
    fallback = recognise_component(
        "Compilers", studied, home_system="CN", source_scale=DE, target_scale=CN,
        source_table=DE_TABLE,
    )  # fmt: skip
    assert fallback.grade is not None and fallback.grade.grade == "91"
    assert fallback.grade.method == LINEAR_METHOD
    fallback = recognise_component(
        "Compilers", studied, home_system="CN", source_scale=DE, target_scale=CN,
        target_table=CN_TABLE,
    )  # fmt: skip
    assert fallback.grade is not None and fallback.grade.method == LINEAR_METHOD


def test_a_grade_with_neither_table_nor_scale_is_left_as_it_is_and_said_so() -> None:
    studied = Studied(credits=6, system="ECTS", grade="1.7", passed=True)
    result = recognise_component("Compilers", studied, home_system="CN", source_scale=DE)
    assert result.outcome is Outcome.RECOGNISED and result.grade is None
    assert result.explanation == (
        "Compilers: 6 ECTS as 4 CN; grade 1.7 not converted (no table and no known scale)"
    )
    ungraded = recognise_component(
        "Seminar", Studied(6, "ECTS", None, True), home_system="CN", source_scale=DE,
        target_scale=CN,
    )  # fmt: skip
    assert ungraded.grade is None and ungraded.explanation == "Seminar: 6 ECTS as 4 CN"


def test_the_summary_counts_what_was_recognised_of_what_was_planned() -> None:
    results = [
        recognise_component("A", Studied(6, "ECTS", None, True), home_system="CN"),
        recognise_component("B", Studied(6, "ECTS", None, True), home_system="CN"),
        recognise_component("C", Studied(15, "ECTS", None, True), home_system="CN"),
        recognise_component("D", Studied(3, "ECTS", None, False), home_system="CN"),
    ]
    assert summary(results, 30, "CN") == "recognised: 27 of 30 ECTS as 18 CN credits"
    assert summary([], 30, "CN") == "recognised: 0 of 30 ECTS as 0 CN credits"


@pytest.mark.parametrize(
    ("country", "system"),
    [("CN", "CN"), ("my", "MY"), ("GB", "UK-CATS"), ("DE", "ECTS"), ("PL", "ECTS")],
)
def test_a_country_counts_in_its_own_credit_system_else_in_ects(country: str, system: str) -> None:
    assert home_credit_system(country).code == system


def test_shares_are_exact_fractions_of_the_passing_grades() -> None:
    thirds = grade_table("t", [("A", 1), ("B", 1), ("C", 1)])
    assert [round(b.high, 6) for b in thirds.bands] == [33.333333, 66.666667, 100.0]
    # fractional counts are counts too: a total of one is a table
    assert [b.high for b in grade_table("t", [("A", 0.5), ("B", 0.5)]).bands] == [50.0, 100.0]


def test_the_middle_of_a_band_is_not_rounded() -> None:
    # B is 15-20 %: its middle 17.5 % is past X (0-17.2 %), so Y
    source = grade_table("s", [("A", 15), ("B", 5), ("C", 80)])
    target = grade_table("t", [("X", 172), ("Y", 828)])
    assert convert_grade_by_tables("B", source, target).grade == "Y"


def test_a_middle_past_the_sums_rounding_goes_to_the_last_grade() -> None:
    # F was awarded to nobody: its band is 100-100; twelve equal grades add up to
    # 99.99999999999999 %, so no band's end reaches 100: the last grade, the lowest pass
    source = grade_table("s", [("A", 1), ("F", 0)])
    target = grade_table("t", [(f"G{n}", 1) for n in range(12)])
    assert target.bands[-1].high < 100
    assert convert_grade_by_tables("F", source, target).grade == "G11"


def test_less_than_a_credit_is_still_a_component() -> None:
    assert convert_credits(0.5, "ECTS", "CN").credits == 0.3  # 0.5 / 1.5 = 0.333


def test_the_summary_line_rounds_each_number_half_up_to_one_decimal() -> None:
    assert summary_line(7.25, 29.25, 4.8333, "CN") == (
        "recognised: 7.3 of 29.3 ECTS as 4.8 CN credits"
    )


def test_results_are_values_that_cannot_change() -> None:
    converted = convert_credits(6, "ECTS", "CN")
    grade = convert_grade_linear("85", CN, DE)
    recognised = recognise_component("A", Studied(6, "ECTS", None, True), home_system="CN")
    for value, name in [
        (converted, "credits"),
        (grade, "grade"),
        (CN_TABLE, "label"),
        (CN_TABLE.bands[0], "grade"),
        (recognised, "outcome"),
        (Studied(6, "ECTS", None, True), "grade"),
    ]:
        with pytest.raises(AttributeError):
            setattr(value, name, None)


def test_a_grade_that_cannot_be_converted_leaves_the_credits_counted() -> None:
    letter = recognise_component(
        "Compilers", Studied(6, "ECTS", "B", True), home_system="CN", source_scale=DE,
        target_scale=CN,
    )  # fmt: skip
    assert letter.outcome is Outcome.RECOGNISED and letter.grade is None
    assert letter.credits is not None and letter.credits.credits == 4.0
    assert letter.explanation == (
        "Compilers: 6 ECTS as 4 CN; grade B not converted (grade 'B' is not a number of the DE "
        "scale)"
    )
    outside = recognise_component(
        "Compilers", Studied(6, "ECTS", "0.5", True), home_system="CN",
        source_table=DE_TABLE, target_table=CN_TABLE,
    )  # fmt: skip
    assert outside.grade is None and outside.explanation.endswith(
        "(grade '0.5' is not a passing grade of table 'TU Berlin 0613 2024-2026')"
    )
