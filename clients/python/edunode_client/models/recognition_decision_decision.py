from enum import StrEnum


class RecognitionDecisionDecision(StrEnum):
    CONFIRMED = "confirmed"
    OVERRIDDEN = "overridden"

    def __str__(self) -> str:
        return str(self.value)
