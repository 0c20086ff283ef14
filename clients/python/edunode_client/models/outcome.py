from enum import StrEnum


class Outcome(StrEnum):
    ADVICE = "advice"
    ALTERNATIVE = "alternative"
    CONDITIONAL = "conditional"
    PARTIAL = "partial"
    RECOGNISED = "recognised"
    RECOGNISED_AT_LEVEL_ONLY = "recognised at level only"
    REFUSED = "refused"

    def __str__(self) -> str:
        return str(self.value)
