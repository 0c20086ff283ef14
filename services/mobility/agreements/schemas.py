"""The agreements' API shapes; the agreement itself is the published language's
`IiaState` (what both partners' nodes hold and serve alike)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.mobility import IiaConditions, IiaPartner, IiaState

IiaRead = IiaState


class IiaProposal(BaseModel):
    """A proposal from the caller's institution to `partner` (an institution of another
    node, by its directory id and node)."""

    model_config = ConfigDict(extra="forbid")

    partner: IiaPartner
    conditions: IiaConditions


class IiaConditionsChange(BaseModel):
    """New conditions (replaced whole): the partner's approval is needed again."""

    model_config = ConfigDict(extra="forbid")

    conditions: IiaConditions


class IiaApprovalRequest(BaseModel):
    """The digest of the conditions being approved, as the agreement showed them: a stale one
    is refused (409), so nobody approves conditions they have not seen."""

    model_config = ConfigDict(extra="forbid")

    digest: Annotated[
        str,
        Field(
            pattern=r"^sha256:[0-9a-f]{64}$",
            examples=["sha256:" + "9f2c" * 16],
        ),
    ]


class IiaTermination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=2000)]
