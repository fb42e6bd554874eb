"""The window keeps an offline copy of the team database, opens it read-only when the server is
down at start (banner with its age, write actions disabled with a tooltip), goes live by itself
once the server is back, and notices a live connection whose server stopped answering."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest
from pytestqt.qtbot import QtBot

from desktop.app import AppContext, build_context, build_window
from desktop.controllers import offline_copy, team_live
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.paths import data_paths
from desktop.core.store.postgres.credentials import TeamDatabase
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team import listener as listener_module
from desktop.core.team.offline import OfflineStore
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import (
    Cluster,
    TestDatabase,
    missing_reason,
    new_database,
    remove_cluster,
    start_cluster,
)
from tests.helpers.storage_builders import profile
from tests.helpers.team import listener_pids, member, migrated

from desktop.ui.main_window import MainWindow
from desktop.ui.team_offline import OFFLINE_TIP, TeamOffline

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
def own_cluster(postgres_cluster: Cluster) -> Iterator[Cluster]:
    """A cluster of this test's own, which it stops (the session's keeps running)."""
    assert missing_reason() is None
    cluster = start_cluster()
    yield cluster
    remove_cluster(cluster)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """The OS keyring, as the app sees it, in memory (the offline copy's key goes there)."""
    memory = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", memory)
    return memory


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry and rewrite the copy quickly, so the test does not wait for the real pauses."""
    monkeypatch.setattr(team_live, "RETRY_MS", (200, 400))
    monkeypatch.setattr(offline_copy, "COPY_INTERVAL_MS", 500)


def _open(data_home: Path, qtbot: QtBot) -> tuple[AppContext, MainWindow]:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.resize(1100, 500)
    window.show()
    return ctx, window


def _close(ctx: AppContext, window: MainWindow) -> None:
    assert ctx.inventory is not None
    ctx.inventory.stop_watching()
    window.close()
    ctx.runner.wait_for_done(10_000)


def _copy_names(data_home: Path, url: str) -> list[str]:
    copies = OfflineStore(data_home, TeamDatabase(url).account)
    if not copies.path.exists():
        return []
    return [r.name for r in copies.load().rows]


def _names(ctx: AppContext) -> set[str]:
    page = ctx.profiles_page
    assert page is not None
    return {page.model.row_at(i).name for i in range(page.model.rowCount())}


def test_the_window_writes_the_copy_opens_it_when_the_server_is_down_and_goes_live(
    qtbot: QtBot,
    data_home: Path,
    own_cluster: Cluster,
    memory_keyring: MemoryKeyring,
    fast: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = new_database(own_cluster)
    migrated(db)
    alice, alice_url = member(db, "alice", "technician")
    store = PostgresStore.open(alice_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(TENANT, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, TENANT))
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", alice_url)

    # Online: the window writes the copy once synced, and again (throttled) after a change.
    ctx, window = _open(data_home, qtbot)
    qtbot.waitUntil(lambda: _names(ctx) == {"Contoso Baseline"}, timeout=15_000)
    qtbot.waitUntil(
        lambda: _copy_names(data_home, alice_url) == ["Contoso Baseline"], timeout=10_000
    )
    assert (
        b"Contoso" not in OfflineStore(data_home, TeamDatabase(alice_url).account).path.read_bytes()
    )
    with store.unit_of_work() as uow:  # a colleague's change, followed live
        uow.profiles.insert(profile("Fabrikam Nitro", cid, TENANT))
    qtbot.waitUntil(lambda: "Fabrikam Nitro" in _names(ctx), timeout=5000)
    qtbot.waitUntil(
        lambda: _copy_names(data_home, alice_url) == ["Contoso Baseline", "Fabrikam Nitro"],
        timeout=10_000,
    )
    _close(ctx, window)
    store.close()

    # The server is down when the window starts: the copy, read-only, with its age.
    own_cluster.stop()
    ctx, window = _open(data_home, qtbot)
    page = ctx.profiles_page
    assert page is not None
    qtbot.waitUntil(lambda: _names(ctx) == {"Contoso Baseline", "Fabrikam Nitro"}, timeout=15_000)
    qtbot.waitUntil(lambda: window.findChild(TeamOffline) is not None, timeout=5000)
    offline = window.findChild(TeamOffline)
    assert offline is not None
    qtbot.waitUntil(lambda: offline.bar.isVisible(), timeout=5000)
    text = offline.label.text()
    assert text.startswith("Offline: the team database cannot be reached.")
    assert "as last synced at" in text and "(just now)" in text and "read-only" in text
    assert "Reconnecting" in text
    for action in (page.create_action, page.delete_action, page.check_all_action):
        assert not action.isEnabled()
        assert action.toolTip() == OFFLINE_TIP
    page.table.selectRow(0)
    assert not page.reauth_any_action.isEnabled()
    assert not page.delete_action.isEnabled()
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        window.grab().save(str(Path(folder) / "team-start-offline.png"))
    qtbot.wait(1500)  # a few attempts fail meanwhile; the window stays as it is
    assert offline.offline and _names(ctx) == {"Contoso Baseline", "Fabrikam Nitro"}

    # The server comes back: the window goes live by itself and follows changes again.
    own_cluster.start()
    qtbot.waitUntil(lambda: not offline.offline, timeout=20_000)
    assert not offline.bar.isVisible()
    assert page.create_action.isEnabled() and page.create_action.toolTip() != OFFLINE_TIP
    qtbot.waitUntil(lambda: bool(listener_pids(db, alice)), timeout=10_000)
    store = PostgresStore.open(alice_url)
    with store.unit_of_work() as uow:
        uow.profiles.insert(profile("Northwind Backup", cid, TENANT))
    store.close()
    qtbot.waitUntil(lambda: "Northwind Backup" in _names(ctx), timeout=5000)
    _close(ctx, window)


def test_without_a_copy_the_window_says_so_and_loads_once_the_server_is_back(
    qtbot: QtBot,
    data_home: Path,
    own_cluster: Cluster,
    memory_keyring: MemoryKeyring,
    fast: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = new_database(own_cluster)
    migrated(db)
    alice, alice_url = member(db, "alice", "technician")
    store = PostgresStore.open(alice_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(TENANT, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, TENANT))
    store.close()
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", alice_url)
    own_cluster.stop()  # before this computer ever had a copy
    failures: list[object] = []
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    assert ctx.inventory is not None
    ctx.inventory.load_failed.connect(failures.append)
    window.show()
    qtbot.waitUntil(lambda: bool(failures), timeout=15_000)
    assert "no offline copy" in str(failures[0])
    page = ctx.profiles_page
    assert page is not None and page.stack.currentWidget() is page.empty
    qtbot.wait(1000)
    assert _names(ctx) == set()

    own_cluster.start()
    qtbot.waitUntil(lambda: _names(ctx) == {"Contoso Baseline"}, timeout=20_000)
    qtbot.waitUntil(lambda: bool(listener_pids(db, alice)), timeout=10_000)  # live too
    qtbot.waitUntil(
        lambda: _copy_names(data_home, alice_url) == ["Contoso Baseline"], timeout=10_000
    )
    _close(ctx, window)


@pytest.fixture
def paused() -> Iterator[list[int]]:
    """Server processes the test stopped with SIGSTOP; resumed at the end whatever happens."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        os.kill(pid, signal.SIGCONT)


def test_a_live_connection_whose_server_stops_answering_is_noticed_by_its_ping(
    qtbot: QtBot,
    data_home: Path,
    postgres_db: TestDatabase,
    memory_keyring: MemoryKeyring,
    fast: None,
    paused: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(team_live, "HEARTBEAT_MS", 300)
    monkeypatch.setattr(listener_module, "PING_TIMEOUT_S", 1.0)
    migrated(postgres_db)
    alice, alice_url = member(postgres_db, "alice", "technician")
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", alice_url)
    ctx, window = _open(data_home, qtbot)
    qtbot.waitUntil(lambda: bool(listener_pids(postgres_db, alice)), timeout=15_000)
    assert ctx.inventory is not None
    states: list[bool] = []
    ctx.inventory.team_connection_changed.connect(states.append)
    (first,) = listener_pids(postgres_db, alice)
    os.kill(first, signal.SIGSTOP)  # no FIN, no answer: only a deadline can tell
    paused.append(first)
    qtbot.waitUntil(lambda: False in states, timeout=10_000)
    offline = window.findChild(TeamOffline)
    assert offline is not None and offline.offline
    # It reconnects (a new server process) and is live again.
    qtbot.waitUntil(lambda: states[-1] is True, timeout=15_000)
    assert not offline.offline
    assert any(pid != first for pid in listener_pids(postgres_db, alice))
    _close(ctx, window)
