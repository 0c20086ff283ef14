from enum import StrEnum


class FrameworkKind(StrEnum):
    CLASSIFICATION = "classification"
    NATIONAL = "national"
    REFERENCE = "reference"

    def __str__(self) -> str:
        return str(self.value)
