"""The team key's first-run step on a real team database: the main window in team mode
offers "Create your team key" while this data folder has none, shows the fingerprint to read
out once made, and offers nothing at the next start; "Not now" hides it until then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QMainWindow

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.team_key import TeamKeyController
from desktop.core.paths import data_paths
from desktop.core.store.postgres.team_secrets import install
from tests.helpers.file_keyring import keyring_env
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import migrated
from tests.helpers.team_window import open_team_window

from desktop.ui.team_key_banner import OFFER_TEXT, READ_OUT_TEXT, TeamKeyBanner


@pytest.fixture(autouse=True)
def _forget_windows() -> Iterator[None]:
    yield
    _WINDOWS.clear()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the screens are rendered (CHECK_SHOTS, to look at them; else tmp)."""
    import os

    return Path(os.environ.get("CHECK_SHOTS", str(tmp_path)))


@pytest.fixture
def keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in keyring_env(tmp_path / "keyring.json").items():
        monkeypatch.setenv(key, value)


_WINDOWS: list[QMainWindow] = []


def _banner(qtbot: QtBot, data_home: Path, runner: TaskRunner) -> TeamKeyBanner:
    """A window of the next start with its banner, asked whether it is needed."""
    window = QMainWindow()
    _WINDOWS.append(window)
    window.resize(1000, 500)
    qtbot.addWidget(window)
    window.show()
    banner = TeamKeyBanner(window, TeamKeyController(runner, data_paths(data_home).ensure()))
    banner.start()
    return banner


def test_window_in_team_mode_offers_the_key_until_it_is_made(
    qtbot: QtBot,
    shots: Path,
    data_home: Path,
    postgres_db: TestDatabase,
    monkeypatch: pytest.MonkeyPatch,
    keyring: None,
    tmp_path: Path,
) -> None:
    migrated(postgres_db)
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)
    with open_team_window(qtbot, data_home, postgres_db, monkeypatch) as team:
        qtbot.waitUntil(lambda: bool(team.window.findChildren(TeamKeyBanner)), timeout=15_000)
        (banner,) = team.window.findChildren(TeamKeyBanner)
        qtbot.waitUntil(lambda: banner.offered, timeout=15_000)
        assert banner.label.text() == OFFER_TEXT and banner.create_button.isVisible()
        assert not banner.fingerprint.isVisible()
        team.window.grab().save(str(shots / "team-key-offer.png"))
        team.window.resize(640, 420)
        QApplication.processEvents()
        team.window.grab().save(str(shots / "team-key-offer-small.png"))

        banner.create_button.click()
        qtbot.waitUntil(lambda: banner.label.text() == READ_OUT_TEXT, timeout=15_000)
        shown = banner.fingerprint.text()
        assert len(shown.split()) == 8 and banner.copy_button.isVisible()
        banner.copy_button.click()
        assert QApplication.clipboard().text() == shown
        team.window.grab().save(str(shots / "team-key-made-small.png"))
        team.window.resize(1100, 600)
        QApplication.processEvents()
        team.window.grab().save(str(shots / "team-key-made.png"))
        assert banner.close_button.text() == "Done"
        banner.close_button.click()
        assert not banner.offered

    # The next start: the key is there and published, so nothing is offered.
    runner = TaskRunner()
    again = _banner(qtbot, data_home, runner)
    assert runner.wait_for_done(15_000)
    QApplication.processEvents()
    qtbot.wait(50)
    assert not again.offered


def test_not_now_hides_the_offer_until_the_next_start(
    qtbot: QtBot,
    data_home: Path,
    postgres_db: TestDatabase,
    monkeypatch: pytest.MonkeyPatch,
    keyring: None,
) -> None:
    migrated(postgres_db)
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)
    name, password = postgres_db.login("dave")
    postgres_db.cluster.sql([f"GRANT apm_technician TO {name}"])
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", postgres_db.url_for(name, password))
    runner = TaskRunner()
    banner = _banner(qtbot, data_home, runner)
    qtbot.waitUntil(lambda: banner.offered, timeout=15_000)
    banner.close_button.click()
    assert not banner.offered
    banner.start()  # asked again in this run (say, after the dialog): still hidden
    assert runner.wait_for_done(15_000)
    qtbot.wait(50)
    assert not banner.offered

    again = _banner(qtbot, data_home, runner)  # the next start: offered again
    qtbot.waitUntil(lambda: again.offered, timeout=15_000)


def test_solo_mode_offers_nothing(qtbot: QtBot, data_home: Path, keyring: None) -> None:
    runner = TaskRunner()
    banner = _banner(qtbot, data_home, runner)
    assert runner.wait_for_done(15_000)
    qtbot.wait(50)
    assert not banner.offered
