from enum import StrEnum


class NameKind(StrEnum):
    ACRONYM = "acronym"
    ALIAS = "alias"
    ENGLISH = "english"
    OFFICIAL = "official"
    TRANSLITERATED = "transliterated"

    def __str__(self) -> str:
        return str(self.value)
