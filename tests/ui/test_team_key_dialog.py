"""Profiles > Team key…: on a real team database, create the pair, publish it, copy the
fingerprint, and see the members' published fingerprints (rendered offscreen)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.team_key import TeamKeyController
from desktop.core.paths import data_paths
from desktop.core.store.postgres.credentials import ENV_URL as DATABASE_URL_ENV
from desktop.core.store.postgres.migrate import migrate
from desktop.core.store.postgres.team_secrets import install
from tests.helpers.file_keyring import keyring_env
from tests.helpers.postgres import TestDatabase

from desktop.ui.team_key_dialog import TeamKeyDialog


def test_create_publish_copy_and_compare(
    qtbot: QtBot,
    postgres_db: TestDatabase,
    data_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        migrate(owner, postgres_db.owner_url)
        install(owner)
    name, password = postgres_db.login("alice")
    postgres_db.cluster.sql([f"GRANT apm_technician TO {name}"])
    monkeypatch.setenv(DATABASE_URL_ENV, postgres_db.url_for(name, password))
    for key, value in keyring_env(tmp_path / "keyring.json").items():
        monkeypatch.setenv(key, value)
    runner = TaskRunner()
    dialog = TeamKeyDialog(TeamKeyController(runner, data_paths(data_home).ensure()))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    qtbot.waitUntil(lambda: "no team key yet" in dialog.state.text(), timeout=15_000)
    assert dialog.enroll_button.isEnabled() and not dialog.copy_button.isEnabled()
    assert dialog.members.rowCount() == 0

    dialog.enroll_button.click()
    qtbot.waitUntil(lambda: dialog.state.text() == f"Published as {name}.", timeout=15_000)
    shown = dialog.fingerprint.text()
    assert len(shown.split()) == 8  # eight groups of four hex digits
    assert dialog.members.rowCount() == 1
    assert dialog.members.item(0, 0).text() == name
    assert dialog.members.item(0, 1).text() == "You"
    assert dialog.members.item(0, 2).text() == shown
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == shown
    assert not dialog.enroll_button.isVisible()
    dialog.grab().save(str(tmp_path / "team-key.png"))
    assert runner.wait_for_done(10_000)
