"""The change feed: every write to the inventory says what it changed, and who made it.

A storage backend collects the :class:`Change` s of a unit of work and, in the same
transaction, writes them to its change log, where each gets a monotonic ``seq``. After the
commit it publishes them as :class:`ChangeEntry` s to its :class:`ChangeFeed`, so screens in
this process refresh what changed instead of everything. Writes by another process (the CLI
while a window is open) reach the feed through a :class:`ChangeWatcher`, which reads the log
after the last ``seq`` it saw; a backend that can push (PostgreSQL's LISTEN/NOTIFY) wakes it up,
one that cannot (SQLite) is polled.
"""

from __future__ import annotations

import getpass
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

log = logging.getLogger(__name__)

#: How often a backend that cannot push is asked for new changes.
POLL_INTERVAL_S = 0.5
#: The longest pause between attempts while the change log cannot be read.
MAX_ERROR_PAUSE_S = 30.0


class EntityKind(StrEnum):
    """What kind of thing changed."""

    CUSTOMER = "customer"
    TENANT = "tenant"
    PROFILE = "profile"
    #: A profile's history (its ids are profile ids).
    HISTORY = "history"
    #: Anything: the log was cut short or too much changed to list; reload everything.
    EVERYTHING = "everything"


class ChangeKind(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


#: Customer and profile ids are numbers; a tenant's id is its tenant ID (a GUID).
EntityId = int | str


@dataclass(frozen=True)
class Change:
    """One kind of change to some entities of one kind.

    *fields* names what was updated when not the whole entity (e.g. ``("notes",)``), so a
    screen that does not show those can ignore the change.
    """

    entity: EntityKind
    kind: ChangeKind
    ids: tuple[EntityId, ...]
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeEntry:
    """A committed change, as the change log holds it."""

    seq: int
    change: Change
    #: Who made it: the OS user name on SQLite, the server role's user on PostgreSQL.
    actor: str
    at: datetime

    @property
    def entity(self) -> EntityKind:
        return self.change.entity

    @property
    def kind(self) -> ChangeKind:
        return self.change.kind

    @property
    def ids(self) -> tuple[EntityId, ...]:
        return self.change.ids


def everything(seq: int, actor: str, at: datetime) -> ChangeEntry:
    """An entry that tells subscribers to reload everything."""
    return ChangeEntry(seq, Change(EntityKind.EVERYTHING, ChangeKind.UPDATED, ()), actor, at)


def local_actor() -> str:
    """The OS user running this process (who a change on the local store is made by)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "unknown"


def coalesce(changes: Iterable[Change]) -> list[Change]:
    """Merge changes of the same entity, kind and fields, keeping first-seen order and ids."""
    merged: dict[tuple[EntityKind, ChangeKind, tuple[str, ...]], dict[EntityId, None]] = {}
    for change in changes:
        ids = merged.setdefault((change.entity, change.kind, change.fields), {})
        ids.update(dict.fromkeys(change.ids))
    return [Change(e, k, tuple(ids), f) for (e, k, f), ids in merged.items()]


Subscriber = Callable[[Sequence[ChangeEntry]], None]


@dataclass
class ChangeFeed:
    """In-process subscribers to committed changes.

    Subscribers are called on the thread that committed (or the watcher's thread); a GUI
    subscriber hands the entries over to its own thread. Each batch of entries is delivered
    once, whether it came from this process or from the watcher.
    """

    _subscribers: list[Subscriber] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: seqs published from this process that the watcher has not yet reached.
    _seen: set[int] = field(default_factory=set)
    #: Whether a watcher also publishes (only then are seqs remembered, to deliver once).
    watched: bool = False

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call *subscriber* with each batch of entries; returns the function to unsubscribe."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, entries: Sequence[ChangeEntry]) -> None:
        """Deliver *entries* not delivered before. A failing subscriber is logged, not raised:
        the write it announces is already committed."""
        with self._lock:
            fresh = [e for e in entries if e.seq not in self._seen]
            if self.watched:
                self._seen.update(e.seq for e in fresh if e.seq > 0)
            subscribers = list(self._subscribers)
        if not fresh:
            return
        for subscriber in subscribers:
            try:
                subscriber(fresh)
            except Exception:
                log.exception("A change subscriber failed")

    def forget_before(self, seq: int) -> None:
        """Drop the memory of local seqs below *seq* (the watcher has read past them)."""
        with self._lock:
            self._seen = {s for s in self._seen if s >= seq}


class ChangeLog(Protocol):
    """What a backend offers the watcher: its log of committed changes."""

    feed: ChangeFeed

    def latest_seq(self) -> int:
        """The seq of the newest committed change (0 when there is none)."""
        ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        """Committed changes after *seq*, oldest first, at most *limit*. When the log no
        longer holds the change right after *seq* (it was trimmed), the first entry is an
        ``EVERYTHING`` entry."""
        ...

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        """Return when changes after *seq* may exist, or after *timeout* seconds. A backend
        that pushes blocks on its notification; one that cannot sleeps a poll interval."""
        ...


class ChangeWatcher:
    """Reads changes committed by other processes and publishes them to the backend's feed.

    It runs on its own daemon thread; :meth:`stop` ends it. Entries this process already
    published are not delivered twice.
    """

    def __init__(
        self,
        log_: ChangeLog,
        *,
        on_error: Callable[[Exception], None] | None = None,
        gone: Callable[[], bool] | None = None,
    ):
        self._log = log_
        log_.feed.watched = True
        self._on_error = on_error
        #: True once the store itself is gone (its data folder deleted): watching ends.
        self._gone = gone
        self._last_error = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.cursor = 0

    def start(self) -> None:
        """Start watching from the newest change now in the log (read on the calling thread,
        so a write made after this returns is delivered)."""
        if self._thread is not None:
            return
        try:
            self.cursor = self._log.latest_seq()
        except Exception as exc:
            self._report(exc)
        self._thread = threading.Thread(target=self._run, name="change-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poll_once(self) -> list[ChangeEntry]:
        """Read and publish what is new since the cursor; returns what was read."""
        entries = self._log.changes_since(self.cursor)
        if entries:
            self.cursor = max(e.seq for e in entries)
            self._log.feed.publish(entries)
            self._log.feed.forget_before(self.cursor)
        return entries

    def _run(self) -> None:
        pause = POLL_INTERVAL_S * 4
        while not self._stop.is_set():
            try:
                if not self.poll_once():
                    self._log.wait_for_changes(self.cursor, POLL_INTERVAL_S)
                pause, self._last_error = POLL_INTERVAL_S * 4, ""
            except Exception as exc:
                if self._gone is not None and self._gone():
                    log.info("The store is gone; no longer watching for changes.")
                    return
                self._report(exc)
                self._stop.wait(pause)
                pause = min(pause * 2, MAX_ERROR_PAUSE_S)

    def _report(self, exc: Exception) -> None:
        # A locked store must not kill the watcher: the next poll tries again, more slowly
        # each time, and the same failure is logged once, not every few seconds.
        text = str(exc)
        if text != self._last_error:
            log.warning("Reading the change log failed: %s", text)
            self._last_error = text
        if self._on_error is not None:
            self._on_error(exc)
