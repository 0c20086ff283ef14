from enum import StrEnum


class ResultStatus(StrEnum):
    FAILED = "failed"
    IN_PROGRESS = "in-progress"
    PASSED = "passed"

    def __str__(self) -> str:
        return str(self.value)
