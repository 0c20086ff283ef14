from enum import StrEnum


class ReferencingBasis(StrEnum):
    COMPARABILITY_STATEMENT = "comparability_statement"
    COMPARABILITY_STUDY = "comparability_study"
    OFFICIAL_REFERENCING = "official_referencing"
    REFERENCE_INSTRUMENT = "reference_instrument"

    def __str__(self) -> str:
        return str(self.value)
