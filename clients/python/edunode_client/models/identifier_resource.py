from enum import StrEnum


class IdentifierResource(StrEnum):
    DEQAR = "deqar"
    ERASMUS = "erasmus"
    ERASMUS_CHARTER = "erasmus-charter"
    ETER = "eter"
    EU_PIC = "eu-pic"
    ISNI = "isni"
    LOCAL = "local"
    NATIONAL = "national"
    ROR = "ror"
    SCHAC = "schac"
    WHED = "whed"
    WIKIDATA = "wikidata"

    def __str__(self) -> str:
        return str(self.value)
