from enum import StrEnum


class AgreementKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"

    def __str__(self) -> str:
        return str(self.value)
