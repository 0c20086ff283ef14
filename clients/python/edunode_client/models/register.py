from enum import StrEnum


class Register(StrEnum):
    AQAN = "AQAN"
    EQAR = "EQAR"
    NATIONAL = "national"

    def __str__(self) -> str:
        return str(self.value)
