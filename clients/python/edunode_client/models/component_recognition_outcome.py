from enum import StrEnum


class ComponentRecognitionOutcome(StrEnum):
    FAILED = "failed"
    MISSING = "missing"
    RECOGNISED = "recognised"
    UNCONVERTIBLE = "unconvertible"

    def __str__(self) -> str:
        return str(self.value)
