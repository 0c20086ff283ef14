from enum import StrEnum


class ModeOfStudy(StrEnum):
    BLENDED = "blended"
    DISTANCE = "distance"
    FULL_TIME = "full_time"
    PART_TIME = "part_time"

    def __str__(self) -> str:
        return str(self.value)
