from enum import StrEnum


class FocusKind(StrEnum):
    CROSS_BORDER = "cross-border"
    OFFICIAL = "official"

    def __str__(self) -> str:
        return str(self.value)
