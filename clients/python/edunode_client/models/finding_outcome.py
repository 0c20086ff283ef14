from enum import StrEnum


class FindingOutcome(StrEnum):
    INCONCLUSIVE = "inconclusive"
    INFORMATIVE = "informative"
    NEGATIVE = "negative"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"
    POSITIVE = "positive"

    def __str__(self) -> str:
        return str(self.value)
