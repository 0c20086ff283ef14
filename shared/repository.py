"""The repositories' base: the one place SQL of a record's storage is written, and the one
upsert every replicated record is applied with.

Every event carries its record's whole state and its version (BRIEF §4), so applying one is an
upsert by version: a newer version of the same origin's record replaces the stored one, an
older or equal one changes nothing (idempotent, tolerant of order and of redelivery).
`upsert_by_version` is that rule, for every record type of every service.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

# SQLite allows 32,766 bound parameters per statement; stay well under it.
_IN_CHUNK = 500


class _Stated(Protocol):
    @property
    def origin_node(self) -> str: ...


class _Record(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


# A state with an `origin_node` (see `upsert_by_version`'s `by_origin`).
StateT = TypeVar("StateT")
RecordT = TypeVar("RecordT", bound=_Record)
ModelT = TypeVar("ModelT")


def newest_per_record(
    states: Iterable[tuple[RecordT, int]],
) -> dict[uuid.UUID, tuple[RecordT, int]]:
    """The newest (state, version) of each record in a batch: applying only it has the effect
    of applying them all in version order, as every event carries the whole state."""
    newest: dict[uuid.UUID, tuple[RecordT, int]] = {}
    for state, version in states:
        known = newest.get(state.id)
        if known is None or version > known[1]:
            newest[state.id] = (state, version)
    return newest


def replaces_stored(
    stored: tuple[str, int] | None, origin: str, version: int, *, this_node: str | None = None
) -> bool:
    """Whether a verified state of `origin` at `version` replaces the stored (origin, version)
    of a replica: a newer version of the same origin's record does; so does any version when
    the stored state came from another origin. Only the authority's events pass the guard, so
    a stored state of another origin was written without authority (a forgery applied before
    every consumer checked, or a row written behind the events' back): a forged version 99
    must not block the owner's genuine version 3.

    A service that writes records of its own passes `this_node`: a state of another origin
    naming the id of one of them is refused (ValueError), never applied: the node is the single
    writer of its records, whatever country the other state claims."""
    if stored is None:
        return True
    stored_origin, stored_version = stored
    if this_node is not None and stored_origin == this_node != origin:
        raise ValueError(f"the record belongs to {this_node!r}, not {origin!r}")
    return stored_origin != origin or version > stored_version


def versions(model: type[Any], key: str = "id") -> Select[Any, int]:
    """(key, version) of every row of `model`: what the federation compares across nodes
    (`ServiceRuntime.records`, shared/federation.py's checksums)."""
    return select(getattr(model, key), model.version)


class Repository:
    """A service repository's base: its session, and the SQL every repository shares."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, record: object) -> None:
        self.session.add(record)

    async def flush(self) -> None:
        await self.session.flush()

    async def upsert_by_version(
        self,
        model: type[ModelT],
        states: Sequence[tuple[StateT, int]],
        write: Callable[[ModelT, StateT], None],
        *,
        key: str = "id",
        this_node: str | None = None,
        check: Callable[[ModelT, StateT], None] | None = None,
        by_origin: bool = True,
        load: Sequence[ORMOption] = (),
    ) -> list[ModelT]:
        """Apply (state, version) pairs to `model`'s rows, keyed by the column `key` (the
        state's attribute of that name): each record's newest pair in the batch, where it
        `replaces_stored`; `write` copies a state's fields onto its row (new or stored), and
        the row takes the state's origin and the version. One query loads the stored rows,
        one flush writes. Returns the rows written, in the batch's order.

        With `this_node`, another origin's state of one of this node's own records raises
        ValueError (the node is their single writer). `check(row, state)` is called for each
        stored row a state of the batch names, before the versions compare: it raises to
        refuse the state (e.g. `ensure_owned_by`, for records their origin alone writes).
        With `by_origin=False` the model has no origin (a copy of what another service of this
        node derives): a newer version replaces the stored one, and the states need no
        `origin_node`. `load` are the loader options the stored rows are read with (e.g.
        `selectinload` of the relationships `write` changes)."""
        written: list[ModelT] = []
        for state, version, record in await self.replacing(
            model,
            states,
            key=key,
            this_node=this_node,
            check=check,
            by_origin=by_origin,
            load=load,
        ):
            if record is None:
                record = model(**{key: getattr(state, key)})
                self.session.add(record)
            write(record, state)
            if by_origin:
                record.origin_node = cast(_Stated, state).origin_node
            record.version = version
            written.append(record)
        await self.session.flush()
        return written

    async def replacing(
        self,
        model: type[ModelT],
        states: Sequence[tuple[StateT, int]],
        *,
        key: str = "id",
        this_node: str | None = None,
        check: Callable[[Any, StateT], None] | None = None,
        by_origin: bool = True,
        columns: Sequence[str] | None = None,
        load: Sequence[ORMOption] = (),
    ) -> list[tuple[StateT, int, Any]]:
        """The decision of `upsert_by_version` (same options), for a caller that writes the
        rows itself (e.g. with bulk statements): each record's newest (state, version) of the
        batch that replaces the stored one, with the stored row (None if there is none). One
        query per 500 records loads the stored rows: whole, or only `columns` (which must
        include `key`, `origin_node` and `version`), as rows with those attributes; whole rows
        with the loader options `load`."""
        newest: dict[Hashable, tuple[StateT, int]] = {}
        for state, version in states:
            record_key = getattr(state, key)
            known = newest.get(record_key)
            if known is None or version > known[1]:
                newest[record_key] = (state, version)
        column = getattr(model, key)
        what: Any = (
            select(model).options(*load)
            if columns is None
            else select(*(getattr(model, name) for name in columns))
        )
        stored: dict[Hashable, Any] = {}  # rows of `model`, which has origin_node and version
        keys = list(newest)
        for start in range(0, len(keys), _IN_CHUNK):
            chunk = what.where(column.in_(keys[start : start + _IN_CHUNK]))
            rows = await (
                self.session.scalars(chunk) if columns is None else self.session.execute(chunk)
            )
            stored.update((getattr(row, key), row) for row in rows)
        replacing: list[tuple[StateT, int, Any]] = []
        for record_key, (state, version) in newest.items():
            record = stored.get(record_key)
            if record is not None and check is not None:
                check(record, state)
            if by_origin:
                origin = cast(_Stated, state).origin_node
                held = (record.origin_node, record.version) if record is not None else None
                if not replaces_stored(held, origin, version, this_node=this_node):
                    continue
            elif record is not None and version <= record.version:
                continue
            replacing.append((state, version, record))
        return replacing
