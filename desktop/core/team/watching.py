"""Following the inventory's changes as they happen, for ``app-profiles-cli watch``.

On the team database a :class:`~desktop.core.team.listener.ChangeListener` wakes the reader
as soon as a change commits; the change log is then read after the last seq seen, so nothing
is missed across a lost connection (it reconnects by itself and catches up). On the local
SQLite store the change log is read every poll interval.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from desktop.core.changes import POLL_INTERVAL_S, ChangeEntry
from desktop.core.errors import UserError
from desktop.core.team.listener import ChangeListener, catch_up

log = logging.getLogger(__name__)

#: Seconds between round trips on a quiet listening connection (a dead one is noticed).
HEARTBEAT_S = 5.0
#: Longest wait between reconnection attempts.
MAX_BACKOFF_S = 10.0


class ChangeSource(Protocol):
    def latest_seq(self) -> int: ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]: ...


def as_json(entry: ChangeEntry) -> dict[str, Any]:
    """One change as ``watch --format json`` prints it: ids only, never a row's values."""
    return {
        "seq": entry.seq,
        "entity": entry.entity.value,
        "ids": list(entry.ids),
        "change": entry.kind.value,
        "fields": list(entry.change.fields),
        "actor": entry.actor,
        "at": entry.at.isoformat().replace("+00:00", "Z"),
    }


def poll_changes(
    source: ChangeSource,
    cursor: int,
    *,
    interval: float = POLL_INTERVAL_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[ChangeEntry]:
    """The changes after *cursor*, forever, reading the log every *interval* (SQLite)."""
    while True:
        entries = catch_up(source.changes_since, cursor)
        for entry in entries:
            cursor = max(cursor, entry.seq)
            yield entry
        if not entries:
            sleep(interval)


def listen_changes(
    source: ChangeSource,
    listener: ChangeListener,
    cursor: int,
    *,
    on_trouble: Callable[[UserError | None], None] = lambda _e: None,
    heartbeat: float = HEARTBEAT_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[ChangeEntry]:
    """The changes after *cursor*, forever, woken by the server's notifications.

    *listener* must be connected. When the connection is lost, *on_trouble* is called with
    the error, reconnection is tried with a growing pause, and once it is back (``on_trouble
    (None)``) the log is read from *cursor*, so what changed meanwhile still arrives.
    """
    backoff = 0.5
    troubled = False
    while True:
        try:
            if not listener.connected:
                listener.connect()  # LISTEN first, then read: nothing falls in between
            entries = catch_up(source.changes_since, cursor)
            if troubled:
                troubled = False
                backoff = 0.5
                on_trouble(None)
            for entry in entries:
                cursor = max(cursor, entry.seq)
                yield entry
            if not listener.wait(heartbeat) and not entries:
                listener.ping()
        except UserError as exc:
            log.warning("Watching the team database: %s", exc.one_line())
            listener.close()
            if not troubled:
                troubled = True
                on_trouble(exc)
            sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)
