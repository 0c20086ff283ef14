from enum import StrEnum


class AgreementScope(StrEnum):
    DEGREES = "degrees"
    LEVEL = "level"

    def __str__(self) -> str:
        return str(self.value)
