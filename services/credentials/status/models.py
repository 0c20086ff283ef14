"""Status lists (W3C Bitstring Status List 1.0): this node's own, which it changes, and its
peers', replicated from their `credentials.status_list.updated` events, which verification
reads when their issuer is unreachable. Bits only: no list says whose credential a bit is."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.credentials.db import CredentialsBase
from shared.db import UtcDateTime

# The purposes (W3C Bitstring Status List 1.0 `statusPurpose`) this node's lists serve.
REVOCATION = "revocation"  # final
SUSPENSION = "suspension"  # reversible


class StatusList(CredentialsBase):
    __tablename__ = "status_list"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    origin_node: Mapped[str] = mapped_column(String(16), index=True)
    purpose: Mapped[str] = mapped_column(String(16), default="revocation")
    size: Mapped[int] = mapped_column(Integer)
    # Multibase base64url of the GZIP-compressed bitstring (the spec's `encodedList`).
    encoded_list: Mapped[str] = mapped_column(Text)
    # Entries handed out so far (own lists only; a peer's list says 0).
    allocated: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
