from enum import StrEnum


class ProgrammeStatus(StrEnum):
    ACTIVE = "active"
    DISCONTINUED = "discontinued"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
