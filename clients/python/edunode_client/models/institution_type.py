from enum import StrEnum


class InstitutionType(StrEnum):
    COLLEGE = "college"
    OTHER_PROVIDER = "other_provider"
    UNIVERSITY = "university"
    UNIVERSITY_OF_APPLIED_SCIENCES = "university_of_applied_sciences"
    VOCATIONAL_INSTITUTE = "vocational_institute"

    def __str__(self) -> str:
        return str(self.value)
