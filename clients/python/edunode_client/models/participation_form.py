from enum import StrEnum


class ParticipationForm(StrEnum):
    BLENDED = "blended"
    ONLINE = "online"
    ONSITE = "onsite"

    def __str__(self) -> str:
        return str(self.value)
