from enum import StrEnum


class RegistrationDecision(StrEnum):
    ADMISSION = "admission"
    CHANGE = "change"
    COMPLIANT = "compliant"
    EXTRAORDINARY = "extraordinary"
    RENEWAL = "renewal"

    def __str__(self) -> str:
        return str(self.value)
