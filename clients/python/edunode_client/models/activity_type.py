from enum import StrEnum


class ActivityType(StrEnum):
    INSTITUTIONAL = "institutional"
    INSTITUTIONAL_PROGRAMME = "institutional-programme"
    JOINT_PROGRAMME = "joint programme"
    PROGRAMME = "programme"

    def __str__(self) -> str:
        return str(self.value)
