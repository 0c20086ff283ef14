from enum import StrEnum


class DegreeOutcome(StrEnum):
    FULL_DEGREE = "full degree"
    NO_FULL_DEGREE = "no full degree"

    def __str__(self) -> str:
        return str(self.value)
