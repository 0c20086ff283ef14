from enum import StrEnum


class QualityFramework(StrEnum):
    AQAF = "AQAF"
    AUN_QA_INSTITUTIONAL_V2 = "AUN-QA institutional v2"
    AUN_QA_PROGRAMME_V4 = "AUN-QA programme v4"
    ESG_2015 = "ESG 2015"
    NATIONAL = "national"

    def __str__(self) -> str:
        return str(self.value)
