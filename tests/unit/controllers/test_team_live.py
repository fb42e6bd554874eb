"""Live changes in the Qt event loop: another process's change reaches the feed within 2 s,
and one made while the listening connection was gone arrives after it reconnects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.team_live import LiveChanges
from desktop.core.changes import ChangeEntry, ChangeKind, EntityKind
from desktop.core.domain import Customer
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.listener import ChangeListener
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import listener_pids, member, migrated, terminate, write_in_other_process

LIVE_MS = 2000


class Team:
    def __init__(self, db: TestDatabase) -> None:
        migrated(db)
        self.db = db
        self.alice, alice_url = member(db, "alice", "technician")
        self.bob, self.bob_url = member(db, "bob", "technician")
        self.store = PostgresStore.open(alice_url)
        self.listener = ChangeListener(alice_url)
        self.fed: list[ChangeEntry] = []
        self.store.feed.subscribe(self.fed.extend)


@pytest.fixture
def team(postgres_db: TestDatabase) -> Iterator[Team]:
    team = Team(postgres_db)
    yield team
    team.listener.close()
    team.store.close()


@pytest.fixture
def live(qtbot: QtBot, team: Team, runner: TaskRunner) -> Iterator[LiveChanges]:
    live = LiveChanges(team.store, team.listener, runner)
    with qtbot.waitSignal(live.connection_changed, timeout=10_000) as up:
        live.start()
    assert up.args == [True]
    yield live
    live.stop()


def _kinds(entries: Sequence[ChangeEntry]) -> list[tuple[EntityKind, ChangeKind]]:
    return [(e.entity, e.kind) for e in entries]


def test_another_process_change_reaches_the_feed_within_2_s(
    qtbot: QtBot, team: Team, live: LiveChanges
) -> None:
    with qtbot.waitSignal(live.changes, timeout=LIVE_MS) as got:
        write_in_other_process(team.bob_url, "add-customer", "Contoso")
    entries = got.args[0]
    assert _kinds(entries) == [(EntityKind.CUSTOMER, ChangeKind.ADDED)]
    assert entries[0].actor == team.bob
    assert team.fed == entries  # the repository's feed, as for this process's own writes


def test_own_changes_are_not_delivered_twice(qtbot: QtBot, team: Team, live: LiveChanges) -> None:
    with team.store.unit_of_work() as uow:
        uow.customers.insert(Customer(name="Mine"))
    assert len(team.fed) == 1  # published by the commit
    with qtbot.waitSignal(live.changes, timeout=LIVE_MS):
        write_in_other_process(team.bob_url, "add-customer", "Theirs")
    assert [e.actor for e in team.fed] == [team.alice, team.bob]


def test_a_change_made_while_disconnected_arrives_after_reconnecting(
    qtbot: QtBot, team: Team, live: LiveChanges
) -> None:
    db = team.db
    db.cluster.sql([f"ALTER ROLE {team.alice} NOLOGIN"])
    with qtbot.waitSignal(live.connection_changed, timeout=10_000) as down:
        terminate(db, listener_pids(db, team.alice))
    assert down.args == [False] and not live.connected
    write_in_other_process(team.bob_url, "add-customer", "Contoso")
    qtbot.wait(800)
    assert team.fed == []  # no notification can reach a listener that is not there
    with qtbot.waitSignals([live.connection_changed, live.changes], timeout=15_000):
        db.cluster.sql([f"ALTER ROLE {team.alice} LOGIN"])
    assert _kinds(team.fed) == [(EntityKind.CUSTOMER, ChangeKind.ADDED)]
    assert live.connected
    with qtbot.waitSignal(live.changes, timeout=LIVE_MS):
        write_in_other_process(team.bob_url, "add-customer", "Fabrikam")
