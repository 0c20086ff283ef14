from enum import StrEnum


class InstitutionStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    INACTIVE = "inactive"
    MERGED = "merged"

    def __str__(self) -> str:
        return str(self.value)
