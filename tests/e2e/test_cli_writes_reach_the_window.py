"""Writes by the CLI (another process, same data folder) reach an open window's list."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page

pytestmark = pytest.mark.e2e

Cli = Callable[..., CompletedProcess[str]]
#: The promise: another process's write shows within 2 seconds.
WITHIN_MS = 2_000


def _window(qtbot: QtBot, home: Path, runner: TaskRunner) -> ProfilesPage:
    controller = InventoryController(DataPaths(home), runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, FakeDialogs())  # type: ignore[arg-type]
    window.show()
    qtbot.waitUntil(lambda: page._complete, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return page


def _names(page: ProfilesPage) -> set[str]:
    return {page.model.row_at(r).name for r in range(page.model.rowCount())}


def test_a_profile_added_by_the_cli_appears_in_the_open_window(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, cli: Cli
) -> None:
    small_inventory(data_home)
    page = _window(qtbot, data_home, runner)
    before = _names(page)
    assert len(before) == 4

    added = cli("demo", "seed", "--customers", "1", "--profiles", "1", "--format", "json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["profiles"] == 1

    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=WITHIN_MS)
    assert before < _names(page)


def test_a_profile_deleted_by_the_cli_leaves_the_list_without_a_reload(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, cli: Cli
) -> None:
    inv = small_inventory(data_home)
    page = _window(qtbot, data_home, runner)
    gone = next(r for r in inv.profiles.rows() if r.name == "Contoso Nitro")
    reloads: list[object] = []
    page.controller.rows_loaded.connect(reloads.append)
    page.table.selectRow(0)
    selected = page.selected_ids()

    deleted = cli("profiles", "delete", str(gone.id), "--yes", "--format", "json")
    assert deleted.returncode == 0, deleted.stderr

    qtbot.waitUntil(lambda: "Contoso Nitro" not in _names(page), timeout=WITHIN_MS)
    assert page.model.rowCount() == 3
    assert "3 app profiles" in page.counts.text()
    assert reloads == []  # the one row went; the list was not read again
    if gone.id not in selected:
        assert page.selected_ids() == selected
