"""The audit log as a hash chain, so that a changed, inserted or removed entry shows (clause 7.1, UK GDPR).

Each entry keeps the hash of the entry before it (`prev_hash`) and its own `hash`, a SHA-256 over that and
its content in a fixed form (`canonical`). Entries are chained in id order, and the ids are handed out
under the same lock as the previous hash is read, so that id order is chain order:

- On PostgreSQL a transaction-scoped advisory lock serialises writers; it is taken in the audit write's
  own transaction and released at its commit. An audit write inside a larger atomic block holds it until
  that block commits, which is why services write their audit entry last.
- On SQLite every transaction takes the write lock when it starts (settings: transaction_mode IMMEDIATE).

The lock, the previous hash and the ids cost one query before the insert. The app never updates an entry;
only `rechain`, run by the migration that brought the chain and by seed_scale, writes hashes afterwards.
"""

import hashlib
import io
import json
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC

from django.db import Error, connections, router, transaction

from .models import AuditEntry, ChainStart

GENESIS = "0" * 64  # the previous hash of the first entry
# The advisory lock's key: "audt" in ASCII, a number no other lock of the app uses.
LOCK_KEY = 0x61756474
# The content a hash covers, in this order. Changing it (or `canonical`) invalidates every existing hash.
CONTENT = ("id", "at", "actor_id", "ip_address", "action", "case_id", "what", "details")
BATCH = 5000


def _plain(value):
    """A JSON value as it reads back from the database: PostgreSQL's jsonb keeps numbers as decimals, so a
    float with no fraction (1e20, 3.0) may come back as an integer; tuples come back as lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Made once: json.dumps with options builds an encoder per call, and this runs for every entry.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def canonical(id, at, actor_id, ip_address, action, case_id, what, details):
    """The content of an entry as bytes, the same whether read from a new instance or from a stored row."""
    return _ENCODER.encode(
        [
            id,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            ip_address,
            action,
            case_id,
            what,
            _plain(details) if details else {},
        ]
    ).encode()


def seal(prev_hash, content):
    return hashlib.sha256(prev_hash.encode() + b"\n" + content).hexdigest()


def _content_of(entry):
    return canonical(*(getattr(entry, name) for name in CONTENT))


def _claim_sql(connection, table):
    """The lock, then the last entry's hash and the new entries' ids (PostgreSQL), as _claim runs it.

    Two statements: the second must start after the lock is held, so that it sees the entry that the
    previous holder committed (each statement of a READ COMMITTED transaction takes a new snapshot)."""
    return (
        f"SELECT pg_advisory_xact_lock(%s); "  # noqa: S608
        f"SELECT nextval(pg_get_serial_sequence(%s, 'id')), "
        f"(SELECT hash FROM {connection.ops.quote_name(table)} ORDER BY id DESC LIMIT 1) "
        f"FROM generate_series(1, %s) ORDER BY 1"
    )


def _claimed(rows):
    return rows[0][1] or GENESIS, [row[0] for row in rows]


def _claim(connection, table, count):
    """Take the lock, then read the last entry's hash and `count` ids for new entries, in one round trip."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_claim_sql(connection, table), [LOCK_KEY, table, count])
            return _claimed(cursor.fetchall())
        # SQLite, already holding the write lock: AUTOINCREMENT's next ids, after the highest ever given.
        cursor.execute(
            f"SELECT (SELECT hash FROM {quoted} ORDER BY id DESC LIMIT 1), "  # noqa: S608
            f"max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max(id) FROM {quoted}), 0))",
            [table],
        )
        head, last_id = cursor.fetchone()
        return head or GENESIS, list(range(last_id + 1, last_id + 1 + count))


def _seal_all(entries, prev, ids):
    for id, entry in zip(ids, entries, strict=True):
        entry.id, entry.prev_hash = id, prev
        entry.hash = prev = seal(prev, _content_of(entry))


def append(entries):
    """Insert unsaved AuditEntry instances at the end of the chain, in one transaction; returns them."""
    entries = list(entries)
    if not entries:
        return entries
    db = router.db_for_write(AuditEntry)
    connection = connections[db]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _append_alone(connection, db, entries)
    # savepoint=False: inside a caller's transaction this adds no SAVEPOINT queries, and the lock is the
    # caller's transaction's; alone on SQLite, it is a transaction of its own, released at once.
    with transaction.atomic(using=db, savepoint=False):
        _seal_all(entries, *_claim(connection, AuditEntry._meta.db_table, len(entries)))
        return AuditEntry.objects.using(db).bulk_create(entries)


def _append_alone(connection, db, entries):
    """append() outside any transaction, on PostgreSQL: its own transaction in two round trips, where
    transaction.atomic and bulk_create take four (BEGIN, the claim, the insert, COMMIT). Every case page
    writes one entry (its reading), and the lock is held from the claim to the commit: other pages' entries
    wait for every round trip in between (issue 13)."""
    table = AuditEntry._meta.db_table
    fields = AuditEntry._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        try:
            cursor.execute("BEGIN; " + _claim_sql(connection, table), [LOCK_KEY, table, len(entries)])
            _seal_all(entries, *_claimed(cursor.fetchall()))
            values = [field.get_db_prep_save(getattr(entry, field.attname), connection)
                      for entry in entries for field in fields]  # fmt: skip
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(entries))}; COMMIT",
                values,
            )
        except BaseException:
            # Whatever failed (the claim, the insert, a reference checked at COMMIT), end the transaction:
            # the lock goes with it. A connection already gone raises again here; Django drops it.
            with suppress(Error):
                cursor.execute("ROLLBACK")
            raise
    for entry in entries:
        entry._state.adding, entry._state.db = False, db
    return entries


@dataclass(frozen=True)
class Verdict:
    entries: int  # how many were read
    broken_at: int | None = None  # the id of the first entry changed, inserted, or after a gap
    reason: str = ""
    last_id: int | None = None
    last_hash: str = ""

    @property
    def whole(self):
        return self.broken_at is None


def verify(*, using="default", chunk_size=BATCH):
    """Walk the chain in id order, streaming, and name the first entry that breaks it.

    - An entry whose hash does not match its content was changed (or inserted with a made-up hash).
    - An entry whose previous hash is the hash of the entry two back links over the one before it: that
      one was inserted.
    - Any other entry whose previous hash is not the previous entry's hash comes after a gap: the entry
      before it was removed (or changed and its hash recomputed).
    Removing the last entries cannot show in the chain itself: keep the last id and hash from each run
    (the summary prints them) to compare with the next.
    """
    rows = AuditEntry.objects.using(using).order_by("id").values_list(*CONTENT, "prev_hash", "hash")
    start = ChainStart.objects.using(using).values_list("prev_hash", flat=True).first()
    count, before, last, last_id = 0, None, start or GENESIS, None
    # On PostgreSQL in a transaction, so that the server-side cursor streams rather than materialising the
    # lot; not on SQLite, where a transaction takes the write lock (IMMEDIATE) and would hold up writers.
    streaming = connections[using].vendor == "postgresql"
    with transaction.atomic(using=using, savepoint=False) if streaming else nullcontext():
        for row in rows.iterator(chunk_size=chunk_size):
            *content, prev, own = row
            id = content[0]
            count += 1
            if own != seal(prev, canonical(*content)):
                return Verdict(count, id, "its content does not match its hash: it was changed or inserted")
            if prev != last:
                if prev == before:
                    return Verdict(count, last_id, "the entries either side link past it: it was inserted")
                return Verdict(count, id, "it does not link to the entry before: one was removed or changed")
            before, last, last_id = last, own, id
    return Verdict(count, last_id=last_id, last_hash=last if last_id else "")


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped; NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    if value is None:
        return "\\N"
    return (value if isinstance(value, str) else str(value)).translate(_COPY_ESCAPES)


def load(rows, *, using="default", batch=50_000):
    """Append many entries at once with COPY (PostgreSQL): `rows` are tuples of CONTENT without the id, in
    the order to chain them. For seed_scale's million entries: sealed as they are written, in seconds,
    where inserting them and then sealing them (`rechain`) rewrites every row. Returns how many."""
    connection = connections[using]
    table = AuditEntry._meta.db_table
    columns = ", ".join(connection.ops.quote_name(name) for name in (*CONTENT, "prev_hash", "hash"))
    count = 0
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        prev, (first,) = _claim(connection, table, 1)
        buffer = io.StringIO()
        for count, (at, *rest) in enumerate(rows, start=1):
            content = (first + count - 1, at, *rest)
            own = seal(prev, canonical(*content))
            cells = [*content[:-1], _ENCODER.encode(content[-1]) if content[-1] else "{}", prev, own]
            buffer.write("\t".join(map(_copy_text, cells)) + "\n")
            prev = own
            if count % batch == 0:
                _copy(cursor, buffer, table, columns)
        _copy(cursor, buffer, table, columns)
        # The ids were taken past the one claimed: the sequence goes on after the last.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max(first + count - 1, first)]
        )
    return count


def _copy(cursor, buffer, table, columns):
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
    buffer.seek(0)
    buffer.truncate()


def rechain(*, model=AuditEntry, using="default", batch=None):
    """Seal every entry from the first unsealed one (hash "") onwards, in id order, in batches: for the
    entries that existed before the chain, and for those written in bulk by SQL (seed_scale). Returns how
    many were sealed. Holds the writers' lock throughout, so the app's own writes wait for it.

    `model` is the migration's historical model when a migration calls it."""
    entries, batch = model._base_manager.using(using), batch or BATCH
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    sealed = 0
    with transaction.atomic(using=using, savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        first = entries.filter(hash="").order_by("id").values_list("id", flat=True).first()
        if first is None:
            return 0
        prev = entries.filter(id__lt=first).order_by("-id").values_list("hash", flat=True).first() or GENESIS
        after = first - 1
        while rows := list(entries.filter(id__gt=after).order_by("id").values_list(*CONTENT)[:batch]):
            values = []
            for row in rows:
                own = seal(prev, canonical(*row))
                values += [row[0], prev, own]
                prev = own
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET prev_hash = v.prev_hash, hash = v.hash "  # noqa: S608
                    # VALUES' columns are column1… in PostgreSQL and SQLite alike.
                    f"FROM (SELECT column1 AS id, column2 AS prev_hash, column3 AS hash "
                    f"FROM (VALUES {', '.join(['(%s, %s, %s)'] * len(rows))}) AS given) AS v "
                    f"WHERE {table}.id = v.id",
                    values,
                )
            sealed += len(rows)
            after = rows[-1][0]
    return sealed


def delete_oldest(before_id, *, batch=10_000, using="default"):
    """Delete the entries before `before_id` (None: every entry but the newest), oldest first, in batches;
    returns how many. Only ever a prefix in id order, and never the newest entry (the next one links to it).
    Each batch records where the kept chain now begins (ChainStart) in its own transaction, so that
    verify_audit checks the chain from there. Needs a database role that may delete audit rows (README)."""
    newest = AuditEntry.objects.using(using).order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    oldest = AuditEntry.objects.using(using).order_by("id").filter(id__lt=min(before_id or newest, newest))
    deleted = 0
    while rows := list(oldest.values_list("id", "hash")[:batch]):
        after_id, prev_hash = rows[-1]
        with transaction.atomic(using=using):
            count, _ = AuditEntry.objects.using(using).filter(id__lte=after_id).delete()
            ChainStart.objects.using(using).create(after_id=after_id, prev_hash=prev_hash, deleted=count)
        deleted += count
    return deleted
