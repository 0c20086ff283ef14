from enum import StrEnum


class QAStatus(StrEnum):
    ACCREDITED = "accredited"
    ACCREDITED_WITH_CONDITIONS = "accredited with conditions"
    EXPIRED = "expired"
    NONE = "none"
    NOT_ACCREDITED = "not accredited"

    def __str__(self) -> str:
        return str(self.value)
