from enum import StrEnum


class AppealOutcome(StrEnum):
    DISMISSED = "dismissed"
    GRANTED = "granted"

    def __str__(self) -> str:
        return str(self.value)
