from enum import StrEnum


class InquiryStatus(StrEnum):
    ANSWERED = "answered"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
