from enum import StrEnum


class Purpose(StrEnum):
    EMPLOYMENT = "employment"
    FURTHER_STUDY = "further_study"
    OTHER = "other"
    REGULATED_PROFESSION = "regulated_profession"
    USE_OF_TITLE = "use_of_title"

    def __str__(self) -> str:
        return str(self.value)
