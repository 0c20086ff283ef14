from enum import StrEnum


class LegalBasisKind(StrEnum):
    ADDIS_ABABA_CONVENTION = "Addis Ababa Convention"
    BILATERAL_AGREEMENT = "bilateral agreement"
    BUENOS_AIRES_CONVENTION = "Buenos Aires Convention"
    GLOBAL_CONVENTION = "Global Convention"
    LRC = "LRC"
    MULTILATERAL_AGREEMENT = "multilateral agreement"
    NATIONAL_LAW = "national law"
    TOKYO_CONVENTION = "Tokyo Convention"

    def __str__(self) -> str:
        return str(self.value)
