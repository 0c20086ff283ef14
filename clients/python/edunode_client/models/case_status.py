from enum import StrEnum


class CaseStatus(StrEnum):
    APPEALED = "appealed"
    APPEAL_DECIDED = "appeal_decided"
    COMPLETE = "complete"
    DECIDED = "decided"
    DRAFT = "draft"
    INCOMPLETE = "incomplete"
    SUBMITTED = "submitted"
    UNDER_ASSESSMENT = "under_assessment"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
