from enum import StrEnum


class LegalStatus(StrEnum):
    OTHER = "other"
    PRIVATE = "private"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)
