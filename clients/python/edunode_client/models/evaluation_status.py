from enum import StrEnum


class EvaluationStatus(StrEnum):
    PART_OF_OBLIGATORY_EQA_SYSTEM = "part of obligatory EQA system"
    VOLUNTARY = "voluntary"

    def __str__(self) -> str:
        return str(self.value)
