from enum import StrEnum


class StudyMode(StrEnum):
    BLENDED = "blended"
    DISTANCE = "distance"
    FULL_TIME = "full-time"
    PART_TIME = "part-time"

    def __str__(self) -> str:
        return str(self.value)
