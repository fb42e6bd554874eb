"""History rows: kept in time order, with their status, and outliving their profile."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from desktop.core.domain import EventKind, ProfileEvent, Status
from desktop.core.paths import DataPaths
from desktop.core.store import Store, events, transaction


def _at(hour: int) -> datetime:
    return datetime(2026, 5, 6, hour, tzinfo=UTC)


def test_history_is_oldest_first_and_ties_keep_their_order(data_home: Path) -> None:
    store = Store.open(DataPaths(data_home).ensure())
    late = ProfileEvent(7, EventKind.CHECKED, _at(9), "fine", Status.VALID)
    first = ProfileEvent(7, EventKind.CREATED, _at(8))
    tie = ProfileEvent(7, EventKind.CONSENTED, _at(8), "admin consent")
    with store.connection() as conn, transaction(conn):
        events.record(conn, late, "p")
        events.record_many(conn, [(first, "p"), (tie, "p")])
        events.record(conn, ProfileEvent(8, EventKind.CREATED, _at(1)), "other")
    with store.connection() as conn:
        assert events.history(conn, 7) == [first, tie, late]
        names = {r[0] for r in conn.execute("SELECT profile_name FROM profile_events")}
        assert events.history(conn, 9) == []
    assert names == {"p", "other"}


def test_an_event_without_a_status_reads_back_without_one(data_home: Path) -> None:
    store = Store.open(DataPaths(data_home).ensure())
    event = ProfileEvent(1, EventKind.DELETED, _at(3), "Deleted")
    with store.connection() as conn, transaction(conn):
        events.record(conn, event)
    with store.connection() as conn:
        (back,) = events.history(conn, 1)
    assert back == event and back.status is None
