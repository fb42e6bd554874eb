"""The change log on PostgreSQL: what every committed unit of work changed, in order.

The unit of work appends its changes in the transaction that makes them, so a change is in
the log exactly when it is committed; members read the entries after the last one they saw
(``LISTEN`` only wakes them). Retention may delete old entries: a reader that fell behind gets
an ``EVERYTHING`` entry first rather than a silent gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from psycopg.types.json import Jsonb

from desktop.core.changes import (
    Change,
    ChangeEntry,
    ChangeKind,
    EntityKind,
    coalesce,
    everything,
)
from desktop.core.store.postgres.connection import Connection

__all__ = ["read_log", "write_log"]


def write_log(conn: Connection, changes: Sequence[Change]) -> list[ChangeEntry]:
    """Append *changes* to the change log in the open transaction; the server stamps each
    with its seq, the authenticated role and the time."""
    entries = []
    for change in coalesce(changes):
        row = conn.execute(
            "INSERT INTO change_log (entity, kind, ids, fields) VALUES (%s, %s, %s, %s) "
            "RETURNING seq, actor, at",
            (
                change.entity.value,
                change.kind.value,
                Jsonb(list(change.ids)),
                ",".join(change.fields),
            ),
        ).fetchone()
        assert row is not None
        entries.append(ChangeEntry(int(row[0]), change, str(row[1]), row[2].astimezone(UTC)))
    return entries


def read_log(conn: Connection, seq: int, limit: int) -> list[ChangeEntry]:
    """The entries after *seq* that the member may see, oldest first; an ``EVERYTHING``
    entry first when retention deleted entries after *seq* (the reader must reload)."""
    from desktop.core.store.postgres.retention import trimmed_upto

    first: list[ChangeEntry] = []
    upto = trimmed_upto(conn)
    if seq < upto:
        row = conn.execute("SELECT clock_timestamp(), session_user").fetchone()
        assert row is not None
        first.append(everything(upto, str(row[1]), row[0].astimezone(UTC)))
        seq = upto
    rows = conn.execute(
        "SELECT seq, at, actor, entity, kind, ids, fields FROM change_log WHERE seq > %s "
        "ORDER BY seq LIMIT %s",
        (seq, limit),
    ).fetchall()
    return first + [
        ChangeEntry(
            int(number),
            Change(
                EntityKind(entity),
                ChangeKind(kind),
                tuple(ids),
                tuple(fields.split(",")) if fields else (),
            ),
            str(actor),
            at.astimezone(UTC),
        )
        for number, at, actor, entity, kind, ids, fields in rows
    ]
