from enum import StrEnum


class NominationStatus(StrEnum):
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    NOMINATED = "nominated"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
