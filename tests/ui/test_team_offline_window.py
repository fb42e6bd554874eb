"""The window while the team database cannot be reached: a banner with the list's age, write
actions disabled with a tooltip saying why, and back to normal when the server answers."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.helpers.postgres import TestDatabase
from tests.helpers.team import listener_pids, terminate
from tests.helpers.team_window import TeamWindow

from desktop.ui.team_offline import OFFLINE_TIP, TeamOffline, age_words


def test_losing_the_team_database_makes_the_window_read_only_until_it_is_back(
    qtbot: QtBot, postgres_db: TestDatabase, team_window: TeamWindow
) -> None:
    window, page, alice = team_window.window, team_window.page, team_window.alice
    assert window.findChild(TeamOffline) is None  # nothing until the connection is lost
    assert page.create_action.isEnabled()

    postgres_db.cluster.sql([f"ALTER ROLE {alice} NOLOGIN"])
    terminate(postgres_db, listener_pids(postgres_db, alice))
    qtbot.waitUntil(lambda: window.findChild(TeamOffline) is not None, timeout=15_000)
    offline = window.findChild(TeamOffline)
    assert offline is not None
    qtbot.waitUntil(lambda: offline.bar.isVisible(), timeout=5000)
    text = offline.label.text()
    assert text.startswith("Offline: the team database cannot be reached.")
    assert "as last synced at" in text and "read-only" in text
    assert page.model.total() == 1  # the last synced list stays on screen
    for action in (page.create_action, page.delete_action, page.check_all_action):
        assert not action.isEnabled()
        assert action.toolTip() == OFFLINE_TIP
    page.table.selectRow(0)  # a selection does not bring a write action back
    assert not page.reauth_any_action.isEnabled()
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        window.resize(1100, 500)
        window.grab().save(str(Path(folder) / "team-offline-banner.png"))

    postgres_db.cluster.sql([f"ALTER ROLE {alice} LOGIN"])
    qtbot.waitUntil(lambda: not offline.offline, timeout=20_000)
    assert not offline.bar.isVisible()
    assert page.create_action.isEnabled()
    assert page.create_action.toolTip() != OFFLINE_TIP
    assert page.reauth_any_action.isEnabled()  # one row selected: the page's own rule again


def test_the_banner_says_how_old_the_list_is() -> None:
    assert age_words(20) == "just now"
    assert age_words(60) == "1 minute ago"
    assert age_words(5 * 60 + 3) == "5 minutes ago"
    assert age_words(3 * 3600) == "3 hours ago"
    assert age_words(3 * 86400) == "3 days ago"


def test_the_age_follows_the_clock(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QMainWindow

    clock = [datetime(2026, 3, 4, 14, 2, tzinfo=UTC)]
    window = QMainWindow()
    qtbot.addWidget(window)
    offline = TeamOffline(window, [], now=lambda: clock[0])
    offline.set_connected(False)
    assert "(just now)" in offline.label.text()
    clock[0] += timedelta(minutes=7)
    offline._show_age()
    assert "(7 minutes ago)" in offline.label.text()
    offline.set_connected(True)
    assert not offline.offline


def test_a_copy_from_another_day_says_which_day(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QMainWindow

    now = datetime(2026, 3, 4, 14, 2, tzinfo=UTC)
    window = QMainWindow()
    qtbot.addWidget(window)
    offline = TeamOffline(window, [], now=lambda: now)
    synced = now - timedelta(days=2, hours=1)
    offline.show_copy(synced)  # the window started with the offline copy
    assert offline.offline and offline.synced_at == synced
    local = synced.astimezone()
    assert f"as last synced at {local:%Y-%m-%d %H:%M} (2 days ago)" in offline.label.text()
    offline.show_copy(now - timedelta(minutes=5))  # a newer copy: the same banner, updated
    assert "(5 minutes ago)" in offline.label.text()
