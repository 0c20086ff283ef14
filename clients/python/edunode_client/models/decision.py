from enum import StrEnum


class Decision(StrEnum):
    NEGATIVE = "negative"
    NOT_APPLICABLE = "not applicable"
    POSITIVE = "positive"
    POSITIVE_WITH_CONDITIONS_OR_RESTRICTIONS = "positive with conditions or restrictions"

    def __str__(self) -> str:
        return str(self.value)
