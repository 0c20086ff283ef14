from enum import StrEnum


class RecognitionStatus(StrEnum):
    CONFIRMED = "confirmed"
    OVERRIDDEN = "overridden"
    PROPOSED = "proposed"

    def __str__(self) -> str:
        return str(self.value)
