from enum import StrEnum


class CaseSort(StrEnum):
    DEADLINE = "deadline"
    ID = "id"

    def __str__(self) -> str:
        return str(self.value)
