"""Request fields refuse what the OpenAPI document does not allow, where pydantic's lax
parsing would take it: a number as a date, a number as a boolean."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, ValidationError

from shared.fields import IsoDate, IsoDateTime, JsonBool


class Payload(BaseModel):
    awarded_on: IsoDate
    ended_on: IsoDate | None = None
    transnational: JsonBool = False


def test_a_date_is_read_from_iso_text_or_a_date() -> None:
    assert Payload.model_validate({"awarded_on": "2024-07-01"}).awarded_on == date(2024, 7, 1)
    assert Payload(awarded_on=date(2024, 7, 1)).awarded_on == date(2024, 7, 1)
    assert Payload.model_validate({"awarded_on": "2024-07-01", "ended_on": None}).ended_on is None


@pytest.mark.parametrize("value", [0, 1719792000, "0", "1719792000", 0.0, "2024-7-1", "", []])
def test_a_date_is_never_a_number_or_other_text(value: object) -> None:
    # Lax pydantic reads 0 and "0" as 1970-01-01: conformance testing found both accepted.
    with pytest.raises(ValidationError) as error:
        Payload.model_validate({"awarded_on": "2024-07-01", "ended_on": value})
    assert error.value.errors()[0]["loc"] == ("ended_on",)


def test_an_impossible_day_is_still_refused() -> None:
    with pytest.raises(ValidationError):
        Payload.model_validate({"awarded_on": "2024-02-30"})


@pytest.mark.parametrize("value", [0, 1, "true", "yes", None])
def test_a_boolean_is_only_true_or_false(value: object) -> None:
    with pytest.raises(ValidationError):
        Payload.model_validate({"awarded_on": "2024-07-01", "transnational": value})
    assert Payload.model_validate({"awarded_on": "2024-07-01", "transnational": True}).transnational


class Since(BaseModel):
    since: IsoDateTime


def test_a_moment_is_iso_text_never_a_number() -> None:
    # Lax pydantic reads 0.5 as half a second after 1970: conformance testing found it accepted
    # by the audit log's `since` filter.
    read = Since.model_validate({"since": "2026-01-31T09:30:00Z"}).since
    assert read == datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    for value in (0.5, 1719792000, "1719792000", "2026-01-31", ""):
        with pytest.raises(ValidationError):
            Since.model_validate({"since": value})
