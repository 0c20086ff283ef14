"""What a form held when it was sent after its session ended: kept in this gateway's memory
under a one-time token (a cookie of the browser that sent it), so that after signing in the
person finds the form filled in again, to check and send once more. Nothing is ever sent on
their behalf, no password and no CSRF token is kept, and only a form this console itself
showed (same origin) is kept: another site cannot fill a form for someone."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import FormData

RESTORE_COOKIE = "edunode_console_restore"
KEPT_SECONDS = 30 * 60
KEPT_MAX = 1000  # forms kept at once; the oldest go first
FIELDS_MAX = 200
BYTES_MAX = 64 * 1024


@dataclass(frozen=True)
class KeptForm:
    path: str  # the page the form was on
    fields: dict[str, str]
    until: float


class FormStash:
    def __init__(self) -> None:
        self._forms: OrderedDict[str, KeptForm] = OrderedDict()

    def keep(self, path: str, form: FormData, leave_out: frozenset[str]) -> str | None:
        """Keep the form's text fields (not `leave_out`, not a password, not a file) for the
        page at `path`; its one-time token, or None if it is too large to keep."""
        fields: dict[str, str] = {}
        size = 0
        for name, value in form.multi_items():
            if not isinstance(value, str) or name in leave_out or "password" in name:
                continue
            size += len(name) + len(value)
            if len(fields) >= FIELDS_MAX or size > BYTES_MAX:
                return None
            fields.setdefault(name, value)
        if not fields:
            return None
        now = time.monotonic()
        while self._forms and (
            len(self._forms) >= KEPT_MAX or next(iter(self._forms.values())).until < now
        ):
            self._forms.popitem(last=False)
        token = secrets.token_urlsafe(24)
        self._forms[token] = KeptForm(path, fields, now + KEPT_SECONDS)
        return token

    def take(self, token: str, path: str) -> dict[str, str] | None:
        """The fields kept under `token` for the page at `path`, once (then forgotten)."""
        kept = self._forms.get(token)
        if kept is None or kept.path != path:
            return None
        del self._forms[token]
        return kept.fields if kept.until >= time.monotonic() else None
