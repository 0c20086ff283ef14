"""The audit trail: every write to a service's records, in an append-only, hash-chained log
inside the service's own database (docs/audit.md).

A model opts in by inheriting `Audited` and naming its record type. Every ORM insert, update
and delete of such a record is noted when the session flushes, with the actor and request the
session is bound to (`bind_request`, `act_as`); writes made with Core statements (bulk imports)
are noted with `note_write`. When the transaction commits, the noted writes become entries
appended to the chain in that same transaction, so a write cannot commit without its entry.

Which sessions are audited is no global switch: the unit of work every session is opened as
(`shared/unit_of_work.py`) calls `record_writes` on its own session, which listens to that
session only.

Entries hold references only (record type and id, versions, the acting client), never a
record's content: personal data stays in the records, which can be erased, and out of a log
that cannot.
"""

from __future__ import annotations

import getpass
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

import orjson
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from shared.auth import Principal
from shared.pagination import PageParams, decode_cursor, encode_cursor
from shared.signing import NodeSigner, node_of_key_id, signature_key_id, verify_detached
from shared.timestamps import UtcDateTime, utcnow

TABLE_NAME = "audit_entry"
GENESIS_HASH = "0" * 64
Change = Literal["created", "updated", "deleted"]

# The fields the hash covers, in the canonical serialisation (sorted keys, compact JSON).
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_client_id",
    "actor_roles",
    "actor_node",
    "request_id",
    "action",
    "record_type",
    "record_id",
    "version_before",
    "version_after",
    "prev_hash",
)

# One lock per chain on PostgreSQL (appends are serialised; readers never wait).
_ADVISORY_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"edunode:" + TABLE_NAME.encode()).digest()[:8], "big", signed=True
)
_PENDING = "edunode.audit.pending"
_ACTOR = "edunode.audit.actor"
_ACTING = "edunode.audit.acting"
_RECORDING = "edunode.audit.recording"


def audit_table(metadata: MetaData) -> Table:
    """The audit log, declared in a service's own metadata (and so its migrations)."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("seq", BigInteger, primary_key=True, autoincrement=False),
        Column("at", UtcDateTime(), nullable=False),
        Column("actor_client_id", String(100), nullable=False),
        Column("actor_roles", String(200), nullable=False),
        Column("actor_node", String(16)),
        Column("request_id", String(128)),
        Column("action", String(100), nullable=False),
        Column("record_type", String(50), nullable=False),
        Column("record_id", String(100), nullable=False),
        Column("version_before", Integer),
        Column("version_after", Integer),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False, unique=True),
        Index(f"ix_{TABLE_NAME}_record", "record_type", "record_id"),
        Index(f"ix_{TABLE_NAME}_actor_client_id", "actor_client_id"),
        Index(f"ix_{TABLE_NAME}_at", "at"),
    )


# Every service's log has this shape and name, so the kernel writes and reads it through a
# table of its own, whatever metadata the service declared it in.
entries = audit_table(MetaData())


def append_only_ddl(dialect: str) -> list[str]:
    """The triggers that make the database refuse to change or remove an audit entry, whatever
    the code does (each service's migration runs them; PostgreSQL also refuses TRUNCATE)."""
    if dialect == "postgresql":
        return [
            f"CREATE FUNCTION {TABLE_NAME}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{TABLE_NAME} is append-only'; END $$",
            f"CREATE TRIGGER {TABLE_NAME}_no_change BEFORE UPDATE OR DELETE ON {TABLE_NAME} "
            f"FOR EACH ROW EXECUTE FUNCTION {TABLE_NAME}_append_only()",
            f"CREATE TRIGGER {TABLE_NAME}_no_truncate BEFORE TRUNCATE ON {TABLE_NAME} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE_NAME}_append_only()",
        ]
    return [
        f"CREATE TRIGGER {TABLE_NAME}_no_{change} BEFORE {change.upper()} ON {TABLE_NAME} "
        f"BEGIN SELECT RAISE(ABORT, '{TABLE_NAME} is append-only'); END"
        for change in ("update", "delete")
    ]


def seq_from_one_ddl(dialect: str) -> list[str]:
    """Make the database refuse an entry numbered below 1: the chain starts at 1, and an entry
    at 0 or below would sit before its start, where no walk of the chain would reach it."""
    if dialect == "postgresql":
        # NOT VALID: an entry already below 1 is left for `audit verify` to report.
        return [
            f"ALTER TABLE {TABLE_NAME} ADD CONSTRAINT ck_{TABLE_NAME}_seq_from_one "
            "CHECK (seq >= 1) NOT VALID"
        ]
    return [
        f"CREATE TRIGGER {TABLE_NAME}_seq_from_one BEFORE INSERT ON {TABLE_NAME} "
        f"WHEN NEW.seq < 1 BEGIN SELECT RAISE(ABORT, '{TABLE_NAME} seq starts at 1'); END"
    ]


def drop_seq_from_one_ddl(dialect: str) -> list[str]:
    """`seq_from_one_ddl` undone (a migration's downgrade)."""
    if dialect == "postgresql":
        return [f"ALTER TABLE {TABLE_NAME} DROP CONSTRAINT IF EXISTS ck_{TABLE_NAME}_seq_from_one"]
    return [f"DROP TRIGGER IF EXISTS {TABLE_NAME}_seq_from_one"]


def drop_append_only_ddl(dialect: str) -> list[str]:
    """`append_only_ddl` undone (a migration's downgrade)."""
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TABLE_NAME}_no_truncate ON {TABLE_NAME}",
            f"DROP TRIGGER IF EXISTS {TABLE_NAME}_no_change ON {TABLE_NAME}",
            f"DROP FUNCTION IF EXISTS {TABLE_NAME}_append_only()",
        ]
    return [f"DROP TRIGGER IF EXISTS {TABLE_NAME}_no_{change}" for change in ("update", "delete")]


class Audited:
    """Mixin of a model whose every insert, update and delete goes to the audit trail.
    `__audit_type__` names the record type (e.g. `institution`); the entry references the
    record by its primary key and its `version` column, if it has one."""

    __audit_type__: ClassVar[str]


@dataclass(frozen=True)
class Actor:
    """Who made a write: an API client, a peer node's event, or a local process."""

    client_id: str
    roles: str = ""
    node: str | None = None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.client_id, principal.role.value, principal.node)


SYSTEM = Actor("system")
ANONYMOUS = Actor("anonymous")


def command_line_actor() -> Actor:
    """The operator running an `edunode` command on this machine (`cli:<user>`)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(f"cli:{user}", "operator")


@dataclass(frozen=True)
class _RequestActor:
    """The caller of a request, read from the request's state when a write is noted (the
    principal is only known once the route's dependencies ran)."""

    state: Mapping[str, Any]

    def resolve(self) -> tuple[Actor, str | None]:
        principal = self.state.get("principal")
        actor = Actor.of(principal) if isinstance(principal, Principal) else ANONYMOUS
        return actor, self.state.get("request_id")


@dataclass(frozen=True)
class _FixedActor:
    actor: Actor
    request_id: str | None

    def resolve(self) -> tuple[Actor, str | None]:
        return self.actor, self.request_id


def _sync(session: Session | AsyncSession) -> Session:
    return session.sync_session if isinstance(session, AsyncSession) else session


def bind_request(session: Session | AsyncSession, state: Mapping[str, Any]) -> None:
    """Attribute the session's writes to the request whose `scope["state"]` this is."""
    _sync(session).info[_ACTOR] = _RequestActor(state)


def act_as(session: Session | AsyncSession, actor: Actor, request_id: str | None = None) -> None:
    """Attribute the session's writes from now on to `actor` (e.g. a peer node's event, with
    the event id as `request_id`, or a command-line import)."""
    _sync(session).info[_ACTOR] = _FixedActor(actor, request_id)


def acting_in_role(session: Session | AsyncSession, role: str) -> None:
    """Audit the session's writes as made in `role` by whoever makes them: a node admin acting
    as a recognition officer is recorded `node_admin as recognition_officer`."""
    _sync(session).info[_ACTING] = role


@dataclass
class NotedWrite:
    """One record's change within a transaction, to be appended at commit (several flushes
    merge into one entry)."""

    record_type: str
    record_id: str
    change: Change
    version_before: int | None
    version_after: int | None
    actor: Actor
    request_id: str | None


def _pending(session: Session) -> dict[tuple[str, str], NotedWrite]:
    noted: dict[tuple[str, str], NotedWrite] = session.info.setdefault(_PENDING, {})
    return noted


def _note(session: Session, noted: NotedWrite) -> None:
    pending = _pending(session)
    key = (noted.record_type, noted.record_id)
    earlier = pending.get(key)
    if earlier is None:
        pending[key] = noted
        return
    # Created then changed in one transaction is a creation; anything then deleted, a deletion.
    earlier.change = (
        "deleted"
        if noted.change == "deleted"
        else ("created" if earlier.change == "created" else noted.change)
    )
    earlier.version_after = noted.version_after


def _actor_of(session: Session) -> tuple[Actor, str | None]:
    source = session.info.get(_ACTOR)
    actor, request_id = (
        source.resolve() if isinstance(source, _RequestActor | _FixedActor) else (SYSTEM, None)
    )
    acting = session.info.get(_ACTING)
    if acting and acting != actor.roles:
        actor = Actor(actor.client_id, f"{actor.roles} as {acting}", actor.node)
    return actor, request_id


def note_write(
    session: Session | AsyncSession,
    *,
    record_type: str,
    record_id: str | uuid.UUID,
    change: Change,
    version_before: int | None,
    version_after: int | None,
) -> None:
    """Note a write the ORM does not see (a Core `insert`/`update`/`delete`): it is appended to
    the chain when the transaction commits, like the ORM's."""
    sync = _sync(session)
    if not sync.info.get(_RECORDING):
        raise RuntimeError(
            "this session records no writes: open it as a unit of work (database.session())"
        )
    actor, request_id = _actor_of(sync)
    _note(
        sync,
        NotedWrite(
            record_type,
            str(record_id),
            change,
            version_before,
            version_after,
            actor,
            request_id,
        ),
    )


def _record_id(instance: Any) -> str:
    state = inspect(instance)
    identity = state.identity or state.mapper.primary_key_from_instance(instance)
    return ":".join(str(part) for part in identity)


def _version_change(instance: Any, change: Change) -> tuple[int | None, int | None]:
    state = inspect(instance)
    if "version" not in state.mapper.column_attrs:
        return None, None
    current: int | None = getattr(instance, "version", None)
    if change == "created":
        return None, current
    if change == "deleted":
        return current, None
    history = state.attrs["version"].history
    before = history.deleted[0] if history.deleted else current
    return before, current


def record_writes(session: Session | AsyncSession) -> None:
    """Audit the writes of `session`, and of no other (its unit of work calls this when it
    opens it): at every flush the ORM's changes to `Audited` records are noted; at commit,
    before the transaction ends, the noted writes (and those of `note_write`) are appended to
    the chain in that transaction; a transaction rolled back forgets them."""
    sync = _sync(session)
    if sync.info.get(_RECORDING):
        return
    sync.info[_RECORDING] = True
    event.listen(sync, "after_flush", _collect)
    event.listen(sync, "before_commit", _append_on_commit)
    event.listen(sync, "after_transaction_end", _forget)


def _collect(session: Session, _flush: UOWTransaction) -> None:
    # After a flush the session still shows what it flushed (new, dirty, deleted, and each
    # attribute's history), and new records have their primary keys.
    changes: list[tuple[Any, Change]] = [
        *((instance, "created") for instance in session.new),
        *((instance, "updated") for instance in session.dirty),
        *((instance, "deleted") for instance in session.deleted),
    ]
    audited = [(i, c) for i, c in changes if isinstance(i, Audited)]
    if not audited:
        return
    actor, request_id = _actor_of(session)
    for instance, change in audited:
        if change == "updated" and not session.is_modified(instance, include_collections=False):
            continue
        before, after = _version_change(instance, change)
        _note(
            session,
            NotedWrite(
                type(instance).__audit_type__,
                _record_id(instance),
                change,
                before,
                after,
                actor,
                request_id,
            ),
        )


def _append_on_commit(session: Session) -> None:
    session.flush()  # what is still unflushed is noted now, before the chain is extended
    pending = session.info.pop(_PENDING, None)
    if pending:
        append_entries(session.connection(), list(pending.values()))


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed (already appended) or rolled back: nothing left
        session.info.pop(_PENDING, None)


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash covers: its fields (and the previous hash) as compact JSON
    with sorted keys, the time in UTC ISO 8601 with microseconds."""
    fields: dict[str, Any] = {name: entry[name] for name in HASHED_FIELDS}
    at: datetime = fields["at"]
    fields["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the entry's canonical serialisation, which includes `prev_hash`."""
    return hashlib.sha256(canonical(entry)).hexdigest()


def append_entries(connection: Connection, noted: Sequence[NotedWrite]) -> None:
    """Append entries to the chain in the connection's transaction. On PostgreSQL a
    transaction-level advisory lock serialises appenders until they commit (each then reads the
    head the previous one committed); SQLite has one writer at a time already, and this
    transaction has written. `seq` is the primary key: a fork would fail, never commit."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("select pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
    head = connection.execute(
        select(entries.c.seq, entries.c.hash).order_by(entries.c.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for item in noted:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "actor_client_id": item.actor.client_id[:100],
            "actor_roles": item.actor.roles[:200],
            "actor_node": item.actor.node,
            "request_id": item.request_id,
            "action": f"{item.record_type}.{item.change}",
            "record_type": item.record_type,
            "record_id": item.record_id,
            "version_before": item.version_before,
            "version_after": item.version_after,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = entry_hash(row)
        rows.append(row)
    connection.execute(insert(entries), rows)


# -- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenLink:
    """The first entry at which the chain does not hold."""

    seq: int
    reason: str
    expected: str
    found: str


@dataclass(frozen=True)
class Head:
    """A chain's head as noted earlier (printed by `audit verify`, or signed in a checkpoint):
    the chain must still hold this entry, or its tail was cut or rewritten. `seq` may be
    unknown when only the hash was noted."""

    hash: str
    seq: int | None = None

    @classmethod
    def parse(cls, text: str) -> Head:
        """`HASH` or `SEQ:HASH`, as `audit verify` prints them."""
        seq, _, digest = text.rpartition(":")
        digest = digest.strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"{text!r}: expected a SHA-256 hash (64 hex digits), or SEQ:HASH")
        # An empty chain's head is 0 and the genesis hash (`verify` prints it so); any other
        # head is an entry, numbered from 1.
        if seq and not (seq.isdigit() and (int(seq) >= 1 or digest == GENESIS_HASH)):
            raise ValueError(f"{text!r}: the seq before the hash must be a number from 1")
        return cls(digest, int(seq) if seq else None)

    @property
    def is_start(self) -> bool:
        """The head of a chain still empty: every chain begins there, so it anchors nothing
        a later chain could lose."""
        return self.hash == GENESIS_HASH and self.seq in (None, 0)


@dataclass
class ChainReport:
    """The outcome of walking a chain: how many entries, its head, the first broken link."""

    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def check_entry(row: Mapping[str, Any], expected_seq: int, prev_hash: str) -> BrokenLink | None:
    """Why `row` breaks the chain after an entry `expected_seq - 1` hashed `prev_hash`."""
    if row["seq"] != expected_seq:
        return BrokenLink(expected_seq, "entry missing", f"seq {expected_seq}", f"seq {row['seq']}")
    if row["prev_hash"] != prev_hash:
        return BrokenLink(
            expected_seq,
            "prev_hash is not the previous entry's hash",
            prev_hash,
            row["prev_hash"],
        )
    computed = entry_hash(row)
    if row["hash"] != computed:
        return BrokenLink(
            expected_seq, "hash does not match the entry's content", computed, row["hash"]
        )
    return None


async def verify_chain(
    connection: AsyncConnection, *, expect_head: Head | None = None, batch_size: int = 1000
) -> ChainReport:
    """Walk the whole chain in order, recomputing every hash; stop at the first broken link.

    A chain checks only against itself: cut after any entry, or rewritten from any entry on
    with every hash recomputed, it still links. `expect_head`, a head noted earlier (kept
    apart from the database, or signed in a checkpoint), must be on the chain: that is what
    catches both. An entry numbered below 1, which no walk from 1 reaches, is a broken link."""
    report = ChainReport()
    lowest = await connection.scalar(select(func.min(entries.c.seq)))
    if lowest is not None and lowest < 1:
        report.broken = BrokenLink(
            int(lowest),
            "entry numbered below 1, before the chain's start",
            "seq 1 or more",
            f"seq {lowest}",
        )
        return report
    expected_seen = expect_head is not None and expect_head.is_start
    while True:
        rows = (
            await connection.execute(
                select(entries)
                .where(entries.c.seq > report.head_seq)
                .order_by(entries.c.seq)
                .limit(batch_size)
            )
        ).mappings()
        fetched = 0
        for row in rows:
            fetched += 1
            broken = check_entry(dict(row), report.head_seq + 1, report.head_hash)
            if broken is not None:
                report.broken = broken
                return report
            report.count += 1
            report.head_seq, report.head_hash = row["seq"], row["hash"]
            if expect_head is not None and row["hash"] == expect_head.hash:
                expected_seen = expect_head.seq in (None, row["seq"])
        if fetched < batch_size:
            break
    if expect_head is not None and not expected_seen:
        report.broken = _missing_head(report, expect_head)
    return report


def _missing_head(report: ChainReport, expected: Head) -> BrokenLink:
    if expected.seq is not None and report.head_seq < expected.seq:
        return BrokenLink(
            report.head_seq + 1,
            f"tail cut: the chain ends at seq {report.head_seq}, before the expected head",
            f"seq {expected.seq} hash {expected.hash}",
            f"seq {report.head_seq} hash {report.head_hash}",
        )
    where = f"seq {expected.seq}" if expected.seq is not None else "any seq"
    return BrokenLink(
        expected.seq or report.head_seq,
        "the expected head is not on the chain: its tail was cut or rewritten",
        f"{where} hash {expected.hash}",
        f"head seq {report.head_seq} hash {report.head_hash}",
    )


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    record_type: str | None = None
    record_id: str | None = None
    actor: str | None = None
    since: datetime | None = None


def filtered(filters: AuditFilters) -> Select[Any]:
    """The log's entries matching `filters` (the caller orders and pages them)."""
    statement = select(entries)
    if filters.record_type is not None:
        statement = statement.where(entries.c.record_type == filters.record_type)
    if filters.record_id is not None:
        statement = statement.where(entries.c.record_id == filters.record_id)
    if filters.actor is not None:
        statement = statement.where(entries.c.actor_client_id == filters.actor)
    if filters.since is not None:
        statement = statement.where(entries.c.at >= filters.since)
    return statement


async def list_entries(
    connection: AsyncConnection, filters: AuditFilters, params: PageParams
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of entries matching `filters`, newest first (keyset on `seq`)."""
    statement = filtered(filters)
    if params.cursor is not None:
        (after,) = decode_cursor(params.cursor, [entries.c.seq])
        statement = statement.where(entries.c.seq < after)
    statement = statement.order_by(entries.c.seq.desc()).limit(params.limit + 1)
    rows = [dict(row) for row in (await connection.execute(statement)).mappings()]
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor([rows[-1]["seq"]])


# -- checkpoints -------------------------------------------------------------------------------


def checkpoint_payload(node: str, heads: Mapping[str, Head], at: datetime) -> bytes:
    """The bytes a checkpoint signs: the node, when, and each service's head (seq and hash),
    as compact JSON with sorted keys."""
    return orjson.dumps(
        {
            "node": node,
            "at": at.astimezone(UTC).isoformat(timespec="seconds"),
            "heads": {name: {"seq": head.seq, "hash": head.hash} for name, head in heads.items()},
        },
        option=orjson.OPT_SORT_KEYS,
    )


def sign_checkpoint(payload: bytes, signer: NodeSigner) -> dict[str, Any]:
    """A checkpoint document: the payload and its detached JWS by the node's federation key,
    which anyone holding the node's public key (peers have it in their trust list) checks."""
    return {"checkpoint": orjson.loads(payload), "signature": signer.sign(payload)}


def read_checkpoint(
    document: Mapping[str, Any], public_key: Callable[[str], bytes | None]
) -> tuple[str, dict[str, Head]]:
    """The node and heads of a signed checkpoint document, once its signature verifies with
    the key `public_key(kid)` returns; a ValueError says why not."""
    try:
        body = document["checkpoint"]
        signature = str(document["signature"])
        node = str(body["node"])
        heads = {
            str(name): Head(str(head["hash"]), int(head["seq"]))
            for name, head in body["heads"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not an audit checkpoint: {error}") from error
    payload = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    kid = signature_key_id(signature)
    pem = public_key(kid) if kid is not None else None
    if kid is None or node_of_key_id(kid) != node or pem is None:
        raise ValueError(f"the checkpoint is signed with an unknown key ({kid})")
    if not verify_detached(signature, payload, pem):
        raise ValueError("the checkpoint's signature does not verify: it was changed")
    return node, heads
