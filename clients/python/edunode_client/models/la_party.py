from enum import StrEnum


class LaParty(StrEnum):
    RECEIVING = "receiving"
    SENDING = "sending"
    STUDENT = "student"

    def __str__(self) -> str:
        return str(self.value)
