from enum import StrEnum


class FlagLevel(StrEnum):
    HIGH = "high"
    LOW = "low"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
