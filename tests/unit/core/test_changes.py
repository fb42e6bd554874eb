"""The change feed: merged changes, one delivery per entry, and the watcher of other writers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.core.changes import (
    Change,
    ChangeEntry,
    ChangeFeed,
    ChangeKind,
    ChangeWatcher,
    EntityKind,
    coalesce,
    local_actor,
)
from desktop.core.domain import Customer
from desktop.core.paths import DataPaths
from desktop.core.store import Store

AT = datetime(2026, 1, 2, tzinfo=UTC)
P = EntityKind.PROFILE


def _entry(seq: int, *ids: int) -> ChangeEntry:
    return ChangeEntry(seq, Change(P, ChangeKind.UPDATED, ids), "tech", AT)


def test_coalesce_merges_by_entity_kind_and_fields_in_first_seen_order() -> None:
    merged = coalesce(
        [
            Change(P, ChangeKind.ADDED, (1,)),
            Change(P, ChangeKind.UPDATED, (2,), ("status",)),
            Change(P, ChangeKind.ADDED, (3, 1)),
            Change(P, ChangeKind.UPDATED, (2,), ("name",)),
        ]
    )
    assert merged == [
        Change(P, ChangeKind.ADDED, (1, 3)),
        Change(P, ChangeKind.UPDATED, (2,), ("status",)),
        Change(P, ChangeKind.UPDATED, (2,), ("name",)),
    ]


def test_the_feed_delivers_each_entry_once_until_unsubscribed() -> None:
    feed = ChangeFeed(watched=True)
    got: list[list[int]] = []
    unsubscribe = feed.subscribe(lambda entries: got.append([e.seq for e in entries]))
    feed.publish([_entry(1, 5), _entry(2, 6)])
    feed.publish([_entry(2, 6), _entry(3, 7)])
    feed.publish([_entry(3, 7)])
    unsubscribe()
    feed.publish([_entry(4, 8)])
    assert got == [[1, 2], [3]]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed = ChangeFeed()
    heard: list[Sequence[ChangeEntry]] = []

    def broken(entries: Sequence[ChangeEntry]) -> None:
        raise RuntimeError("boom")

    feed.subscribe(broken)
    feed.subscribe(heard.append)
    with caplog.at_level(logging.ERROR, logger="desktop.core.changes"):
        feed.publish([_entry(1, 1)])
    assert len(heard) == 1
    assert "change subscriber failed" in caplog.text


def test_the_watcher_brings_another_writers_changes_once(data_home: Path) -> None:
    paths = DataPaths(data_home).ensure()
    window, cli = Store.open(paths), Store.open(paths)
    heard: list[ChangeEntry] = []
    window.feed.subscribe(heard.extend)
    watcher = ChangeWatcher(window)
    watcher.cursor = window.latest_seq()
    with cli.unit_of_work() as uow:
        cid = uow.customers.insert(Customer("Contoso"))
    with window.unit_of_work() as uow:
        own = uow.customers.insert(Customer("Fabrikam"))
    assert [e.ids for e in heard] == [(own,)]  # its own write, right after the commit
    read = watcher.poll_once()
    assert [e.ids for e in read] == [(cid,), (own,)]
    assert [e.ids for e in heard] == [(own,), (cid,)]  # the other's, once; its own not again
    assert {e.actor for e in heard} == {local_actor()}
    assert watcher.poll_once() == []


def test_a_started_watcher_delivers_within_a_poll_and_stops(data_home: Path) -> None:
    paths = DataPaths(data_home).ensure()
    window, cli = Store.open(paths), Store.open(paths)
    arrived = threading.Event()
    window.feed.subscribe(lambda entries: arrived.set())
    watcher = ChangeWatcher(window)
    watcher.start()
    try:
        with cli.unit_of_work() as uow:
            uow.customers.insert(Customer("Contoso"))
        assert arrived.wait(5)
    finally:
        watcher.stop()


class _BrokenLog:
    """A change log whose every read fails, as a store on a vanished folder does."""

    def __init__(self) -> None:
        self.feed = ChangeFeed()
        self.reads = 0

    def latest_seq(self) -> int:
        return 0

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        self.reads += 1
        raise OSError("The store cannot be opened.")

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        return None


def test_a_watcher_whose_store_is_gone_stops_by_itself() -> None:
    broken = _BrokenLog()
    watcher = ChangeWatcher(broken, gone=lambda: True)  # type: ignore[arg-type]
    watcher.start()
    thread = watcher._thread
    assert thread is not None
    thread.join(5)
    assert not thread.is_alive()
    assert broken.reads == 1


def test_a_failing_change_log_is_logged_once_not_at_every_retry(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import desktop.core.changes as changes

    monkeypatch.setattr(changes, "POLL_INTERVAL_S", 0.001)
    broken = _BrokenLog()
    watcher = ChangeWatcher(broken)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger=changes.log.name):
        watcher.start()
        deadline = threading.Event()
        for _ in range(500):
            if broken.reads >= 3:
                break
            deadline.wait(0.01)
        watcher.stop()
    assert broken.reads >= 3
    assert [r.getMessage() for r in caplog.records].count(
        "Reading the change log failed: The store cannot be opened."
    ) == 1
