from enum import StrEnum


class IiaStatus(StrEnum):
    APPROVED = "approved"
    PROPOSED = "proposed"
    TERMINATED = "terminated"

    def __str__(self) -> str:
        return str(self.value)
