"""Settings → Team database: the address is checked as typed (a password in it refused), the
password goes to the keyring, and Test connection answers in words from a real server."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.team_settings import TeamConnection
from desktop.core import settings_edit as edit
from desktop.core.catalog.loader import load_catalog, load_shipped
from desktop.core.settings import Settings
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

from desktop.ui.settings_dialog import SettingsDialog

ADDRESS = "postgresql://alice@db.example:5432/profiles?sslmode=verify-full"


def _dialog(
    qtbot: QtBot, settings: Settings | None = None, runner: TaskRunner | None = None
) -> tuple[SettingsDialog, list[Settings], list[tuple[str | None, str]]]:
    saved: list[Settings] = []
    passwords: list[tuple[str | None, str]] = []
    settings = settings or Settings()
    values = edit.current_values(settings, load_catalog(None).catalog, load_shipped())
    team = TeamConnection(runner) if runner is not None else None
    dialog = SettingsDialog(
        settings,
        values,
        saved.append,
        team=team,
        save_password=lambda a, p: passwords.append((a, p)),
    )
    qtbot.addWidget(dialog)
    return dialog, saved, passwords


def test_an_address_with_a_password_is_refused_as_typed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_PROFILES_DATABASE_URL", raising=False)
    dialog, saved, _ = _dialog(qtbot)
    page = dialog.team_page
    dialog.show()
    dialog.tabs.setCurrentWidget(page)
    qtbot.keyClicks(page.address, "postgresql://alice:s3cret@db.example/profiles")
    assert page.reason.isVisible()
    assert "holds a password" in page.reason.text()
    assert "OS keyring" in page.reason.text()
    assert not dialog.save_button.isEnabled()
    page.address.setText("mysql://db.example/profiles")
    assert "must start with postgresql://" in page.reason.text()
    assert not dialog.save_button.isEnabled()
    page.address.setText(ADDRESS)
    assert not page.reason.isVisible()
    assert dialog.save_button.isEnabled()
    assert not saved


def test_save_keeps_the_address_in_settings_and_the_password_out_of_them(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_PROFILES_DATABASE_URL", raising=False)
    dialog, saved, passwords = _dialog(qtbot)
    page = dialog.team_page
    page.address.setText(ADDRESS)
    page.password.setText("s3cret")
    dialog.save_button.click()
    assert saved and saved[0].team_database_url == ADDRESS
    assert "s3cret" not in repr(saved[0])
    assert passwords == [(ADDRESS, "s3cret")]
    assert page.password.text() == ""


def test_an_address_from_the_environment_is_shown_without_its_password_and_not_saved(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", "postgresql://bob:hunter2@db.example/p")
    dialog, saved, _ = _dialog(qtbot, Settings(team_database_url=ADDRESS))
    page = dialog.team_page
    assert page.address.isReadOnly()
    assert "hunter2" not in page.address.text()
    assert "APP_PROFILES_DATABASE_URL" in page.source.text()
    dialog.save_button.click()
    assert saved and saved[0].team_database_url == ADDRESS  # the setting is left as it was


def test_test_connection_reports_role_and_schema_from_the_server(
    qtbot: QtBot, postgres_db: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_PROFILES_DATABASE_URL", raising=False)
    migrated(postgres_db)
    name, url = member(postgres_db, "carol", "readonly")
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    password = parts.password or ""
    bare = urlunsplit(parts._replace(netloc=f"{parts.username}@{parts.hostname}:{parts.port}"))
    runner = TaskRunner()
    dialog, _, _ = _dialog(qtbot, runner=runner)
    page = dialog.team_page
    page.address.setText(bare)
    page.password.setText("wrong")
    page.test_button.click()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=15_000)
    assert "password" in page.status.text().lower()
    assert "wrong" not in page.status.text()

    page.password.setText(password)
    page.test_button.click()
    assert page.status.text() == "Connecting…"
    qtbot.waitUntil(lambda: page.status.text().startswith("Connected"), timeout=15_000)
    assert f"as {name}" in page.status.text()
    assert "Team role: read-only" in page.status.text()
    assert "schema version" in page.status.text()
    runner.wait_for_done(10_000)


def test_an_unreachable_server_is_said_in_words(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APP_PROFILES_DATABASE_URL", raising=False)
    runner = TaskRunner()
    dialog, _, _ = _dialog(qtbot, runner=runner)
    page = dialog.team_page
    page.address.setText("postgresql://alice@127.0.0.1:1/profiles?connect_timeout=2")
    page.test_button.click()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=15_000)
    text = page.status.text()
    assert text and not text.startswith(("Connected", "Connecting"))
    assert "Traceback" not in text
    runner.wait_for_done(10_000)
