"""A profile's history: created, consented, checked, status changes, re-authorized, deleted."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from desktop.core.domain import EventKind, ProfileEvent, Status
from desktop.core.store.connection import from_db_time, to_db_time

_INSERT = (
    "INSERT INTO profile_events (profile_id, profile_name, kind, at, detail, status) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _params(event: ProfileEvent, name: str) -> tuple[object, ...]:
    return (
        event.profile_id,
        name,
        event.kind.value,
        to_db_time(event.at),
        event.detail,
        event.status.value if event.status else None,
    )


def record(conn: sqlite3.Connection, event: ProfileEvent, profile_name: str = "") -> None:
    conn.execute(_INSERT, _params(event, profile_name))


def record_many(conn: sqlite3.Connection, events: Iterable[tuple[ProfileEvent, str]]) -> None:
    """Record *(event, profile name)* pairs in one statement."""
    conn.executemany(_INSERT, (_params(e, name) for e, name in events))


def history(conn: sqlite3.Connection, profile_id: int) -> list[ProfileEvent]:
    """The profile's events, oldest first."""
    rows = conn.execute(
        "SELECT profile_id, kind, at, detail, status FROM profile_events "
        "WHERE profile_id = ? ORDER BY at, id",
        (profile_id,),
    )
    events = []
    for pid, kind, at, detail, status in rows:
        when = from_db_time(at)
        assert when is not None
        events.append(
            ProfileEvent(
                profile_id=pid,
                kind=EventKind(kind),
                at=when,
                detail=detail,
                status=Status(status) if status else None,
            )
        )
    return events
