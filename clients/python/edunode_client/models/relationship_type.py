from enum import StrEnum


class RelationshipType(StrEnum):
    ABSORBED = "absorbed"
    ABSORBED_BY = "absorbed_by"
    BRANCH_CAMPUS_OF = "branch_campus_of"
    CAMPUS_OF = "campus_of"
    FACULTY_OF = "faculty_of"
    HAS_BRANCH_CAMPUS = "has_branch_campus"
    HAS_CAMPUS = "has_campus"
    HAS_FACULTY = "has_faculty"
    HAS_MEMBER = "has_member"
    HAS_PART = "has_part"
    HAS_SPIN_OFF = "has_spin_off"
    MEMBER_OF = "member_of"
    PART_OF = "part_of"
    RELATED_TO = "related_to"
    SPUN_OFF_FROM = "spun_off_from"
    SUCCEEDED = "succeeded"
    SUCCEEDED_BY = "succeeded_by"

    def __str__(self) -> str:
        return str(self.value)
