from enum import StrEnum


class Aspect(StrEnum):
    AGREEMENT = "agreement"
    IDENTITY = "identity"
    LEARNING_OUTCOMES = "learning_outcomes"
    LEVEL = "level"
    PRECEDENTS = "precedents"
    PROFILE = "profile"
    QUALITY = "quality"
    WORKLOAD = "workload"

    def __str__(self) -> str:
        return str(self.value)
