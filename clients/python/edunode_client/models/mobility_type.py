from enum import StrEnum


class MobilityType(StrEnum):
    STAFF_TEACHING = "staff_teaching"
    STAFF_TRAINING = "staff_training"
    STUDENT_STUDIES = "student_studies"
    STUDENT_TRAINEESHIP = "student_traineeship"

    def __str__(self) -> str:
        return str(self.value)
