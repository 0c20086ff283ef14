from enum import StrEnum


class ExportInstitutionsFormat(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"
    ROR = "ror"

    def __str__(self) -> str:
        return str(self.value)
