from enum import StrEnum


class CheckOutcome(StrEnum):
    FAILED = "failed"
    NOT_CHECKED = "not_checked"
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
